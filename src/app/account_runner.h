#pragma once
// `sakaibot run`: every selected account on one Host — one event loop, one TDLib hub, one
// database — each with its own bot (BotCore) and TDLib client (TelegramSession).
//
//   - An account whose TDLib reports authorizationStateReady goes live: its bot answers its own
//     owner from then on.
//   - An account that is not logged in is reported ("run `sakaibot login --account NAME`") and
//     skipped; when it is the only account and stdin is a terminal, the login runs instead.
//   - An account whose TDLib closes (the session was ended elsewhere), or that cannot start,
//     stops alone; the others go on.
//   - The run ends on SIGINT/SIGTERM (app/stop_signal.h), or when no account is left.
// Thread-safety: run() on the thread that owns the Host's event loop; it blocks until the end.
// Ownership: the Host, the accounts, the Terminal and `err` outlive the runner.
#include <iosfwd>
#include <memory>
#include <vector>

#include "app/accounts_config.h"
#include "app/bot_core.h"
#include "app/host.h"
#include "app/login_flow.h"
#include "app/telegram_session.h"
#include "app/terminal.h"

namespace sakai::app {

class AccountRunner {
 public:
  AccountRunner(Host& host, std::vector<const AccountConfig*> accounts, Terminal& terminal,
                std::ostream& err);
  AccountRunner(const AccountRunner&) = delete;
  AccountRunner& operator=(const AccountRunner&) = delete;
  ~AccountRunner();

  // Runs until a stop is requested or no account is left. 0 when stopped on request (even if
  // some accounts were skipped or stopped on the way), 1 when every account ended by itself or
  // none could start. Every reason an account stopped is printed to `err` as it happens.
  int run();

  // How long TDLib may take to report an account's first authorization state. It reads the local
  // database only, so this is generous.
  static constexpr std::chrono::seconds kStartupDeadline{30};

 private:
  enum class Phase { kStarting, kLoggingIn, kLive, kEnded };
  struct Account {
    const AccountConfig* config = nullptr;
    std::unique_ptr<BotCore> core;
    std::unique_ptr<TelegramSession> session;
    std::unique_ptr<LoginFlow> login;
    Phase phase = Phase::kStarting;
    bool progressed = false;
    bool going_live = false;
    EventLoop::TimerId startup_timer = 0;
  };

  void start(Account& a);
  void on_state(Account& a, const telegram::tdjson::AuthorizationState& st);
  void go_live(Account& a);
  // The account stops for `why` (printed; as a warning when it is `skipped`), alone; the run ends
  // when no account is left.
  void end(Account& a, const Status& why, bool skipped = false);
  // "account work: " when several accounts run or the one is not "default"; "" otherwise.
  [[nodiscard]] std::string label(const Account& a) const;
  void end_if_none_left();

  Host& host_;
  Terminal& terminal_;
  std::ostream& err_;
  std::vector<std::unique_ptr<Account>> accounts_;
  bool single_ = false;
  bool stopping_ = false;
  bool stopped_on_request_ = false;
};

}  // namespace sakai::app
