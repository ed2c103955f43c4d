#include "app/login_flow.h"

#include "core/text.h"
#include "telegram/tdjson/td_requests.h"

namespace sakai::app {

namespace td = telegram::tdjson;

LoginFlow::LoginFlow(TelegramSession& session, Terminal& terminal, const Config& config,
                     bool use_qr, std::function<void(Status)> done)
    : session_(session),
      terminal_(terminal),
      config_(config),
      use_qr_(use_qr),
      done_(std::move(done)) {}

void LoginFlow::finish(Status st) {
  if (finished_) return;
  finished_ = true;
  if (done_) done_(std::move(st));
}

void LoginFlow::send(std::string request, std::function<void(Status)> on_error) {
  session_.client().send(std::move(request), kRequestDeadline,
                         [this, on_error](Result<std::string> r) {
                           if (r.is_ok() || finished_) return;
                           if (r.status().code() == ErrorCode::kDeadlineExceeded) {
                             finish(make_error(ErrorCode::kDeadlineExceeded,
                                               "Telegram did not answer within " +
                                                   std::to_string(kRequestDeadline.count()) +
                                                   " s. Check the network, or set telegram.proxy "
                                                   "if Telegram is blocked where you are."));
                             return;
                           }
                           on_error(r.status());
                         });
}

void LoginFlow::ask_phone() {
  std::string phone;
  if (!phone_from_config_tried_ && config_.is_set("telegram.phone")) {
    phone_from_config_tried_ = true;
    phone = config_.get_string("telegram.phone");
    terminal_.say("Logging in with the phone number from the configuration.");
  } else {
    auto answer = terminal_.ask("Phone number, in international form (e.g. +989121234567): ");
    if (!answer || text::trim(*answer).empty()) {
      finish(make_error(ErrorCode::kCancelled, "login cancelled: no phone number given"));
      return;
    }
    phone = std::string(text::trim(text::normalize_digits(*answer)));
  }
  send(td::set_authentication_phone_number(phone), [this](Status st) {
    terminal_.say("Telegram refused that number (" + st.message() + "). Try again.");
    ask_phone();
  });
}

void LoginFlow::ask_code() {
  auto answer =
      terminal_.ask("The login code Telegram sent you (in the Telegram app, or by SMS): ");
  if (!answer || text::trim(*answer).empty()) {
    finish(make_error(ErrorCode::kCancelled, "login cancelled: no code given"));
    return;
  }
  send(td::check_authentication_code(std::string(text::trim(text::normalize_digits(*answer)))),
       [this](Status st) {
         terminal_.say("That code did not work (" + st.message() + ").");
         ask_code();
       });
}

void LoginFlow::ask_password(const std::string& hint) {
  auto answer =
      terminal_.ask_secret(hint.empty() ? "Two-step verification password: "
                                        : "Two-step verification password (hint: " + hint + "): ");
  if (!answer || answer->empty()) {
    finish(make_error(ErrorCode::kCancelled, "login cancelled: no password given"));
    return;
  }
  // The password is never logged: the request carries it, the logger never sees requests.
  send(td::check_authentication_password(*answer), [this, hint](Status st) {
    terminal_.say(st.message().find("PASSWORD_HASH_INVALID") != std::string::npos
                      ? "Wrong password."
                      : "Telegram refused the password (" + st.message() + ").");
    ask_password(hint);
  });
}

void LoginFlow::on_state(const td::AuthorizationState& state) {
  if (finished_) return;
  const std::string& s = state.state;
  if (s == "authorizationStateWaitPhoneNumber") {
    if (use_qr_) {
      send(td::request_qr_code_authentication(),
           [this](Status st) { finish(st.with_context("QR login")); });
    } else {
      ask_phone();
    }
  } else if (s == "authorizationStateWaitOtherDeviceConfirmation") {
    terminal_.say(
        "Scan this with Telegram on your phone: Settings > Devices > Link Desktop Device.");
    terminal_.show_qr(state.qr_link);
    terminal_.say("Or open: " + state.qr_link);
  } else if (s == "authorizationStateWaitCode") {
    ask_code();
  } else if (s == "authorizationStateWaitPassword") {
    ask_password(state.password_hint);
  } else if (s == "authorizationStateReady") {
    session_.transport().fetch_self([this](Result<UserId> me) {
      if (me.is_ok()) terminal_.say("Logged in (user id " + me->str() + ").");
      finish(Status::ok());
    });
  } else if (s == "authorizationStateWaitRegistration") {
    finish(make_error(ErrorCode::kFailedPrecondition,
                      "this phone number has no Telegram account yet: sign up in an official "
                      "Telegram app first"));
  } else if (s == "authorizationStateWaitEmailAddress" || s == "authorizationStateWaitEmailCode") {
    finish(make_error(
        ErrorCode::kFailedPrecondition,
        "Telegram asks for an email login for this account; finish setting it up in an official "
        "app, then try again"));
  } else if (s == "authorizationStateClosed") {
    finish(make_error(ErrorCode::kUnavailable, "TDLib closed before the login finished"));
  }
}

}  // namespace sakai::app
