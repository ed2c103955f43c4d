#include "commands/reply.h"

#include "commands/services.h"

namespace sakai::commands {

std::string_view outcome_name(Outcome outcome) {
  switch (outcome) {
    case Outcome::kOk:
      return "ok";
    case Outcome::kError:
      return "error";
    case Outcome::kInvalid:
      return "invalid";
    case Outcome::kDenied:
      return "denied";
    case Outcome::kRateLimited:
      return "rate_limited";
    case Outcome::kCancelled:
      return "cancelled";
  }
  return "error";
}

struct Reply::State {
  Services& services;
  Target target;
  Completion on_complete;
  bool answered = false;
  std::shared_ptr<bool> live;  // Services::live: false once the app shuts down
};

Reply::Reply(Services& services, Target target, Completion on_complete)
    : state_(std::make_unique<State>(
          State{services, std::move(target), std::move(on_complete), false, services.live})) {}

Reply::Reply(Reply&&) noexcept = default;
Reply& Reply::operator=(Reply&&) noexcept = default;

Reply::~Reply() {
  // During shutdown the Services may be gone already (a task still queued on the loop is
  // destroyed with it): the command is simply dropped.
  if (state_ && !state_->answered && state_->live && *state_->live) {
    state_->services.log.warn("commands", "command ended without an answer",
                              {{"command", state_->target.command}});
    finish(Outcome::kCancelled, telegram::FormattedText(state_->services.i18n.tr(
                                    state_->target.lang, "error.no_answer",
                                    {{"command", "/" + state_->target.command}})));
  }
}

bool Reply::answered() const {
  return state_ && state_->answered;
}
const Reply::Target& Reply::target() const {
  return state_->target;
}

void Reply::ok(telegram::FormattedText text) {
  finish(Outcome::kOk, std::move(text));
}

void Reply::ok(telegram::FormattedText text, std::function<void(Result<MessageId>)> sent) {
  finish(Outcome::kOk, std::move(text), std::move(sent));
}

void Reply::error(std::string_view key, std::initializer_list<TrArg> args) {
  if (!state_) return;
  std::string msg = "⚠️ " + state_->services.i18n.tr(state_->target.lang, key, args);
  finish(Outcome::kError, telegram::FormattedText(std::move(msg)));
}

void Reply::usage(std::string_view reason_key, std::initializer_list<TrArg> args) {
  if (!state_) return;
  const auto& i18n = state_->services.i18n;
  const std::string& lang = state_->target.lang;
  std::string msg;
  if (!reason_key.empty()) msg = "⚠️ " + i18n.tr(lang, reason_key, args) + "\n";
  msg += i18n.tr(lang, "help.usage_label") + " " +
         i18n.isolate_for(lang, i18n.tr(lang, "cmd." + state_->target.command + ".usage"));
  finish(Outcome::kInvalid, telegram::FormattedText(std::move(msg)));
}

void Reply::done_silently() {
  finish(Outcome::kOk, std::nullopt);
}

void Reply::delivered(Outcome outcome) {
  finish(outcome, std::nullopt);
}

void Reply::finish(Outcome outcome, std::optional<telegram::FormattedText> text,
                   std::function<void(Result<MessageId>)> sent_cb) {
  if (!state_) return;
  if (state_->answered) {
    state_->services.log.error("commands", "command answered twice; second answer dropped",
                               {{"command", state_->target.command}});
    return;
  }
  state_->answered = true;
  auto complete = std::move(state_->on_complete);
  if (!text) {
    if (complete) complete(outcome);
    return;
  }
  telegram::SendOptions opts;
  if (state_->target.reply_to.valid()) opts.reply_to = state_->target.reply_to;
  Logger& log = state_->services.log;
  const std::string command = state_->target.command;
  state_->services.transport.send_text(
      state_->target.chat, std::move(*text), opts,
      [&log, command, outcome, complete, sent_cb](Result<telegram::SentParts> sent) {
        if (!sent.is_ok()) {
          log.error("commands", "could not send the answer",
                    {{"command", command}, {"error", sent.status().to_string()}});
        }
        if (complete) complete(sent.is_ok() ? outcome : Outcome::kError);
        if (sent_cb) sent_cb(sent.is_ok() ? Result<MessageId>(sent->first()) : sent.status());
      });
}

}  // namespace sakai::commands
