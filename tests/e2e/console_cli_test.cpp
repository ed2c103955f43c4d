// End-to-end tests of the command line around the console: --version, --help, the `config`
// subcommands, and how the console starts (or refuses to) with a given configuration.
#include <gtest/gtest.h>

#include <regex>

#include "e2e/console_runner.h"

namespace sakai::e2e {
namespace {

// ---------------------------------------------------------------------------------------------
// The command line around the console

TEST(ConsoleCli, VersionAndHelp) {
  Sandbox box;
  const auto v = box.run({"--version"});
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_TRUE(std::regex_match(v.out, std::regex("sakaibot [0-9]+\\.[0-9]+\\.[0-9]+.*\n")))
      << v.out;
  const auto h = box.run({"--help"});
  EXPECT_EQ(h.exit_code, 0);
  EXPECT_TRUE(contains(h.out, "console")) << h.out;
  EXPECT_TRUE(contains(h.out, "config")) << h.out;
  const auto bad = box.run({"frobnicate"});
  EXPECT_EQ(bad.exit_code, 2);
}

TEST(ConsoleCli, ConfigValidateListsEveryProblemAtOnce) {
  Sandbox box;
  box.set_env("TELEGRAM_API_ID", "abc");
  box.set_env("SAKAIBOT_LOG_LEVEL", "loud");
  const auto r = box.run({"config", "validate"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  const std::string all = r.out + r.err;
  EXPECT_TRUE(contains(all, "telegram.api_id")) << all;
  EXPECT_TRUE(contains(all, "'abc' is not a whole number")) << all;
  EXPECT_TRUE(contains(all, "log.level")) << all;
  EXPECT_TRUE(contains(all, "trace, debug, info, warn, error, off")) << all;
  EXPECT_TRUE(contains(all, "Configuration is invalid")) << all;
}

TEST(ConsoleCli, ConfigValidateAcceptsAGoodConfiguration) {
  Sandbox box;
  box.set_env("GEMINI_API_KEY", kGeminiKey);
  box.set_env("TELEGRAM_API_ID", "12345");
  box.set_env("TELEGRAM_API_HASH", "0123456789abcdef0123456789abcdef");
  const auto r = box.run({"config", "validate"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(contains(r.out, "Configuration is valid")) << r.out;
}

TEST(ConsoleCli, ConfigShowMasksSecrets) {
  Sandbox box;
  box.set_env("GEMINI_API_KEY", kGeminiKey);
  box.set_env("TELEGRAM_API_ID", "12345");
  box.set_env("TELEGRAM_API_HASH", "0123456789abcdef0123456789abcdef");
  const auto r = box.run({"config", "show"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "\n# api_keys = [***")) << r.out;
  EXPECT_TRUE(contains(r.out, "env:GEMINI_API_KEY")) << r.out;
  EXPECT_FALSE(contains(r.out + r.err, kGeminiKey)) << r.out;
  EXPECT_FALSE(contains(r.out + r.err, "0123456789abcdef0123456789abcdef")) << r.out;
  EXPECT_TRUE(contains(r.out, "\napi_id = 12345")) << r.out;  // not a secret
}

TEST(ConsoleCli, ConfigExampleIsCommentedToml) {
  Sandbox box;
  const auto r = box.run({"config", "example"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(contains(r.out, "\n[telegram]\n")) << r.out;
  for (const char* section : {"[bot]", "[ratelimit]", "[gemini]", "[storage]", "[log]"}) {
    EXPECT_TRUE(contains(r.out, section)) << section;
  }
  // Every setting is commented out: a line is blank, a comment or a [section] header.
  for (const auto& line : split_lines(r.out)) {
    if (line.empty() || line[0] == '#') continue;
    EXPECT_TRUE(std::regex_match(line, std::regex("\\[[a-z_]+\\]"))) << line;
  }
  // Uncommenting a setting gives `name = value`.
  EXPECT_TRUE(std::regex_search(r.out, std::regex("\n#max_commands = 8\n"))) << r.out;
}

TEST(ConsoleCli, ConfigFileIsUsed) {
  Sandbox box;
  write_file(box.file("conf/bot.toml"), "[bot]\nlanguage = \"fa\"\n");
  const auto r = box.console(script({"/ping"}), {"--config", box.file("conf/bot.toml")});
  expect_clean(r);
  EXPECT_TRUE(has_arabic_letter(r.answer_to(1))) << r.answer_to(1);
}

TEST(ConsoleCli, MissingExplicitConfigExits2WithThePath) {
  Sandbox box;
  const std::string missing = box.file("nowhere/sakaibot.toml");
  const auto r = box.console(script({"/ping"}), {"--config", missing});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.err, missing)) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
}

TEST(ConsoleCli, InvalidConfigurationStopsTheConsole) {
  Sandbox box;
  box.set_env("SAKAIBOT_RATELIMIT_MAX_COMMANDS", "lots");
  const auto r = box.console(script({"/ping"}));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.err, "ratelimit.max_commands")) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
}

TEST(ConsoleCli, CorruptDatabaseIsLeftUntouched) {
  Sandbox box;
  std::string garbage;
  std::uint32_t x = 0x9E3779B9u;
  for (int i = 0; i < 8192; ++i) {
    x ^= x << 13, x ^= x >> 17, x ^= x << 5;
    garbage += static_cast<char>(x & 0xFF);
  }
  const std::string db = box.file("data/sakaibot.db");
  write_file(db, garbage);
  const auto r = box.console(script({"/ping"}));
  EXPECT_NE(r.exit_code, 0);
  EXPECT_FALSE(r.timed_out);
  EXPECT_TRUE(contains(r.err, db)) << r.err;
  EXPECT_TRUE(contains(r.err, "corrupt")) << r.err;
  EXPECT_TRUE(r.sends().empty());
  EXPECT_EQ(read_file(db), garbage) << "the database file was modified";
  EXPECT_FALSE(std::filesystem::exists(db + "-journal"));
  EXPECT_FALSE(std::filesystem::exists(db + "-wal"));
}

// ---------------------------------------------------------------------------------------------
// Known problems (see the report that came with these tests). Enable once fixed.

// `config validate` accepts enum values in any case ("FA", "ERROR", "SQLite", "JSON"), but the
// code that uses them compares exactly: bot.language=FA answers in English, log.level=ERROR logs
// at info, storage.backend=SQLite refuses to start. Whichever way it is fixed (refuse, or
// normalise), a value that passes `config validate` must work.
TEST(ConsoleCli, EnumValuesThatValidateAreHonoured) {
  {
    Sandbox box;
    box.set_env("SAKAIBOT_BOT_LANGUAGE", "FA");
    if (box.run({"config", "validate"}).exit_code == 0) {
      const auto r = box.console(script({"/ping"}));
      expect_clean(r);
      EXPECT_TRUE(has_arabic_letter(r.answer_to(1))) << r.answer_to(1);
    }
  }
  {
    Sandbox box;
    box.set_env("SAKAIBOT_STORAGE_BACKEND", "SQLite");
    if (box.run({"config", "validate"}).exit_code == 0) {
      const auto r = box.console(script({"/ping"}));
      EXPECT_EQ(r.exit_code, 0) << r.err;
    }
  }
  {
    Sandbox box;
    box.set_env("SAKAIBOT_LOG_LEVEL", "ERROR");
    if (box.run({"config", "validate"}).exit_code == 0) {
      const auto r = box.console(script({"/ping"}));
      expect_clean(r);
      EXPECT_FALSE(contains(r.err, " info ")) << r.err;
    }
  }
}

}  // namespace
}  // namespace sakai::e2e
