#pragma once
// Several Telegram accounts in one configuration. `[telegram]` alone is one account named
// "default"; each `[[accounts]]` entry adds one (an entry named "default" changes that one):
//
//   [[accounts]]
//   name = "work"                 # required: letters, digits, '_' and '-'
//   phone = "+989121234567"
//   session = "work"              # directory under data.dir (default: the name)
//   language = "fa"               # bot.language of this account
//   api_id = 1234567              # default: [telegram]'s, like api_hash
//   database_key = "..."          # default: generated into <session>/database.key
//   proxy = "socks5://127.0.0.1:1080"
//   [accounts.gemini]             # any per-account section, same keys as the top level
//   api_keys = ["key-of-work"]
//   [accounts.budget]
//   daily_tokens_per_user = 20000
//
// An account's effective configuration is the shared one (file, .env and environment) with the
// account's own values over it. api_id, api_hash, proxy and every section not overridden are
// shared; phone, database_key and the session directory belong to one account only, so the
// "default" account's are not given to the others. Sections that are the process's (storage,
// data, log, http; telegram through the entry keys above) cannot be set per account.
// Thread-safety: pure functions.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.h"

namespace sakai::app {

inline constexpr std::string_view kDefaultAccount = "default";

// One [[accounts]] entry as the file wrote it, its values already type-checked against the schema
// and stored under their dotted keys (api_id → telegram.api_id, session → telegram.session_name,
// language → bot.language, [accounts.gemini] api_keys → gemini.api_keys), each with its source.
struct AccountEntry {
  std::string name;   // "" when the entry has none
  std::string where;  // "line 12 of /home/me/sakaibot.toml"
  Config values;
};

// One account: its name and its effective configuration.
struct AccountConfig {
  std::string name;
  Config config;
};

// The keys an [[accounts]] entry holds directly, in documentation order.
const std::vector<std::string_view>& account_entry_fields();
// The dotted key an entry field sets ("phone" → "telegram.phone"); nullopt for "name" and for
// what is not an entry field.
std::optional<std::string> account_field_key(std::string_view field);
// Whether [accounts.<section>] may set `section`'s keys for one account.
bool account_may_override(std::string_view section);
// The sections an account may override, in schema order.
std::vector<std::string> account_override_sections();
// Letters, digits, '_' and '-', 1 to 32 characters.
bool valid_account_name(std::string_view name);

// The accounts, "default" first and then every other entry in file order. Reports a missing or
// malformed name, duplicate names (compared ignoring case), a malformed session name, two
// accounts sharing one session directory, and the problems of each account's own values
// (labelled accounts.<name>.<key>). Every account is returned even when it has problems, except
// entries without a usable name or with a duplicate one.
std::vector<AccountConfig> build_accounts(const Config& shared,
                                          const std::vector<AccountEntry>& entries,
                                          std::vector<ConfigProblem>& problems);

// nullptr when there is no account of that name.
const AccountConfig* find_account(const std::vector<AccountConfig>& accounts,
                                  std::string_view name);
// "default, work" for messages.
std::string account_names(const std::vector<AccountConfig>& accounts);
// True when `dotted` holds a value the account set itself (not the shared one).
bool account_sets(const AccountConfig& account, std::string_view dotted);

}  // namespace sakai::app
