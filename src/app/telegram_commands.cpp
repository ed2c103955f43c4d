#include "app/telegram_commands.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>

#include "app/account_runner.h"
#include "app/accounts.h"
#include "app/config_render.h"
#include "app/host.h"
#include "app/login_flow.h"
#include "app/stop_signal.h"
#include "app/telegram_session.h"
#include "app/terminal.h"
#include "core/text.h"
#include "telegram/tdjson/td_requests.h"

namespace sakai::app {
namespace {

namespace td = telegram::tdjson;

// How long TDLib may take to report its first authorization state. It reads the local database
// only, so this is generous.
constexpr auto kStartupDeadline = std::chrono::seconds(30);

int report(std::ostream& err, const Status& st) {
  if (st.is_ok()) return 0;
  err << "sakaibot: " << st.message() << "\n";
  return 1;
}

Result<std::unique_ptr<Host>> open_host(const Config& shared, const TelegramCommandOptions& opts,
                                        const Clock& clock) {
  HostOptions host_options;
  host_options.tdjson = opts.tdjson;
  host_options.hub = opts.hub;
  return Host::create(shared, *opts.err, clock, host_options);
}

// One account's TDLib session on a Host of its own, for login and logout.
struct Single {
  // On the heap, first: the Host keeps a reference to the clock.
  std::unique_ptr<SystemClock> clock = std::make_unique<SystemClock>();
  std::unique_ptr<Host> host;
  const AccountConfig* account = nullptr;
  std::unique_ptr<TelegramSession> session;

  Single() = default;
  Single(Single&&) noexcept = default;
  Single& operator=(Single&&) noexcept = default;
  Single(const Single&) = delete;
  Single& operator=(const Single&) = delete;
  ~Single() {
    if (session) session->stop();
  }
};

// The account --account names ("default" without it), or kNotFound.
Result<const AccountConfig*> one_account(const LoadedConfig& loaded,
                                         const TelegramCommandOptions& opts) {
  auto selected =
      select_accounts(loaded.accounts, opts.account.empty() ? kDefaultAccount : opts.account);
  if (!selected.is_ok()) return selected.status();
  return selected->front();
}

Result<Single> open_single(const LoadedConfig& loaded, const TelegramCommandOptions& opts) {
  Single s;
  auto account = one_account(loaded, opts);
  if (!account.is_ok()) return account.status();
  s.account = *account;
  auto host = open_host(loaded.config, opts, *s.clock);
  if (!host.is_ok()) return host.status();
  s.host = std::move(host).value();
  s.host->add_secrets(s.account->config);
  auto hub = s.host->telegram();
  if (!hub.is_ok()) return hub.status();
  auto session = TelegramSession::open(s.account->config, **hub, s.host->loop(), s.host->log(),
                                       s.account->name);
  if (!session.is_ok()) return session.status();
  s.session = std::move(session).value();
  return s;
}

// 2 for an unknown account (a usage error), 1 otherwise.
int report_open(std::ostream& err, const Status& st) {
  report(err, st);
  return st.code() == ErrorCode::kNotFound && st.message().starts_with("there is no account") ? 2
                                                                                              : 1;
}

}  // namespace

std::string render_setup_toml(const SetupAnswers& a) {
  std::string out =
      "# Written by `sakaibot setup`. It holds secrets: keep it private (chmod 600).\n";
  out += "# Every key is explained by `sakaibot config example`.\n\n";
  out += "[telegram]\napi_id = " + std::to_string(a.api_id) +
         "\napi_hash = " + toml_quote(a.api_hash) + "\n";
  if (!a.phone.empty()) out += "phone = " + toml_quote(a.phone) + "\n";
  out += "\n[bot]\nlanguage = " + toml_quote(a.language) + "\n";
  if (!a.gemini_key.empty()) {
    out += "\n[llm]\nprovider = \"gemini\"\n\n[gemini]\napi_keys = [" + toml_quote(a.gemini_key) +
           "]\n";
  } else if (!a.openrouter_key.empty()) {
    out += "\n[llm]\nprovider = \"openrouter\"\n";
  }
  if (!a.openrouter_key.empty())
    out += "\n[openrouter]\napi_keys = [" + toml_quote(a.openrouter_key) + "]\n";
  return out;
}

int cmd_setup(const TelegramCommandOptions& opts, std::string* written_path) {
  Terminal term(*opts.in, *opts.out, opts.interactive);
  if (!opts.interactive) {
    *opts.err << "sakaibot: setup asks questions and needs a terminal; write the configuration by "
                 "hand instead "
                 "(`sakaibot config example`)\n";
    return 2;
  }
  const std::string path = opts.config_path.empty() ? "sakaibot.toml" : opts.config_path;
  term.say("SakaiBot setup. Answers go into " + path + " (readable only by you).");
  if (std::filesystem::exists(path)) {
    auto answer = term.ask(path + " exists. Replace it? [y/N] ");
    if (!answer || text::ascii_lower(text::trim(*answer)) != "y") {
      term.say("Left " + path + " as it is.");
      return 1;
    }
  }
  SetupAnswers a;
  term.say("1. Telegram API keys: open my.telegram.org > API development tools and create an app.");
  while (true) {
    auto v = term.ask("   api_id (a number): ");
    if (!v) return 1;
    if (auto n = text::parse_int(*v); n && *n > 0) {
      a.api_id = *n;
      break;
    }
    term.say("   That is not a number.");
  }
  while (true) {
    auto v = term.ask_secret("   api_hash (32 characters): ");
    if (!v) return 1;
    const std::string h(text::trim(*v));
    if (h.size() == 32 && h.find_first_not_of("0123456789abcdef") == std::string::npos) {
      a.api_hash = h;
      break;
    }
    term.say("   An api_hash is 32 characters of 0-9 and a-f.");
  }
  auto phone = term.ask(
      "2. Your phone number, international form (e.g. +989121234567), or empty to log in with a QR "
      "code: ");
  if (!phone) return 1;
  a.phone = std::string(text::trim(text::normalize_digits(*phone)));
  while (true) {
    auto lang = term.ask("3. Language for SakaiBot's replies: en, fa or ar [en]: ");
    if (!lang) return 1;
    const std::string l = text::ascii_lower(text::trim(*lang));
    if (l.empty() || l == "en" || l == "fa" || l == "ar") {
      a.language = l.empty() ? "en" : l;
      break;
    }
  }
  term.say("4. AI keys (press Enter to skip; you can add them later).");
  auto gemini = term.ask_secret("   Gemini API key (aistudio.google.com/apikey): ");
  if (gemini) a.gemini_key = std::string(text::trim(*gemini));
  auto openrouter = term.ask_secret("   OpenRouter API key: ");
  if (openrouter) a.openrouter_key = std::string(text::trim(*openrouter));

  const std::string body = render_setup_toml(a);
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0 || ::write(fd, body.data(), body.size()) != static_cast<ssize_t>(body.size())) {
    if (fd >= 0) ::close(fd);
    *opts.err << "sakaibot: cannot write " << tmp << "\n";
    return 1;
  }
  ::fchmod(fd, 0600);
  ::close(fd);
  std::filesystem::rename(tmp, path);
  term.say("Saved " + path + ".");
  if (written_path) *written_path = path;
  return 0;
}

int cmd_login(const LoadedConfig& loaded, const TelegramCommandOptions& opts) {
  auto single = open_single(loaded, opts);
  if (!single.is_ok()) return report_open(*opts.err, single.status());
  Terminal term(*opts.in, *opts.out, opts.interactive);
  EventLoop& loop = single->host->loop();
  TelegramSession& session = *single->session;
  Status result = make_error(ErrorCode::kUnavailable, "login did not finish");
  bool progressed = false;
  LoginFlow flow(session, term, single->account->config, opts.qr, [&](Status st) {
    result = std::move(st);
    loop.stop();
  });
  session.start(
      [&](const td::AuthorizationState& st) {
        progressed = true;
        flow.on_state(st);
      },
      [&](Status st) {
        result = std::move(st);
        loop.stop();
      });
  loop.post_after(
      kStartupDeadline,
      [&] {
        if (progressed) return;
        result = make_error(ErrorCode::kDeadlineExceeded, "TDLib did not start within 30 s");
        loop.stop();
      },
      false);
  StopSignal stop(loop, [&] {
    result = make_error(ErrorCode::kCancelled, "login interrupted");
    loop.stop();
  });
  loop.run();
  session.stop();
  loop.run_ready();
  return report(*opts.err, result);
}

int cmd_logout(const LoadedConfig& loaded, const TelegramCommandOptions& opts) {
  auto single = open_single(loaded, opts);
  if (!single.is_ok()) return report_open(*opts.err, single.status());
  EventLoop& loop = single->host->loop();
  TelegramSession& session = *single->session;
  std::ostream& out = *opts.out;
  Status result = make_error(ErrorCode::kDeadlineExceeded, "TDLib did not start within 30 s");
  bool asked = false;
  session.start(
      [&](const td::AuthorizationState& st) {
        if (st.state == "authorizationStateReady" && !asked) {
          asked = true;
          session.client().send(td::log_out(), std::chrono::seconds(30),
                                [&](Result<std::string> r) {
                                  if (!r.is_ok()) {
                                    result = r.status().with_context("log out");
                                    loop.stop();
                                  }
                                });
        } else if (st.state == "authorizationStateClosed") {
          result = asked ? Status::ok() : result;
          if (asked) out << "Logged out; the session on this machine is gone.\n";
          loop.stop();
        } else if (!asked && (st.state == "authorizationStateWaitPhoneNumber" ||
                              st.state == "authorizationStateWaitOtherDeviceConfirmation")) {
          out << "Not logged in; nothing to do.\n";
          result = Status::ok();
          loop.stop();
        }
      },
      [&](Status st) {
        result = std::move(st);
        loop.stop();
      });
  loop.post_after(
      kStartupDeadline, [&] { loop.stop(); }, false);
  StopSignal stop(loop, [&] {
    result = make_error(ErrorCode::kCancelled, "logout interrupted");
    loop.stop();
  });
  loop.run();
  session.stop();
  loop.run_ready();
  return report(*opts.err, result);
}

int cmd_run(const LoadedConfig& loaded, const TelegramCommandOptions& opts) {
  auto selected = select_accounts(loaded.accounts, opts.account);
  if (!selected.is_ok()) return report_open(*opts.err, selected.status());
  SystemClock clock;
  auto host = open_host(loaded.config, opts, clock);
  if (!host.is_ok()) return report(*opts.err, host.status());
  Terminal term(*opts.in, *opts.out, opts.interactive);
  AccountRunner runner(**host, *selected, term, *opts.err);
  return runner.run();
}

int cmd_accounts(const LoadedConfig& loaded, const TelegramCommandOptions& opts) {
  auto selected = select_accounts(loaded.accounts, opts.account);
  if (!selected.is_ok()) return report_open(*opts.err, selected.status());
  // TDLib's own lines would interleave with the listing.
  Config quiet = loaded.config;
  if (!quiet.is_set("log.level")) quiet.set("log.level", "warn", "accounts default");
  SystemClock clock;
  auto host = open_host(quiet, opts, clock);
  if (!host.is_ok()) return report(*opts.err, host.status());
  for (const auto* account : *selected)
    (*host)->add_secrets(account->config);
  auto states = probe_accounts(**host, *selected);
  if (!states.is_ok()) return report(*opts.err, states.status());
  *opts.out << render_account_states(*states);
  return 0;
}

}  // namespace sakai::app
