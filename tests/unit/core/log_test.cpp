#include "core/log.h"

#include <gtest/gtest.h>

#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace sakai {
namespace {

constexpr const char* kGeminiKey = "AIzaSyTESTKEY1234567890123456789012345";

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// Parses one JSON log line: a flat object whose values are all strings, as the logger writes
// them. nullopt when the line is not exactly that (the core tests do not link a JSON library).
std::optional<std::map<std::string, std::string>> parse_flat_json(const std::string& line) {
  std::size_t i = 0;
  const auto parse_string = [&](std::string& out) {
    if (i >= line.size() || line[i] != '"') return false;
    ++i;
    while (i < line.size() && line[i] != '"') {
      const auto c = static_cast<unsigned char>(line[i]);
      if (c < 0x20) return false;  // raw control characters are not allowed in JSON strings
      if (c == '\\') {
        if (++i >= line.size()) return false;
        switch (line[i]) {
          case '"':
            out += '"';
            break;
          case '\\':
            out += '\\';
            break;
          case '/':
            out += '/';
            break;
          case 'n':
            out += '\n';
            break;
          case 'r':
            out += '\r';
            break;
          case 't':
            out += '\t';
            break;
          case 'b':
            out += '\b';
            break;
          case 'f':
            out += '\f';
            break;
          case 'u': {
            if (i + 4 >= line.size()) return false;
            const unsigned v = std::stoul(line.substr(i + 1, 4), nullptr, 16);
            if (v >= 0x80) return false;  // enough for the logger's escapes
            out += static_cast<char>(v);
            i += 4;
            break;
          }
          default:
            return false;
        }
      } else {
        out += line[i];
      }
      ++i;
    }
    if (i >= line.size()) return false;
    ++i;  // closing quote
    return true;
  };
  std::map<std::string, std::string> fields;
  if (line.empty() || line[i++] != '{') return std::nullopt;
  while (true) {
    std::string key, value;
    if (!parse_string(key) || i >= line.size() || line[i++] != ':' || !parse_string(value)) {
      return std::nullopt;
    }
    if (!fields.emplace(key, value).second) return std::nullopt;  // duplicate key
    if (i < line.size() && line[i] == ',') {
      ++i;
      continue;
    }
    break;
  }
  if (i >= line.size() || line[i++] != '}') return std::nullopt;
  if (i != line.size()) return std::nullopt;
  return fields;
}

std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  std::string line;
  while (std::getline(in, line))
    out.push_back(line);
  return out;
}

struct LogFixture {
  explicit LogFixture(LogFormat format, LogLevel level = LogLevel::kTrace)
      : log(level, format, sink, clock) {}
  ManualClock clock;  // 2023-11-14T22:13:20Z
  std::ostringstream sink;
  Logger log;
};

TEST(CoreLog, HumanLineFormat) {
  LogFixture f(LogFormat::kHuman);
  f.clock.advance(std::chrono::milliseconds(1234));
  f.log.info("app", "storage ready", {{"backend", "sqlite"}, {"path", "/tmp/x.db"}});
  EXPECT_EQ(f.sink.str(),
            "2023-11-14T22:13:21.234Z info  [app] storage ready backend=sqlite path=/tmp/x.db\n");
}

TEST(CoreLog, JsonLinesParse) {
  LogFixture f(LogFormat::kJson);
  f.log.warn("commands", "a \"quoted\" message\nwith a newline, a tab\t, a \\ and \x01",
             {{"command", "ping"}, {"latency_ms", "3"}});
  f.log.error("app", "second");
  const auto lines = lines_of(f.sink.str());
  ASSERT_EQ(lines.size(), 2u) << f.sink.str();  // one event, one line
  const auto first = parse_flat_json(lines[0]);
  ASSERT_TRUE(first.has_value()) << lines[0];
  EXPECT_EQ(first->at("ts"), "2023-11-14T22:13:20.000Z");
  EXPECT_EQ(first->at("level"), "warn");
  EXPECT_EQ(first->at("component"), "commands");
  EXPECT_EQ(first->at("msg"), "a \"quoted\" message\nwith a newline, a tab\t, a \\ and \x01");
  EXPECT_EQ(first->at("command"), "ping");
  EXPECT_EQ(first->at("latency_ms"), "3");
  const auto second = parse_flat_json(lines[1]);
  ASSERT_TRUE(second.has_value()) << lines[1];
  EXPECT_EQ(second->at("level"), "error");
  EXPECT_EQ(second->size(), 4u);
}

TEST(CoreLog, JsonQuote) {
  EXPECT_EQ(json_quote(""), "\"\"");
  EXPECT_EQ(json_quote("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(json_quote("\n\r\t\x1f"), "\"\\n\\r\\t\\u001f\"");
  EXPECT_EQ(json_quote("سلام"), "\"سلام\"");
}

TEST(CoreLog, LevelsFilter) {
  LogFixture f(LogFormat::kHuman, LogLevel::kWarn);
  f.log.debug("x", "debug line");
  f.log.info("x", "info line");
  f.log.warn("x", "warn line");
  f.log.error("x", "error line");
  EXPECT_FALSE(contains(f.sink.str(), "debug line"));
  EXPECT_FALSE(contains(f.sink.str(), "info line"));
  EXPECT_TRUE(contains(f.sink.str(), "warn line"));
  EXPECT_TRUE(contains(f.sink.str(), "error line"));
  EXPECT_FALSE(f.log.enabled(LogLevel::kInfo));
  f.log.set_level(LogLevel::kOff);
  f.log.error("x", "silenced");
  EXPECT_FALSE(contains(f.sink.str(), "silenced"));
  EXPECT_FALSE(f.log.enabled(LogLevel::kError));
}

TEST(CoreLog, ParseLevelNames) {
  EXPECT_EQ(parse_log_level("trace"), LogLevel::kTrace);
  EXPECT_EQ(parse_log_level("debug"), LogLevel::kDebug);
  EXPECT_EQ(parse_log_level("info"), LogLevel::kInfo);
  EXPECT_EQ(parse_log_level("warn"), LogLevel::kWarn);
  EXPECT_EQ(parse_log_level("warning"), LogLevel::kWarn);
  EXPECT_EQ(parse_log_level("error"), LogLevel::kError);
  EXPECT_EQ(parse_log_level("off"), LogLevel::kOff);
  EXPECT_EQ(parse_log_level("loud"), std::nullopt);
  for (LogLevel l : {LogLevel::kTrace, LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarn,
                     LogLevel::kError, LogLevel::kOff}) {
    EXPECT_EQ(parse_log_level(log_level_name(l)), l);
  }
}

TEST(CoreLog, RegisteredSecretsAreRedactedInHumanLines) {
  LogFixture f(LogFormat::kHuman);
  f.log.add_secret("0123456789abcdef0123456789abcdef");
  f.log.add_secret("alice:hunter2");
  f.log.info("telegram", "login with 0123456789abcdef0123456789abcdef",
             {{"proxy", "socks5://alice:hunter2@proxy:1080"},
              {"again", "x0123456789abcdef0123456789abcdefx"}});
  const std::string out = f.sink.str();
  EXPECT_FALSE(contains(out, "0123456789abcdef0123456789abcdef")) << out;
  EXPECT_FALSE(contains(out, "hunter2")) << out;
  EXPECT_TRUE(contains(out, "login with ***")) << out;
  EXPECT_TRUE(contains(out, "proxy=socks5://***@proxy:1080")) << out;
  EXPECT_TRUE(contains(out, "again=x***x")) << out;
}

TEST(CoreLog, RegisteredSecretsAreRedactedInJsonLines) {
  LogFixture f(LogFormat::kJson);
  f.log.add_secret("my-proxy-password");
  f.log.error("http", "failed: my-proxy-password rejected",
              {{"url", "http://u:my-proxy-password@h"}});
  const std::string out = f.sink.str();
  EXPECT_FALSE(contains(out, "my-proxy-password")) << out;
  const auto parsed = parse_flat_json(lines_of(out).at(0));
  ASSERT_TRUE(parsed.has_value()) << out;
  EXPECT_EQ(parsed->at("msg"), "failed: *** rejected");
  EXPECT_EQ(parsed->at("url"), "http://u:***@h");
}

TEST(CoreLog, KeyShapedStringsAreRedactedWithoutRegistration) {
  LogFixture f(LogFormat::kHuman);
  f.log.info("ai", std::string("gemini key ") + kGeminiKey + " failed",
             {{"openai", "sk-abcdefghijklmnopqrstuvwxyz012345"},
              {"hf", "hf_abcdefghijklmnopqrstuvwxyz"},
              {"proj", "sk-proj-abcdefghijklmnopqrstuvwxyz0123"},
              {"url", std::string("https://x/v1?key=") + kGeminiKey}});
  const std::string out = f.sink.str();
  EXPECT_FALSE(contains(out, "TESTKEY")) << out;
  EXPECT_FALSE(contains(out, "abcdefghijklmnopqrstuvwxyz")) << out;
  EXPECT_TRUE(contains(out, "gemini key *** failed")) << out;
  EXPECT_TRUE(contains(out, "url=https://x/v1?key=***")) << out;
}

TEST(CoreLog, OrdinaryWordsAreNotMistakenForKeys) {
  ManualClock clock;
  Logger log(LogLevel::kInfo, LogFormat::kHuman, std::cerr, clock);
  EXPECT_EQ(log.redact("task-list and disk-usage are fine"), "task-list and disk-usage are fine");
  EXPECT_EQ(log.redact("sk-short"), "sk-short");
  EXPECT_EQ(log.redact("AIza is a prefix"), "AIza is a prefix");
  EXPECT_EQ(log.redact("mask-abcdefghijklmnopqrstuvwxyz"), "mask-abcdefghijklmnopqrstuvwxyz");
}

TEST(CoreLog, ShortSecretsAreIgnored) {
  ManualClock clock;
  std::ostringstream sink;
  Logger log(LogLevel::kInfo, LogFormat::kHuman, sink, clock);
  log.add_secret("");
  log.add_secret("abc");  // would redact ordinary words
  EXPECT_EQ(log.redact("abc abcd"), "abc abcd");
  log.add_secret("abcd");
  log.add_secret("abcd");  // twice is once
  EXPECT_EQ(log.redact("abc abcd"), "abc ***");
}

TEST(CoreLog, SecretsAreRedactedWhenOneContainsAnother) {
  ManualClock clock;
  std::ostringstream sink;
  Logger log(LogLevel::kInfo, LogFormat::kHuman, sink, clock);
  // A proxy URL is registered whole and by its credentials (Config::secret_values does so).
  log.add_secret("socks5://alice:pa55word@proxy.example:1080");
  log.add_secret("alice:pa55word");
  const std::string out =
      log.redact("via socks5://alice:pa55word@proxy.example:1080 and alice:pa55word");
  EXPECT_FALSE(contains(out, "pa55word")) << out;
}

// Secrets are replaced in the order they were registered: when a shorter secret that is part of
// a longer one comes first, the longer one no longer matches and its remainder leaks.
TEST(CoreLog, SecretsAreRedactedWhenTheShorterOneIsRegisteredFirst) {
  ManualClock clock;
  std::ostringstream sink;
  Logger log(LogLevel::kInfo, LogFormat::kHuman, sink, clock);
  log.add_secret("token-1234");
  log.add_secret("token-1234-and-the-rest-of-a-longer-secret");
  const std::string out = log.redact("token-1234-and-the-rest-of-a-longer-secret");
  EXPECT_EQ(out, "***");
  EXPECT_FALSE(contains(out, "longer-secret")) << out;
}

TEST(CoreLog, ConcurrentLoggingKeepsLinesWhole) {
  ManualClock clock;
  std::ostringstream sink;
  Logger log(LogLevel::kInfo, LogFormat::kJson, sink, clock);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&log, t] {
      for (int i = 0; i < 200; ++i) {
        log.info("thread", "message", {{"t", std::to_string(t)}, {"i", std::to_string(i)}});
      }
    });
  }
  for (auto& th : threads)
    th.join();
  const auto lines = lines_of(sink.str());
  ASSERT_EQ(lines.size(), 800u);
  for (const auto& line : lines)
    ASSERT_TRUE(parse_flat_json(line).has_value()) << line;
}

}  // namespace
}  // namespace sakai
