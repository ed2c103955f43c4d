#include "app/telegram_commands.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <filesystem>
#include <iostream>

#include "app/bot_core.h"
#include "app/config_render.h"
#include "app/login_flow.h"
#include "app/telegram_session.h"
#include "app/terminal.h"
#include "core/text.h"
#include "telegram/tdjson/td_requests.h"

namespace sakai::app {
namespace {

namespace td = telegram::tdjson;

std::atomic<bool> g_stop_requested{false};  // set by the signal handler, read by a loop timer

extern "C" void on_signal(int) {
  g_stop_requested = true;
}

// How long TDLib may take to report its first authorization state. It reads the local database
// only, so this is generous.
constexpr auto kStartupDeadline = std::chrono::seconds(30);

void watch_signals(EventLoop& loop, std::function<void()> on_stop) {
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  auto check = std::make_shared<std::function<void()>>();
  *check = [&loop, on_stop, check] {
    if (g_stop_requested) {
      on_stop();
      return;
    }
    loop.post_after(
        std::chrono::milliseconds(250), [check] { (*check)(); }, false);
  };
  (*check)();
}

struct Stack {
  // On the heap: BotCore keeps a reference to the clock, and a Stack is moved.
  std::unique_ptr<SystemClock> clock = std::make_unique<SystemClock>();
  std::unique_ptr<BotCore> core;
  std::unique_ptr<TelegramSession> session;

  Stack() = default;
  Stack(Stack&&) noexcept = default;
  Stack& operator=(Stack&&) noexcept = default;
  Stack(const Stack&) = delete;
  Stack& operator=(const Stack&) = delete;
  // The session (the transport) goes first; the engine stops answering before that.
  ~Stack() {
    if (core) core->shutdown();
  }
};

Result<Stack> open_stack(const Config& config) {
  Stack s;
  auto core = BotCore::create(config, std::cerr, *s.clock);
  if (!core.is_ok()) return core.status();
  s.core = std::move(core).value();
  auto session = TelegramSession::open(config, s.core->loop(), s.core->log());
  if (!session.is_ok()) return session.status();
  s.session = std::move(session).value();
  return s;
}

int report(const Status& st) {
  if (st.is_ok()) return 0;
  std::cerr << "sakaibot: " << st.message() << "\n";
  return 1;
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
  Terminal term(std::cin, std::cout, opts.interactive);
  if (!opts.interactive) {
    std::cerr << "sakaibot: setup asks questions and needs a terminal; write the configuration by "
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
    std::cerr << "sakaibot: cannot write " << tmp << "\n";
    return 1;
  }
  ::fchmod(fd, 0600);
  ::close(fd);
  std::filesystem::rename(tmp, path);
  term.say("Saved " + path + ".");
  if (written_path) *written_path = path;
  return 0;
}

int cmd_login(const Config& config, const TelegramCommandOptions& opts) {
  auto stack = open_stack(config);
  if (!stack.is_ok()) return report(stack.status());
  Terminal term(std::cin, std::cout, opts.interactive);
  EventLoop& loop = stack->core->loop();
  Status result = make_error(ErrorCode::kUnavailable, "login did not finish");
  bool progressed = false;
  LoginFlow flow(*stack->session, term, config, opts.qr, [&](Status st) {
    result = std::move(st);
    loop.stop();
  });
  stack->session->start(
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
  watch_signals(loop, [&] {
    result = make_error(ErrorCode::kCancelled, "login interrupted");
    loop.stop();
  });
  loop.run();
  stack->session->stop();
  return report(result);
}

int cmd_logout(const Config& config, const TelegramCommandOptions&) {
  auto stack = open_stack(config);
  if (!stack.is_ok()) return report(stack.status());
  EventLoop& loop = stack->core->loop();
  Status result = make_error(ErrorCode::kDeadlineExceeded, "TDLib did not start within 30 s");
  bool asked = false;
  stack->session->start(
      [&](const td::AuthorizationState& st) {
        if (st.state == "authorizationStateReady" && !asked) {
          asked = true;
          stack->session->client().send(td::log_out(), std::chrono::seconds(30),
                                        [&](Result<std::string> r) {
                                          if (!r.is_ok()) {
                                            result = r.status().with_context("log out");
                                            loop.stop();
                                          }
                                        });
        } else if (st.state == "authorizationStateClosed") {
          result = asked ? Status::ok() : result;
          if (asked) std::cout << "Logged out; the session on this machine is gone.\n";
          loop.stop();
        } else if (!asked && (st.state == "authorizationStateWaitPhoneNumber" ||
                              st.state == "authorizationStateWaitOtherDeviceConfirmation")) {
          std::cout << "Not logged in; nothing to do.\n";
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
  loop.run();
  stack->session->stop();
  return report(result);
}

int cmd_run(const Config& config, const TelegramCommandOptions& opts) {
  auto stack = open_stack(config);
  if (!stack.is_ok()) return report(stack.status());
  EventLoop& loop = stack->core->loop();
  Logger& log = stack->core->log();
  Terminal term(std::cin, std::cout, opts.interactive);
  Status result = Status::ok();
  bool running = false;
  bool progressed = false;
  std::unique_ptr<LoginFlow> login;
  auto fail = [&](Status st) {
    result = std::move(st);
    loop.stop();
  };
  auto go_live = [&] {
    if (running) return;
    stack->session->transport().fetch_self([&](Result<UserId> me) {
      if (!me.is_ok()) {
        fail(me.status().with_context("getMe"));
        return;
      }
      running = true;
      stack->core->attach(stack->session->transport(), "tdlib");
      log.info("app", "SakaiBot is running",
               {{"user_id", me->str()}, {"tdjson", stack->session->library_path()}});
      if (opts.interactive)
        term.say("SakaiBot is running. Type /help in any Telegram chat. Ctrl+C stops it.");
    });
  };
  stack->session->start(
      [&](const td::AuthorizationState& st) {
        progressed = true;
        if (st.state == "authorizationStateReady") {
          login.reset();
          go_live();
          return;
        }
        if (st.state == "authorizationStateClosed") {
          if (!g_stop_requested)
            fail(make_error(ErrorCode::kUnavailable, "TDLib closed the session"));
          loop.stop();
          return;
        }
        if (st.state == "authorizationStateLoggingOut" || st.state == "authorizationStateClosing")
          return;
        // Anything else means there is no session yet.
        if (!opts.interactive) {
          fail(make_error(ErrorCode::kFailedPrecondition,
                          "not logged in to Telegram: run `sakaibot login` (in a terminal) first"));
          return;
        }
        if (!login) {
          term.say("No Telegram session yet: let's log in.");
          login = std::make_unique<LoginFlow>(*stack->session, term, config,
                                              !config.is_set("telegram.phone"), [&](Status st2) {
                                                if (!st2.is_ok()) fail(st2);
                                              });
        }
        login->on_state(st);
      },
      fail);
  loop.post_after(
      kStartupDeadline,
      [&] {
        if (!progressed)
          fail(make_error(ErrorCode::kDeadlineExceeded, "TDLib did not start within 30 s"));
      },
      false);
  watch_signals(loop, [&] {
    log.info("app", "stopping");
    loop.stop();
  });
  loop.run();
  stack->session->stop();
  return report(result);
}

}  // namespace sakai::app
