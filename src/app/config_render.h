#pragma once
// Shows the configuration: `config show` (the values in effect and where each came from),
// `config example` (a commented sakaibot.toml) and the key table of docs/CONFIGURATION.md, all
// generated from the schema (core/config.h). Loading and checking it is app/config_loader.h.
//
// Thread-safety: pure functions.
#include <string>
#include <string_view>

#include "app/accounts_config.h"
#include "core/config.h"

namespace sakai::app {

// What `config show` writes for keys whose default SakaiBot works out at run time (""
// = unknown, shown as not set).
struct ShowDefaults {
  std::string data_dir;     // data.dir in use ($XDG_DATA_HOME/sakaibot, ...)
  std::string sqlite_path;  // storage.path in use (<data dir>/sakaibot.db)
};

// `config show`: valid TOML that loads back as the same configuration. One [section] table per
// schema section, every key as `name = value   # source` ("default" for an unset key with a
// default, "default, in use" for a path SakaiBot works out). Secrets, and keys without a value,
// are comments: `# api_hash = ***cdef (32 chars)   # secret, masked; env:TELEGRAM_API_HASH`.
std::string render_config_show(const Config& config, const ShowDefaults& defaults = {});

// `config show` for one account: the values it sets itself (an [[accounts]] entry's, or its
// session directory's name), in the same form, as an [[accounts]] entry with its name, its own
// fields and one [accounts.<section>] table per section it overrides; "" when it sets none.
std::string render_account_show(const AccountConfig& account);

// `config example`: a complete commented sakaibot.toml generated from the schema. Descriptions
// are `# ` comments; settings are commented out as `#name = value` (remove the '#' to use one).
std::string render_config_example();

// The commented [[accounts]] block at the end of `config example`: remove the leading "# " of its
// lines and it loads as one more account.
std::string render_accounts_example();

// The Markdown table of every key, as committed in docs/CONFIGURATION.md.
std::string render_config_table_markdown();

// Markers around the generated table in docs/CONFIGURATION.md.
inline constexpr const char* kConfigTableBegin =
    "<!-- BEGIN GENERATED CONFIG TABLE: do not edit by hand, see tests/unit/app -->";
inline constexpr const char* kConfigTableEnd = "<!-- END GENERATED CONFIG TABLE -->";

// A raw value of `k` (as Config holds it; lists '\n'-joined) written as a TOML value: bare for
// numbers and booleans TOML reads back as the same, an array for lists, else a quoted string.
std::string toml_value_text(const ConfigKey& k, std::string_view raw);

// An example value for `k`, for keys without a default, as a raw config string.
std::string example_value(const ConfigKey& k);

// A TOML basic string: quotes, backslashes and control characters escaped.
std::string toml_quote(std::string_view s);

}  // namespace sakai::app
