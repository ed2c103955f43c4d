#pragma once
// The TOML layer of the configuration loader (app/config_loader.h), shared by the top-level
// sections and the [[accounts]] entries: values checked against the schema's types, and "did you
// mean" suggestions for unknown names. Internal to the app layer: it exposes toml++.
// Thread-safety: pure functions.
#include <toml++/toml.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/accounts_config.h"
#include "core/config.h"

namespace sakai::app::config_toml {

// The closest candidate within a small edit distance, compared case-insensitively.
std::optional<std::string> closest(std::string_view word,
                                   const std::vector<std::string>& candidates);
// "did you mean X?" for an unknown dotted key: the same name in another section first, then the
// nearest key by edit distance.
std::string suggest_key(std::string_view dotted);
// "line 12 of <path>".
std::string where(const toml::node& n, const std::string& path);

// One value of the file for key `k`: type-checked, then set in `config` with `source`. A wrong
// type is a problem under `label` (the dotted key, or accounts.<name>.<key>). Returns true when it
// set a non-empty secret.
bool apply_toml_value(const ConfigKey& k, const toml::node& node, const std::string& path,
                      const std::string& label, const std::string& source, Config& config,
                      std::vector<ConfigProblem>& problems);

// The entries of the file's `accounts` node (an array of tables, [[accounts]]), each field and
// override table checked against the schema. Unknown fields, sections and keys are problems with
// a suggestion. `holds_secret` is set when an entry holds a secret.
std::vector<AccountEntry> read_account_entries(const toml::node& accounts, const std::string& path,
                                               std::vector<ConfigProblem>& problems,
                                               bool& holds_secret);

}  // namespace sakai::app::config_toml
