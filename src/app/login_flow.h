#pragma once
// Takes a person through Telegram's login: phone number (or a QR code scanned from a logged-in
// phone), the code Telegram sends, and the two-step verification password. Every TDLib call has
// a deadline, so an offline machine gets a clear message instead of a hang.
// Thread-safety: event loop thread; asks the terminal synchronously (the loop has nothing else
// to do while a person types).
#include <functional>

#include "app/telegram_session.h"
#include "app/terminal.h"

namespace sakai::app {

class LoginFlow {
 public:
  LoginFlow(TelegramSession& session, Terminal& terminal, const Config& config, bool use_qr,
            std::function<void(Status)> done);

  // Feed every authorization state here (TelegramSession::start's observer).
  void on_state(const telegram::tdjson::AuthorizationState& state);
  [[nodiscard]] bool finished() const { return finished_; }

  // How long TDLib may take to answer one login request before we give up.
  static constexpr std::chrono::seconds kRequestDeadline{60};

 private:
  void ask_phone();
  void ask_code();
  void ask_password(const std::string& hint);
  void finish(Status st);
  void send(std::string request, std::function<void(Status)> on_error);

  TelegramSession& session_;
  Terminal& terminal_;
  const Config& config_;
  bool use_qr_;
  std::function<void(Status)> done_;
  bool finished_ = false;
  bool phone_from_config_tried_ = false;
  std::string password_hint_;
};

}  // namespace sakai::app
