#include "core/config.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <stdexcept>
#include <string>

#include "core/text.h"

namespace sakai {
namespace {

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// A copy, so that find(c.validate(), ...) does not point into a destroyed temporary.
std::optional<ConfigProblem> find(const std::vector<ConfigProblem>& problems,
                                  const std::string& key) {
  for (const auto& p : problems) {
    if (p.key == key) return p;
  }
  return std::nullopt;
}

std::vector<ConfigProblem> errors_of(const Config& c) {
  std::vector<ConfigProblem> out;
  for (auto& p : c.validate()) {
    if (!p.warning) out.push_back(p);
  }
  return out;
}

std::string all_text(const std::vector<ConfigProblem>& problems) {
  std::string out;
  for (const auto& p : problems)
    out += p.key + ": " + p.problem + " / " + p.fix + "\n";
  return out;
}

TEST(CoreConfig, SchemaKeysAreUniqueAndNamed) {
  const auto& schema = config_schema();
  ASSERT_FALSE(schema.empty());
  std::vector<std::string> names;
  for (const auto& k : schema) {
    names.push_back(k.dotted());
    EXPECT_EQ(find_config_key(k.dotted()), &k);
    EXPECT_FALSE(k.description.empty()) << k.dotted();
    // Every default is itself valid.
    if (!k.default_value.empty()) {
      Config c;
      c.set(k.dotted(), std::string(k.default_value), "test");
      const auto problems = c.validate();
      EXPECT_FALSE(find(problems, k.dotted()).has_value()) << k.dotted() << "\n"
                                                           << all_text(problems);
    }
  }
  std::sort(names.begin(), names.end());
  EXPECT_EQ(std::adjacent_find(names.begin(), names.end()), names.end());
  EXPECT_EQ(find_config_key("bot.nope"), nullptr);
  EXPECT_EQ(find_config_key("bot"), nullptr);
  EXPECT_EQ(find_config_key("botlanguage"), nullptr);
}

TEST(CoreConfig, EnvironmentNames) {
  EXPECT_EQ(find_config_key("ratelimit.max_commands")->env_name(),
            "SAKAIBOT_RATELIMIT_MAX_COMMANDS");
  EXPECT_EQ(find_config_key("data.dir")->env_name(), "SAKAIBOT_DATA_DIR");
  EXPECT_EQ(find_config_key("bot.max_input_chars")->env_name(), "SAKAIBOT_BOT_MAX_INPUT_CHARS");
}

TEST(CoreConfig, GettersReturnSchemaDefaults) {
  const Config c;
  EXPECT_EQ(c.get_string("bot.language"), "en");
  EXPECT_EQ(c.get_string("storage.backend"), "sqlite");
  EXPECT_EQ(c.get_string("telegram.api_hash"), "");
  EXPECT_EQ(c.get_int("ratelimit.max_commands"), 8);
  EXPECT_EQ(c.get_int("bot.max_input_chars"), 8192);
  EXPECT_TRUE(c.get_bool("ratelimit.owner_exempt"));
  EXPECT_EQ(c.get_seconds("ratelimit.window"), 60);
  EXPECT_EQ(c.get_seconds("bot.confirm_timeout"), 3600);
  EXPECT_EQ(c.get_seconds("http.timeout"), 120);
  EXPECT_EQ(c.get_list("bot.command_prefixes"), std::vector<std::string>{"/"});
  EXPECT_TRUE(c.get_list("gemini.api_keys").empty());
  EXPECT_EQ(c.source("bot.language"), "default");
  EXPECT_FALSE(c.is_set("bot.language"));
  // An unknown key is a programming error, not an empty default (config_keys_test.cpp).
  EXPECT_THROW((void)c.get_string("no.such"), std::logic_error);
  EXPECT_THROW((void)c.get_int("no.such"), std::logic_error);
}

TEST(CoreConfig, GettersReadSetValues) {
  Config c;
  c.set("ratelimit.max_commands", " 3 ", "env:SAKAIBOT_RATELIMIT_MAX_COMMANDS");
  c.set("ratelimit.owner_exempt", "no", "test");
  c.set("ratelimit.window", "15m", "test");
  c.set("bot.command_prefixes", "/.", "test");
  c.set("gemini.api_keys", "k1, k2 ,,k3", "env:GEMINI_API_KEY");
  c.set("openrouter.api_keys", "a,b\nc", "file");  // TOML arrays are joined by newlines
  EXPECT_EQ(c.get_int("ratelimit.max_commands"), 3);
  EXPECT_FALSE(c.get_bool("ratelimit.owner_exempt"));
  EXPECT_EQ(c.get_seconds("ratelimit.window"), 900);
  EXPECT_EQ(c.get_list("bot.command_prefixes"), (std::vector<std::string>{"/", "."}));
  EXPECT_EQ(c.get_list("gemini.api_keys"), (std::vector<std::string>{"k1", "k2", "k3"}));
  EXPECT_EQ(c.get_list("openrouter.api_keys"), (std::vector<std::string>{"a,b", "c"}));
  EXPECT_EQ(c.source("ratelimit.max_commands"), "env:SAKAIBOT_RATELIMIT_MAX_COMMANDS");
  c.unset("ratelimit.max_commands");
  EXPECT_EQ(c.get_int("ratelimit.max_commands"), 8);
  EXPECT_EQ(c.source("ratelimit.max_commands"), "default");
}

TEST(CoreConfig, MalformedValuesFallBackToTheDefault) {
  Config c;
  c.set("ratelimit.max_commands", "lots", "test");
  c.set("ratelimit.owner_exempt", "maybe", "test");
  c.set("ratelimit.window", "soon", "test");
  EXPECT_EQ(c.get_int("ratelimit.max_commands"), 8);
  EXPECT_TRUE(c.get_bool("ratelimit.owner_exempt"));
  EXPECT_EQ(c.get_seconds("ratelimit.window"), 60);
  c.set("ratelimit.max_commands", "۵", "test");  // Persian digits are digits
  EXPECT_EQ(c.get_int("ratelimit.max_commands"), 5);
}

TEST(CoreConfig, ParseBool) {
  for (const char* t : {"true", "TRUE", " yes ", "1", "on"})
    EXPECT_EQ(parse_bool(t), true) << t;
  for (const char* f : {"false", "No", "0", "off"})
    EXPECT_EQ(parse_bool(f), false) << f;
  for (const char* bad : {"", "maybe", "2", "y"})
    EXPECT_EQ(parse_bool(bad), std::nullopt) << bad;
}

TEST(CoreConfig, ParseDurations) {
  EXPECT_EQ(parse_duration_seconds("90s"), 90);
  EXPECT_EQ(parse_duration_seconds("90"), 90);
  EXPECT_EQ(parse_duration_seconds("15m"), 900);
  EXPECT_EQ(parse_duration_seconds("2h"), 7200);
  EXPECT_EQ(parse_duration_seconds("7d"), 7 * 86400);
  EXPECT_EQ(parse_duration_seconds("1w"), 7 * 86400);
  EXPECT_EQ(parse_duration_seconds(" 12H "), 12 * 3600);
  EXPECT_EQ(parse_duration_seconds("۳۰m"), 1800);
  EXPECT_EQ(parse_duration_seconds("0"), 0);
  for (const char* bad : {"", "s", "abc", "-5m", "1.5h", "5y", "m5", "10 days"}) {
    EXPECT_EQ(parse_duration_seconds(bad), std::nullopt) << bad;
  }
}

TEST(CoreConfig, ValidDefaultsHaveNoErrors) {
  const Config c;
  EXPECT_TRUE(errors_of(c).empty()) << all_text(c.validate());
}

TEST(CoreConfig, ValidateReportsABadInteger) {
  Config c;
  c.set("telegram.api_id", "abc", "env:TELEGRAM_API_ID");
  c.set("telegram.api_hash", "0123456789abcdef0123456789abcdef", "test");
  const auto p = find(c.validate(), "telegram.api_id");
  ASSERT_TRUE(p.has_value());
  EXPECT_FALSE(p->warning);
  EXPECT_TRUE(contains(p->problem, "'abc' is not a whole number")) << p->problem;
  EXPECT_TRUE(contains(p->problem, "env:TELEGRAM_API_ID")) << p->problem;  // where it came from
  EXPECT_FALSE(p->fix.empty());
}

TEST(CoreConfig, ValidateReportsAnIntegerOutOfRange) {
  Config c;
  c.set("bot.max_input_chars", "5", "test");
  c.set("ratelimit.max_commands", "-1", "test");
  const auto problems = c.validate();
  const auto p = find(problems, "bot.max_input_chars");
  ASSERT_TRUE(p.has_value()) << all_text(problems);
  EXPECT_TRUE(contains(p->problem, "out of range")) << p->problem;
  EXPECT_TRUE(contains(p->fix, "16")) << p->fix;
  EXPECT_TRUE(find(problems, "ratelimit.max_commands").has_value()) << all_text(problems);
  Config ok;
  ok.set("ratelimit.max_commands", "0", "test");  // 0 disables the limit: allowed
  EXPECT_FALSE(find(ok.validate(), "ratelimit.max_commands").has_value());
}

TEST(CoreConfig, ValidateReportsEnumsBoolsDurationsAndFloats) {
  Config c;
  c.set("log.level", "loud", "env:SAKAIBOT_LOG_LEVEL");
  c.set("ratelimit.owner_exempt", "sometimes", "test");
  c.set("ratelimit.window", "a while", "test");
  const auto problems = c.validate();
  const auto level = find(problems, "log.level");
  ASSERT_TRUE(level.has_value()) << all_text(problems);
  EXPECT_TRUE(contains(level->problem, "'loud'")) << level->problem;
  EXPECT_TRUE(contains(level->fix, "trace, debug, info, warn, error, off")) << level->fix;
  EXPECT_TRUE(find(problems, "ratelimit.owner_exempt").has_value()) << all_text(problems);
  EXPECT_TRUE(find(problems, "ratelimit.window").has_value()) << all_text(problems);
  EXPECT_GE(errors_of(c).size(), 3u);  // every problem at once
}

TEST(CoreConfig, ValidateReportsUnusableUrls) {
  Config c;
  c.set("gemini.base_url", "ftp://example.com", "test");
  c.set("openai.base_url", "localhost:11434", "test");
  c.set("openrouter.base_url", "https://", "test");
  const auto problems = c.validate();
  for (const char* key : {"gemini.base_url", "openai.base_url", "openrouter.base_url"}) {
    const auto p = find(problems, key);
    ASSERT_TRUE(p.has_value()) << key << "\n" << all_text(problems);
    EXPECT_TRUE(contains(p->problem, "is not a usable URL")) << p->problem;
    EXPECT_TRUE(contains(p->fix, "http, https")) << p->fix;
  }
  Config ok;
  ok.set("openai.base_url", "http://127.0.0.1:11434/v1", "test");
  ok.set("http.proxy", "socks5h://127.0.0.1:9050", "test");
  EXPECT_FALSE(find(ok.validate(), "openai.base_url").has_value());
  EXPECT_FALSE(find(ok.validate(), "http.proxy").has_value());
}

TEST(CoreConfig, ValidateNeverShowsASecretProxyUrl) {
  Config c;
  c.set("http.proxy", "ftp://alice:hunter2hunter2@proxy.example", "test");
  const auto problems = c.validate();
  const auto p = find(problems, "http.proxy");
  ASSERT_TRUE(p.has_value());
  EXPECT_FALSE(contains(all_text(problems), "hunter2hunter2")) << all_text(problems);
  EXPECT_FALSE(contains(all_text(problems), "alice")) << all_text(problems);
}

TEST(CoreConfig, ValidateChecksTheTelegramCredentials) {
  Config only_id;
  only_id.set("telegram.api_id", "12345", "test");
  EXPECT_TRUE(find(only_id.validate(), "telegram.api_hash").has_value());

  Config bad_hash;
  bad_hash.set("telegram.api_id", "12345", "test");
  bad_hash.set("telegram.api_hash", "0123456789ABCDEF0123456789ABCDEF", "test");  // upper case
  const auto p = find(bad_hash.validate(), "telegram.api_hash");
  ASSERT_TRUE(p.has_value());
  EXPECT_TRUE(contains(p->problem, "32 lowercase hex")) << p->problem;
  EXPECT_FALSE(contains(p->problem + p->fix, "0123456789ABCDEF"));  // the secret is not repeated

  Config short_hash;
  short_hash.set("telegram.api_id", "12345", "test");
  short_hash.set("telegram.api_hash", "abc", "test");
  EXPECT_TRUE(find(short_hash.validate(), "telegram.api_hash").has_value());

  Config good;
  good.set("telegram.api_id", "12345", "test");
  good.set("telegram.api_hash", "0123456789abcdef0123456789abcdef", "test");
  EXPECT_TRUE(errors_of(good).empty()) << all_text(good.validate());
}

TEST(CoreConfig, ValidateChecksThePhoneNumber) {
  for (const char* ok : {"+989121234567", "+98 912 123 4567", "0912-123-4567", "+۹۸۹۱۲۱۲۳۴۵۶۷"}) {
    Config c;
    c.set("telegram.phone", ok, "test");
    EXPECT_FALSE(find(c.validate(), "telegram.phone").has_value()) << ok;
  }
  for (const char* bad : {"", "12345", "+98912abc4567", "98+9121234567", "+1234567890123456"}) {
    Config c;
    c.set("telegram.phone", bad, "test");
    const auto p = find(c.validate(), "telegram.phone");
    ASSERT_TRUE(p.has_value()) << bad;
    if (std::string(bad).size() > 8) {
      EXPECT_FALSE(contains(p->problem + p->fix, bad)) << bad;
    }
  }
}

TEST(CoreConfig, ValidateCrossKeyRules) {
  Config pg;
  pg.set("storage.backend", "postgres", "test");
  EXPECT_TRUE(find(pg.validate(), "storage.postgres_url").has_value());

  Config prefixes;
  prefixes.set("bot.command_prefixes", "/,ab,x", "test");
  const auto problems = prefixes.validate();
  int prefix_problems = 0;
  for (const auto& p : problems)
    prefix_problems += p.key == "bot.command_prefixes" ? 1 : 0;
  EXPECT_EQ(prefix_problems, 2) << all_text(problems);  // "ab" and "x"

  // No AI key is a warning, not an error.
  const Config none;
  const auto w = find(none.validate(), "gemini.api_keys");
  ASSERT_TRUE(w.has_value());
  EXPECT_TRUE(w->warning);
  Config keyed;
  keyed.set("gemini.api_keys", "AIzaSyTESTKEY1234567890123456789012345", "test");
  EXPECT_FALSE(find(keyed.validate(), "gemini.api_keys").has_value());
}

TEST(CoreConfig, SecretValuesListEverySecretThatIsSet) {
  Config c;
  c.set("telegram.api_hash", "0123456789abcdef0123456789abcdef", "test");
  c.set("gemini.api_keys",
        "AIzaKEYONE0000000000000000000000000000,AIzaKEYTWO000000000000000000000000000", "test");
  c.set("http.proxy", "socks5://alice:hunter2hunter2@proxy.example:1080", "test");
  c.set("telegram.proxy", "mtproto://ee00112233445566778899aabbccddeeff@mt.example:443", "test");
  c.set("gemini.model", "gemini-2.5-flash", "test");  // not a secret
  const auto secrets = c.secret_values();
  const auto has = [&](const std::string& s) {
    return std::find(secrets.begin(), secrets.end(), s) != secrets.end();
  };
  EXPECT_TRUE(has("0123456789abcdef0123456789abcdef"));
  EXPECT_TRUE(has("AIzaKEYONE0000000000000000000000000000"));
  EXPECT_TRUE(has("AIzaKEYTWO000000000000000000000000000"));
  EXPECT_TRUE(has("socks5://alice:hunter2hunter2@proxy.example:1080"));
  EXPECT_TRUE(has("alice:hunter2hunter2"));  // the credentials alone, as they might be logged
  EXPECT_TRUE(has("ee00112233445566778899aabbccddeeff"));  // the MTProto secret
  EXPECT_FALSE(has("gemini-2.5-flash"));
  EXPECT_TRUE(Config().secret_values().empty());
}

TEST(CoreConfig, MaskSecretNeverShowsTheWholeSecret) {
  EXPECT_EQ(mask_secret(""), "");
  const std::string key = "AIzaSyTESTKEY1234567890123456789012345";
  const std::string masked = mask_secret(key);
  EXPECT_FALSE(contains(masked, key));
  EXPECT_FALSE(contains(masked, "AIzaSyTESTKEY"));
  EXPECT_TRUE(contains(masked, "38 chars")) << masked;
  for (const std::string s :
       {"q", "abcd", "short", "elevenchars", "twelve-chars", "سلام‌دنیا‌رمز"}) {
    const std::string m = mask_secret(s);
    EXPECT_FALSE(contains(m, s)) << s << " -> " << m;
    EXPECT_TRUE(contains(m, "***")) << m;
  }
  // Short secrets show nothing of themselves.
  EXPECT_EQ(mask_secret("hunter2"), "*** (7 chars)");
}

// mask_secret() keeps the last 4 *bytes*, which can cut a multi-byte character in half: a proxy
// password such as "motdepasse-é123" is shown as invalid UTF-8 by `config show`.
TEST(CoreConfig, MaskSecretKeepsUtf8Valid) {
  for (const std::string s : {"motdepasse-é123", "رمزعبورامن123", "password😀1"}) {
    EXPECT_TRUE(text::is_valid_utf8(mask_secret(s))) << s;
  }
}

// validate() accepts enum values in any case ("DEBUG", "FA", "SQLite"), but get_string() returns
// them as written and the code that uses them compares exactly (parse_log_level("DEBUG") fails,
// the bot answers in English for "FA", BotCore refuses storage.backend "SQLite"). Either
// validation should refuse them or the value should come back normalised.
TEST(CoreConfig, EnumValuesThatValidateComeBackAsAChoice) {
  for (const auto& k : config_schema()) {
    if (k.type != ConfigType::kEnum) continue;
    for (const auto& choice : k.choices) {
      std::string upper(choice);
      for (char& ch : upper)
        ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      Config c;
      c.set(k.dotted(), upper, "test");
      if (find(c.validate(), k.dotted())) continue;  // refused: consistent
      EXPECT_EQ(c.get_string(k.dotted()), choice) << k.dotted() << " = " << upper;
    }
  }
}

}  // namespace
}  // namespace sakai
