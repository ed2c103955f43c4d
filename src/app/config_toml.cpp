#include "app/config_toml.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <utility>

#include "app/config_loader.h"
#include "app/config_render.h"
#include "core/text.h"

namespace sakai::app::config_toml {
namespace {

using text::join;

std::string lower(std::string_view s) {
  return text::ascii_lower(s);
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1);
  std::vector<std::size_t> cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j)
    prev[j] = j;
  for (std::size_t i = 0; i < a.size(); ++i) {
    cur[0] = i + 1;
    for (std::size_t j = 0; j < b.size(); ++j) {
      const std::size_t cost = a[i] == b[j] ? 0 : 1;
      cur[j + 1] = std::min({prev[j + 1] + 1, cur[j] + 1, prev[j] + cost});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::vector<std::string> schema_dotted_keys() {
  std::vector<std::string> out;
  for (const auto& k : config_schema())
    out.push_back(k.dotted());
  return out;
}

std::string_view describe_type(ConfigType t) {
  switch (t) {
    case ConfigType::kString:
      return "a string";
    case ConfigType::kInt:
      return "a whole number";
    case ConfigType::kBool:
      return "true or false";
    case ConfigType::kFloat:
      return "a number";
    case ConfigType::kStringList:
      return "a list of strings";
    case ConfigType::kUrl:
      return "a URL string";
    case ConfigType::kEnum:
      return "one of its choices as a string";
    case ConfigType::kDuration:
      return "a duration such as \"90s\"";
  }
  return "a value";
}

std::string_view describe_node(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    case toml::node_type::none:
      break;
  }
  return "a value";
}

std::optional<std::string> scalar_to_string(const toml::node& n) {
  if (auto s = n.value_exact<std::string>()) return *s;
  if (auto i = n.value_exact<int64_t>()) return std::to_string(*i);
  if (auto d = n.value_exact<double>()) return fmt::format("{}", *d);
  if (auto b = n.value_exact<bool>()) return std::string(*b ? "true" : "false");
  return std::nullopt;
}

// A [accounts.<section>] table: every key checked against the schema.
void read_override_table(const std::string& section, const toml::table& table,
                         const std::string& path, const std::string& label,
                         const std::string& source, AccountEntry& entry,
                         std::vector<ConfigProblem>& problems, bool& holds_secret) {
  std::vector<std::string> section_keys;
  for (const auto& k : config_schema()) {
    if (k.section == section) section_keys.push_back(k.dotted());
  }
  for (auto&& [name_key, node] : table) {
    const std::string dotted = section + "." + std::string(name_key.str());
    const ConfigKey* k = find_config_key(dotted);
    if (k == nullptr) {
      const auto best = closest(dotted, section_keys);
      problems.push_back({label + "." + dotted,
                          fmt::format("is not a known setting ({})", where(node, path)),
                          best ? "did you mean " + *best + "?" : suggest_key(dotted)});
      continue;
    }
    if (apply_toml_value(*k, node, path, label + "." + dotted, source, entry.values, problems)) {
      holds_secret = true;
    }
  }
}

// An [accounts.<name>] table whose section may not be set per account, or does not exist.
void reject_table(const std::string& name, const toml::node& node, const std::string& path,
                  const std::string& label, std::vector<ConfigProblem>& problems) {
  const std::string at = where(node, path);
  if (name == "telegram") {
    problems.push_back({label + ".telegram", "cannot be a table of an account (" + at + ")",
                        "write phone, session, api_id, api_hash, database_key and proxy "
                        "directly in the [[accounts]] entry"});
    return;
  }
  const auto sections = config_sections();
  if (std::find(sections.begin(), sections.end(), name) != sections.end()) {
    problems.push_back({label + "." + name,
                        "is shared by every account and cannot be set for one (" + at + ")",
                        "set it under [" + name + "] instead"});
    return;
  }
  const auto best = closest(name, account_override_sections());
  problems.push_back({label + "." + name, "is not a section an account can override (" + at + ")",
                      best ? "did you mean [accounts." + *best + "]?"
                           : "per-account sections: " + join(account_override_sections(), ", ")});
}

}  // namespace

std::optional<std::string> closest(std::string_view word,
                                   const std::vector<std::string>& candidates) {
  const std::string w = lower(word);
  const std::size_t limit = std::max<std::size_t>(2, w.size() / 3);
  std::optional<std::string> best;
  std::size_t best_distance = limit + 1;
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(w, lower(c));
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

std::string suggest_key(std::string_view dotted) {
  const auto dot = dotted.find('.');
  const std::string_view name = dot == std::string_view::npos ? dotted : dotted.substr(dot + 1);
  for (const auto& k : config_schema()) {
    if (lower(k.name) == lower(name)) {
      return "did you mean " + k.dotted() + "? (it belongs under [" + std::string(k.section) + "])";
    }
  }
  if (auto best = closest(dotted, schema_dotted_keys())) return "did you mean " + *best + "?";
  return "remove it; `sakaibot config example` lists every setting";
}

std::string where(const toml::node& n, const std::string& path) {
  return fmt::format("line {} of {}", n.source().begin.line, path);
}

bool apply_toml_value(const ConfigKey& k, const toml::node& node, const std::string& path,
                      const std::string& label, const std::string& source, Config& config,
                      std::vector<ConfigProblem>& problems) {
  auto wrong_type = [&](std::string_view what) {
    const std::string shown = label.substr(label.rfind('.') + 1);
    problems.push_back(
        {label,
         fmt::format("is {}, but it takes {} ({})", what, describe_type(k.type), where(node, path)),
         fmt::format("write e.g. {} = {}", shown,
                     toml_value_text(k, k.default_value.empty() ? example_value(k)
                                                                : std::string(k.default_value)))});
  };
  std::string value;
  if (const toml::array* arr = node.as_array()) {
    if (k.type != ConfigType::kStringList) {
      wrong_type("an array");
      return false;
    }
    std::vector<std::string> items;
    for (const toml::node& item : *arr) {
      auto s = scalar_to_string(item);
      if (!s) {
        wrong_type(fmt::format("an array holding {}", describe_node(item)));
        return false;
      }
      items.push_back(std::move(*s));
    }
    value = join(items, "\n");
    // A lone item containing a comma keeps its comma: the '\n' marks the value as '\n'-separated.
    if (items.size() == 1 && value.find(',') != std::string::npos) value += '\n';
  } else if (auto s = scalar_to_string(node)) {
    value = std::move(*s);
  } else {
    wrong_type(describe_node(node));
    return false;
  }
  const bool secret = k.secret && !text::trim(value).empty();
  config.set(k.dotted(), std::move(value), source);
  return secret;
}

std::vector<AccountEntry> read_account_entries(const toml::node& accounts, const std::string& path,
                                               std::vector<ConfigProblem>& problems,
                                               bool& holds_secret) {
  std::vector<AccountEntry> out;
  const toml::array* list = accounts.as_array();
  if (list == nullptr || !list->is_array_of_tables()) {
    problems.push_back({"accounts",
                        fmt::format("is {}, but it takes one table per account ({})",
                                    describe_node(accounts), where(accounts, path)),
                        "write each account as a [[accounts]] table with name = \"...\""});
    return out;
  }
  std::vector<std::string> fields;
  for (const auto f : account_entry_fields())
    fields.emplace_back(f);
  int position = 0;
  for (const toml::node& item : *list) {
    ++position;
    const toml::table& table = *item.as_table();
    AccountEntry entry;
    entry.where = where(item, path);
    if (const toml::node* name = table.get("name")) {
      if (auto s = name->value_exact<std::string>()) {
        entry.name = *s;
      } else {
        problems.push_back({"accounts[" + std::to_string(position) + "].name",
                            fmt::format("is {}, but it takes a string ({})", describe_node(*name),
                                        where(*name, path)),
                            "write name = \"work\""});
      }
    }
    const bool named = valid_account_name(entry.name);
    const std::string label =
        named ? "accounts." + entry.name : "accounts[" + std::to_string(position) + "]";
    const std::string source =
        "file:" + path + " (account " + (named ? entry.name : "#" + std::to_string(position)) + ")";
    for (auto&& [key, node] : table) {
      const std::string field(key.str());
      if (field == "name") continue;
      if (const toml::table* sub = node.as_table()) {
        if (account_may_override(field)) {
          read_override_table(field, *sub, path, label, source, entry, problems, holds_secret);
        } else {
          reject_table(field, node, path, label, problems);
        }
        continue;
      }
      const auto dotted = account_field_key(field);
      if (!dotted) {
        const auto best = closest(field, fields);
        problems.push_back(
            {label + "." + field,
             fmt::format("is not a key of an [[accounts]] entry ({})", where(node, path)),
             best ? "did you mean " + *best + "?"
                  : "an entry holds " + join(fields, ", ") +
                        " and per-account tables such as [accounts.gemini]"});
        continue;
      }
      if (apply_toml_value(*find_config_key(*dotted), node, path, label + "." + field, source,
                           entry.values, problems)) {
        holds_secret = true;
      }
    }
    out.push_back(std::move(entry));
  }
  return out;
}

}  // namespace sakai::app::config_toml
