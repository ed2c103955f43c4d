// [[accounts]] in the configuration: the "default" account from [telegram], entries that add
// accounts or change "default", what an account shares and what it keeps to itself, per-account
// override tables, and every mistake reported with its fix; `config show` masks their secrets.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "app/accounts_config.h"
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
constexpr const char* kWorkKey = "AIzaSyWorkAccountKey0123456789";

LoadedConfig load_toml(const TempDir& dir, const std::string& toml, const Env& env = {}) {
  const std::string path = dir.write("sakaibot.toml", toml, 0600);
  LoadOptions opts;
  opts.env = &env;
  opts.working_dir = dir.path();
  opts.explicit_path = path;
  auto r = load_config(opts);
  EXPECT_TRUE(r.is_ok()) << r.status().to_string();
  return r.is_ok() ? std::move(r).value() : LoadedConfig{};
}

const ConfigProblem* find_problem(const LoadedConfig& c, const std::string& key) {
  for (const auto& p : c.problems) {
    if (p.key == key) return &p;
  }
  return nullptr;
}

std::string shared_telegram() {
  return std::string("[telegram]\napi_id = 12345\napi_hash = \"") + kHash +
         "\"\nphone = \"+989121234567\"\ndatabase_key = \"default-db-key-123\"\n";
}

TEST(AccountsConfig, TelegramAloneIsOneAccountNamedDefault) {
  TempDir dir;
  const auto c = load_toml(dir, shared_telegram());
  EXPECT_FALSE(has_errors(c.problems)) << render_problems(c.problems);
  ASSERT_EQ(c.accounts.size(), 1u);
  EXPECT_EQ(c.accounts[0].name, "default");
  // Exactly today's configuration: the session directory is still telegram.session_name.
  EXPECT_EQ(c.accounts[0].config.values(), c.config.values());
  EXPECT_EQ(c.accounts[0].config.get_string("telegram.session_name"), "sakaibot");
}

TEST(AccountsConfig, NoFileAtAllStillHasTheDefaultAccount) {
  TempDir dir;
  const Env env;
  LoadOptions opts;
  opts.env = &env;
  opts.working_dir = dir.path();
  auto r = load_config(opts);
  ASSERT_TRUE(r.is_ok());
  ASSERT_EQ(r->accounts.size(), 1u);
  EXPECT_EQ(r->accounts[0].name, "default");
}

TEST(AccountsConfig, AnEntryAddsAnAccountWithSharedAndOwnValues) {
  TempDir dir;
  const auto c = load_toml(dir, shared_telegram() + R"(
[bot]
language = "en"

[gemini]
api_keys = ["shared-key-0123456789"]

[[accounts]]
name = "work"
phone = "+989351112233"
language = "fa"
[accounts.gemini]
api_keys = [")" + std::string(kWorkKey) +
                                    R"("]
[accounts.budget]
daily_tokens_per_user = 20000
)");
  EXPECT_FALSE(has_errors(c.problems)) << render_problems(c.problems);
  ASSERT_EQ(c.accounts.size(), 2u);
  EXPECT_EQ(c.accounts[0].name, "default");
  EXPECT_EQ(c.accounts[1].name, "work");
  const Config& def = c.accounts[0].config;
  const Config& work = c.accounts[1].config;
  // Shared: api_id and api_hash, every section the entry does not override.
  EXPECT_EQ(work.get_int("telegram.api_id"), 12345);
  EXPECT_EQ(work.get_string("telegram.api_hash"), kHash);
  // Its own values win, with where they came from.
  EXPECT_EQ(work.get_string("telegram.phone"), "+989351112233");
  EXPECT_EQ(work.get_string("bot.language"), "fa");
  EXPECT_EQ(work.get_list("gemini.api_keys"), std::vector<std::string>{kWorkKey});
  EXPECT_EQ(work.get_int("budget.daily_tokens_per_user"), 20000);
  EXPECT_THAT(work.source("gemini.api_keys"), HasSubstr("(account work)"));
  EXPECT_THAT(work.source("gemini.api_keys"), HasSubstr("sakaibot.toml"));
  // Its session directory is its name; the default account's database key is not given to it.
  EXPECT_EQ(work.get_string("telegram.session_name"), "work");
  EXPECT_FALSE(work.is_set("telegram.database_key"));
  // The default account is untouched.
  EXPECT_EQ(def.get_string("telegram.phone"), "+989121234567");
  EXPECT_EQ(def.get_string("bot.language"), "en");
  EXPECT_EQ(def.get_list("gemini.api_keys"), std::vector<std::string>{"shared-key-0123456789"});
  EXPECT_EQ(def.get_string("telegram.session_name"), "sakaibot");
  EXPECT_EQ(def.get_string("telegram.database_key"), "default-db-key-123");
  EXPECT_TRUE(account_sets(c.accounts[1], "gemini.api_keys"));
  EXPECT_FALSE(account_sets(c.accounts[1], "telegram.api_id"));
}

TEST(AccountsConfig, EntryValuesWinOverTheEnvironmentsSharedOnes) {
  TempDir dir;
  const Env env = {{"TELEGRAM_API_ID", "777"}, {"TELEGRAM_API_HASH", kHash}};
  const auto c = load_toml(dir, R"(
[[accounts]]
name = "work"
api_id = 999
session = "office"
budget = { daily_tokens_per_user = 5 }
)",
                           env);
  EXPECT_FALSE(has_errors(c.problems)) << render_problems(c.problems);
  ASSERT_EQ(c.accounts.size(), 2u);
  EXPECT_EQ(c.accounts[0].config.get_int("telegram.api_id"), 777);
  EXPECT_EQ(c.accounts[1].config.get_int("telegram.api_id"), 999);
  EXPECT_EQ(c.accounts[1].config.get_string("telegram.api_hash"), kHash);  // shared
  EXPECT_EQ(c.accounts[1].config.get_string("telegram.session_name"), "office");
  // An inline table is an override table too.
  EXPECT_EQ(c.accounts[1].config.get_int("budget.daily_tokens_per_user"), 5);
}

TEST(AccountsConfig, AnEntryNamedDefaultChangesTheTelegramAccount) {
  TempDir dir;
  const auto c = load_toml(dir, shared_telegram() + R"(
[[accounts]]
name = "work"

[[accounts]]
name = "default"
phone = "+12025550123"
language = "ar"
)");
  EXPECT_FALSE(has_errors(c.problems)) << render_problems(c.problems);
  ASSERT_EQ(c.accounts.size(), 2u);
  EXPECT_EQ(c.accounts[0].name, "default");  // still first
  EXPECT_EQ(c.accounts[1].name, "work");
  const Config& def = c.accounts[0].config;
  EXPECT_EQ(def.get_string("telegram.phone"), "+12025550123");
  EXPECT_EQ(def.get_string("bot.language"), "ar");
  // Its session and key stay today's, so an existing login keeps working.
  EXPECT_EQ(def.get_string("telegram.session_name"), "sakaibot");
  EXPECT_EQ(def.get_string("telegram.database_key"), "default-db-key-123");
  // The shared configuration itself is unchanged.
  EXPECT_EQ(c.config.get_string("telegram.phone"), "+989121234567");
}

TEST(AccountsConfig, DuplicateNamesAreAnErrorIgnoringCase) {
  TempDir dir;
  const auto c = load_toml(dir, R"(
[[accounts]]
name = "work"

[[accounts]]
name = "Work"
)");
  const ConfigProblem* p = find_problem(c, "accounts.Work");
  ASSERT_NE(p, nullptr) << render_problems(c.problems);
  EXPECT_FALSE(p->warning);
  EXPECT_THAT(p->problem, HasSubstr("named twice"));
  EXPECT_THAT(p->problem, HasSubstr("line 5"));
  EXPECT_EQ(c.accounts.size(), 2u);  // default and the first "work"
}

TEST(AccountsConfig, NamesAndSessionsMustBeUsable) {
  TempDir dir;
  const auto c = load_toml(dir, R"(
[[accounts]]
phone = "+989351112233"

[[accounts]]
name = "my work"

[[accounts]]
name = 7

[[accounts]]
name = "a"
session = "../elsewhere"

[[accounts]]
name = "b"
session = "sakaibot"
)");
  ASSERT_NE(find_problem(c, "accounts[1]"), nullptr) << render_problems(c.problems);
  EXPECT_THAT(find_problem(c, "accounts[1]")->problem, HasSubstr("has no name"));
  ASSERT_NE(find_problem(c, "accounts[2]"), nullptr);
  EXPECT_THAT(find_problem(c, "accounts[2]")->problem, HasSubstr("'my work'"));
  ASSERT_NE(find_problem(c, "accounts[3].name"), nullptr);
  EXPECT_THAT(find_problem(c, "accounts[3].name")->problem, HasSubstr("takes a string"));
  ASSERT_NE(find_problem(c, "accounts.a.session"), nullptr);
  EXPECT_THAT(find_problem(c, "accounts.a.session")->problem, HasSubstr("not a directory name"));
  // Two accounts on one TDLib session would log each other out.
  ASSERT_NE(find_problem(c, "accounts.b.session"), nullptr);
  EXPECT_THAT(find_problem(c, "accounts.b.session")->problem, HasSubstr("of account default"));
  EXPECT_TRUE(has_errors(c.problems));
}

TEST(AccountsConfig, UnknownKeysAndSectionsSayWhatWasMeant) {
  TempDir dir;
  const auto c = load_toml(dir, R"(
[[accounts]]
name = "work"
phon = "+989351112233"
[accounts.gemeni]
api_keys = ["x"]
[accounts.gemini]
api_kyes = ["x"]
[accounts.storage]
path = "/tmp/x.db"
[accounts.telegram]
phone = "+1"
)");
  auto expect = [&](const std::string& key, const std::string& problem, const std::string& fix) {
    const ConfigProblem* p = find_problem(c, key);
    ASSERT_NE(p, nullptr) << key << "\n" << render_problems(c.problems);
    EXPECT_FALSE(p->warning) << key;
    EXPECT_THAT(p->problem, HasSubstr(problem)) << key;
    EXPECT_THAT(p->fix, HasSubstr(fix)) << key;
  };
  expect("accounts.work.phon", "is not a key of an [[accounts]] entry (line 4",
         "did you mean phone?");
  expect("accounts.work.gemeni", "is not a section an account can override",
         "did you mean [accounts.gemini]?");
  expect("accounts.work.gemini.api_kyes", "is not a known setting (line 8",
         "did you mean gemini.api_keys?");
  expect("accounts.work.storage", "shared by every account", "set it under [storage]");
  expect("accounts.work.telegram", "cannot be a table of an account",
         "directly in the [[accounts]] entry");
}

TEST(AccountsConfig, WrongTypesAndInvalidValuesAreLabelledWithTheAccount) {
  TempDir dir;
  const auto c = load_toml(dir, R"(
[[accounts]]
name = "work"
api_id = "twelve"
language = "klingon"
phone = "call me"
[accounts.budget]
daily_tokens_per_user = [1, 2]
)");
  ASSERT_NE(find_problem(c, "accounts.work.telegram.api_id"), nullptr)
      << render_problems(c.problems);
  EXPECT_THAT(find_problem(c, "accounts.work.telegram.api_id")->problem,
              HasSubstr("'twelve' is not a whole number (from file:"));
  EXPECT_THAT(find_problem(c, "accounts.work.telegram.api_id")->problem,
              HasSubstr("(account work)"));
  ASSERT_NE(find_problem(c, "accounts.work.budget.daily_tokens_per_user"), nullptr);
  EXPECT_THAT(find_problem(c, "accounts.work.budget.daily_tokens_per_user")->problem,
              HasSubstr("is an array, but it takes a whole number (line 8"));
  ASSERT_NE(find_problem(c, "accounts.work.bot.language"), nullptr);
  EXPECT_THAT(find_problem(c, "accounts.work.bot.language")->fix, HasSubstr("en, fa, ar"));
  ASSERT_NE(find_problem(c, "accounts.work.telegram.phone"), nullptr);
  // The default account's (valid) values are not reported again.
  EXPECT_EQ(find_problem(c, "bot.language"), nullptr);
}

TEST(AccountsConfig, AccountsMustBeAnArrayOfTables) {
  TempDir dir;
  const auto c = load_toml(dir, "[accounts]\nname = \"work\"\n");
  const ConfigProblem* p = find_problem(c, "accounts");
  ASSERT_NE(p, nullptr) << render_problems(c.problems);
  EXPECT_THAT(p->fix, HasSubstr("[[accounts]]"));
  EXPECT_EQ(c.accounts.size(), 1u);
}

TEST(AccountsConfig, SecretsOfAnAccountAreMaskedInShowAndProblems) {
  TempDir dir;
  const auto c = load_toml(dir, shared_telegram() + R"(
[[accounts]]
name = "work"
phone = "+989351112233"
database_key = "work-database-key-secret"
proxy = "socks5://user:hunter2pass@127.0.0.1:1080"
[accounts.gemini]
api_keys = [")" + std::string(kWorkKey) +
                                    R"("]
)");
  EXPECT_FALSE(has_errors(c.problems)) << render_problems(c.problems);
  ASSERT_EQ(c.accounts.size(), 2u);
  const std::string shown = render_account_show(c.accounts[1]);
  EXPECT_THAT(shown, HasSubstr("[[accounts]]\nname = \"work\""));
  EXPECT_THAT(shown, HasSubstr("[accounts.gemini]\n# api_keys = [***6789"));
  EXPECT_THAT(shown, HasSubstr("# phone = ***2233"));
  EXPECT_THAT(shown, HasSubstr("# proxy = socks5://***@127.0.0.1:1080"));
  EXPECT_THAT(shown, HasSubstr("session = \"work\""));
  for (const char* secret : {kWorkKey, "+989351112233", "work-database-key-secret", "hunter2pass"})
    EXPECT_THAT(shown, Not(HasSubstr(secret))) << secret;
  // Shared values are not repeated under the account.
  EXPECT_THAT(shown, Not(HasSubstr("api_id")));
  // An account that sets nothing of its own shows nothing.
  EXPECT_EQ(render_account_show(c.accounts[0]), "");
  // --account: the whole effective configuration, masked.
  const std::string full = render_config_show(c.accounts[1].config);
  EXPECT_THAT(full, HasSubstr("[telegram]\napi_id = 12345"));
  EXPECT_THAT(full, Not(HasSubstr(kWorkKey)));
  // A problem that quotes an account's secret gets it masked too.
  TempDir bad;
  const auto d = load_toml(bad, R"(
[[accounts]]
name = "work"
proxy = "gopher://user:hunter2pass@host"
)");
  const std::string problems = render_problems(d.problems);
  EXPECT_THAT(problems, HasSubstr("accounts.work.telegram.proxy")) << problems;
  EXPECT_THAT(problems, Not(HasSubstr("hunter2pass"))) << problems;
}

TEST(AccountsConfig, TheExampleBlockLoadsAsOneMoreAccount) {
  // `config example` ends with a commented [[accounts]] block: without its "# " it is valid.
  const std::string example = render_accounts_example();
  std::string uncommented;
  std::size_t pos = example.find("# [[accounts]]");
  ASSERT_NE(pos, std::string::npos) << example;
  while (pos < example.size()) {
    auto end = example.find('\n', pos);
    if (end == std::string::npos) end = example.size();
    uncommented += example.substr(pos + 2, end - pos - 2) + "\n";
    pos = end + 1;
  }
  TempDir dir;
  const auto c = load_toml(dir, uncommented);
  EXPECT_FALSE(has_errors(c.problems)) << render_problems(c.problems) << uncommented;
  ASSERT_EQ(c.accounts.size(), 2u) << uncommented;
  EXPECT_EQ(c.accounts[1].name, "work");
  EXPECT_EQ(c.accounts[1].config.get_string("bot.language"), "fa");
  EXPECT_EQ(c.accounts[1].config.get_int("budget.daily_tokens_per_user"), 20000);
  EXPECT_THAT(render_config_example(), HasSubstr(example));
}

TEST(AccountsConfig, CommandLineOverridesReachEveryAccount) {
  TempDir dir;
  auto c = load_toml(dir, "[[accounts]]\nname = \"work\"\n");
  c.set_everywhere("log.level", "debug", "command line");
  EXPECT_EQ(c.config.get_string("log.level"), "debug");
  for (const auto& a : c.accounts)
    EXPECT_EQ(a.config.get_string("log.level"), "debug") << a.name;
}

}  // namespace
}  // namespace sakai::app
