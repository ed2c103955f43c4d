#include "app/accounts_config.h"

#include <algorithm>
#include <map>
#include <utility>

#include "core/text.h"

namespace sakai::app {
namespace {

// Entry field → schema key. "session" is the session directory's name.
const std::map<std::string_view, std::string_view>& field_keys() {
  static const std::map<std::string_view, std::string_view> kKeys = {
      {"api_id", "telegram.api_id"}, {"api_hash", "telegram.api_hash"},
      {"phone", "telegram.phone"},   {"session", "telegram.session_name"},
      {"language", "bot.language"},  {"database_key", "telegram.database_key"},
      {"proxy", "telegram.proxy"},
  };
  return kKeys;
}

// Sections that are the process's, shared by every account.
constexpr std::string_view kSharedSections[] = {"telegram", "storage", "data", "log", "http"};

// Values one account has and the others must not inherit from [telegram].
constexpr std::string_view kPrivateKeys[] = {"telegram.phone", "telegram.database_key"};

constexpr std::size_t kMaxName = 32;

bool valid_session_name(std::string_view s) {
  if (s.empty() || s == "." || s == ".." || s.size() > 64) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.';
  });
}

bool same_problem(const ConfigProblem& a, const ConfigProblem& b) {
  return a.key == b.key && a.problem == b.problem;
}

}  // namespace

const std::vector<std::string_view>& account_entry_fields() {
  static const std::vector<std::string_view> kFields = {
      "name", "phone", "session", "language", "api_id", "api_hash", "database_key", "proxy"};
  return kFields;
}

std::optional<std::string> account_field_key(std::string_view field) {
  const auto& keys = field_keys();
  if (auto it = keys.find(field); it != keys.end()) return std::string(it->second);
  return std::nullopt;
}

bool account_may_override(std::string_view section) {
  if (std::find(std::begin(kSharedSections), std::end(kSharedSections), section) !=
      std::end(kSharedSections)) {
    return false;
  }
  return std::any_of(config_schema().begin(), config_schema().end(),
                     [&](const ConfigKey& k) { return k.section == section; });
}

std::vector<std::string> account_override_sections() {
  std::vector<std::string> out;
  for (const auto& k : config_schema()) {
    if (!account_may_override(k.section)) continue;
    if (std::find(out.begin(), out.end(), k.section) == out.end()) out.emplace_back(k.section);
  }
  return out;
}

bool valid_account_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxName) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
}

std::vector<AccountConfig> build_accounts(const Config& shared,
                                          const std::vector<AccountEntry>& entries,
                                          std::vector<ConfigProblem>& problems) {
  std::vector<AccountConfig> accounts;
  accounts.push_back({std::string(kDefaultAccount), shared});
  std::vector<std::string> seen_lower;
  int position = 0;
  for (const auto& entry : entries) {
    ++position;
    const std::string label = "accounts[" + std::to_string(position) + "]";
    if (entry.name.empty()) {
      problems.push_back({label, "has no name (" + entry.where + ")",
                          "add name = \"work\" (letters, digits, _ and -) to the entry"});
      continue;
    }
    if (!valid_account_name(entry.name)) {
      problems.push_back(
          {label, "name '" + entry.name + "' is not a usable account name (" + entry.where + ")",
           "use 1 to 32 letters, digits, _ and -, e.g. name = \"work\""});
      continue;
    }
    const std::string lower = text::ascii_lower(entry.name);
    if (std::find(seen_lower.begin(), seen_lower.end(), lower) != seen_lower.end()) {
      problems.push_back({"accounts." + entry.name,
                          "is named twice in [[accounts]] (again " + entry.where + ")",
                          "give every account its own name, or merge the two entries"});
      continue;
    }
    seen_lower.push_back(lower);

    const bool is_default = entry.name == kDefaultAccount;
    Config config = shared;
    if (!is_default) {
      // The default account's phone and database key are its own; its session directory is
      // telegram.session_name, another account's is its name unless it says otherwise.
      for (const auto key : kPrivateKeys)
        config.unset(key);
      config.set("telegram.session_name", entry.name, "account name");
    }
    for (const auto& [key, value] : entry.values.values())
      config.set(key, value, entry.values.source(key));
    if (is_default) {
      accounts.front().config = std::move(config);
    } else {
      accounts.push_back({entry.name, std::move(config)});
    }
  }

  // Each account's session directory: its own, and a usable directory name.
  std::map<std::string, std::string> session_owner;
  for (const auto& account : accounts) {
    const std::string session = account.config.get_string("telegram.session_name");
    if (!valid_session_name(session)) {
      problems.push_back(
          {"accounts." + account.name + ".session",
           "'" + session + "' is not a directory name (from " +
               account.config.source("telegram.session_name") + ")",
           "use letters, digits, _, - and . only; it names a directory under data.dir"});
      continue;
    }
    auto [it, fresh] = session_owner.emplace(session, account.name);
    if (!fresh) {
      problems.push_back(
          {"accounts." + account.name + ".session",
           "is the session directory '" + session + "' of account " + it->second +
               " too; two accounts cannot share one Telegram session",
           "set session = \"" + account.name + "\" in the entry of " + account.name});
    }
  }

  // Problems of the values an account set itself; the shared ones are reported once, unlabelled.
  const auto shared_problems = shared.validate();
  for (const auto& account : accounts) {
    for (auto& p : account.config.validate()) {
      const bool known = std::any_of(shared_problems.begin(), shared_problems.end(),
                                     [&](const ConfigProblem& s) { return same_problem(s, p); });
      if (known) continue;
      p.key = "accounts." + account.name + "." + p.key;
      problems.push_back(std::move(p));
    }
  }
  return accounts;
}

const AccountConfig* find_account(const std::vector<AccountConfig>& accounts,
                                  std::string_view name) {
  for (const auto& a : accounts) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

std::string account_names(const std::vector<AccountConfig>& accounts) {
  std::string out;
  for (const auto& a : accounts) {
    if (!out.empty()) out += ", ";
    out += a.name;
  }
  return out;
}

bool account_sets(const AccountConfig& account, std::string_view dotted) {
  const std::string source = account.config.source(dotted);
  return source == "account name" || source.ends_with("(account " + account.name + ")");
}

}  // namespace sakai::app
