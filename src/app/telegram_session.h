#pragma once
// One TDLib client for the configured account: finds and loads libtdjson, starts the client,
// answers authorizationStateWaitTdlibParameters (with the encrypted database's key), applies the
// proxy, and decodes updates on TDLib's receive thread before posting them to the event loop.
// Used by `sakaibot login`, `logout` and `run`.
// Thread-safety: created and used on the event loop thread; the update sink runs on TDLib's
// receive thread and only decodes and posts.
#include <functional>
#include <memory>
#include <string>

#include "core/config.h"
#include "core/event_loop.h"
#include "core/log.h"
#include "telegram/tdjson/td_client.h"
#include "telegram/tdjson/td_json_api.h"
#include "telegram/tdjson/tdlib_transport.h"

namespace sakai::app {

class TelegramSession {
 public:
  // `api` overrides the real library (tests pass a ScriptedTdJson).
  static Result<std::unique_ptr<TelegramSession>> open(
      const Config& config, EventLoop& loop, Logger& log,
      std::unique_ptr<telegram::tdjson::TdJsonApi> api = nullptr);
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
  [[nodiscard]] const std::string& library_path() const { return library_path_; }

  // Where the encrypted TDLib database of the session lives.
  static std::string session_dir(const Config& config);
  // The database key: telegram.database_key, else <session dir>/database.key, created on first
  // use with 32 random bytes and mode 0600.
  static Result<std::string> database_key(const Config& config);

 private:
  TelegramSession(const Config& config, EventLoop& loop, Logger& log);
  void on_parameters_needed();

  const Config& config_;
  EventLoop& loop_;
  Logger& log_;
  std::unique_ptr<telegram::tdjson::TdJsonApi> api_;
  std::unique_ptr<telegram::tdjson::TdClient> client_;
  std::unique_ptr<telegram::tdjson::TdlibTransport> transport_;
  std::function<void(const telegram::tdjson::AuthorizationState&)> on_state_;
  std::function<void(Status)> on_error_;
  std::string library_path_;
  bool parameters_sent_ = false;
};

}  // namespace sakai::app
