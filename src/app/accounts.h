#pragma once
// The accounts of one process as the CLI sees them: which ones a command works on (--account),
// and `sakaibot accounts` (each account's state as TDLib reports it). Running them is
// app/account_runner.h.
// Thread-safety: on the thread that runs the Host's event loop.
#include <string>
#include <string_view>
#include <vector>

#include "app/accounts_config.h"
#include "app/host.h"
#include "core/clock.h"
#include "core/result.h"

namespace sakai::app {

// The accounts a command works on: the one named `name`, or every account when `name` is empty.
// kNotFound naming the accounts there are (and the nearest name) when there is no such account.
Result<std::vector<const AccountConfig*>> select_accounts(const std::vector<AccountConfig>& all,
                                                          std::string_view name);

// A phone number for a listing: its first two and last two digits, the rest starred
// ("+98*******67"); "" stays "".
std::string mask_phone(std::string_view phone);

struct AccountState {
  std::string name;
  std::string phone;  // masked; "" when not set
  bool logged_in = false;
  std::string state;    // "logged in", "not logged in", or what kept us from knowing
  std::string session;  // the session directory
};

// How long one account may take to report its state in `sakaibot accounts`.
inline constexpr std::chrono::seconds kProbeDeadline{15};

// Starts every account's TDLib client on the host's hub (all at once) and reads the first
// authorization state after its parameters: authorizationStateReady means logged in, a state that
// asks for a phone number, code, password or QR confirmation means not. Each account has
// `deadline` of its own; every client is closed again before this returns. An account whose
// session directory holds no TDLib database is not logged in, and is not started (nothing is
// created for it). A library that cannot be loaded fails the whole call.
Result<std::vector<AccountState>> probe_accounts(Host& host,
                                                 const std::vector<const AccountConfig*>& accounts,
                                                 Clock::Duration deadline = kProbeDeadline);

// The listing: a header and one aligned line per account, then how to log in the ones that are
// not.
std::string render_account_states(const std::vector<AccountState>& states);

}  // namespace sakai::app
