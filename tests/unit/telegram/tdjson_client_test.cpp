// TdClient on a TdJsonHub driven by ScriptedTdJson: @extra matching, error mapping, deadlines,
// updates, stop.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/event_loop.h"
#include "core/log.h"
#include "support/scripted_tdjson.h"
#include "telegram/tdjson/td_client.h"
#include "unit/telegram/tdjson_test_support.h"

namespace sakai::telegram::tdjson {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using std::chrono::seconds;
using test_support::eventually;
using test_support::LockedLog;

using Answers = std::vector<Result<std::string>>;

class TdClientTest : public ::testing::Test {
 protected:
  TdClientTest() { hub_options_.receive_timeout_seconds = 0.02; }

  void make() {
    hub_ = std::make_unique<TdJsonHub>(td_, logger_, hub_options_);
    client_ = std::make_unique<TdClient>(*hub_, loop_, logger_, clock_, options_);
    client_->set_update_sink([this](std::string_view object, TdEvent&&) {
      std::lock_guard lock(updates_mu_);
      updates_.push_back(json::parse(object));
      update_threads_.push_back(std::this_thread::get_id());
    });
  }
  void start() {
    make();
    client_->start();
  }
  TdClient::ResponseCallback collect(Answers& into) {
    return [&into](Result<std::string> r) { into.push_back(std::move(r)); };
  }
  std::vector<json> updates() {
    std::lock_guard lock(updates_mu_);
    return updates_;
  }
  bool saw_auth_state(const std::string& state) {
    for (const auto& u : updates()) {
      if (u["@type"] == "updateAuthorizationState" && u["authorization_state"]["@type"] == state) {
        return true;
      }
    }
    return false;
  }
  bool pump_until(const std::function<bool()>& done) {
    return eventually(done, [this] { loop_.run_ready(); });
  }

  ManualClock clock_;
  LockedLog log_;
  Logger logger_{LogLevel::kDebug, LogFormat::kJson, log_.stream(), clock_};
  EventLoop loop_{clock_};
  ScriptedTdJson td_;
  TdJsonHubOptions hub_options_;
  TdClientOptions options_;
  std::mutex updates_mu_;
  std::vector<json> updates_;
  std::vector<std::thread::id> update_threads_;
  std::unique_ptr<TdJsonHub> hub_;
  // Last: destroyed (and stopped) first, while the hub and everything its sink touches still
  // exist.
  std::unique_ptr<TdClient> client_;
};

TEST_F(TdClientTest, ExtraIsANumberAndAnswersMatchEvenOutOfOrder) {
  start();
  Answers first, second;
  const auto id1 =
      client_->send(R"({"@type":"getOption","name":"version"})", seconds(10), collect(first));
  const auto id2 = client_->send(R"({"@type":"getOption","name":"message_text_length_max"})",
                                 seconds(10), collect(second));
  EXPECT_NE(id1, id2);
  const auto sent = td_.requests_of_type("getOption");
  ASSERT_EQ(sent.size(), 2u);
  ASSERT_TRUE(sent[0]["@extra"].is_number_unsigned());
  EXPECT_EQ(sent[0]["@extra"].get<std::uint64_t>(), id1);
  EXPECT_EQ(sent[1]["@extra"].get<std::uint64_t>(), id2);
  EXPECT_EQ(client_->pending_requests(), 2u);

  // The second request is answered first.
  td_.respond(sent[1], {{"@type", "optionValueInteger"}, {"value", "4096"}});
  td_.respond(sent[0], ScriptedTdJson::option_string("1.8.65"));
  loop_.run_until_idle();

  ASSERT_EQ(first.size(), 1u);
  ASSERT_EQ(second.size(), 1u);
  ASSERT_TRUE(first[0].is_ok());
  ASSERT_TRUE(second[0].is_ok());
  const auto a1 = json::parse(*first[0]);
  const auto a2 = json::parse(*second[0]);
  EXPECT_EQ(a1["@type"], "optionValueString");
  EXPECT_EQ(a1["value"], "1.8.65");
  EXPECT_EQ(a1["@extra"].get<std::uint64_t>(), id1);  // the full response JSON
  EXPECT_EQ(a2["@type"], "optionValueInteger");
  EXPECT_EQ(a2["value"], "4096");
  EXPECT_EQ(client_->pending_requests(), 0u);
  EXPECT_EQ(client_->dropped_responses(), 0u);
  // Answers are not updates.
  for (const auto& u : updates())
    EXPECT_NE(u["@type"], "optionValueString");
}

TEST_F(TdClientTest, CallersExtraIsReplaced) {
  start();
  Answers got;
  const auto id = client_->send(R"({"@type":"getMe","@extra":"mine"})", seconds(10), collect(got));
  const auto req = td_.last_request("getMe");
  ASSERT_TRUE(req.has_value());
  EXPECT_EQ((*req)["@extra"].get<std::uint64_t>(), id);
}

TEST_F(TdClientTest, ErrorObjectsBecomeTypedStatus) {
  td_.on("sendMessage", [](const json&) -> std::vector<json> {
    return {ScriptedTdJson::error(429, "Too Many Requests: retry after 7")};
  });
  td_.on("getChat", [](const json&) -> std::vector<json> {
    return {ScriptedTdJson::error(400, "Chat not found")};
  });
  start();
  Answers flood, chat;
  client_->send(R"({"@type":"sendMessage","chat_id":1})", seconds(10), collect(flood));
  client_->send(R"({"@type":"getChat","chat_id":2})", seconds(10), collect(chat));
  loop_.run_until_idle();
  ASSERT_EQ(flood.size(), 1u);
  EXPECT_EQ(flood[0].status().code(), ErrorCode::kRateLimited);
  EXPECT_EQ(flood[0].status().message(), "tdlib: 429 Too Many Requests: retry after 7");
  EXPECT_EQ(retry_after_seconds(flood[0].status()), 7);
  ASSERT_EQ(chat.size(), 1u);
  EXPECT_EQ(chat[0].status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(chat[0].status().message(), "tdlib: 400 Chat not found");
}

TEST(TdErrorStatusTest, CodesMapToErrorCodes) {
  EXPECT_EQ(td_error_status(400, "Bad Request: x").code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(td_error_status(401, "Unauthorized").code(), ErrorCode::kPermissionDenied);
  EXPECT_EQ(td_error_status(403, "CHAT_WRITE_FORBIDDEN").code(), ErrorCode::kPermissionDenied);
  EXPECT_EQ(td_error_status(404, "Not Found").code(), ErrorCode::kNotFound);
  EXPECT_EQ(td_error_status(500, "Request aborted").code(), ErrorCode::kCancelled);
  EXPECT_EQ(td_error_status(500, "Internal Server Error").code(), ErrorCode::kUnavailable);
  EXPECT_EQ(td_error_status(406, "").code(), ErrorCode::kUnavailable);
  EXPECT_EQ(td_error_status(404, "Not Found").message(), "tdlib: 404 Not Found");
  const Status flood = td_error_status(429, "Too Many Requests: retry after 1234");
  EXPECT_EQ(flood.code(), ErrorCode::kRateLimited);
  EXPECT_EQ(retry_after_seconds(flood), 1234);
  EXPECT_EQ(retry_after_seconds(td_error_status(429, "FLOOD_WAIT_30")), 30);
  EXPECT_EQ(retry_after_seconds(td_error_status(429, "Too Many Requests")), std::nullopt);
  EXPECT_EQ(retry_after_seconds(td_error_status(400, "retry after 3")), std::nullopt);
}

TEST_F(TdClientTest, DeadlineFiresAndALateAnswerIsDropped) {
  start();
  Answers got;
  client_->send(R"({"@type":"getMe"})", seconds(5), collect(got));
  loop_.run_ready();
  EXPECT_TRUE(got.empty());
  clock_.advance(milliseconds(4999));
  loop_.run_ready();
  EXPECT_TRUE(got.empty());
  clock_.advance(milliseconds(1));
  loop_.run_ready();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].status().code(), ErrorCode::kDeadlineExceeded);
  EXPECT_EQ(got[0].status().message(), "tdlib: getMe got no answer within 5 s");
  EXPECT_EQ(client_->pending_requests(), 0u);

  const auto request = td_.last_request("getMe");
  ASSERT_TRUE(request.has_value());
  td_.respond(*request, {{"@type", "user"}, {"id", 42}, {"first_name", "Sakai"}});
  ASSERT_TRUE(pump_until([&] { return client_->dropped_responses() == 1; }));
  loop_.run_ready();
  EXPECT_EQ(got.size(), 1u);  // the callback ran once
  bool logged = false;
  for (const auto& line : log_.lines("tdlib")) {
    if (line["level"] == "debug" &&
        line["msg"].get<std::string>().find("late answer dropped") != std::string::npos) {
      logged = true;
      EXPECT_EQ(line["type"], "user");
    }
  }
  EXPECT_TRUE(logged) << log_.text();
}

TEST_F(TdClientTest, FractionalDeadlineReadsWell) {
  start();
  Answers got;
  client_->send(R"({"@type":"getMe"})", milliseconds(1500), collect(got));
  clock_.advance(milliseconds(1500));
  loop_.run_ready();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].status().message(), "tdlib: getMe got no answer within 1.5 s");
}

TEST_F(TdClientTest, UpdatesReachTheSinkOnTheReceiveThread) {
  td_.on("setTdlibParameters", [](const json&) -> std::vector<json> {
    return {ScriptedTdJson::ok(),
            ScriptedTdJson::authorization_state("authorizationStateWaitPhoneNumber")};
  });
  td_.push_update(ScriptedTdJson::authorization_state("authorizationStateWaitTdlibParameters"));
  start();
  Answers got;
  client_->send(R"({"@type":"setTdlibParameters","use_test_dc":true})", seconds(10), collect(got));
  td_.push_update(
      {{"@type", "updateConnectionState"}, {"state", {{"@type", "connectionStateConnecting"}}}});
  loop_.run_until_idle();
  ASSERT_EQ(got.size(), 1u);
  ASSERT_TRUE(got[0].is_ok());
  EXPECT_EQ(json::parse(*got[0])["@type"], "ok");
  ASSERT_TRUE(eventually([&] { return updates().size() == 3; }));
  const auto seen = updates();
  EXPECT_EQ(seen[0]["authorization_state"]["@type"], "authorizationStateWaitTdlibParameters");
  EXPECT_EQ(seen[1]["authorization_state"]["@type"], "authorizationStateWaitPhoneNumber");
  EXPECT_EQ(seen[2]["@type"], "updateConnectionState");
  EXPECT_EQ(seen[2]["@client_id"], client_->client_id());
  std::lock_guard lock(updates_mu_);
  for (const auto& id : update_threads_)
    EXPECT_NE(id, std::this_thread::get_id());
}

TEST_F(TdClientTest, StopClosesCancelsPendingAndIsIdempotent) {
  start();
  EXPECT_EQ(hub_->clients(), 1u);
  Answers pending, after;
  client_->send(R"({"@type":"getMe"})", seconds(30), collect(pending));
  client_->stop();
  EXPECT_TRUE(client_->closed());
  EXPECT_TRUE(saw_auth_state("authorizationStateClosing"));
  EXPECT_TRUE(saw_auth_state("authorizationStateClosed"));
  EXPECT_EQ(td_.requests_of_type("close").size(), 1u);
  EXPECT_EQ(client_->dropped_responses(), 0u);  // close's own "ok" is expected, not dropped
  EXPECT_EQ(hub_->clients(), 0u);               // it left the hub
  // TDLib's log belongs to the hub, which another account may still be using.
  EXPECT_TRUE(td_.has_log_callback());
  EXPECT_EQ(td_.log_callback_clears(), 0);
  client_->stop();
  EXPECT_EQ(td_.requests_of_type("close").size(), 1u);

  client_->send(R"({"@type":"getMe"})", seconds(30), collect(after));
  loop_.run_until_idle();  // returns: no timers or work left behind
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].status().code(), ErrorCode::kCancelled);
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].status().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(td_.requests_of_type("getMe").size(), 1u);  // never reached TDLib
}

TEST_F(TdClientTest, StopGivesUpWhenCloseIsNeverConfirmed) {
  td_.on("close", [](const json&) -> std::vector<json> { return {}; });
  options_.close_timeout = milliseconds(100);
  start();
  const auto began = std::chrono::steady_clock::now();
  client_->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - began, seconds(1));
  EXPECT_FALSE(client_->closed());
  bool warned = false;
  for (const auto& line : log_.lines("tdlib")) {
    if (line["level"] == "warn") warned = true;
  }
  EXPECT_TRUE(warned) << log_.text();
}

TEST_F(TdClientTest, DestructorStops) {
  start();
  client_.reset();
  EXPECT_EQ(td_.requests_of_type("close").size(), 1u);
}

TEST_F(TdClientTest, BadRequestsFailThroughTheLoop) {
  make();
  Answers early, garbage, untyped;
  client_->send(R"({"@type":"getMe"})", seconds(1), collect(early));
  EXPECT_TRUE(early.empty());  // never synchronously
  loop_.run_until_idle();
  ASSERT_EQ(early.size(), 1u);
  EXPECT_EQ(early[0].status().code(), ErrorCode::kFailedPrecondition);

  client_->start();
  client_->send("not json", seconds(1), collect(garbage));
  client_->send(R"({"chat_id":1})", seconds(1), collect(untyped));
  loop_.run_until_idle();
  ASSERT_EQ(garbage.size(), 1u);
  EXPECT_EQ(garbage[0].status().code(), ErrorCode::kInvalidArgument);
  ASSERT_EQ(untyped.size(), 1u);
  EXPECT_EQ(untyped[0].status().code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(td_.requests().empty());
}

TEST(ScriptedTdJsonTest, ExecuteAnswersLikeTdlib) {
  ScriptedTdJson td;
  EXPECT_EQ(json::parse(td.execute(R"({"@type":"getOption","name":"version"})")),
            json({{"@type", "optionValueString"}, {"value", "1.8.65"}}));
  EXPECT_EQ(json::parse(td.execute(R"({"@type":"setLogVerbosityLevel","new_verbosity_level":1})")),
            json({{"@type", "ok"}}));
  EXPECT_EQ(json::parse(td.execute(R"({"@type":"getMe"})"))["code"], 400);
  EXPECT_EQ(td.receive(0.01), std::nullopt);
}

TEST(ScriptedTdJsonTest, FirstNonUpdateObjectIsTheResponse) {
  ScriptedTdJson td;
  td.on("setTdlibParameters", [](const json&) -> std::vector<json> {
    return {ScriptedTdJson::ok(),
            ScriptedTdJson::authorization_state("authorizationStateWaitPhoneNumber")};
  });
  const int id = td.create_client_id();
  td.send(id, R"({"@type":"setTdlibParameters","@extra":9})");
  const auto response = json::parse(td.receive(0.1).value());
  const auto update = json::parse(td.receive(0.1).value());
  EXPECT_EQ(response, json({{"@type", "ok"}, {"@extra", 9}, {"@client_id", id}}));
  EXPECT_FALSE(update.contains("@extra"));
  EXPECT_EQ(update["@client_id"], id);
  EXPECT_EQ(td.requests(),
            std::vector<std::string>{R"({"@type":"setTdlibParameters","@extra":9})"});
}

}  // namespace
}  // namespace sakai::telegram::tdjson
