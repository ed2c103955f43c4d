// `sakaibot run` with several accounts in ONE process: one TdJsonHub, one client id per account
// on the scripted TDLib double, their updates interleaved. Each account answers only its own
// owner; an account without a login is reported and skipped; one whose TDLib closes stops alone;
// the run ends on a stop request, or when no account is left.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "unit/app/cli_harness.h"

namespace sakai::app {
namespace {

using testing::CliHarness;
using testing::json;
using testing::ScriptedTdJson;
namespace tj = testing::tj;

// The accounts, in the order the runner starts them: client ids 1, 2, 3.
constexpr int kDefaultClient = 1;
constexpr int kWorkClient = 2;
constexpr int kFamilyClient = 3;
constexpr std::int64_t kDefaultOwner = 1'001;
constexpr std::int64_t kWorkOwner = 2'002;

std::int64_t server_id(int n) {
  return static_cast<std::int64_t>(n) * (1 << 20);
}

// Messages of one chat: the owner writing in Saved Messages, or someone writing to the owner.
json text_message(std::int64_t chat, std::int64_t sender, int n, const std::string& text,
                  bool outgoing) {
  return tj::update_new_message(tj::message({chat, server_id(n), sender, text, outgoing}));
}

json saved_messages(std::int64_t owner) {
  return tj::update_new_chat(tj::chat(owner, tj::chat_type_private(owner), "Saved Messages"));
}

// The texts client `client` sent, each with the message it replies to.
std::vector<std::pair<std::int64_t, std::int64_t>> replies(const ScriptedTdJson& td, int client) {
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  for (const auto& r : td.requests_of_type(client, "sendMessage"))
    out.emplace_back(r.at("chat_id").get<std::int64_t>(),
                     r.at("reply_to").at("message_id").get<std::int64_t>());
  return out;
}

class MultiAccountRunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    h_.write_config(
        "[[accounts]]\nname = \"work\"\nlanguage = \"fa\"\n\n"
        "[[accounts]]\nname = \"family\"\n");
    testing::script_account(h_.td, kDefaultClient, "authorizationStateReady", kDefaultOwner);
    testing::script_account(h_.td, kWorkClient, "authorizationStateReady", kWorkOwner);
    testing::script_account(h_.td, kFamilyClient, "authorizationStateWaitPhoneNumber", 3'003);
    testing::script_sends(h_.td);
  }

  // Both logged-in accounts have asked who they are, and have had time to attach.
  void wait_until_live() {
    ASSERT_TRUE(CliHarness::eventually([&] {
      return h_.td.requests_of_type(kDefaultClient, "getMe").size() == 1 &&
             h_.td.requests_of_type(kWorkClient, "getMe").size() == 1;
    })) << h_.err_now();
    ASSERT_TRUE(CliHarness::eventually([&] {
      return h_.err_now().find("account family") != std::string::npos;
    })) << h_.err_now();
  }

  CliHarness h_;
};

TEST_F(MultiAccountRunTest, EachAccountAnswersOnlyItsOwnOwner) {
  h_.start({"run"});
  wait_until_live();
  // One process, one hub: three TDLib clients.
  EXPECT_EQ(h_.td.client_ids(), (std::vector<int>{1, 2, 3}));
  // Each session is its own directory under the data dir.
  EXPECT_EQ(h_.td.requests_of_type(kWorkClient, "setTdlibParameters")[0]["database_directory"],
            h_.session_dir("work") + "/db");
  EXPECT_EQ(h_.td.requests_of_type(kDefaultClient, "setTdlibParameters")[0]["database_directory"],
            h_.session_dir("sakaibot") + "/db");

  // Interleaved: the default owner's /ping, work's owner's /ping, and the default owner writing
  // /ping to the work account's owner (a stranger there).
  h_.td.push_update(kDefaultClient, saved_messages(kDefaultOwner));
  h_.td.push_update(kWorkClient, saved_messages(kWorkOwner));
  h_.td.push_update(kWorkClient, tj::update_new_chat(tj::chat(
                                     kDefaultOwner, tj::chat_type_private(kDefaultOwner), "A")));
  h_.td.push_update(kWorkClient, text_message(kDefaultOwner, kDefaultOwner, 5, "/ping", false));
  h_.td.push_update(kDefaultClient, text_message(kDefaultOwner, kDefaultOwner, 7, "/ping", true));
  h_.td.push_update(kWorkClient, text_message(kWorkOwner, kWorkOwner, 9, "/ping", true));

  ASSERT_TRUE(CliHarness::eventually([&] {
    return h_.td.requests_of_type(kDefaultClient, "editMessageText").size() == 1 &&
           h_.td.requests_of_type(kWorkClient, "editMessageText").size() == 1;
  })) << h_.err_now();
  // A little longer: an answer to the stranger would come now if it came at all.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(replies(h_.td, kDefaultClient),
            (std::vector<std::pair<std::int64_t, std::int64_t>>{{kDefaultOwner, server_id(7)}}));
  EXPECT_EQ(replies(h_.td, kWorkClient),
            (std::vector<std::pair<std::int64_t, std::int64_t>>{{kWorkOwner, server_id(9)}}));
  EXPECT_TRUE(h_.td.requests_of_type(kFamilyClient, "sendMessage").empty());
  // Each in its own language: work's owner set fa.
  const std::string work_answer = h_.td.requests_of_type(
      kWorkClient, "sendMessage")[0]["input_message_content"]["text"]["text"];
  const std::string default_answer = h_.td.requests_of_type(
      kDefaultClient, "sendMessage")[0]["input_message_content"]["text"]["text"];
  EXPECT_NE(default_answer.find("Pong"), std::string::npos) << default_answer;
  EXPECT_NE(work_answer.find("پونگ"), std::string::npos) << work_answer;

  request_stop();
  const auto r = h_.wait();
  EXPECT_EQ(r.rc, 0) << r.err;
  // The account without a login was named, with the command that fixes it, and skipped.
  EXPECT_NE(r.err.find("account family: not logged in to Telegram: run `sakaibot login --account "
                       "family` (in a terminal) first; skipped"),
            std::string::npos)
      << r.err;
  // Every client was closed at the end (family's right after it was skipped).
  for (int client : {kDefaultClient, kWorkClient, kFamilyClient})
    EXPECT_EQ(h_.td.requests_of_type(client, "close").size(), 1u) << client;
}

TEST_F(MultiAccountRunTest, OneAccountsTdlibClosingStopsItAlone) {
  h_.start({"run"});
  wait_until_live();
  // The default account's session is ended elsewhere: TDLib closes its client.
  h_.td.push_update(kDefaultClient,
                    ScriptedTdJson::authorization_state("authorizationStateClosing"));
  h_.td.push_update(kDefaultClient,
                    ScriptedTdJson::authorization_state("authorizationStateClosed"));
  ASSERT_TRUE(CliHarness::eventually([&] {
    return h_.err_now().find("account default: TDLib closed the session") != std::string::npos;
  })) << h_.err_now();

  // Work still answers its owner; default, closed, answers no one.
  h_.td.push_update(kWorkClient, saved_messages(kWorkOwner));
  h_.td.push_update(kDefaultClient, saved_messages(kDefaultOwner));
  h_.td.push_update(kDefaultClient, text_message(kDefaultOwner, kDefaultOwner, 3, "/ping", true));
  h_.td.push_update(kWorkClient, text_message(kWorkOwner, kWorkOwner, 4, "/ping", true));
  ASSERT_TRUE(CliHarness::eventually([&] {
    return h_.td.requests_of_type(kWorkClient, "editMessageText").size() == 1;
  })) << h_.err_now();
  EXPECT_TRUE(h_.td.requests_of_type(kDefaultClient, "sendMessage").empty());
  // No close request to a client TDLib already closed.
  EXPECT_TRUE(h_.td.requests_of_type(kDefaultClient, "close").empty());

  // Then work's closes too: no account is left, and the run ends by itself.
  h_.td.push_update(kWorkClient, ScriptedTdJson::authorization_state("authorizationStateClosed"));
  const auto r = h_.wait();
  EXPECT_EQ(r.rc, 1) << r.err;
  EXPECT_NE(r.err.find("account work: TDLib closed the session"), std::string::npos) << r.err;
}

// What one account's owner grants is that account's: the other one, on the same database, does not
// see it.
TEST_F(MultiAccountRunTest, AGrantInOneAccountIsNotTheOthers) {
  constexpr std::int64_t kAli = 4'242;
  h_.td.on("getUser", [](const json& req) -> std::vector<json> {
    if (req.at("user_id") != kAli) return {ScriptedTdJson::error(404, "Not Found")};
    return {tj::user(kAli, "Ali", "Rezaei", "ali")};
  });
  h_.start({"run"});
  wait_until_live();
  const json ali_chat = tj::update_new_chat(tj::chat(kAli, tj::chat_type_private(kAli), "Ali"));
  h_.td.push_update(kDefaultClient, saved_messages(kDefaultOwner));
  h_.td.push_update(kDefaultClient, ali_chat);
  h_.td.push_update(kWorkClient, ali_chat);
  h_.td.push_update(kDefaultClient,
                    text_message(kDefaultOwner, kDefaultOwner, 3, "/auth add 4242 direct", true));
  ASSERT_TRUE(CliHarness::eventually([&] {
    return h_.td.requests_of_type(kDefaultClient, "sendMessage").size() == 1;
  })) << h_.err_now();
  // Ali writes /ping to both accounts' owners.
  h_.td.push_update(kWorkClient, text_message(kAli, kAli, 5, "/ping", false));
  h_.td.push_update(kDefaultClient, text_message(kAli, kAli, 6, "/ping", false));
  ASSERT_TRUE(CliHarness::eventually([&] {
    return h_.td.requests_of_type(kDefaultClient, "sendMessage").size() == 2;
  })) << h_.err_now();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(replies(h_.td, kDefaultClient).back(), std::make_pair(kAli, server_id(6)));
  EXPECT_TRUE(h_.td.requests_of_type(kWorkClient, "sendMessage").empty())
      << "the work account answered a user only the default account granted";
  request_stop();
  EXPECT_EQ(h_.wait().rc, 0);
}

TEST_F(MultiAccountRunTest, AccountOptionRunsThatAccountAlone) {
  h_.start({"run", "--account", "work"});
  ASSERT_TRUE(CliHarness::eventually([&] {
    return h_.td.requests_of_type(1, "getMe").size() == 1;
  })) << h_.err_now();
  // The only client is work's (the first and only id), on work's session directory.
  EXPECT_EQ(h_.td.client_ids(), std::vector<int>{1});
  EXPECT_EQ(h_.td.requests_of_type(1, "setTdlibParameters")[0]["database_directory"],
            h_.session_dir("work") + "/db");
  request_stop();
  const auto r = h_.wait();
  EXPECT_EQ(r.rc, 0) << r.err;
}

TEST(RunCommandTest, ASingleAccountWithoutLoginFailsAtOnceWithoutATerminal) {
  CliHarness h;
  h.write_config("");
  testing::script_account(h.td, 1, "authorizationStateWaitPhoneNumber", 1);
  const auto r = h.run({"run"});
  EXPECT_EQ(r.rc, 1);
  // Today's message for the single account, unchanged, and nothing more about it.
  const std::string line =
      "sakaibot: not logged in to Telegram: run `sakaibot login` (in a terminal) first\n";
  EXPECT_TRUE(r.err.ends_with(line)) << r.err;
  EXPECT_EQ(r.err.find("not logged in"), r.err.size() - line.size() + 10) << r.err;
}

TEST(RunCommandTest, ASingleAccountWithoutLoginLogsInFromTheTerminal) {
  CliHarness h;
  h.write_config("", "phone = \"+989121234567\"\n");
  h.interactive = true;
  testing::script_account(h.td, 1, "authorizationStateWaitPhoneNumber", 5'000'001);
  h.td.on("setAuthenticationPhoneNumber", [](const json&) -> std::vector<json> {
    return {ScriptedTdJson::ok(),
            json{{"@type", "updateAuthorizationState"},
                 {"authorization_state",
                  {{"@type", "authorizationStateWaitCode"},
                   {"code_info",
                    {{"@type", "authenticationCodeInfo"},
                     {"phone_number", "+989121234567"},
                     {"type", {{"@type", "authenticationCodeTypeTelegramMessage"}, {"length", 5}}},
                     {"next_type", nullptr},
                     {"timeout", 0}}}}}}};
  });
  h.td.on("checkAuthenticationCode", [](const json&) -> std::vector<json> {
    return {ScriptedTdJson::ok(), ScriptedTdJson::authorization_state("authorizationStateReady")};
  });
  h.start({"run"}, "12345\n");
  ASSERT_TRUE(CliHarness::eventually([&] { return !h.td.requests_of_type("getMe").empty(); }))
      << h.err_now();
  request_stop();
  const auto r = h.wait();
  EXPECT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("No Telegram session yet: let's log in."), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("SakaiBot is running."), std::string::npos) << r.out;
  EXPECT_EQ(h.td.requests_of_type("checkAuthenticationCode")[0]["code"], "12345");
}

TEST(RunCommandTest, AnUnknownAccountIsAUsageError) {
  CliHarness h;
  h.write_config("[[accounts]]\nname = \"work\"\n");
  const auto r = h.run({"run", "--account", "wrok"});
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("there is no account named 'wrok' (accounts: default, work); did you mean "
                       "work?"),
            std::string::npos)
      << r.err;
  EXPECT_TRUE(h.td.client_ids().empty());
}

}  // namespace
}  // namespace sakai::app
