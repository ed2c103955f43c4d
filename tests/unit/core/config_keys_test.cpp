// Config readers never default silently: an unknown key or a key of another type throws
// std::logic_error (core/config.h). Because that is a programming error, this test finds it
// before a user does: it scans every .cpp/.h under src/ for literal keys handed to a Config
// reader and checks each against the schema.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/config.h"

namespace sakai {
namespace {

struct KeyUse {
  std::string file;
  int line = 0;
  std::string reader;  // "get_int", "is_set", ...
  std::string key;
};

// Every call of a Config reader whose only argument is a string literal, e.g.
// `config.get_int("tts.concurrency")`, also split over lines. Keys built at run time
// (`name + ".model"`) are not literals; the readers themselves check those when called.
std::vector<KeyUse> scan_key_uses(const std::string& text, const std::string& file) {
  static const std::regex kCall(
      R"re(\b(get_string|get_int|get_bool|get_float|get_list|get_seconds|is_set|source|raw)\s*\(\s*"([^"\\]*)"\s*\))re");
  std::vector<KeyUse> out;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), kCall);
       it != std::sregex_iterator(); ++it) {
    const auto& m = *it;
    const auto before = text.begin() + m.position(0);
    const int line = 1 + static_cast<int>(std::count(text.begin(), before, '\n'));
    out.push_back(KeyUse{file, line, m[1].str(), m[2].str()});
  }
  return out;
}

// "file:line: get_int(\"bot.language\"): ..." for each use the schema does not allow.
std::vector<std::string> problems_of(const std::vector<KeyUse>& uses) {
  std::vector<std::string> out;
  for (const auto& u : uses) {
    const std::string where =
        u.file + ":" + std::to_string(u.line) + ": " + u.reader + "(\"" + u.key + "\"): ";
    const ConfigKey* k = find_config_key(u.key);
    if (k == nullptr) {
      out.push_back(where + "no such key in the schema");
    } else if (!config_reader_accepts(u.reader, k->type)) {
      out.push_back(where + "the key is of type " + std::string(config_type_name(k->type)));
    }
  }
  return out;
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines)
    out += l + "\n";
  return out;
}

// The scanner itself, on a snippet with two planted mistakes among correct and dynamic uses.
TEST(ConfigKeyScan, FindsAPlantedUnknownKeyAndATypeMismatch) {
  const std::string snippet = R"(
    const auto n = config.get_int("tts.concurrency");        // fine
    const auto lang = config.get_int("bot.language");        // planted: an enum read as int
    if (config.is_set("gemini.api_keys")) {}                 // fine
    const auto t = config.get_seconds(
        "http.timeout");                                     // fine, over two lines
    const auto m = config.get_string(name + ".model");       // built at run time: not a literal
    const auto x = config.get_string("gemini.tts_modle");    // planted: a typo
    const auto y = config.get_list("bot.command_prefixes");  // fine
  )";
  const auto uses = scan_key_uses(snippet, "snippet.cpp");
  ASSERT_EQ(uses.size(), 6u) << "every literal use, and only those";
  EXPECT_EQ(uses[3].reader, "get_seconds");
  EXPECT_EQ(uses[3].key, "http.timeout");
  EXPECT_EQ(uses[3].line, 5);
  const auto problems = problems_of(uses);
  ASSERT_EQ(problems.size(), 2u) << joined(problems);
  EXPECT_EQ(problems[0], R"x(snippet.cpp:3: get_int("bot.language"): the key is of type enum)x");
  EXPECT_EQ(problems[1],
            R"x(snippet.cpp:8: get_string("gemini.tts_modle"): no such key in the schema)x");
}

// Every literal key used anywhere under src/ exists, with the type its reader reads.
TEST(ConfigKeyScan, EveryLiteralKeyInSrcMatchesTheSchema) {
  const std::filesystem::path src = std::filesystem::path(SAKAIBOT_SOURCE_DIR) / "src";
  ASSERT_TRUE(std::filesystem::is_directory(src)) << src;
  std::vector<KeyUse> uses;
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(src)) {
    const auto ext = entry.path().extension();
    if (!entry.is_regular_file() || (ext != ".cpp" && ext != ".h")) continue;
    ++files;
    const auto found = scan_key_uses(read_file(entry.path()),
                                     std::filesystem::relative(entry.path(), src).string());
    uses.insert(uses.end(), found.begin(), found.end());
  }
  EXPECT_GT(files, 50u);
  EXPECT_GT(uses.size(), 50u) << "the scan found the bot's configuration reads";
  const auto problems = problems_of(uses);
  EXPECT_TRUE(problems.empty()) << joined(problems);
}

// What the scan cannot see (keys built at run time) the readers catch when called.
TEST(ConfigReaders, UnknownKeysAndWrongTypesThrowNamingTheKey) {
  Config c;
  c.set("tts.concurrency", "3", "test");
  EXPECT_EQ(c.get_int("tts.concurrency"), 3);
  const auto message_of = [](const auto& call) -> std::string {
    try {
      call();
    } catch (const std::logic_error& e) {
      return e.what();
    }
    return "(no exception)";
  };
  const std::string unknown = message_of([&] { (void)c.get_string("gemini.tts_modle"); });
  EXPECT_NE(unknown.find("gemini.tts_modle"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("no such key"), std::string::npos) << unknown;
  const std::string mismatch = message_of([&] { (void)c.get_int("bot.language"); });
  EXPECT_NE(mismatch.find("bot.language"), std::string::npos) << mismatch;
  EXPECT_NE(mismatch.find("enum"), std::string::npos) << mismatch;
  EXPECT_THROW((void)c.get_bool("tts.concurrency"), std::logic_error);
  EXPECT_THROW((void)c.get_float("tts.concurrency"), std::logic_error);
  EXPECT_THROW((void)c.get_list("gemini.model"), std::logic_error);
  EXPECT_THROW((void)c.get_seconds("tts.concurrency"), std::logic_error);
  EXPECT_THROW((void)c.get_string("http.timeout"), std::logic_error);
  EXPECT_THROW((void)c.is_set("no.such"), std::logic_error);
  EXPECT_THROW((void)c.source("no.such"), std::logic_error);
  EXPECT_THROW((void)c.raw("no.such"), std::logic_error);
  // Readers that take any type of a known key.
  EXPECT_TRUE(c.is_set("tts.concurrency"));
  EXPECT_EQ(c.raw("tts.concurrency"), "3");
  EXPECT_EQ(c.raw("http.timeout"), "120s");
  EXPECT_EQ(c.source("tts.concurrency"), "test");
  // URLs and enums are strings.
  EXPECT_EQ(c.get_string("gemini.base_url"), "https://generativelanguage.googleapis.com");
  EXPECT_EQ(c.get_string("bot.language"), "en");
}

}  // namespace
}  // namespace sakai
