#include "app/config_loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <string>

#include "app/config_render.h"
#include "unit/app/config_test_util.h"

namespace sakai::app {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::TempDir;

using Env = std::map<std::string, std::string>;

constexpr const char* kHash = "0123456789abcdef0123456789abcdef";

LoadedConfig load(const TempDir& dir, const Env& env,
                  std::optional<std::string> explicit_path = std::nullopt) {
  LoadOptions opts;
  opts.env = &env;
  opts.working_dir = dir.path();
  opts.explicit_path = std::move(explicit_path);
  auto r = load_config(opts);
  EXPECT_TRUE(r.is_ok()) << r.status().to_string();
  if (!r.is_ok()) return {};
  return std::move(r).value();
}

const ConfigProblem* find_problem(const LoadedConfig& c, const std::string& key) {
  for (const auto& p : c.problems) {
    if (p.key == key) return &p;
  }
  return nullptr;
}

std::vector<ConfigProblem> errors(const LoadedConfig& c) {
  std::vector<ConfigProblem> out;
  for (const auto& p : c.problems) {
    if (!p.warning) out.push_back(p);
  }
  return out;
}

TEST(ConfigLoader, NoConfigAtAllIsValid) {
  TempDir dir;
  const Env env;
  const auto c = load(dir, env);
  EXPECT_EQ(c.file_path, "");
  EXPECT_TRUE(c.env_files.empty());
  EXPECT_FALSE(has_errors(c.problems)) << render_problems(c.problems);
  EXPECT_TRUE(c.config.values().empty());
  EXPECT_EQ(c.config.get_string("bot.language"), "en");
  EXPECT_EQ(c.config.source("bot.language"), "default");
}

TEST(ConfigLoader, PrecedenceAcrossAllFourLayers) {
  TempDir dir;
  const std::string toml = dir.write("sakaibot.toml",
                                     "[gemini]\nmodel = \"from-file\"\n"
                                     "[openai]\nmodel = \"file-openai\"\n"
                                     "[bot]\nlanguage = \"fa\"\n"
                                     "[log]\nformat = \"json\"\n");
  const std::string dotenv = dir.write(".env",
                                       "GEMINI_MODEL=from-dotenv\n"
                                       "SAKAIBOT_BOT_LANGUAGE=ar\n"
                                       "OPENROUTER_MODEL=dotenv-router\n");
  const Env env{{"SAKAIBOT_GEMINI_MODEL", "from-env"}, {"OPENROUTER_MODEL", "env-router"}};
  const auto c = load(dir, env);
  EXPECT_EQ(c.file_path, toml);
  ASSERT_EQ(c.env_files.size(), 1U);
  EXPECT_EQ(c.env_files[0], dotenv);

  // environment > .env > file > default
  EXPECT_EQ(c.config.get_string("gemini.model"), "from-env");
  EXPECT_EQ(c.config.source("gemini.model"), "env:SAKAIBOT_GEMINI_MODEL");
  EXPECT_EQ(c.config.get_string("bot.language"), "ar");
  EXPECT_EQ(c.config.source("bot.language"), ".env:" + dotenv);
  EXPECT_EQ(c.config.get_string("log.format"), "json");
  EXPECT_EQ(c.config.source("log.format"), "file:" + toml);
  EXPECT_EQ(c.config.get_string("openai.model"), "file-openai");
  EXPECT_EQ(c.config.get_string("log.level"), "info");
  EXPECT_EQ(c.config.source("log.level"), "default");
  EXPECT_FALSE(c.config.is_set("log.level"));
  // The same variable in .env and the environment: the environment wins.
  EXPECT_EQ(c.config.get_string("openrouter.model"), "env-router");
  EXPECT_EQ(c.config.source("openrouter.model"), "env:OPENROUTER_MODEL");
  EXPECT_FALSE(has_errors(c.problems)) << render_problems(c.problems);
}

TEST(ConfigLoader, SakaibotNameInDotenvBeatsLegacyNameInEnvironment) {
  // A .env value acts as an environment variable: the SAKAIBOT_ name wins over a legacy name
  // wherever each comes from.
  TempDir dir;
  dir.write(".env", "SAKAIBOT_GEMINI_MODEL=new-name\n");
  const Env env{{"GEMINI_MODEL", "legacy-name"}};
  const auto c = load(dir, env);
  EXPECT_EQ(c.config.get_string("gemini.model"), "new-name");
}

TEST(ConfigLoader, EmptyEnvironmentValuesCountAsUnset) {
  TempDir dir;
  const std::string dotenv = dir.write(".env", "GEMINI_MODEL=from-dotenv\nOPENAI_MODEL=\n");
  const Env env{{"SAKAIBOT_GEMINI_MODEL", ""}, {"GEMINI_MODEL", "  "}, {"SAKAIBOT_LOG_LEVEL", ""}};
  const auto c = load(dir, env);
  EXPECT_EQ(c.config.get_string("gemini.model"), "from-dotenv");
  EXPECT_EQ(c.config.source("gemini.model"), ".env:" + dotenv);
  EXPECT_FALSE(c.config.is_set("openai.model"));
  EXPECT_FALSE(c.config.is_set("log.level"));
}

TEST(ConfigLoader, SakaiBot2DotenvCarriesOver) {
  TempDir dir;
  const std::string dotenv = dir.write(".env",
                                       "# SakaiBot 2.0 .env\n"
                                       "TELEGRAM_API_ID=1234567\n"
                                       "TELEGRAM_API_HASH=0123456789abcdef0123456789abcdef\n"
                                       "TELEGRAM_PHONE_NUMBER=+989121234567\n"
                                       "LLM_PROVIDER=openrouter\n"
                                       "GEMINI_API_KEY=key-zero\n"
                                       "GEMINI_API_KEY_1=key-one\n"
                                       "GEMINI_API_KEY_2=key-two\n"
                                       "GEMINI_API_KEY_3=key-zero\n"
                                       "GEMINI_API_KEY_4=key-four\n"
                                       "GEMINI_API_KEY_TTS=key-tts\n"
                                       "GEMINI_MODEL=gemini-2.0-flash\n"
                                       "OPENROUTER_API_KEY=sk-or-v1-abc\n"
                                       "OPENROUTER_MODEL=google/gemma-3-27b-it:free\n"
                                       "USERBOT_MAX_ANALYZE_MESSAGES=5000\n"
                                       "DEBUG=true\n");
  const Env env;
  const auto c = load(dir, env);
  const std::string src = ".env:" + dotenv;
  EXPECT_EQ(c.config.get_int("telegram.api_id"), 1234567);
  EXPECT_EQ(c.config.source("telegram.api_id"), src);
  EXPECT_EQ(c.config.get_string("telegram.api_hash"), kHash);
  EXPECT_EQ(c.config.get_string("telegram.phone"), "+989121234567");
  EXPECT_EQ(c.config.get_string("llm.provider"), "openrouter");
  EXPECT_EQ(c.config.get_list("gemini.api_keys"),
            (std::vector<std::string>{"key-zero", "key-one", "key-two", "key-four"}));
  EXPECT_EQ(c.config.source("gemini.api_keys"), src);
  EXPECT_EQ(c.config.get_string("gemini.api_key_tts"), "key-tts");
  EXPECT_EQ(c.config.get_string("gemini.model"), "gemini-2.0-flash");
  EXPECT_EQ(c.config.get_list("openrouter.api_keys"), (std::vector<std::string>{"sk-or-v1-abc"}));
  EXPECT_EQ(c.config.get_string("openrouter.model"), "google/gemma-3-27b-it:free");
  EXPECT_EQ(c.config.get_int("analyze.max_messages"), 5000);
  EXPECT_EQ(c.config.get_string("log.level"), "debug");
  EXPECT_EQ(c.config.source("log.level"), src);
  EXPECT_TRUE(c.problems.empty()) << render_problems(c.problems);
}

TEST(ConfigLoader, NumberedKeysFromTheEnvironmentMergeWithSources) {
  TempDir dir;
  dir.write(".env", "GEMINI_API_KEY_2=b\n");
  const Env env{{"GEMINI_API_KEY", "a, c"}, {"GEMINI_API_KEY_1", "c"}, {"GEMINI_API_KEY_4", "d"}};
  const auto c = load(dir, env);
  EXPECT_EQ(c.config.get_list("gemini.api_keys"), (std::vector<std::string>{"a", "c", "b", "d"}));
  const std::string source = c.config.source("gemini.api_keys");
  EXPECT_EQ(source,
            "env:GEMINI_API_KEY,GEMINI_API_KEY_1,GEMINI_API_KEY_4, .env:" + dir.file(".env"));
}

TEST(ConfigLoader, SakaibotNamesWinOverLegacyNames) {
  TempDir dir;
  const Env env{{"GEMINI_API_KEY", "legacy"},
                {"GEMINI_API_KEY_1", "legacy1"},
                {"SAKAIBOT_GEMINI_API_KEYS", "new1,new2"},
                {"TELEGRAM_API_ID", "111"},
                {"SAKAIBOT_TELEGRAM_API_ID", "222"},
                {"SAKAIBOT_STORAGE_PATH", "/srv/sakai/state.db"},
                {"SAKAIBOT_DATA_DIR", "/srv/sakai"},
                {"SAKAIBOT_HTTP_TIMEOUT", "2m"},
                {"SAKAIBOT_BOT_COMMAND_PREFIXES", "/,."},
                {"SAKAIBOT_RATELIMIT_OWNER_EXEMPT", "false"}};
  const auto c = load(dir, env);
  EXPECT_EQ(c.config.get_list("gemini.api_keys"), (std::vector<std::string>{"new1", "new2"}));
  EXPECT_EQ(c.config.source("gemini.api_keys"), "env:SAKAIBOT_GEMINI_API_KEYS");
  EXPECT_EQ(c.config.get_int("telegram.api_id"), 222);
  EXPECT_EQ(c.config.get_string("storage.path"), "/srv/sakai/state.db");
  EXPECT_EQ(c.config.source("storage.path"), "env:SAKAIBOT_STORAGE_PATH");
  EXPECT_EQ(c.config.get_string("data.dir"), "/srv/sakai");
  EXPECT_EQ(c.config.get_seconds("http.timeout"), 120);
  EXPECT_EQ(c.config.get_list("bot.command_prefixes"), (std::vector<std::string>{"/", "."}));
  EXPECT_FALSE(c.config.get_bool("ratelimit.owner_exempt"));
}

TEST(ConfigLoader, DebugMapsToLogLevelBelowSakaibotLogLevel) {
  TempDir dir;
  {
    const Env env{{"DEBUG", "true"}};
    const auto c = load(dir, env);
    EXPECT_EQ(c.config.get_string("log.level"), "debug");
    EXPECT_EQ(c.config.source("log.level"), "env:DEBUG");
  }
  {
    const Env env{{"DEBUG", "true"}, {"SAKAIBOT_LOG_LEVEL", "warn"}};
    EXPECT_EQ(load(dir, env).config.get_string("log.level"), "warn");
  }
  {
    const Env env{{"DEBUG", "false"}};
    EXPECT_FALSE(load(dir, env).config.is_set("log.level"));
  }
}

TEST(ConfigLoader, DotenvSyntax) {
  TempDir dir;
  dir.write(".env",
            "# comment\n"
            "\n"
            "   # indented comment\n"
            "export SAKAIBOT_GEMINI_MODEL=exported\r\n"
            "SAKAIBOT_OPENAI_MODEL = spaced # inline comment\n"
            "SAKAIBOT_OPENROUTER_MODEL=a#b\n"
            "SAKAIBOT_GEMINI_TTS_VOICE=\"Double # not a comment\"  # comment\n"
            "SAKAIBOT_GEMINI_MODEL_PRO='single \\n $literal'\n"
            "SAKAIBOT_GEMINI_MODEL_FLASH=\"line1\\nline2 \\\"q\\\" back\\\\slash\"\n"
            "SAKAIBOT_GEMINI_MODEL_WEB=\"multi\n"
            "line\"\n"
            "SAKAIBOT_TELEGRAM_SESSION_NAME=first\n"
            "SAKAIBOT_TELEGRAM_SESSION_NAME=second\n"
            "this line is junk\n"
            "SAKAIBOT_GEMINI_TTS_MODEL= # only a comment\n",
            0644);
  const Env env;
  const auto c = load(dir, env);
  EXPECT_EQ(c.config.get_string("gemini.model"), "exported");
  EXPECT_EQ(c.config.get_string("openai.model"), "spaced");
  EXPECT_EQ(c.config.get_string("openrouter.model"), "a#b");
  EXPECT_EQ(c.config.get_string("gemini.tts_voice"), "Double # not a comment");
  EXPECT_EQ(c.config.get_string("gemini.model_pro"), "single \\n $literal");
  EXPECT_EQ(c.config.get_string("gemini.model_flash"), "line1\nline2 \"q\" back\\slash");
  EXPECT_EQ(c.config.get_string("gemini.model_web"), "multi\nline");
  EXPECT_EQ(c.config.get_string("telegram.session_name"), "second");
  EXPECT_FALSE(c.config.is_set("gemini.tts_model"));
  // The junk line is a warning that names its line (14).
  const ConfigProblem* p = find_problem(c, dir.file(".env"));
  ASSERT_NE(p, nullptr);
  EXPECT_TRUE(p->warning);
  EXPECT_THAT(p->problem, HasSubstr("line 14"));
  // No secrets in it: no permission warning although it is 0644.
  EXPECT_EQ(std::count_if(c.problems.begin(), c.problems.end(),
                          [&](const ConfigProblem& q) { return q.key == dir.file(".env"); }),
            1)
      << render_problems(c.problems);
}

TEST(ConfigLoader, ExplicitPathMustExist) {
  TempDir dir;
  const Env env;
  LoadOptions opts;
  opts.env = &env;
  opts.working_dir = dir.path();
  opts.explicit_path = dir.file("nope.toml");
  const auto r = load_config(opts);
  ASSERT_FALSE(r.is_ok());
  EXPECT_THAT(r.status().message(), HasSubstr(dir.file("nope.toml")));
  EXPECT_EQ(r.status().code(), ErrorCode::kNotFound);

  const Env env2{{"SAKAIBOT_CONFIG", dir.file("missing.toml")}};
  opts.env = &env2;
  opts.explicit_path.reset();
  const auto r2 = load_config(opts);
  ASSERT_FALSE(r2.is_ok());
  EXPECT_THAT(r2.status().message(), HasSubstr(dir.file("missing.toml")));
  EXPECT_THAT(r2.status().message(), HasSubstr("SAKAIBOT_CONFIG"));
}

TEST(ConfigLoader, ConfigPathFromEnvironmentAndDotenvBesideIt) {
  TempDir dir;
  dir.write("sakaibot.toml", "[gemini]\nmodel = \"working-dir-file\"\n");
  const std::string other = dir.write("etc/bot.toml", "[gemini]\nmodel = \"other-file\"\n");
  const std::string beside =
      dir.write("etc/.env", "OPENAI_MODEL=beside\nGEMINI_TTS_VOICE=beside\n");
  const std::string local = dir.write(".env", "OPENAI_MODEL=local\n");
  const Env env{{"SAKAIBOT_CONFIG", other}};
  const auto c = load(dir, env);
  EXPECT_EQ(c.file_path, other);
  EXPECT_EQ(c.config.get_string("gemini.model"), "other-file");
  EXPECT_EQ(c.env_files, (std::vector<std::string>{local, beside}));
  EXPECT_EQ(c.config.get_string("openai.model"), "local");  // the working directory's wins
  EXPECT_EQ(c.config.get_string("gemini.tts_voice"), "beside");
  EXPECT_EQ(c.config.source("gemini.tts_voice"), ".env:" + beside);

  // --config beats SAKAIBOT_CONFIG; a relative path is resolved in the working directory.
  const auto c2 = load(dir, env, "sakaibot.toml");
  EXPECT_EQ(c2.config.get_string("gemini.model"), "working-dir-file");
}

TEST(ConfigLoader, TomlValuesBecomeStrings) {
  TempDir dir;
  dir.write("sakaibot.toml",
            "[telegram]\n"
            "api_id = 1234567\n"
            "api_hash = \"0123456789abcdef0123456789abcdef\"\n"
            "phone = \"+989121234567\"\n"
            "[bot]\n"
            "command_prefixes = [\"/\", \",\"]\n"
            "max_input_chars = 4096\n"
            "[ratelimit]\n"
            "owner_exempt = false\n"
            "window = \"2m\"\n"
            "[llm]\n"
            "fallback = [\"openrouter\", \"openai\"]\n"
            "[gemini]\n"
            "api_keys = [\"k1\", \"k2\"]\n"
            "[openrouter]\n"
            "api_keys = [\"one,with,commas\"]\n");
  const Env env;
  const auto c = load(dir, env);
  EXPECT_TRUE(c.problems.empty()) << render_problems(c.problems);
  EXPECT_EQ(c.config.get_int("telegram.api_id"), 1234567);
  EXPECT_EQ(c.config.raw("telegram.api_id"), "1234567");
  EXPECT_EQ(c.config.get_list("bot.command_prefixes"), (std::vector<std::string>{"/", ","}));
  EXPECT_EQ(c.config.get_int("bot.max_input_chars"), 4096);
  EXPECT_FALSE(c.config.get_bool("ratelimit.owner_exempt"));
  EXPECT_EQ(c.config.get_seconds("ratelimit.window"), 120);
  EXPECT_EQ(c.config.get_list("llm.fallback"), (std::vector<std::string>{"openrouter", "openai"}));
  EXPECT_EQ(c.config.raw("gemini.api_keys"), "k1\nk2");
  EXPECT_EQ(c.config.get_list("openrouter.api_keys"),
            (std::vector<std::string>{"one,with,commas"}));
}

TEST(ConfigLoader, UnknownKeysGetSuggestions) {
  TempDir dir;
  const std::string path = dir.write("sakaibot.toml",
                                     "[telegram]\n"
                                     "api_idd = 5\n"
                                     "model = \"x\"\n"
                                     "zzzzzzzzzzzz = 1\n"
                                     "[gemeni]\n"
                                     "model = \"y\"\n");
  const Env env;
  const auto c = load(dir, env);
  const ConfigProblem* p = find_problem(c, "telegram.api_idd");
  ASSERT_NE(p, nullptr) << render_problems(c.problems);
  EXPECT_FALSE(p->warning);
  EXPECT_THAT(p->fix, HasSubstr("did you mean telegram.api_id?"));
  EXPECT_THAT(p->problem, HasSubstr("line 2"));
  const ConfigProblem* moved = find_problem(c, "telegram.model");
  ASSERT_NE(moved, nullptr);
  EXPECT_THAT(moved->fix, HasSubstr("gemini.model"));
  const ConfigProblem* far = find_problem(c, "telegram.zzzzzzzzzzzz");
  ASSERT_NE(far, nullptr);
  EXPECT_THAT(far->fix, Not(HasSubstr("did you mean")));
  const ConfigProblem* section = find_problem(c, "[gemeni]");
  ASSERT_NE(section, nullptr);
  EXPECT_THAT(section->fix, HasSubstr("did you mean [gemini]?"));
  EXPECT_FALSE(c.config.is_set("telegram.api_id"));
}

TEST(ConfigLoader, UnknownSakaibotEnvironmentVariableIsAWarning) {
  TempDir dir;
  const Env env{{"SAKAIBOT_TELEGRAM_APIID", "1"}, {"SAKAIBOT_CONFIG_UNRELATED_THING_XYZ", "1"}};
  const auto c = load(dir, env);
  const ConfigProblem* p = find_problem(c, "SAKAIBOT_TELEGRAM_APIID");
  ASSERT_NE(p, nullptr);
  EXPECT_TRUE(p->warning);
  EXPECT_THAT(p->fix, HasSubstr("SAKAIBOT_TELEGRAM_API_ID"));
  EXPECT_FALSE(has_errors(c.problems));
}

TEST(ConfigLoader, TomlSyntaxErrorNamesTheLine) {
  TempDir dir;
  const std::string path =
      dir.write("sakaibot.toml", "[bot]\nlanguage = \"fa\"\nmax_input_chars = = 3\n");
  const Env env{{"SAKAIBOT_GEMINI_MODEL", "still-loaded"}};
  const auto c = load(dir, env);
  const ConfigProblem* p = find_problem(c, path);
  ASSERT_NE(p, nullptr) << render_problems(c.problems);
  EXPECT_FALSE(p->warning);
  EXPECT_THAT(p->problem, HasSubstr("line 3"));
  // The other layers still load.
  EXPECT_EQ(c.config.get_string("gemini.model"), "still-loaded");
}

TEST(ConfigLoader, WrongTomlTypes) {
  TempDir dir;
  dir.write("sakaibot.toml",
            "[telegram]\n"
            "api_id = { value = 1 }\n"
            "session_name = [\"a\", \"b\"]\n"
            "[bot]\n"
            "language = 1979-05-27\n"
            "command_prefixes = [[\"/\"]]\n");
  const Env env;
  const auto c = load(dir, env);
  for (const char* key :
       {"telegram.api_id", "telegram.session_name", "bot.language", "bot.command_prefixes"}) {
    const ConfigProblem* p = find_problem(c, key);
    ASSERT_NE(p, nullptr) << key << "\n" << render_problems(c.problems);
    EXPECT_FALSE(p->warning);
    EXPECT_THAT(p->problem, HasSubstr("but it takes"));
    EXPECT_THAT(p->fix, HasSubstr("write e.g."));
    EXPECT_FALSE(c.config.is_set(key)) << key;
  }
  EXPECT_THAT(find_problem(c, "telegram.api_id")->problem, HasSubstr("a table"));
  EXPECT_THAT(find_problem(c, "telegram.session_name")->problem, HasSubstr("an array"));
  EXPECT_THAT(find_problem(c, "bot.language")->problem, HasSubstr("a date"));
}

TEST(ConfigLoader, SeveralProblemsAtOnce) {
  TempDir dir;
  dir.write("sakaibot.toml",
            "top_level = 1\n"
            "[bot]\n"
            "languag = \"fa\"\n"
            "max_input_chars = \"lots\"\n"
            "[gemini]\n"
            "base_url = \"ftp://example.com\"\n"
            "[log]\n"
            "level = \"loud\"\n");
  const Env env{{"TELEGRAM_API_ID", "abc"}, {"TELEGRAM_API_HASH", kHash}};
  const auto c = load(dir, env);
  const auto errs = errors(c);
  EXPECT_GE(errs.size(), 5U) << render_problems(c.problems);
  for (const char* key : {"top_level", "bot.languag", "bot.max_input_chars", "gemini.base_url",
                          "log.level", "telegram.api_id"}) {
    EXPECT_NE(find_problem(c, key), nullptr) << key << "\n" << render_problems(c.problems);
  }
  EXPECT_THAT(find_problem(c, "bot.languag")->fix, HasSubstr("bot.language"));
}

TEST(ConfigLoader, ValidateMessagesRenderWithFixes) {
  TempDir dir;
  dir.write("sakaibot.toml", "[bot]\nlanguage = \"de\"\n[openai]\nbase_url = \"not a url\"\n");
  const Env env{{"TELEGRAM_API_ID", "abc"}, {"TELEGRAM_API_HASH", kHash}};
  const auto c = load(dir, env);
  const std::string out = render_problems(c.problems);
  EXPECT_THAT(out, HasSubstr("error    telegram.api_id: 'abc' is not a whole number (from "
                             "env:TELEGRAM_API_ID)\n         fix: write a number"));
  EXPECT_THAT(out, HasSubstr("bot.language: 'de' is not one of the choices"));
  EXPECT_THAT(out, HasSubstr("fix: use one of: en, fa, ar"));
  EXPECT_THAT(out, HasSubstr("openai.base_url: 'not a url' is not a usable URL"));
  EXPECT_THAT(out, HasSubstr("warning  gemini.api_keys:"));
}

TEST(ConfigLoader, ApiIdOutOfRange) {
  TempDir dir;
  const Env env{{"TELEGRAM_API_ID", "0"}, {"TELEGRAM_API_HASH", kHash}};
  const auto c = load(dir, env);
  const ConfigProblem* p = find_problem(c, "telegram.api_id");
  ASSERT_NE(p, nullptr);
  EXPECT_THAT(p->problem, HasSubstr("out of range"));
}

TEST(ConfigLoader, PermissionWarningForSecretsReadableByOthers) {
  const Env env;
  {
    TempDir dir;
    const std::string path =
        dir.write("sakaibot.toml", std::string("[telegram]\napi_hash = \"") + kHash + "\"\n", 0644);
    const auto c = load(dir, env);
    const ConfigProblem* p = find_problem(c, path);
    ASSERT_NE(p, nullptr) << render_problems(c.problems);
    EXPECT_TRUE(p->warning);
    EXPECT_EQ(p->fix, "chmod 600 " + path);
    EXPECT_THAT(p->problem, HasSubstr("0644"));
  }
  {
    TempDir dir;
    const std::string path =
        dir.write("sakaibot.toml", std::string("[telegram]\napi_hash = \"") + kHash + "\"\n", 0600);
    const auto c = load(dir, env);
    EXPECT_EQ(find_problem(c, path), nullptr) << render_problems(c.problems);
  }
  {
    // No secret in it: 0644 is fine.
    TempDir dir;
    const std::string path = dir.write("sakaibot.toml", "[bot]\nlanguage = \"fa\"\n", 0644);
    const auto c = load(dir, env);
    EXPECT_EQ(find_problem(c, path), nullptr) << render_problems(c.problems);
  }
  {
    TempDir dir;
    const std::string path = dir.write(".env", "GEMINI_API_KEY_2=secret-key\n", 0640);
    const auto c = load(dir, env);
    const ConfigProblem* p = find_problem(c, path);
    ASSERT_NE(p, nullptr) << render_problems(c.problems);
    EXPECT_TRUE(p->warning);
    EXPECT_EQ(p->fix, "chmod 600 " + path);
  }
  {
    TempDir dir;
    const std::string path = dir.write(".env", "GEMINI_API_KEY=secret-key\n", 0600);
    const auto c = load(dir, env);
    EXPECT_EQ(find_problem(c, path), nullptr) << render_problems(c.problems);
  }
}

TEST(ConfigLoader, ShowMasksSecrets) {
  TempDir dir;
  const std::string toml =
      dir.write("sakaibot.toml", std::string("[telegram]\n"
                                             "api_id = 1234567\n"
                                             "api_hash = \"") +
                                     kHash +
                                     "\"\n"
                                     "phone = \"+989121234567\"\n"
                                     "proxy = \"socks5://proxyuser:proxypass@10.0.0.1:1080\"\n"
                                     "[storage]\n"
                                     "postgres_url = \"postgresql://u:dbpassword@db/sakai\"\n");
  const Env env{{"GEMINI_API_KEY", "AIzaSyVerySecretGeminiKey0001,AIzaSyVerySecretGeminiKey0002"},
                {"SAKAIBOT_HTTP_PROXY", "http://webuser:webpass@127.0.0.1:8080"}};
  const auto c = load(dir, env);
  const std::string out = render_config_show(c.config);
  for (const char* secret :
       {kHash, "989121234567", "proxyuser", "proxypass", "webuser", "webpass", "dbpassword",
        "AIzaSyVerySecretGeminiKey0001", "AIzaSyVerySecretGeminiKey0002", "SecretGemini"}) {
    EXPECT_THAT(out, Not(HasSubstr(secret))) << out;
  }
  for (const auto& secret : c.config.secret_values()) {
    EXPECT_THAT(out, Not(HasSubstr(secret))) << out;
  }
  EXPECT_THAT(out, HasSubstr("[telegram]\n"));
  EXPECT_THAT(out, HasSubstr("api_id = 1234567"));
  EXPECT_THAT(out, HasSubstr("# file:" + toml));
  EXPECT_THAT(out, HasSubstr("# proxy = socks5://***@10.0.0.1:1080"));
  EXPECT_THAT(out, HasSubstr("# proxy = http://***@127.0.0.1:8080"));
  EXPECT_THAT(out, HasSubstr("# secret, masked; env:SAKAIBOT_HTTP_PROXY"));
  EXPECT_THAT(out, HasSubstr("***0001"));
  EXPECT_THAT(out, HasSubstr("# secret, masked; env:GEMINI_API_KEY\n"));
  EXPECT_THAT(out, HasSubstr("language = \"en\""));
  EXPECT_THAT(out, HasSubstr("# default\n"));
  // Every key appears once, in its section.
  for (const auto& k : config_schema()) {
    const std::string section = "\n[" + std::string(k.section) + "]\n";
    const auto at = out.find(section);
    ASSERT_NE(at, std::string::npos) << section;
    const auto end = out.find("\n[", at + 1);
    const std::string body = out.substr(at, end == std::string::npos ? end : end - at);
    EXPECT_TRUE(body.find("\n" + std::string(k.name) + " = ") != std::string::npos ||
                body.find("\n# " + std::string(k.name) + " = ") != std::string::npos)
        << k.dotted() << " in\n"
        << body;
  }
}

TEST(ConfigLoader, RenderProblemsNeverPrintsSecrets) {
  const std::vector<ConfigProblem> problems = {
      {"telegram.api_hash", "'supersecretvalue' is odd", "copy it again"},
      {"telegram.proxy", "'socks5://user:unterminated-secret@host", "fix it", true},
  };
  const std::string out = render_problems(problems);
  EXPECT_THAT(out, Not(HasSubstr("supersecretvalue")));
  EXPECT_THAT(out, Not(HasSubstr("unterminated-secret")));
  EXPECT_THAT(out,
              HasSubstr("error    telegram.api_hash: '***' is odd\n         fix: copy it again\n"));
  EXPECT_THAT(out, HasSubstr("warning  telegram.proxy:"));
  EXPECT_EQ(render_problems({}), "");

  // A malformed secret proxy from validate() stays masked too.
  TempDir dir;
  const Env env{{"SAKAIBOT_HTTP_PROXY", "gopher://hunter2hunter2@host"}};
  LoadOptions opts;
  opts.env = &env;
  opts.working_dir = dir.path();
  const auto c = load_config(opts);
  ASSERT_TRUE(c.is_ok());
  EXPECT_NE(find_problem(*c, "http.proxy"), nullptr);
  EXPECT_THAT(render_problems(c->problems), Not(HasSubstr("hunter2")));
}

TEST(ConfigLoader, ReadsTheRealProcessEnvironment) {
  TempDir dir;
  ASSERT_EQ(::setenv("SAKAIBOT_OPENAI_MODEL", "from-process-env", 1), 0);
  LoadOptions opts;
  opts.working_dir = dir.path();
  const auto c = load_config(opts);
  ::unsetenv("SAKAIBOT_OPENAI_MODEL");
  ASSERT_TRUE(c.is_ok());
  EXPECT_EQ(c->config.get_string("openai.model"), "from-process-env");
  EXPECT_EQ(c->config.source("openai.model"), "env:SAKAIBOT_OPENAI_MODEL");
}

}  // namespace
}  // namespace sakai::app
