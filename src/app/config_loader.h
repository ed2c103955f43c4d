#pragma once
// Loads the configuration from its four layers, checks it, and describes its problems for
// `config validate` and start-up. Showing a configuration (`config show`, `config example`,
// docs/CONFIGURATION.md) is app/config_render.h.
//
// Precedence, later wins:
//   schema defaults < TOML file < .env file < process environment
// The TOML file is `--config`, else $SAKAIBOT_CONFIG, else `sakaibot.toml` in the working
// directory when it exists (no file at all is a valid configuration). `.env` files are read from
// the working directory and from the config file's directory; a variable from a .env file acts
// exactly like an environment variable that is not already set (the working directory's .env
// wins over the config directory's). For every key SAKAIBOT_<SECTION>_<NAME> wins over the
// SakaiBot 2.0 names listed in the schema.
//
// Thread-safety: load_config reads the process environment and the file system; call it from
// one thread at start-up. The other functions are pure.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/accounts_config.h"
#include "core/config.h"
#include "core/result.h"

namespace sakai::app {

// SakaiBot 2.0 turned on debug logging with DEBUG=true; it maps to log.level = debug.
inline constexpr std::string_view kLegacyDebugEnv = "DEBUG";
inline constexpr std::string_view kLegacyDebugKey = "log.level";
// A legacy environment name ending in "_*" stands for NAME_1 .. NAME_9.
inline constexpr int kMaxNumberedEnv = 9;

struct LoadOptions {
  std::optional<std::string> explicit_path;  // --config
  // For tests; nullptr = the real process environment (environ).
  const std::map<std::string, std::string>* env = nullptr;
  std::string working_dir;  // where to look for sakaibot.toml and .env; "" = cwd
};

struct LoadedConfig {
  // The shared configuration (every layer, no account's own values): what the process-wide
  // parts (log, storage, data dir, HTTP, TDLib library) use, and the "default" account's unless
  // an [[accounts]] entry named "default" changes it.
  Config config;
  // Everything wrong at once: the loader's problems (syntax errors, unknown keys, wrong TOML
  // types, file permissions) followed by config.validate(). Errors first is not guaranteed;
  // check `warning` on each.
  std::vector<ConfigProblem> problems;
  std::string file_path;               // "" when no TOML file was read
  std::vector<std::string> env_files;  // .env files that were read, highest priority first
  // Every account, "default" first (app/accounts_config.h); never empty after load_config.
  std::vector<AccountConfig> accounts;

  // Sets `dotted` in the shared configuration and in every account's (command-line overrides of
  // process-wide settings such as log.level).
  void set_everywhere(std::string_view dotted, const std::string& value, const std::string& source);
};

// An error Status only when the configuration cannot be located (an explicit --config or
// $SAKAIBOT_CONFIG path that does not exist); everything else is a problem in the result.
Result<LoadedConfig> load_config(const LoadOptions& opts);

// True when any problem is an error (not a warning).
bool has_errors(const std::vector<ConfigProblem>& problems);

// Human-readable problem list, one problem per entry, each followed by its fix. Never prints a
// secret value. "" when there are none.
std::string render_problems(const std::vector<ConfigProblem>& problems);

// The schema's sections in schema order: the [tables] a sakaibot.toml may hold.
std::vector<std::string> config_sections();

}  // namespace sakai::app
