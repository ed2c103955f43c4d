// `sakaibot config show` writes TOML: toml++ parses it, it loads back as the same configuration
// (secrets aside, which are masked comments), unset paths show the one in use, and the
// [[accounts]] entries keep their names and values.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <string>

#include <toml++/toml.h>

#include "app/config_loader.h"
#include "app/config_render.h"
#include "unit/app/config_test_util.h"

namespace sakai::app {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::TempDir;

using Env = std::map<std::string, std::string>;

constexpr const char* kHash = "0123456789abcdef0123456789abcdef";
constexpr const char* kGeminiKey = "AIzaSyVerySecretGeminiKey0000000000009f2c";
constexpr const char* kWorkKey = "AIzaSyWorkAccountKey00000000000000006789";

LoadedConfig load_file(const std::string& path, const std::string& working_dir, const Env& env) {
  LoadOptions opts;
  opts.env = &env;
  opts.working_dir = working_dir;
  opts.explicit_path = path;
  auto r = load_config(opts);
  EXPECT_TRUE(r.is_ok()) << r.status().to_string();
  return r.is_ok() ? std::move(r).value() : LoadedConfig{};
}

// The parsed document, or a test failure that quotes toml++'s error and the line.
toml::table parse(const std::string& text) {
  try {
    return toml::parse(text);
  } catch (const toml::parse_error& e) {
    std::istringstream in(text);
    std::string line;
    for (std::int64_t n = 1; std::getline(in, line) && n < e.source().begin.line; ++n) {
    }
    ADD_FAILURE() << "not TOML: " << e.description() << " at line " << e.source().begin.line << ": "
                  << line << "\n"
                  << text;
    return {};
  }
}

const std::string kFile = std::string("[telegram]\napi_id = 1234567\napi_hash = \"") + kHash +
                          "\"\nphone = \"+989121234567\"\n"
                          "proxy = \"socks5://proxyuser:proxypass@10.0.0.1:1080\"\n"
                          "[bot]\nlanguage = \"fa\"\ncommand_prefixes = [\"/\", \"!\"]\n"
                          "[ratelimit]\nwindow = \"90s\"\nmax_commands = 5\n";

TEST(ConfigShow, IsTomlWithSecretsMaskedInComments) {
  TempDir dir;
  const std::string path = dir.write("sakaibot.toml", kFile);
  const Env env{{"GEMINI_API_KEY", kGeminiKey}};
  const auto c = load_file(path, dir.path(), env);
  const std::string out = render_config_show(c.config, {"/srv/sakai-data", ""});
  const toml::table doc = parse(out);

  // Values as they are in effect, typed as the file would type them.
  EXPECT_EQ(doc["telegram"]["api_id"].value<std::int64_t>(), 1234567);
  EXPECT_EQ(doc["bot"]["language"].value<std::string>(), "fa");
  EXPECT_EQ(doc["ratelimit"]["max_commands"].value<std::int64_t>(), 5);
  EXPECT_EQ(doc["ratelimit"]["owner_exempt"].value<bool>(), true);  // a default
  ASSERT_TRUE(doc["bot"]["command_prefixes"].is_array());
  EXPECT_EQ(doc["bot"]["command_prefixes"][1].value<std::string>(), "!");
  // An unset path: the one in use, said to be the default.
  EXPECT_EQ(doc["data"]["dir"].value<std::string>(), "/srv/sakai-data");
  EXPECT_THAT(out, HasSubstr("dir = \"/srv/sakai-data\"   # default, in use\n"));
  EXPECT_THAT(out, Not(HasSubstr("(not set)   # default, in use")));

  // Secrets: never in the output, masked in a comment, and absent from the parsed document.
  for (const char* secret : {kHash, "989121234567", "proxypass", "proxyuser", kGeminiKey}) {
    EXPECT_THAT(out, Not(HasSubstr(secret))) << secret;
  }
  EXPECT_THAT(out, HasSubstr("# api_keys = [***9f2c (41 chars)]"));
  EXPECT_THAT(out, HasSubstr("# secret, masked; env:GEMINI_API_KEY"));
  EXPECT_THAT(out, HasSubstr("# api_hash = ***cdef (32 chars)"));
  EXPECT_THAT(out, HasSubstr("# proxy = socks5://***@10.0.0.1:1080"));
  EXPECT_FALSE(doc["gemini"]["api_keys"]);
  EXPECT_FALSE(doc["telegram"]["api_hash"]);
  // Where each value comes from.
  EXPECT_THAT(out, HasSubstr("api_id = 1234567"));
  EXPECT_THAT(out, HasSubstr("# file:" + path + "\n"));
}

TEST(ConfigShow, LoadsBackAsTheSameConfiguration) {
  TempDir dir;
  // Secrets (phone, proxy, the Gemini key) are masked comments: they are not carried over, and
  // their absence is no error.
  const std::string path = dir.write(
      "sakaibot.toml", std::string("[telegram]\nphone = \"+989121234567\"\n"
                                   "proxy = \"socks5://proxyuser:proxypass@10.0.0.1:1080\"\n"
                                   "[bot]\nlanguage = \"fa\"\ncommand_prefixes = [\"/\", \"!\"]\n"
                                   "[ratelimit]\nwindow = \"90s\"\nmax_commands = 5\n"
                                   "[log]\nlevel = \"debug\"\n"));
  const Env env{{"GEMINI_API_KEY", kGeminiKey}, {"SAKAIBOT_AI_STREAM", "false"}};
  const auto first = load_file(path, dir.path(), env);
  const std::string shown = render_config_show(first.config, {"/srv/sakai-data", ""});
  TempDir again;
  const auto second = load_file(again.write("shown.toml", shown), again.path(), Env{});
  EXPECT_FALSE(has_errors(second.problems)) << render_problems(second.problems);
  for (const auto& k : config_schema()) {
    if (k.secret) continue;  // masked, so not carried over
    const std::string key = k.dotted();
    if (key == "data.dir") {
      EXPECT_EQ(second.config.get_string(key), "/srv/sakai-data");
    } else if (k.type == ConfigType::kStringList) {
      EXPECT_EQ(second.config.get_list(key), first.config.get_list(key)) << key;
    } else {
      EXPECT_EQ(second.config.raw(key), first.config.raw(key)) << key;
    }
  }
  // What came from the environment is in the file now.
  EXPECT_FALSE(second.config.get_bool("ai.stream"));
}

TEST(ConfigShow, AccountsAreArrayEntriesWithTheirOwnTables) {
  TempDir dir;
  const std::string path = dir.write("sakaibot.toml", std::string("[telegram]\napi_id = 12345\n") +
                                                          "api_hash = \"" + kHash + "\"\n" +
                                                          R"(
[[accounts]]
name = "work"
phone = "+989351112233"
language = "fa"
[accounts.gemini]
api_keys = [")" + kWorkKey + R"("]
[accounts.budget]
daily_tokens_per_user = 20000
)");
  const auto c = load_file(path, dir.path(), Env{});
  ASSERT_EQ(c.accounts.size(), 2u);
  std::string out = render_config_show(c.config, {});
  for (const auto& account : c.accounts)
    out += render_account_show(account);
  const toml::table doc = parse(out);
  const toml::array* accounts = doc["accounts"].as_array();
  ASSERT_NE(accounts, nullptr) << out;
  ASSERT_EQ(accounts->size(), 1u) << out;  // "default" sets nothing of its own
  const toml::table& work = *accounts->get(0)->as_table();
  EXPECT_EQ(work["name"].value<std::string>(), "work");
  EXPECT_EQ(work["language"].value<std::string>(), "fa");
  EXPECT_EQ(work["session"].value<std::string>(), "work");
  EXPECT_EQ(work["budget"]["daily_tokens_per_user"].value<std::int64_t>(), 20000);
  EXPECT_FALSE(work["phone"]) << "a secret stays a comment";
  EXPECT_THAT(out, HasSubstr("# phone = ***2233 (13 chars)"));
  EXPECT_THAT(out, HasSubstr("[accounts.gemini]\n# api_keys = [***6789 (40 chars)]"));
  EXPECT_THAT(out, Not(HasSubstr(kWorkKey)));
  EXPECT_THAT(out, Not(HasSubstr("+989351112233")));
}

}  // namespace
}  // namespace sakai::app
