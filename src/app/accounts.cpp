#include "app/accounts.h"

#include <algorithm>
#include <filesystem>
#include <memory>
#include <optional>
#include <utility>

#include "app/config_toml.h"
#include "app/telegram_session.h"
#include "core/text.h"

namespace sakai::app {
namespace {

constexpr std::string_view kLoggedIn = "logged in";
constexpr std::string_view kNotLoggedIn = "not logged in";

std::string seconds_text(Clock::Duration d) {
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(d).count());
}

// What one authorization state says about a session that has just been opened.
std::pair<bool, std::string> describe_state(const std::string& state) {
  if (state == "authorizationStateReady") return {true, std::string(kLoggedIn)};
  if (state == "authorizationStateClosing" || state == "authorizationStateClosed" ||
      state == "authorizationStateLoggingOut") {
    return {false, "closed by TDLib (" + state + ")"};
  }
  // Phone number, code, password, registration, email or QR confirmation: a login is needed.
  return {false, std::string(kNotLoggedIn)};
}

}  // namespace

Result<std::vector<const AccountConfig*>> select_accounts(const std::vector<AccountConfig>& all,
                                                          std::string_view name) {
  std::vector<const AccountConfig*> out;
  if (name.empty()) {
    for (const auto& a : all)
      out.push_back(&a);
    return out;
  }
  if (const AccountConfig* a = find_account(all, name)) {
    out.push_back(a);
    return out;
  }
  std::vector<std::string> names;
  for (const auto& a : all)
    names.push_back(a.name);
  const auto best = config_toml::closest(name, names);
  return make_error(ErrorCode::kNotFound,
                    "there is no account named '" + std::string(name) +
                        "' (accounts: " + account_names(all) + ")" +
                        (best ? "; did you mean " + *best + "?" : std::string()));
}

std::string mask_phone(std::string_view phone) {
  const std::string p = text::normalize_digits(phone);
  std::size_t digits = 0;
  for (char c : p) {
    if (c >= '0' && c <= '9') ++digits;
  }
  std::string out;
  std::size_t seen = 0;
  for (char c : p) {
    if (c < '0' || c > '9') {
      if (c == '+') out += c;
      continue;
    }
    ++seen;
    const bool shown = digits > 6 && (seen <= 2 || seen > digits - 2);
    out += shown ? c : '*';
  }
  return out;
}

Result<std::vector<AccountState>> probe_accounts(Host& host,
                                                 const std::vector<const AccountConfig*>& accounts,
                                                 Clock::Duration deadline) {
  // Shared with the callbacks, which the loop may still hold after this returns.
  struct Shared {
    std::vector<AccountState> states;
    std::vector<bool> done;
    std::size_t waiting = 0;
  };
  auto shared = std::make_shared<Shared>();
  EventLoop& loop = host.loop();
  std::vector<std::unique_ptr<TelegramSession>> sessions;
  std::vector<EventLoop::TimerId> timers;

  for (const AccountConfig* account : accounts) {
    const Config& config = account->config;
    AccountState state{account->name, mask_phone(config.get_string("telegram.phone")), false, "",
                       TelegramSession::session_dir(config)};
    const std::size_t index = shared->states.size();
    shared->states.push_back(state);
    shared->done.push_back(true);
    std::error_code ec;
    if (!std::filesystem::is_directory(state.session + "/db", ec)) {
      shared->states[index].state = std::string(kNotLoggedIn);
      continue;
    }
    auto hub = host.telegram();
    if (!hub.is_ok()) return hub.status();
    auto session = TelegramSession::open(config, **hub, loop, host.log(), account->name);
    if (!session.is_ok()) {
      shared->states[index].state = session.status().message();
      continue;
    }
    shared->done[index] = false;
    ++shared->waiting;
    auto finish = [shared, index, &loop](bool logged_in, std::string text) {
      if (shared->done[index]) return;
      shared->done[index] = true;
      shared->states[index].logged_in = logged_in;
      shared->states[index].state = std::move(text);
      if (--shared->waiting == 0) loop.stop();
    };
    (*session)->start(
        [finish](const telegram::tdjson::AuthorizationState& st) {
          auto [logged_in, text] = describe_state(st.state);
          finish(logged_in, std::move(text));
        },
        [finish](Status st) { finish(false, "error: " + st.message()); });
    timers.push_back(loop.post_after(
        deadline,
        [finish, deadline] {
          finish(false, "unknown: TDLib did not answer within " + seconds_text(deadline) + " s");
        },
        false));
    sessions.push_back(std::move(session).value());
  }
  if (shared->waiting > 0) loop.run();
  for (const auto timer : timers)
    loop.cancel(timer);
  for (auto& session : sessions)
    session->stop();
  // What the stopped clients left on the loop (their last updates, cancelled requests) runs while
  // the sessions still exist.
  loop.run_ready();
  return shared->states;
}

std::string render_account_states(const std::vector<AccountState>& states) {
  struct Row {
    std::string cells[4];
  };
  std::vector<Row> rows{{{"ACCOUNT", "PHONE", "STATE", "SESSION"}}};
  for (const auto& s : states)
    rows.push_back({{s.name, s.phone.empty() ? "-" : s.phone, s.state, s.session}});
  std::size_t width[3] = {0, 0, 0};
  for (const auto& r : rows) {
    for (std::size_t c = 0; c < 3; ++c)
      width[c] = std::max(width[c], text::codepoint_count(r.cells[c]));
  }
  std::string out;
  for (const auto& r : rows) {
    for (std::size_t c = 0; c < 3; ++c) {
      out += r.cells[c];
      out += std::string(width[c] - text::codepoint_count(r.cells[c]) + 2, ' ');
    }
    out += r.cells[3] + "\n";
  }
  for (const auto& s : states) {
    if (s.state == kNotLoggedIn) {
      out += "Log in " + s.name + " with: sakaibot login" +
             (s.name == kDefaultAccount ? std::string() : " --account " + s.name) + "\n";
    }
  }
  return out;
}

}  // namespace sakai::app
