#include "core/log.h"

#include <algorithm>
#include <ctime>
#include <ostream>

#include <fmt/format.h>

#include "core/text.h"

namespace sakai {
namespace {

bool is_key_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

// Masks token-shaped substrings: Google API keys ("AIza" + 35 chars), OpenAI-style "sk-..."
// keys, Hugging Face "hf_..." tokens. Registered secrets catch the rest.
void redact_key_shapes(std::string& s) {
  struct Shape {
    std::string_view prefix;
    std::size_t min_tail;
  };
  static constexpr Shape kShapes[] = {{"AIza", 30}, {"sk-", 20}, {"hf_", 20}};
  for (const Shape& shape : kShapes) {
    std::size_t pos = 0;
    while ((pos = s.find(shape.prefix, pos)) != std::string::npos) {
      if (pos > 0 && is_key_char(s[pos - 1])) {
        pos += shape.prefix.size();
        continue;
      }
      std::size_t end = pos + shape.prefix.size();
      while (end < s.size() && is_key_char(s[end]))
        ++end;
      if (end - pos - shape.prefix.size() >= shape.min_tail) {
        s.replace(pos, end - pos, "***");
        pos += 3;
      } else {
        pos = end;
      }
    }
  }
}

}  // namespace

std::optional<LogLevel> parse_log_level(std::string_view s) {
  if (s == "trace") return LogLevel::kTrace;
  if (s == "debug") return LogLevel::kDebug;
  if (s == "info") return LogLevel::kInfo;
  if (s == "warn" || s == "warning") return LogLevel::kWarn;
  if (s == "error") return LogLevel::kError;
  if (s == "off") return LogLevel::kOff;
  return std::nullopt;
}

std::string_view log_level_name(LogLevel level) {
  switch (level) {
    case LogLevel::kTrace:
      return "trace";
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarn:
      return "warn";
    case LogLevel::kError:
      return "error";
    case LogLevel::kOff:
      return "off";
  }
  return "info";
}

std::string json_quote(std::string_view s) {
  return text::quote_escaped(s, text::QuoteStyle::kJson);
}

Logger::Logger(LogLevel level, LogFormat format, std::ostream& sink, const Clock& clock)
    : level_(level), format_(format), sink_(sink), clock_(clock) {}

void Logger::add_secret(std::string secret) {
  if (secret.size() < 4) return;
  std::lock_guard lock(mu_);
  for (const auto& s : secrets_) {
    if (s == secret) return;
  }
  secrets_.push_back(std::move(secret));
  // Longest first, so a secret that contains a shorter one is masked whole.
  std::sort(secrets_.begin(), secrets_.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

std::string Logger::redact(std::string_view in) const {
  std::string s(in);
  {
    std::lock_guard lock(mu_);
    for (const auto& secret : secrets_) {
      std::size_t pos = 0;
      while ((pos = s.find(secret, pos)) != std::string::npos) {
        s.replace(pos, secret.size(), "***");
        pos += 3;
      }
    }
  }
  redact_key_shapes(s);
  return s;
}

void Logger::log(LogLevel level, std::string_view component, std::string_view message,
                 std::initializer_list<LogField> fields) {
  if (!enabled(level)) return;
  const auto wall = clock_.wall_now();
  const auto ms = to_unix_ms(wall);
  const std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  const std::string ts =
      fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms % 1000);
  std::string line;
  if (format_ == LogFormat::kJson) {
    line = fmt::format("{{\"ts\":\"{}\",\"level\":\"{}\",\"component\":{},\"msg\":{}", ts,
                       log_level_name(level), json_quote(component), json_quote(redact(message)));
    for (const auto& f : fields) {
      line += fmt::format(",{}:{}", json_quote(f.key), json_quote(redact(f.value)));
    }
    line += "}\n";
  } else {
    line = fmt::format("{} {:<5} [{}] {}", ts, log_level_name(level), component, redact(message));
    for (const auto& f : fields)
      line += fmt::format(" {}={}", f.key, redact(f.value));
    line += '\n';
  }
  std::lock_guard lock(mu_);
  sink_ << line << std::flush;
}

}  // namespace sakai
