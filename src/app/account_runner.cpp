#include "app/account_runner.h"

#include <ostream>
#include <utility>

#include "app/stop_signal.h"

namespace sakai::app {

AccountRunner::AccountRunner(Host& host, std::vector<const AccountConfig*> accounts,
                             Terminal& terminal, std::ostream& err)
    : host_(host), terminal_(terminal), err_(err), single_(accounts.size() == 1) {
  for (const AccountConfig* config : accounts) {
    auto a = std::make_unique<Account>();
    a->config = config;
    accounts_.push_back(std::move(a));
  }
}

AccountRunner::~AccountRunner() {
  stopping_ = true;
  EventLoop& loop = host_.loop();
  // Every bot stops answering before its transport goes; then the TDLib clients close.
  for (auto& a : accounts_) {
    if (a->startup_timer != 0) loop.cancel(a->startup_timer);
    if (a->core) a->core->shutdown();
  }
  for (auto& a : accounts_) {
    a->login.reset();
    if (a->session) a->session->stop();
  }
  // What the closed clients left on the loop runs while their sessions still exist.
  loop.run_ready();
  for (auto& a : accounts_)
    a->session.reset();
  for (auto& a : accounts_)
    a->core.reset();
}

std::string AccountRunner::label(const Account& a) const {
  if (single_ && a.config->name == kDefaultAccount) return {};
  return "account " + a.config->name + ": ";
}

int AccountRunner::run() {
  EventLoop& loop = host_.loop();
  auto hub = host_.telegram();
  if (!hub.is_ok()) {
    err_ << "sakaibot: " << hub.status().message() << "\n";
    return 1;
  }
  for (auto& a : accounts_)
    start(*a);
  bool any_left = false;
  for (const auto& a : accounts_) {
    if (a->phase != Phase::kEnded) any_left = true;
  }
  if (!any_left) return 1;
  StopSignal stop(loop, [this, &loop] {
    stopping_ = true;
    stopped_on_request_ = true;
    host_.log().info("app", "stopping");
    loop.stop();
  });
  loop.run();
  stopping_ = true;
  return stopped_on_request_ ? 0 : 1;
}

void AccountRunner::start(Account& a) {
  const std::string& name = a.config->name;
  auto core = BotCore::create(host_, name, a.config->config);
  if (!core.is_ok()) {
    end(a, core.status());
    return;
  }
  a.core = std::move(core).value();
  auto hub = host_.telegram();
  auto session = TelegramSession::open(a.config->config, **hub, host_.loop(), host_.log(), name);
  if (!session.is_ok()) {
    end(a, session.status());
    return;
  }
  a.session = std::move(session).value();
  a.session->start([this, &a](const telegram::tdjson::AuthorizationState& st) { on_state(a, st); },
                   [this, &a](Status st) { end(a, st); });
  a.startup_timer = host_.loop().post_after(
      kStartupDeadline,
      [this, &a] {
        a.startup_timer = 0;
        if (a.progressed || a.phase == Phase::kEnded) return;
        end(a, make_error(ErrorCode::kDeadlineExceeded,
                          "TDLib did not start within " + std::to_string(kStartupDeadline.count()) +
                              " s"));
      },
      false);
}

void AccountRunner::on_state(Account& a, const telegram::tdjson::AuthorizationState& st) {
  if (stopping_ || a.phase == Phase::kEnded) return;
  a.progressed = true;
  if (st.state == "authorizationStateReady") {
    a.login.reset();
    go_live(a);
    return;
  }
  if (st.state == "authorizationStateClosed") {
    end(a, make_error(ErrorCode::kUnavailable, "TDLib closed the session"));
    return;
  }
  if (st.state == "authorizationStateLoggingOut" || st.state == "authorizationStateClosing") return;
  // Anything else means there is no session yet.
  const std::string& name = a.config->name;
  if (!single_ || !terminal_.interactive()) {
    const std::string command =
        name == kDefaultAccount ? "sakaibot login" : "sakaibot login --account " + name;
    end(a,
        make_error(ErrorCode::kFailedPrecondition,
                   "not logged in to Telegram: run `" + command + "` (in a terminal) first"),
        !single_);
    return;
  }
  if (!a.login) {
    terminal_.say("No Telegram session yet: let's log in.");
    a.phase = Phase::kLoggingIn;
    a.login = std::make_unique<LoginFlow>(*a.session, terminal_, a.config->config,
                                          !a.config->config.is_set("telegram.phone"),
                                          [this, &a](Status done) {
                                            if (!done.is_ok()) end(a, done);
                                          });
  }
  a.login->on_state(st);
}

void AccountRunner::go_live(Account& a) {
  if (a.going_live) return;
  a.going_live = true;
  a.session->transport().fetch_self([this, &a](Result<UserId> me) {
    if (stopping_ || a.phase == Phase::kEnded) return;
    if (!me.is_ok()) {
      end(a, me.status().with_context("getMe"));
      return;
    }
    a.phase = Phase::kLive;
    a.core->attach(a.session->transport(), "tdlib");
    host_.log().info(
        "app", "SakaiBot is running",
        {{"account", a.config->name}, {"user_id", me->str()}, {"tdjson", host_.tdjson_path()}});
    if (!terminal_.interactive()) return;
    terminal_.say(single_ ? "SakaiBot is running. Type /help in any Telegram chat. Ctrl+C stops it."
                          : "Account " + a.config->name +
                                " is running. Type /help in any of its chats. Ctrl+C stops all.");
  });
}

void AccountRunner::end(Account& a, const Status& why, bool skipped) {
  if (a.phase == Phase::kEnded) return;
  a.phase = Phase::kEnded;
  if (a.core) a.core->shutdown();
  if (skipped) {
    host_.log().warn("app", "account skipped",
                     {{"account", a.config->name}, {"reason", why.message()}});
    err_ << "sakaibot: warning: " << label(a) << why.message() << "; skipped\n";
  } else {
    // With one account the line below says it all; with several the log records which stopped.
    if (!single_) {
      host_.log().error("app", "account stopped",
                        {{"account", a.config->name}, {"reason", why.message()}});
    }
    err_ << "sakaibot: " << label(a) << why.message() << "\n";
  }
  // Not from inside the session's or the login's own callback: on the loop, right after.
  host_.loop().post([this, &a] {
    a.login.reset();
    if (a.session) a.session->stop();
  });
  end_if_none_left();
}

void AccountRunner::end_if_none_left() {
  for (const auto& a : accounts_) {
    if (a->phase != Phase::kEnded) return;
  }
  host_.loop().stop();
}

}  // namespace sakai::app
