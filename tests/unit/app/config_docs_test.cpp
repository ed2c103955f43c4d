// `config example` and docs/CONFIGURATION.md are generated from the schema.
//
// To regenerate the table in docs/CONFIGURATION.md after changing src/core/config_schema.cpp:
//   SAKAIBOT_REGENERATE_DOCS=1 ./build/app_tests --gtest_filter='ConfigDocs.*'
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>

#include "app/config_loader.h"
#include "app/config_render.h"
#include "unit/app/config_test_util.h"

namespace sakai::app {
namespace {

using ::testing::HasSubstr;
using testing::TempDir;

constexpr const char* kDocPath = SAKAIBOT_SOURCE_DIR "/docs/CONFIGURATION.md";

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Removes the '#' of every commented-out `#name = value` line.
std::string uncomment_settings(const std::string& example) {
  std::istringstream in(example);
  std::string out;
  std::string line;
  while (std::getline(in, line)) {
    const auto eq = line.find(" = ");
    const bool setting = line.size() > 1 && line[0] == '#' && line[1] != ' ' &&
                         eq != std::string::npos &&
                         line.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_", 1) == eq;
    out += setting ? line.substr(1) : line;
    out += '\n';
  }
  return out;
}

LoadedConfig load_file(const TempDir& dir, const std::string& content) {
  const std::string path = dir.write("sakaibot.toml", content, 0600);
  const std::map<std::string, std::string> env;
  LoadOptions opts;
  opts.env = &env;
  opts.working_dir = dir.path();
  opts.explicit_path = path;
  auto r = load_config(opts);
  EXPECT_TRUE(r.is_ok());
  return r.is_ok() ? std::move(r).value() : LoadedConfig{};
}

TEST(ConfigDocs, ExampleParsesAsIs) {
  TempDir dir;
  const auto c = load_file(dir, render_config_example());
  EXPECT_FALSE(has_errors(c.problems)) << render_problems(c.problems);
  EXPECT_TRUE(c.config.values().empty());
}

TEST(ConfigDocs, ExampleWithEverySettingUncommentedLoadsCleanly) {
  const std::string example = uncomment_settings(render_config_example());
  TempDir dir;
  const auto c = load_file(dir, example);
  EXPECT_TRUE(c.problems.empty()) << render_problems(c.problems) << "\n" << example;
  // Every key of the schema is in the example, and uncommenting sets each of them.
  for (const auto& k : config_schema()) {
    EXPECT_TRUE(c.config.is_set(k.dotted())) << k.dotted();
  }
  // Defaults round-trip unchanged.
  EXPECT_EQ(c.config.get_string("bot.language"), "en");
  EXPECT_EQ(c.config.get_int("bot.max_input_chars"), 8192);
  EXPECT_EQ(c.config.get_list("bot.command_prefixes"), std::vector<std::string>{"/"});
  EXPECT_TRUE(c.config.get_bool("ratelimit.owner_exempt"));
}

TEST(ConfigDocs, ExampleDescribesEveryKey) {
  const std::string example = render_config_example();
  for (const auto& k : config_schema()) {
    EXPECT_THAT(example, HasSubstr("[" + std::string(k.section) + "]")) << k.dotted();
    EXPECT_THAT(example, HasSubstr("# " + std::string(k.description) + "\n")) << k.dotted();
    EXPECT_THAT(example, HasSubstr(k.env_name())) << k.dotted();
    for (const auto& legacy : k.legacy_env) {
      const std::string name(legacy.substr(0, legacy.find('*')));
      EXPECT_THAT(example, HasSubstr(name)) << k.dotted();
    }
  }
  EXPECT_THAT(example, HasSubstr("#language = \"en\"\n"));
  EXPECT_THAT(example, HasSubstr("#max_input_chars = 8192\n"));
  EXPECT_THAT(example, HasSubstr("#command_prefixes = [\"/\"]\n"));
}

TEST(ConfigDocs, TableListsEveryKey) {
  const std::string table = render_config_table_markdown();
  for (const auto& k : config_schema()) {
    EXPECT_THAT(table, HasSubstr("| `" + k.dotted() + "` |")) << k.dotted();
    EXPECT_THAT(table, HasSubstr("`" + k.env_name() + "`")) << k.dotted();
  }
  EXPECT_THAT(table, HasSubstr("`GEMINI_API_KEY_1` .. `GEMINI_API_KEY_9`"));
  EXPECT_THAT(table, HasSubstr("`DEBUG=true`"));
}

TEST(ConfigDocs, CommittedTableIsUpToDate) {
  const std::string table = render_config_table_markdown();
  std::string doc = read_all(kDocPath);
  const std::string begin = std::string(kConfigTableBegin) + "\n";
  const std::string end = kConfigTableEnd;
  const auto b = doc.find(begin);
  const auto e = doc.find(end);
  ASSERT_NE(b, std::string::npos) << kDocPath << " lacks the line " << kConfigTableBegin;
  ASSERT_NE(e, std::string::npos) << kDocPath << " lacks the line " << kConfigTableEnd;
  ASSERT_LT(b, e);
  const std::size_t table_start = b + begin.size();
  const char* regenerate = std::getenv("SAKAIBOT_REGENERATE_DOCS");
  if (regenerate != nullptr && std::string(regenerate) == "1") {
    doc.replace(table_start, e - table_start, table);
    std::ofstream out(kDocPath, std::ios::binary | std::ios::trunc);
    out << doc;
    ASSERT_TRUE(out.good()) << "could not write " << kDocPath;
    std::cout << "wrote " << kDocPath << "\n";
    return;
  }
  EXPECT_EQ(doc.substr(table_start, e - table_start), table)
      << kDocPath << " is out of date with src/core/config_schema.cpp. Regenerate it with:\n"
      << "  SAKAIBOT_REGENERATE_DOCS=1 ./build/app_tests --gtest_filter='ConfigDocs.*'\n"
      << "(use your build directory).";
}

}  // namespace
}  // namespace sakai::app
