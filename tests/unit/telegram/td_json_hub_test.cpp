// TdJsonHub over ScriptedTdJson: objects reach the client whose "@client_id" they carry, in
// TDLib's order; unknown ids are dropped; TDLib's log callback is set once and cleared only when
// the hub goes; two TdClients on one hub keep their answers and updates apart.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/event_loop.h"
#include "core/log.h"
#include "support/scripted_tdjson.h"
#include "telegram/tdjson/td_client.h"
#include "telegram/tdjson/td_json_hub.h"
#include "unit/telegram/tdjson_test_support.h"

namespace sakai::telegram::tdjson {
namespace {

using nlohmann::json;
using std::chrono::seconds;
using test_support::eventually;
using test_support::LockedLog;

// What one registered route saw, and on which thread.
struct Seen {
  std::mutex mu;
  std::vector<json> objects;
  std::vector<std::thread::id> threads;
  TdJsonHub::Route route() {
    return [this](const std::string& object) {
      std::lock_guard lock(mu);
      objects.push_back(json::parse(object));
      threads.push_back(std::this_thread::get_id());
    };
  }
  std::vector<json> all() {
    std::lock_guard lock(mu);
    return objects;
  }
  std::size_t size() {
    std::lock_guard lock(mu);
    return objects.size();
  }
};

json numbered(int n) {
  return {{"@type", "updateOption"}, {"name", "n"}, {"value", n}};
}

class TdJsonHubTest : public ::testing::Test {
 protected:
  TdJsonHubTest() { options_.receive_timeout_seconds = 0.02; }
  std::unique_ptr<TdJsonHub> make() { return std::make_unique<TdJsonHub>(td_, logger_, options_); }

  ManualClock clock_;
  LockedLog log_;
  Logger logger_{LogLevel::kDebug, LogFormat::kJson, log_.stream(), clock_};
  ScriptedTdJson td_;
  TdJsonHubOptions options_;
};

TEST(TdJsonHubClientIdTest, ReadsTheIdTdlibAppendsAtTheEnd) {
  EXPECT_EQ(TdJsonHub::client_id_of(R"({"@type":"ok","@extra":3,"@client_id":12})"), 12);
  EXPECT_EQ(TdJsonHub::client_id_of("{\"@type\":\"ok\",\"@client_id\":7}\n"), 7);
  // Elsewhere in the object (not how TDLib writes it) it is still found.
  EXPECT_EQ(TdJsonHub::client_id_of(R"({"@client_id":5,"@type":"ok"})"), 5);
  EXPECT_EQ(TdJsonHub::client_id_of(R"({"@client_id": 9, "@type":"ok"})"), 9);
  // A message whose text quotes the key is not fooled: inside a string the quotes are escaped.
  EXPECT_EQ(TdJsonHub::client_id_of(R"({"@type":"x","text":"\"@client_id\":4"})"), std::nullopt);
  EXPECT_EQ(TdJsonHub::client_id_of(R"({"@type":"x","text":"\"@client_id\":4","@client_id":2})"),
            2);
  EXPECT_EQ(TdJsonHub::client_id_of(R"({"@type":"updateOption"})"), std::nullopt);
  EXPECT_EQ(TdJsonHub::client_id_of(""), std::nullopt);
  EXPECT_EQ(TdJsonHub::client_id_of(R"({"@type":"x","@client_id":})"), std::nullopt);
  EXPECT_EQ(TdJsonHub::client_id_of(R"({"@type":"x","@client_id":99999999999})"), std::nullopt);
}

TEST(TdJsonHubClientIdTest, TheDoubleWritesObjectsAsTdlibDoes) {
  // Keys of the object, then "@extra", then "@client_id" last.
  const std::string text = ScriptedTdJson::serialize(
      {{"@type", "user"}, {"@extra", 4}, {"id", 1}, {"@client_id", 99}}, 3);
  EXPECT_EQ(text, R"({"@type":"user","id":1,"@extra":4,"@client_id":3})");
  EXPECT_EQ(ScriptedTdJson::serialize(json::object(), 2), R"({"@client_id":2})");
}

TEST_F(TdJsonHubTest, EachObjectReachesTheClientOfItsIdInOrder) {
  auto hub = make();
  Seen a, b;
  const int id_a = hub->add_client(a.route());
  const int id_b = hub->add_client(b.route());
  ASSERT_NE(id_a, id_b);
  EXPECT_EQ(hub->clients(), 2u);
  // Interleaved as td_receive would return them.
  for (int n = 0; n < 50; ++n)
    td_.push_update(n % 3 == 0 ? id_b : id_a, numbered(n));
  ASSERT_TRUE(eventually([&] { return a.size() + b.size() == 50; }));
  std::vector<int> got_a, got_b;
  for (const auto& o : a.all()) {
    EXPECT_EQ(o["@client_id"], id_a);
    got_a.push_back(o["value"]);
  }
  for (const auto& o : b.all()) {
    EXPECT_EQ(o["@client_id"], id_b);
    got_b.push_back(o["value"]);
  }
  std::vector<int> want_a, want_b;
  for (int n = 0; n < 50; ++n)
    (n % 3 == 0 ? want_b : want_a).push_back(n);
  EXPECT_EQ(got_a, want_a);
  EXPECT_EQ(got_b, want_b);
  // One receive thread for both, and not ours.
  std::lock_guard la(a.mu);
  std::lock_guard lb(b.mu);
  for (const auto& t : a.threads)
    EXPECT_EQ(t, b.threads.front());
  EXPECT_NE(a.threads.front(), std::this_thread::get_id());
  EXPECT_EQ(hub->dropped_objects(), 0u);
}

TEST_F(TdJsonHubTest, ObjectsForAnUnknownOrRemovedClientAreDroppedAndLogged) {
  auto hub = make();
  Seen a;
  const int id = hub->add_client(a.route());
  td_.push_update(id + 40, numbered(1));  // nobody's
  td_.push_update(id, numbered(2));       // a's
  ASSERT_TRUE(eventually([&] { return a.size() == 1; }));
  hub->remove_client(id);
  EXPECT_EQ(hub->clients(), 0u);
  td_.push_update(id, numbered(3));  // after a left
  ASSERT_TRUE(eventually([&] { return hub->dropped_objects() == 2; }));
  EXPECT_EQ(a.size(), 1u);
  EXPECT_EQ(a.all()[0]["value"], 2);
  int logged = 0;
  for (const auto& line : log_.lines("tdlib")) {
    if (line["level"] == "debug" && line["msg"] == "object for no registered client dropped") {
      ++logged;
      EXPECT_EQ(line["type"], "updateOption");
    }
  }
  EXPECT_EQ(logged, 2) << log_.text();
}

TEST_F(TdJsonHubTest, RemoveWaitsForARouteStillRunning) {
  auto hub = make();
  std::atomic<bool> entered{false};
  std::atomic<bool> go_on{false};
  std::atomic<bool> finished{false};
  const int id = hub->add_client([&](const std::string&) {
    entered = true;
    while (!go_on)  // held until the test lets it go
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    finished = true;
  });
  td_.push_update(id, numbered(1));
  ASSERT_TRUE(eventually([&] { return entered.load(); }));
  std::thread release([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    go_on = true;
  });
  hub->remove_client(id);  // returns only once the route has returned
  EXPECT_TRUE(finished);
  release.join();
  td_.push_update(id, numbered(2));
  ASSERT_TRUE(eventually([&] { return hub->dropped_objects() == 1; }));
}

TEST_F(TdJsonHubTest, ARouteMayRemoveItsOwnClient) {
  auto hub = make();
  TdJsonHub* h = hub.get();
  int id = 0;
  std::atomic<int> calls{0};
  id = hub->add_client([&](const std::string&) {
    ++calls;
    h->remove_client(id);
  });
  td_.push_update(id, numbered(1));
  ASSERT_TRUE(eventually([&] { return h->clients() == 0; }));
  td_.push_update(id, numbered(2));
  ASSERT_TRUE(eventually([&] { return h->dropped_objects() == 1; }));
  EXPECT_EQ(calls, 1);
}

TEST_F(TdJsonHubTest, LogCallbackIsSetOnceAndClearedOnlyWhenTheHubGoes) {
  auto hub = make();
  EXPECT_TRUE(td_.has_log_callback());
  EXPECT_EQ(td_.log_max_verbosity(), 1023);  // the Logger is at debug
  EventLoop loop(clock_);
  TdClientOptions client_options;
  client_options.close_timeout = std::chrono::milliseconds(2000);
  {
    TdClient a(*hub, loop, logger_, clock_, client_options);
    TdClient b(*hub, loop, logger_, clock_, client_options);
    a.start();
    b.start();
    a.stop();  // the first account to stop leaves TDLib's log to the others
    EXPECT_TRUE(td_.has_log_callback());
    td_.emit_log(2, "still routed");
    b.stop();
  }
  EXPECT_TRUE(td_.has_log_callback());
  EXPECT_EQ(td_.log_callback_sets(), 1);
  EXPECT_EQ(td_.log_callback_clears(), 0);
  hub.reset();
  EXPECT_FALSE(td_.has_log_callback());
  EXPECT_EQ(td_.log_callback_sets(), 1);
  EXPECT_EQ(td_.log_callback_clears(), 1);
  bool routed = false;
  for (const auto& line : log_.lines("tdlib")) {
    if (line.value("msg", "") == "still routed") routed = true;
  }
  EXPECT_TRUE(routed) << log_.text();
}

TEST_F(TdJsonHubTest, TdlibLogReachesTheLoggerAtMappedLevels) {
  auto hub = make();
  td_.emit_log(1, "boom");
  td_.emit_log(2, "careful");
  td_.emit_log(3, "fyi");
  td_.emit_log(5, "detail");
  std::vector<std::pair<std::string, std::string>> seen;
  for (const auto& line : log_.lines("tdlib")) {
    if (line.contains("verbosity")) seen.emplace_back(line["level"], line["msg"]);
    if (line.value("msg", "") == "boom") {
      EXPECT_EQ(line["at"], "Scripted.cpp:1");
    }
  }
  EXPECT_EQ(seen,
            (std::vector<std::pair<std::string, std::string>>{
                {"error", "boom"}, {"warn", "careful"}, {"info", "fyi"}, {"debug", "detail"}}));
}

TEST_F(TdJsonHubTest, AQuieterLoggerAsksTdlibForLess) {
  Logger quiet(LogLevel::kWarn, LogFormat::kJson, log_.stream(), clock_);
  TdJsonHub hub(td_, quiet, options_);
  EXPECT_EQ(td_.log_max_verbosity(), 2);
}

// Two accounts' TdClients on one hub: the same request from both gets each its own answer, and
// each sees only its own updates, with both streams interleaved.
TEST_F(TdJsonHubTest, TwoClientsKeepTheirAnswersAndUpdatesApart) {
  auto hub = make();
  EventLoop loop(clock_);
  // Declared before the clients: their close updates still reach the sinks when they stop.
  std::mutex mu;
  std::vector<json> updates_a, updates_b;
  TdClient a(*hub, loop, logger_, clock_);
  TdClient b(*hub, loop, logger_, clock_);
  a.set_update_sink([&](std::string_view object, TdEvent&&) {
    std::lock_guard lock(mu);
    updates_a.push_back(json::parse(object));
  });
  b.set_update_sink([&](std::string_view object, TdEvent&&) {
    std::lock_guard lock(mu);
    updates_b.push_back(json::parse(object));
  });
  a.start();
  b.start();
  td_.on(a.client_id(), "getMe", [](const json&) -> std::vector<json> {
    return {{{"@type", "user"}, {"id", 100}, {"first_name", "A"}}};
  });
  td_.on(b.client_id(), "getMe", [](const json&) -> std::vector<json> {
    return {{{"@type", "user"}, {"id", 200}, {"first_name", "B"}}};
  });
  std::vector<Result<std::string>> answers_a, answers_b;
  // Same "@extra" on both sides (each client numbers its own requests from 1).
  a.send(R"({"@type":"getMe"})", seconds(5),
         [&](Result<std::string> r) { answers_a.push_back(std::move(r)); });
  b.send(R"({"@type":"getMe"})", seconds(5),
         [&](Result<std::string> r) { answers_b.push_back(std::move(r)); });
  for (int n = 0; n < 20; ++n)
    td_.push_update(n % 2 == 0 ? a.client_id() : b.client_id(), numbered(n));
  ASSERT_TRUE(eventually(
      [&] {
        std::lock_guard lock(mu);
        return answers_a.size() == 1 && answers_b.size() == 1 && updates_a.size() == 10 &&
               updates_b.size() == 10;
      },
      [&] { loop.run_ready(); }));
  ASSERT_TRUE(answers_a[0].is_ok());
  ASSERT_TRUE(answers_b[0].is_ok());
  EXPECT_EQ(json::parse(*answers_a[0])["id"], 100);
  EXPECT_EQ(json::parse(*answers_b[0])["id"], 200);
  std::lock_guard lock(mu);
  for (std::size_t i = 0; i < 10; ++i) {
    EXPECT_EQ(updates_a[i]["value"], static_cast<int>(2 * i));
    EXPECT_EQ(updates_b[i]["value"], static_cast<int>(2 * i + 1));
  }
  EXPECT_EQ(a.dropped_responses(), 0u);
  EXPECT_EQ(b.dropped_responses(), 0u);
}

// One account's TDLib closes on its own (the session was ended elsewhere): the other keeps
// getting its objects.
TEST_F(TdJsonHubTest, OneClientClosingLeavesTheOtherRunning) {
  auto hub = make();
  EventLoop loop(clock_);
  TdClient a(*hub, loop, logger_, clock_);
  TdClient b(*hub, loop, logger_, clock_);
  Seen seen_b;
  auto route_b = seen_b.route();
  b.set_update_sink([&](std::string_view object, TdEvent&&) { route_b(std::string(object)); });
  a.start();
  b.start();
  td_.push_update(a.client_id(), ScriptedTdJson::authorization_state("authorizationStateClosed"));
  ASSERT_TRUE(eventually([&] { return a.closed(); }));
  a.stop();  // no close request to a closed client; it leaves the hub
  EXPECT_EQ(td_.requests_of_type(a.client_id(), "close").size(), 0u);
  EXPECT_EQ(hub->clients(), 1u);
  td_.push_update(b.client_id(), numbered(7));
  ASSERT_TRUE(eventually([&] { return seen_b.size() == 1; }));
  EXPECT_FALSE(b.closed());
  b.stop();
}

TEST(ScriptedTdJsonMultiClientTest, ClientsHaveTheirOwnRulesAndRequests) {
  ScriptedTdJson td;
  td.on("getMe", [](const json&) -> std::vector<json> { return {{{"@type", "user"}, {"id", 1}}}; });
  const int one = td.create_client_id();
  const int two = td.create_client_id();
  td.on(two, "getMe", [](const json&) -> std::vector<json> {
    return {{{"@type", "user"}, {"id", 2}}};
  });
  EXPECT_EQ(td.client_ids(), (std::vector<int>{one, two}));
  td.send(one, R"({"@type":"getMe","@extra":1})");
  td.send(two, R"({"@type":"getMe","@extra":1})");
  const auto first = json::parse(td.receive(0.1).value());
  const auto second = json::parse(td.receive(0.1).value());
  EXPECT_EQ(first["id"], 1);
  EXPECT_EQ(first["@client_id"], one);
  EXPECT_EQ(second["id"], 2);
  EXPECT_EQ(second["@client_id"], two);
  EXPECT_EQ(td.requests(one).size(), 1u);
  EXPECT_EQ(td.requests(two).size(), 1u);
  EXPECT_EQ(td.requests_of_type(two, "getMe").size(), 1u);
  EXPECT_EQ(td.requests_of_type("getMe").size(), 2u);
  // respond() answers the client that sent the request.
  td.send(one, R"({"@type":"getChat","@extra":5})");
  td.respond(td.requests_of_type(one, "getChat")[0], {{"@type", "chat"}});
  const auto answer = json::parse(td.receive(0.1).value());
  EXPECT_EQ(answer["@client_id"], one);
  EXPECT_EQ(answer["@extra"], 5);
}

}  // namespace
}  // namespace sakai::telegram::tdjson
