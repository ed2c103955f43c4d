#pragma once
// Structured logging: one line per event, human-readable or JSON lines, with secrets redacted.
// Thread-safety: every method may be called from any thread (TDLib's receive thread logs too).
// Ownership: the app creates one Logger and hands references to the components it builds.
#include <initializer_list>
#include <iosfwd>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"

namespace sakai {

enum class LogLevel { kTrace = 0, kDebug, kInfo, kWarn, kError, kOff };
enum class LogFormat { kHuman, kJson };

std::optional<LogLevel> parse_log_level(std::string_view s);
std::string_view log_level_name(LogLevel level);

struct LogField {
  std::string_view key;
  std::string value;
};

class Logger {
 public:
  Logger(LogLevel level, LogFormat format, std::ostream& sink, const Clock& clock);

  // Every later occurrence of `secret` in a message or field is written as "***". Values shorter
  // than 4 bytes are ignored (they would redact ordinary words).
  void add_secret(std::string secret);
  // Redacts registered secrets and anything shaped like a well-known API key.
  [[nodiscard]] std::string redact(std::string_view s) const;

  [[nodiscard]] bool enabled(LogLevel level) const {
    return level >= level_ && level_ != LogLevel::kOff;
  }
  void set_level(LogLevel level) { level_ = level; }

  void log(LogLevel level, std::string_view component, std::string_view message,
           std::initializer_list<LogField> fields = {});
  void debug(std::string_view component, std::string_view message,
             std::initializer_list<LogField> fields = {}) {
    log(LogLevel::kDebug, component, message, fields);
  }
  void info(std::string_view component, std::string_view message,
            std::initializer_list<LogField> fields = {}) {
    log(LogLevel::kInfo, component, message, fields);
  }
  void warn(std::string_view component, std::string_view message,
            std::initializer_list<LogField> fields = {}) {
    log(LogLevel::kWarn, component, message, fields);
  }
  void error(std::string_view component, std::string_view message,
             std::initializer_list<LogField> fields = {}) {
    log(LogLevel::kError, component, message, fields);
  }

 private:
  LogLevel level_;
  LogFormat format_;
  std::ostream& sink_;
  const Clock& clock_;
  mutable std::mutex mu_;
  std::vector<std::string> secrets_;
};

// JSON string escaping (quotes included) for the few places that write JSON by hand.
std::string json_quote(std::string_view s);

}  // namespace sakai
