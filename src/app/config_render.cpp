#include "app/config_render.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "app/config_loader.h"
#include "core/text.h"
#include "net/url.h"

namespace sakai::app {
namespace {

using text::join;

std::vector<std::string> list_items(const ConfigKey& k, std::string_view raw) {
  Config tmp;
  tmp.set(k.dotted(), std::string(raw), "");
  return tmp.get_list(k.dotted());
}

std::string choices_text(const ConfigKey& k, std::string_view quote) {
  std::vector<std::string> v;
  for (const auto& c : k.choices)
    v.push_back(std::string(quote) + std::string(c) + std::string(quote));
  return join(v, ", ");
}

// Environment names for display: "GEMINI_API_KEY_1 .. GEMINI_API_KEY_9" for numbered variants.
std::vector<std::string> display_env_names(const ConfigKey& k, std::string_view quote) {
  auto q = [&](std::string_view s) {
    return std::string(quote) + std::string(s) + std::string(quote);
  };
  std::vector<std::string> out{q(k.env_name())};
  for (const auto& legacy : k.legacy_env) {
    if (legacy.ends_with("_*")) {
      const std::string base(legacy.substr(0, legacy.size() - 1));
      out.push_back(q(base + "1") + " .. " + q(base + std::to_string(kMaxNumberedEnv)));
    } else {
      out.push_back(q(legacy));
    }
  }
  if (k.dotted() == kLegacyDebugKey)
    out.push_back(q(std::string(kLegacyDebugEnv) + "=true") + " (sets debug)");
  return out;
}

// A secret for display: URLs keep scheme, host and port; everything else goes through
// mask_secret().
std::string masked(const ConfigKey& k, const std::string& raw) {
  if (raw.empty()) return "\"\"";
  if (k.type == ConfigType::kUrl) {
    if (auto url = net::parse_url(raw)) {
      if (url->user.empty() && url->password.empty()) return url->redacted();
      std::string out = url->scheme + "://***@";
      out += url->host.find(':') != std::string::npos ? "[" + url->host + "]" : url->host;
      if (url->port != 0) out += ":" + std::to_string(url->port);
      return out;
    }
  }
  return mask_secret(raw);
}

std::string escape_newlines(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string markdown_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '|' || c == '<' || c == '>') out += '\\';
    out += c;
  }
  return out;
}
}  // namespace

std::string toml_value_text(const ConfigKey& k, std::string_view raw) {
  switch (k.type) {
    case ConfigType::kInt:
    case ConfigType::kFloat:
    case ConfigType::kBool: {
      // Bare only when TOML reads it as the same kind of value.
      const std::string_view v = text::trim(raw);
      bool bare = false;
      if (k.type == ConfigType::kBool) {
        bare = v == "true" || v == "false";
      } else {
        const std::string_view digits = !v.empty() && v.front() == '-' ? v.substr(1) : v;
        bare = !digits.empty() && std::all_of(digits.begin(), digits.end(), [&](char c) {
          return (c >= '0' && c <= '9') || (k.type == ConfigType::kFloat && c == '.');
        });
        if (k.type == ConfigType::kFloat && bare) {
          bare = digits.front() != '.' && digits.back() != '.' &&
                 std::count(digits.begin(), digits.end(), '.') <= 1;
        }
      }
      return bare ? std::string(v) : toml_quote(raw);
    }
    case ConfigType::kStringList: {
      std::vector<std::string> quoted;
      for (const auto& item : list_items(k, raw))
        quoted.push_back(toml_quote(item));
      return "[" + join(quoted, ", ") + "]";
    }
    case ConfigType::kString:
    case ConfigType::kUrl:
    case ConfigType::kEnum:
    case ConfigType::kDuration:
      break;
  }
  return toml_quote(raw);
}

std::string example_value(const ConfigKey& k) {
  static const std::map<std::string, std::string, std::less<>> kExamples = {
      {"telegram.api_id", "1234567"},
      {"telegram.api_hash", "0123456789abcdef0123456789abcdef"},
      {"telegram.phone", "+989121234567"},
      {"telegram.tdjson_path", "/usr/local/lib/libtdjson.so"},
      {"telegram.database_key", "a-long-random-passphrase"},
      {"telegram.proxy", "socks5://127.0.0.1:1080"},
      {"llm.fallback", "openrouter\nopenai"},
      {"gemini.api_keys", "your-gemini-key-1\nyour-gemini-key-2"},
      {"gemini.api_key_tts", "your-gemini-tts-key"},
      {"gemini.model_pro", "gemini-2.5-pro"},
      {"gemini.model_flash", "gemini-2.5-flash-lite"},
      {"gemini.model_web", "gemini-2.5-flash"},
      {"openrouter.api_keys", "sk-or-v1-your-key"},
      {"openai.api_keys", "sk-your-key"},
      {"http.proxy", "socks5h://127.0.0.1:1080"},
      {"storage.path", "/var/lib/sakaibot/sakaibot.db"},
      {"storage.postgres_url", "postgresql://sakaibot:password@127.0.0.1/sakaibot"},
      {"data.dir", "/var/lib/sakaibot"},
  };
  if (auto it = kExamples.find(k.dotted()); it != kExamples.end()) return it->second;
  switch (k.type) {
    case ConfigType::kInt:
      return std::to_string(k.min != k.max ? std::max(k.min, 1LL) : 1);
    case ConfigType::kBool:
      return "false";
    case ConfigType::kFloat:
      return "1.0";
    case ConfigType::kDuration:
      return "60s";
    case ConfigType::kEnum:
      return k.choices.empty() ? "" : std::string(k.choices.front());
    case ConfigType::kUrl:
      return (k.choices.empty() ? std::string("https") : std::string(k.choices.front())) +
             "://127.0.0.1:8080";
    case ConfigType::kString:
    case ConfigType::kStringList:
      break;
  }
  return "";
}

namespace {

struct ShowLine {
  std::string left;
  std::string comment;
};

// A key as `config show` writes it under its table: `name = value` in TOML, or, for a secret and
// for a key without a value, the same as a comment (`# api_hash = ***cdef (32 chars)`), so the
// output loads back as TOML and never holds a secret.
ShowLine show_line(const ConfigKey& k, const Config& config, std::string_view name,
                   const ShowDefaults& defaults) {
  const std::string dotted = k.dotted();
  const bool set = config.is_set(dotted);
  const std::string raw = config.raw(dotted);
  const std::string source = set ? config.source(dotted) : "default";
  const std::string key(name);
  if (k.secret) {
    if (!set && raw.empty()) return {"# " + key + " = (not set)", "secret"};
    std::string shown;
    if (k.type == ConfigType::kStringList) {
      std::vector<std::string> items;
      for (const auto& item : config.get_list(dotted))
        items.push_back(masked(k, item));
      shown = "[" + join(items, ", ") + "]";
    } else {
      shown = masked(k, raw);
    }
    return {"# " + key + " = " + shown, "secret, masked; " + source};
  }
  if (!set && raw.empty()) {
    // Paths SakaiBot works out when they are not set: the one in use.
    const std::string* resolved = nullptr;
    if (dotted == "data.dir" && !defaults.data_dir.empty()) resolved = &defaults.data_dir;
    if (dotted == "storage.path" && !defaults.sqlite_path.empty()) resolved = &defaults.sqlite_path;
    if (resolved != nullptr) return {key + " = " + toml_quote(*resolved), "default, in use"};
    return {"# " + key + " = (not set)", "default"};
  }
  return {key + " = " + toml_value_text(k, raw), source};
}

std::string aligned(const std::vector<ShowLine>& lines) {
  std::size_t width = 0;
  for (const auto& l : lines)
    width = std::max(width, text::codepoint_count(l.left));
  width = std::min<std::size_t>(width, 60);
  std::string out;
  for (const auto& l : lines) {
    const std::size_t w = text::codepoint_count(l.left);
    out += l.left;
    out += std::string(w < width ? width - w : 0, ' ');
    // A comment holds no line break (TOML ends it there).
    out += "   # " + escape_newlines(l.comment) + "\n";
  }
  return out;
}

}  // namespace

std::string render_config_show(const Config& config, const ShowDefaults& defaults) {
  std::string out =
      "# The configuration in effect (`sakaibot config show`), as TOML: every key with its value\n"
      "# and, after it, where the value comes from. Secrets are masked and commented out.\n";
  const auto& schema = config_schema();
  for (const auto& section : config_sections()) {
    std::vector<ShowLine> lines;
    for (const auto& k : schema) {
      if (k.section == section) lines.push_back(show_line(k, config, k.name, defaults));
    }
    out += "\n[" + section + "]\n";
    out += aligned(lines);
  }
  return out;
}

std::string render_account_show(const AccountConfig& account) {
  // The entry's own fields first (TOML puts them before the entry's sub-tables), then one
  // [accounts.<section>] table per section it overrides.
  std::vector<ShowLine> fields;
  fields.push_back({"name = " + toml_quote(account.name), "account"});
  std::vector<std::string> claimed;
  for (const auto field : account_entry_fields()) {
    const auto dotted = account_field_key(field);
    if (!dotted || !account_sets(account, *dotted)) continue;
    if (const ConfigKey* k = find_config_key(*dotted)) {
      fields.push_back(show_line(*k, account.config, field, {}));
      claimed.push_back(*dotted);
    }
  }
  std::string tables;
  for (const auto& section : config_sections()) {
    std::vector<ShowLine> lines;
    for (const auto& k : config_schema()) {
      const std::string dotted = k.dotted();
      if (k.section != section || !account_sets(account, dotted)) continue;
      if (std::find(claimed.begin(), claimed.end(), dotted) != claimed.end()) continue;
      lines.push_back(show_line(k, account.config, k.name, {}));
    }
    if (!lines.empty()) tables += "[accounts." + section + "]\n" + aligned(lines);
  }
  if (fields.size() == 1 && tables.empty()) return "";
  return "\n[[accounts]]\n" + aligned(fields) + tables;
}

std::string render_accounts_example() {
  std::string out =
      "\n# ---------------------------------------------------------------------------------------"
      "------\n"
      "# Several Telegram accounts in one process. [telegram] above is the account named\n"
      "# \"default\"; each [[accounts]] entry adds one (an entry named \"default\" changes that "
      "one).\n"
      "# An account shares every setting above except phone, database_key and its session\n"
      "# directory; its own values and [accounts.<section>] tables win over the shared ones.\n"
      "# Per-account sections: " +
      join(account_override_sections(), ", ") +
      ".\n"
      "# Remove the leading \"# \" of the lines below to use them; `sakaibot login --account "
      "work`\n"
      "# logs the account in, `sakaibot accounts` lists them.\n"
      "#\n";
  const std::vector<std::string> lines = {
      "[[accounts]]",
      "name = \"work\"                    # required: letters, digits, _ and -",
      "phone = \"+989121234567\"",
      "session = \"work\"                 # directory under data.dir (default: the name)",
      "language = \"fa\"                  # bot.language of this account",
      "#api_id = 1234567                # default: [telegram]'s api_id, and api_hash likewise",
      "#database_key = \"a-long-random-passphrase\"  # default: generated into the session",
      "#proxy = \"socks5://127.0.0.1:1080\"          # default: [telegram]'s proxy",
      "[accounts.gemini]",
      "api_keys = [\"key-of-the-work-account\"]",
      "[accounts.budget]",
      "daily_tokens_per_user = 20000",
  };
  for (const auto& line : lines)
    out += "# " + line + "\n";
  return out;
}

std::string render_config_example() {
  std::string out =
      "# sakaibot.toml: SakaiBot configuration.\n"
      "# Generated by `sakaibot config example` from the same schema as docs/CONFIGURATION.md.\n"
      "#\n"
      "# Precedence, later wins: built-in defaults < this file < .env < environment variables.\n"
      "# Every setting is commented out. A `#name = value` line shows the default, or an example\n"
      "# when there is no default; remove the leading '#' to set it.\n"
      "# Lists are TOML arrays; in environment variables they are comma separated.\n"
      "# This file holds secrets once you fill in api_hash or API keys: chmod 600 it.\n";
  const auto& schema = config_schema();
  for (const auto& section : config_sections()) {
    out += "\n[" + section + "]\n";
    for (const auto& k : schema) {
      if (k.section != section) continue;
      out += "\n# " + std::string(k.description) + "\n";
      switch (k.type) {
        case ConfigType::kEnum:
          out += "# One of: " + choices_text(k, "") + "\n";
          break;
        case ConfigType::kUrl:
          out += "# URL schemes: " + choices_text(k, "") + "\n";
          break;
        case ConfigType::kDuration:
          out += "# Seconds, or a number with s, m, h, d or w\n";
          break;
        case ConfigType::kInt:
          if (k.min != k.max) out += fmt::format("# From {} to {}\n", k.min, k.max);
          break;
        case ConfigType::kString:
        case ConfigType::kStringList:
        case ConfigType::kBool:
        case ConfigType::kFloat:
          break;
      }
      out += "# Environment: " + join(display_env_names(k, ""), ", ") + "\n";
      if (k.secret) out += "# Secret: shown masked by `sakaibot config show`\n";
      if (k.default_value.empty()) {
        out += "# Not set by default; example:\n";
        out += "#" + std::string(k.name) + " = " + toml_value_text(k, example_value(k)) + "\n";
      } else {
        out += "#" + std::string(k.name) + " = " + toml_value_text(k, k.default_value) + "\n";
      }
    }
  }
  out += render_accounts_example();
  return out;
}

std::string render_config_table_markdown() {
  std::string out =
      "| Key | Type | Default | Environment variables | Secret | Description |\n"
      "|-----|------|---------|-----------------------|--------|-------------|\n";
  for (const auto& k : config_schema()) {
    std::string type;
    switch (k.type) {
      case ConfigType::kString:
        type = "string";
        break;
      case ConfigType::kInt:
        type = k.min != k.max ? fmt::format("integer, {} to {}", k.min, k.max) : "integer";
        break;
      case ConfigType::kBool:
        type = "boolean";
        break;
      case ConfigType::kFloat:
        type = "number";
        break;
      case ConfigType::kStringList:
        type = "list of strings";
        break;
      case ConfigType::kUrl:
        type = "URL: " + choices_text(k, "`");
        break;
      case ConfigType::kEnum:
        type = "one of " + choices_text(k, "`");
        break;
      case ConfigType::kDuration:
        type = "duration";
        break;
    }
    std::string def;
    if (!k.default_value.empty()) {
      def = k.type == ConfigType::kStringList ? "`" + toml_value_text(k, k.default_value) + "`"
                                              : "`" + std::string(k.default_value) + "`";
    }
    out += "| `" + k.dotted() + "` | " + type + " | " + def + " | " +
           join(display_env_names(k, "`"), ", ") + " | " + (k.secret ? "yes" : "no") + " | " +
           markdown_escape(k.description) + " |\n";
  }
  return out;
}

std::string toml_quote(std::string_view s) {
  return text::quote_escaped(s, text::QuoteStyle::kToml);
}

}  // namespace sakai::app
