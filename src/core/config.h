#pragma once
// Configuration values and their schema. The schema (config_schema.cpp) is the one list of every
// key: its type, default, whether it is secret, its environment variable and the SakaiBot 2.0
// names it also accepts. `config validate`, `config show`, `config example` and
// docs/CONFIGURATION.md are all generated from it. Loading files is the app layer's job
// (app/config_loader); this header is pure.
// Thread-safety: immutable once loaded; read from any thread.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sakai {

enum class ConfigType { kString, kInt, kBool, kFloat, kStringList, kUrl, kEnum, kDuration };

struct ConfigKey {
  std::string_view section;
  std::string_view name;
  ConfigType type;
  std::string_view default_value;  // as it would be written in the TOML file ("" = unset)
  bool secret;
  std::string_view description;
  // SakaiBot 2.0 / conventional environment names, in increasing priority. A name ending in
  // "_*" stands for numbered variants (GEMINI_API_KEY_1, _2, ...) appended to a list key.
  std::vector<std::string_view> legacy_env;
  std::vector<std::string_view> choices;  // kEnum values, or URL schemes for kUrl
  long long min = 0;                      // kInt bounds (min == max == 0: unbounded)
  long long max = 0;

  [[nodiscard]] std::string dotted() const;
  // SAKAIBOT_<SECTION>_<NAME>, upper-case.
  [[nodiscard]] std::string env_name() const;
};

const std::vector<ConfigKey>& config_schema();
const ConfigKey* find_config_key(std::string_view dotted);

struct ConfigProblem {
  std::string key;       // dotted key, or the file for file-level problems
  std::string problem;   // what is wrong
  std::string fix;       // what to do about it
  bool warning = false;  // warnings do not fail validation
};

// "string", "int", "bool", "float", "string list", "url", "enum", "duration".
std::string_view config_type_name(ConfigType type);
// Whether Config's reader `getter` ("get_string", "get_int", ..., "is_set", "source", "raw")
// takes a key of `type`: get_string reads kString, kUrl and kEnum; get_int kInt; get_bool kBool;
// get_float kFloat; get_list kStringList; get_seconds kDuration; is_set, source and raw any type.
// False for a name that is not a reader.
bool config_reader_accepts(std::string_view getter, ConfigType type);

// A loaded configuration: raw string values per dotted key, with where each came from.
//
// Every reader below throws std::logic_error, naming the key, for a key the schema does not have
// or (typed getters) a key of another type, e.g. get_int on a kString key: that is a programming
// error, never a configuration one, so it must not pass silently as a default. A test scans
// every literal key under src/ against the schema (tests/unit/core/config_keys_test.cpp).
class Config {
 public:
  // Lists are stored joined by '\n'. Any key may be set (the loader reports unknown ones).
  void set(std::string_view dotted, std::string value, std::string source);
  void unset(std::string_view dotted);
  [[nodiscard]] bool is_set(std::string_view dotted) const;
  // "default", "file:<path>", ".env:<path>", "env:<NAME>"
  [[nodiscard]] std::string source(std::string_view dotted) const;
  // The value as written (lists joined by '\n'), or the schema default: any type, for display.
  [[nodiscard]] std::string raw(std::string_view dotted) const;

  // Typed getters fall back to the schema default when unset or malformed (validate() reports
  // malformed values; a running bot never sees them because startup refuses an invalid config).
  [[nodiscard]] std::string get_string(std::string_view dotted) const;
  [[nodiscard]] long long get_int(std::string_view dotted) const;
  [[nodiscard]] bool get_bool(std::string_view dotted) const;
  [[nodiscard]] double get_float(std::string_view dotted) const;
  [[nodiscard]] std::vector<std::string> get_list(std::string_view dotted) const;
  // Durations are written "90s", "15m", "2h", "7d" or plain seconds.
  [[nodiscard]] long long get_seconds(std::string_view dotted) const;

  // Every problem at once; unknown keys were reported by the loader.
  [[nodiscard]] std::vector<ConfigProblem> validate() const;
  // Every secret value currently set (for log redaction).
  [[nodiscard]] std::vector<std::string> secret_values() const;

  [[nodiscard]] const std::map<std::string, std::string, std::less<>>& values() const {
    return values_;
  }

 private:
  // The schema entry for a reader's key; throws std::logic_error (see above).
  static const ConfigKey& key_for(std::string_view getter, std::string_view dotted);
  [[nodiscard]] std::string raw_or_default(const ConfigKey& key) const;
  std::map<std::string, std::string, std::less<>> values_;
  std::map<std::string, std::string, std::less<>> sources_;
};

std::optional<bool> parse_bool(std::string_view s);
std::optional<long long> parse_duration_seconds(std::string_view s);
// Masks a secret for display: "***9f2c (39 chars)"; short values become "*** (N chars)".
std::string mask_secret(std::string_view value);

}  // namespace sakai
