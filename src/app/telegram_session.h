#pragma once
// One account's TDLib client on the process's TdJsonHub: starts the client, answers
// authorizationStateWaitTdlibParameters (with the account's session directory and the key of its
// encrypted database), applies the proxy, and decodes updates on the hub's receive thread before
// posting them to the event loop. Used by `sakaibot login`, `logout`, `accounts` and `run`.
// Thread-safety: created and used on the event loop thread; the update sink runs on the hub's
// receive thread and only decodes and posts.
// Ownership: the hub, the loop and the logger outlive the session; the session keeps a copy of
// the account's configuration.
#include <functional>
#include <memory>
#include <string>

#include "core/config.h"
#include "core/event_loop.h"
#include "core/log.h"
#include "telegram/tdjson/td_client.h"
#include "telegram/tdjson/td_json_hub.h"
#include "telegram/tdjson/tdlib_transport.h"

namespace sakai::app {

class TelegramSession {
 public:
  // `config` is the account's effective configuration; `account` names it in logs and errors.
  // kFailedPrecondition when it has no api_id/api_hash.
  static Result<std::unique_ptr<TelegramSession>> open(const Config& config,
                                                       telegram::tdjson::TdJsonHub& hub,
                                                       EventLoop& loop, Logger& log,
                                                       std::string account = "default");
  ~TelegramSession();

  // Starts the client; every authorization state reaches `on_state` on the loop thread (after
  // the session has answered WaitTdlibParameters itself). `on_error` hears a failure to set the
  // session up (database key, parameters refused).
  void start(std::function<void(const telegram::tdjson::AuthorizationState&)> on_state,
             std::function<void(Status)> on_error);
  // Sends `close` and waits (on the loop) for authorizationStateClosed or the deadline.
  void stop();

  [[nodiscard]] telegram::tdjson::TdlibTransport& transport() { return *transport_; }
  [[nodiscard]] telegram::tdjson::TdClient& client() { return *client_; }
  [[nodiscard]] const std::string& account() const { return account_; }

  // Where the encrypted TDLib database of the session lives.
  static std::string session_dir(const Config& config);
  // The database key: telegram.database_key, else <session dir>/database.key, created on first
  // use with 32 random bytes and mode 0600.
  static Result<std::string> database_key(const Config& config);

 private:
  TelegramSession(const Config& config, EventLoop& loop, Logger& log, std::string account);
  void on_parameters_needed();

  Config config_;
  EventLoop& loop_;
  Logger& log_;
  std::string account_;
  std::unique_ptr<telegram::tdjson::TdClient> client_;
  std::unique_ptr<telegram::tdjson::TdlibTransport> transport_;
  std::function<void(const telegram::tdjson::AuthorizationState&)> on_state_;
  std::function<void(Status)> on_error_;
  bool parameters_sent_ = false;
};

}  // namespace sakai::app
