// The command line with several accounts, in this process over the scripted TDLib double (stdin
// scripted): `--account` on login, logout, console, accounts and `config show`, the `accounts`
// listing, and global options written after the subcommand.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "unit/app/cli_harness.h"

namespace sakai::app {
namespace {

using testing::CliHarness;
using testing::json;
using testing::ScriptedTdJson;

constexpr const char* kWorkPhone = "+989351112233";
constexpr const char* kTwoAccounts =
    "[[accounts]]\nname = \"work\"\nphone = \"+989351112233\"\nlanguage = \"fa\"\n\n"
    "[[accounts]]\nname = \"family\"\nsession = \"home\"\n";

json wait_code() {
  return {{"@type", "updateAuthorizationState"},
          {"authorization_state",
           {{"@type", "authorizationStateWaitCode"},
            {"code_info",
             {{"@type", "authenticationCodeInfo"},
              {"phone_number", kWorkPhone},
              {"type", {{"@type", "authenticationCodeTypeTelegramMessage"}, {"length", 5}}},
              {"next_type", nullptr},
              {"timeout", 0}}}}}};
}

TEST(CliAccountsTest, LoginAccountLogsThatAccountInOnItsOwnSession) {
  CliHarness h;
  h.write_config(kTwoAccounts, "phone = \"+989121234567\"\n");
  testing::script_account(h.td, 1, "authorizationStateWaitPhoneNumber", 2'002);
  h.td.on("setAuthenticationPhoneNumber", [](const json&) -> std::vector<json> {
    return {ScriptedTdJson::ok(), wait_code()};
  });
  h.td.on("checkAuthenticationCode", [](const json&) -> std::vector<json> {
    return {ScriptedTdJson::ok(), ScriptedTdJson::authorization_state("authorizationStateReady")};
  });
  const auto r = h.run({"login", "--account", "work"}, "24680\n");
  EXPECT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("Logged in (user id 2002)"), std::string::npos) << r.out;
  const auto params = h.td.requests_of_type("setTdlibParameters");
  ASSERT_EQ(params.size(), 1u);
  EXPECT_EQ(params[0]["database_directory"], h.session_dir("work") + "/db");
  // Its own phone, not the default account's; its own database key file.
  EXPECT_EQ(h.td.requests_of_type("setAuthenticationPhoneNumber")[0]["phone_number"], kWorkPhone);
  EXPECT_TRUE(std::filesystem::exists(h.session_dir("work") + "/database.key"));
  EXPECT_FALSE(std::filesystem::exists(h.session_dir("sakaibot")));
  // Neither phone number reached the output.
  EXPECT_EQ((r.out + r.err).find("989121234567"), std::string::npos);
}

TEST(CliAccountsTest, LoginWithoutAccountIsTheDefaultOne) {
  CliHarness h;
  h.write_config(kTwoAccounts);
  testing::script_account(h.td, 1, "authorizationStateReady", 1'001);
  const auto r = h.run({"login"});
  EXPECT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(h.td.requests_of_type("setTdlibParameters")[0]["database_directory"],
            h.session_dir("sakaibot") + "/db");
}

TEST(CliAccountsTest, LogoutAccountLogsOutThatAccount) {
  CliHarness h;
  h.write_config(kTwoAccounts);
  testing::script_account(h.td, 1, "authorizationStateReady", 3'003);
  h.td.on("logOut", [](const json&) -> std::vector<json> {
    return {ScriptedTdJson::ok(),
            ScriptedTdJson::authorization_state("authorizationStateLoggingOut"),
            ScriptedTdJson::authorization_state("authorizationStateClosing"),
            ScriptedTdJson::authorization_state("authorizationStateClosed")};
  });
  const auto r = h.run({"logout", "--account", "family"});
  EXPECT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("Logged out"), std::string::npos) << r.out;
  EXPECT_EQ(h.td.requests_of_type("logOut").size(), 1u);
  // family's session directory is the one its entry names.
  EXPECT_EQ(h.td.requests_of_type("setTdlibParameters")[0]["database_directory"],
            h.session_dir("home") + "/db");
}

TEST(CliAccountsTest, EveryAccountCommandRefusesAnUnknownAccount) {
  CliHarness h;
  h.write_config(kTwoAccounts);
  for (const char* command : {"login", "logout", "run", "accounts", "console"}) {
    const auto r = h.run({command, "--account", "famly"});
    EXPECT_EQ(r.rc, 2) << command << "\n" << r.err;
    EXPECT_NE(r.err.find("there is no account named 'famly' (accounts: default, work, family); "
                         "did you mean family?"),
              std::string::npos)
        << command << "\n"
        << r.err;
  }
  const auto show = h.run({"config", "show", "--account", "famly"});
  EXPECT_EQ(show.rc, 2);
  EXPECT_TRUE(h.td.client_ids().empty()) << "no TDLib client was started";
}

TEST(CliAccountsTest, ConsoleAccountUsesThatAccountsSettings) {
  CliHarness h;
  h.write_config(kTwoAccounts);
  const auto work = h.run({"console", "--jsonl", "--account", "work"}, "/ping\n");
  EXPECT_EQ(work.rc, 0) << work.err;
  EXPECT_NE(work.out.find("پونگ"), std::string::npos) << work.out;  // work answers in Persian
  const auto def = h.run({"console", "--jsonl"}, "/ping\n");
  EXPECT_EQ(def.rc, 0) << def.err;
  EXPECT_NE(def.out.find("Pong"), std::string::npos) << def.out;
}

TEST(CliAccountsTest, AccountsListsEveryAccountWithItsStateFromTdlib) {
  CliHarness h;
  h.write_config(kTwoAccounts, "phone = \"+989121234567\"\n");
  // default has logged in before; family's session exists but needs a login; work has none.
  h.make_session("sakaibot");
  h.make_session("home");
  testing::script_account(h.td, 1, "authorizationStateReady", 1'001);
  testing::script_account(h.td, 2, "authorizationStateWaitPhoneNumber", 0);
  const auto r = h.run({"accounts"});
  EXPECT_EQ(r.rc, 0) << r.err;
  const std::string want =
      "ACCOUNT  PHONE          STATE          SESSION\n"
      "default  +98********67  logged in      " +
      h.session_dir("sakaibot") +
      "\n"
      "work     +98********33  not logged in  " +
      h.session_dir("work") +
      "\n"
      "family   -              not logged in  " +
      h.session_dir("home") +
      "\n"
      "Log in work with: sakaibot login --account work\n"
      "Log in family with: sakaibot login --account family\n";
  EXPECT_EQ(r.out, want);
  // TDLib was asked for the two sessions that exist, each on its own client, and both closed.
  EXPECT_EQ(h.td.client_ids(), (std::vector<int>{1, 2}));
  EXPECT_EQ(h.td.requests_of_type(1, "setTdlibParameters")[0]["database_directory"],
            h.session_dir("sakaibot") + "/db");
  EXPECT_EQ(h.td.requests_of_type(2, "setTdlibParameters")[0]["database_directory"],
            h.session_dir("home") + "/db");
  EXPECT_EQ(h.td.requests_of_type("close").size(), 2u);
  // Nothing was created for the account without a session.
  EXPECT_FALSE(std::filesystem::exists(h.session_dir("work")));
  EXPECT_EQ((r.out + r.err).find("989351112233"), std::string::npos);
}

TEST(CliAccountsTest, AccountsShowsWhyAnAccountsStateIsUnknown) {
  CliHarness h;
  h.write_config(kTwoAccounts);
  h.make_session("work");
  // The session's database does not open with the key it was given.
  h.td.on("setTdlibParameters", [](const json&) -> std::vector<json> {
    return {ScriptedTdJson::error(401, "Wrong database encryption key")};
  });
  const auto r = h.run({"accounts", "--account", "work"});
  EXPECT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("work     +98********33  error: TDLib refused the session parameters"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("default"), std::string::npos) << r.out;
}

TEST(CliAccountsTest, ConfigShowAccountShowsItsEffectiveConfigurationMasked) {
  CliHarness h;
  h.write_config(kTwoAccounts);
  const auto r = h.run({"config", "show", "--account", "work"});
  EXPECT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("# Account work\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("language = \"fa\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("session_name = \"work\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("# phone = ***2233 (13 chars)"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find(kWorkPhone), std::string::npos) << r.out;
  // Without --account: the shared configuration, then what each account sets itself.
  const auto all = h.run({"config", "show"});
  EXPECT_NE(all.out.find("[[accounts]]\nname = \"work\""), std::string::npos) << all.out;
  EXPECT_NE(all.out.find("[[accounts]]\nname = \"family\""), std::string::npos) << all.out;
  EXPECT_NE(all.out.find("session = \"home\""), std::string::npos) << all.out;
}

TEST(CliAccountsTest, GlobalOptionsMayFollowTheSubcommand) {
  CliHarness h;
  h.write_config("[[accounts]]\nname = \"bad name\"\n");
  // --config after the subcommand, as `sakaibot config validate --config FILE`.
  const auto r = h.run({"config", "validate", "--config", h.config_path});
  EXPECT_EQ(r.rc, 2) << r.out << r.err;
  EXPECT_NE(r.out.find("accounts[1]: name 'bad name' is not a usable account name"),
            std::string::npos)
      << r.out;
  const auto level = h.run({"config", "show", "--log-level", "error"});
  EXPECT_NE(level.out.find("level = \"error\""), std::string::npos) << level.out;
}

}  // namespace
}  // namespace sakai::app
