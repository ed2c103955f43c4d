// `sakaibot setup` and `sakaibot debug render-markdown` in this process, stdin scripted, over the
// scripted TDLib double: the wizard asks again after bad answers, writes the configuration with
// mode 0600 and the answers (and nothing else), then logs in with it; without a terminal it
// refuses; an existing file is replaced only when the person says so. render-markdown reads
// Markdown on stdin and prints TDLib's formattedText JSON.
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "unit/app/cli_harness.h"

namespace sakai::app {
namespace {

using testing::CliHarness;
using testing::json;
using testing::ScriptedTdJson;

constexpr const char* kHash = "fedcba9876543210fedcba9876543210";
constexpr const char* kGeminiKey = "AIzaSySETUPKEY0123456789012345678901";

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A session that logs in with a code sent to `phone`.
void script_code_login(ScriptedTdJson& td, const std::string& phone, std::int64_t self) {
  testing::script_account(td, 1, "authorizationStateWaitPhoneNumber", self);
  td.on("setAuthenticationPhoneNumber", [phone](const json&) -> std::vector<json> {
    return {ScriptedTdJson::ok(),
            json{{"@type", "updateAuthorizationState"},
                 {"authorization_state",
                  {{"@type", "authorizationStateWaitCode"},
                   {"code_info",
                    {{"@type", "authenticationCodeInfo"},
                     {"phone_number", phone},
                     {"type", {{"@type", "authenticationCodeTypeTelegramMessage"}, {"length", 5}}},
                     {"next_type", nullptr},
                     {"timeout", 0}}}}}}};
  });
  td.on("checkAuthenticationCode", [](const json&) -> std::vector<json> {
    return {ScriptedTdJson::ok(), ScriptedTdJson::authorization_state("authorizationStateReady")};
  });
}

class CliSetupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    h_.interactive = true;
    // The session and database go to the temporary directory, as SAKAIBOT_DATA_DIR says.
    h_.set_env("SAKAIBOT_DATA_DIR", h_.data_dir());
    h_.config_path = h_.dir.path() + "/sakaibot.toml";
  }
  CliHarness h_;
};

TEST_F(CliSetupTest, WritesAPrivateConfigWithTheAnswersThenLogsIn) {
  script_code_login(h_.td, "+989121234567", 7'001);
  const std::string answers = std::string("abc\n") +               // api_id: not a number
                              "12345\n" + "not-a-hash\n" +         // api_hash: refused
                              kHash + "\n" + "+۹۸۹۱۲۱۲۳۴۵۶۷\n" +   // Persian digits are fine
                              "xx\n" +                             // no such language: asked again
                              "fa\n" + kGeminiKey + "\n" + "\n" +  // no OpenRouter key
                              "24680\n";                           // the login code
  const auto r = h_.run({"setup"}, answers);
  ASSERT_EQ(r.rc, 0) << r.err << r.out;
  EXPECT_NE(r.out.find("That is not a number."), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("An api_hash is 32 characters of 0-9 and a-f."), std::string::npos);
  EXPECT_NE(r.out.find("Saved " + h_.config_path + "."), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Logged in (user id 7001)"), std::string::npos) << r.out;

  // Readable by the owner alone, and it holds the answers.
  struct stat st {};
  ASSERT_EQ(::stat(h_.config_path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_FALSE(std::filesystem::exists(h_.config_path + ".tmp"));
  const std::string toml = read(h_.config_path);
  EXPECT_NE(toml.find("api_id = 12345\n"), std::string::npos) << toml;
  EXPECT_NE(toml.find(std::string("api_hash = \"") + kHash + "\"\n"), std::string::npos) << toml;
  EXPECT_NE(toml.find("phone = \"+989121234567\"\n"), std::string::npos) << toml;
  EXPECT_NE(toml.find("[bot]\nlanguage = \"fa\"\n"), std::string::npos) << toml;
  EXPECT_NE(toml.find("[llm]\nprovider = \"gemini\"\n"), std::string::npos) << toml;
  EXPECT_NE(toml.find(std::string("[gemini]\napi_keys = [\"") + kGeminiKey + "\"]\n"),
            std::string::npos)
      << toml;
  EXPECT_EQ(toml.find("openrouter"), std::string::npos) << toml;

  // The login used what was written.
  const auto params = h_.td.requests_of_type("setTdlibParameters");
  ASSERT_EQ(params.size(), 1u);
  EXPECT_EQ(params[0]["api_id"], 12345);
  EXPECT_EQ(params[0]["api_hash"], kHash);
  EXPECT_EQ(params[0]["database_directory"], h_.session_dir("sakaibot") + "/db");
  EXPECT_EQ(h_.td.requests_of_type("setAuthenticationPhoneNumber")[0]["phone_number"],
            "+989121234567");
  EXPECT_EQ(h_.td.requests_of_type("checkAuthenticationCode")[0]["code"], "24680");
  // No secret was echoed.
  for (const std::string& secret : {std::string(kHash), std::string(kGeminiKey)}) {
    EXPECT_EQ((r.out + r.err).find(secret), std::string::npos) << secret;
  }

  // The file is a valid configuration as it is.
  const auto valid = h_.run({"config", "validate"});
  EXPECT_EQ(valid.rc, 0) << valid.out << valid.err;
}

TEST_F(CliSetupTest, AnExistingFileIsReplacedOnlyWhenAsked) {
  { std::ofstream(h_.config_path) << "# mine\n"; }
  const auto kept = h_.run({"setup"}, "n\n");
  EXPECT_EQ(kept.rc, 1);
  EXPECT_NE(kept.out.find("Left " + h_.config_path + " as it is."), std::string::npos);
  EXPECT_EQ(read(h_.config_path), "# mine\n");
  EXPECT_TRUE(h_.td.client_ids().empty());  // no login either
}

TEST_F(CliSetupTest, WithoutATerminalItRefusesAndWritesNothing) {
  h_.interactive = false;
  const auto r = h_.run({"setup"}, "12345\n");
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("setup asks questions and needs a terminal"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(h_.config_path));
}

TEST_F(CliSetupTest, EndOfInputStopsTheWizardWithoutAFile) {
  const auto r = h_.run({"setup"}, "12345\n");
  EXPECT_EQ(r.rc, 1);
  EXPECT_FALSE(std::filesystem::exists(h_.config_path));
  EXPECT_TRUE(h_.td.client_ids().empty());
}

TEST(CliDebugTest, RenderMarkdownReadsStdinAndPrintsFormattedText) {
  CliHarness h;
  const auto r =
      h.run({"debug", "render-markdown"}, "**Bold** and `code`, [a link](https://x.example/)\n");
  ASSERT_EQ(r.rc, 0) << r.err;
  const json ft = json::parse(r.out);
  EXPECT_EQ(ft["@type"], "formattedText");
  EXPECT_EQ(ft["text"], "Bold and code, a link");
  ASSERT_EQ(ft["entities"].size(), 3u) << ft.dump();
  EXPECT_EQ(ft["entities"][0]["type"]["@type"], "textEntityTypeBold");
  EXPECT_EQ(ft["entities"][0]["offset"], 0);
  EXPECT_EQ(ft["entities"][0]["length"], 4);
  EXPECT_EQ(ft["entities"][1]["type"]["@type"], "textEntityTypeCode");
  EXPECT_EQ(ft["entities"][1]["offset"], 9);
  EXPECT_EQ(ft["entities"][2]["type"]["@type"], "textEntityTypeTextUrl");
  EXPECT_EQ(ft["entities"][2]["type"]["url"], "https://x.example/");
  EXPECT_TRUE(h.td.client_ids().empty());  // no TDLib needed
}

}  // namespace
}  // namespace sakai::app
