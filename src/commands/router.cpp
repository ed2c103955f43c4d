#include "commands/router.h"

#include <exception>

#include "core/text.h"

namespace sakai::commands {
namespace {

constexpr std::size_t kExecutedMemory = 10000;

std::string key_of(const Message& m) {
  return m.chat.str() + ":" + m.id.str();
}

bool is_confirm_word(std::string_view s) {
  const std::string w = text::ascii_lower(text::trim(s));
  // English, Persian (with and without hamza, and with Arabic yeh), Arabic.
  return w == "confirm" || w == "تایید" || w == "تأیید" || w == "تاييد" || w == "تأكيد" ||
         w == "تاكيد" || w == "موافق";
}

}  // namespace

CommandRouter::CommandRouter(Services& services)
    : services_(services),
      policy_(services.store.grants(), services.clock),
      limiter_(services.clock, static_cast<int>(services.config.get_int("ratelimit.max_commands")),
               std::chrono::seconds(services.config.get_seconds("ratelimit.window"))),
      max_input_chars_(static_cast<std::size_t>(services.config.get_int("bot.max_input_chars"))),
      owner_exempt_(services.config.get_bool("ratelimit.owner_exempt")) {
  for (const auto& p : services.config.get_list("bot.command_prefixes"))
    prefixes_ += p;
  if (prefixes_.empty()) prefixes_ = "/";
  services.pending = &pending_;
  for (const auto& hook : services.registry.start_hooks())
    hook(services);
}

CommandRouter::~CommandRouter() {
  stop();
  if (services_.pending == &pending_) services_.pending = nullptr;
}

void CommandRouter::stop() {
  if (stopped_) return;
  stopped_ = true;
  for (const auto& hook : services_.registry.stop_hooks())
    hook();
}

std::string CommandRouter::language_for(UserId user) {
  auto pref = services_.store.preferences().get(user, "language");
  if (pref.is_ok() && pref->has_value() && services_.i18n.has_language(**pref)) return **pref;
  const std::string def = services_.config.get_string("bot.language");
  return services_.i18n.has_language(def) ? def : "en";
}

Reply CommandRouter::make_reply(const Message& message, const std::string& command,
                                const std::string& lang) {
  const auto started = services_.clock.now();
  return Reply(services_, Reply::Target{message.chat, message.id, lang, command},
               [this, message, command, started](Outcome outcome) {
                 log_outcome(message, command, started, outcome);
               });
}

void CommandRouter::log_outcome(const Message& message, const std::string& command,
                                Clock::TimePoint started, Outcome outcome) {
  const auto latency =
      std::chrono::duration_cast<std::chrono::milliseconds>(services_.clock.now() - started)
          .count();
  storage::CommandLogEntry e;
  e.ts_ms = to_unix_ms(services_.clock.wall_now());
  e.user = message.sender;
  e.chat = message.chat;
  e.command = command;
  e.latency_ms = latency;
  e.outcome = std::string(outcome_name(outcome));
  if (auto st = services_.store.command_log().append(e); !st.is_ok()) {
    services_.log.warn("commands", "could not record the command", {{"error", st.to_string()}});
  }
  services_.log.info("commands", "command finished",
                     {{"command", command},
                      {"outcome", e.outcome},
                      {"latency_ms", std::to_string(latency)},
                      {"chat", message.chat.str()}});
}

bool CommandRouter::mark_executed(const Message& message) {
  const std::string k = key_of(message);
  if (!executed_.insert(k).second) return false;
  executed_order_.push_back(k);
  if (executed_order_.size() > kExecutedMemory) {
    executed_.erase(executed_order_.front());
    executed_order_.pop_front();
  }
  return true;
}

void CommandRouter::on_new_message(const Message& message) {
  if (stopped_) return;
  ++counters_.messages;
  if (message.media != MediaKind::kNone && try_media(message)) return;
  if (message.text.empty()) return;
  if (message.outgoing && message.reply_to && try_confirm(message)) return;
  const auto name = command_name(message.text, prefixes_);
  if (!name) {
    if (message.reply_to) try_continue(message);
    return;
  }
  const CommandSpec* spec = services_.registry.find(*name);
  // Unknown names stay silent: "/start" to another bot in a group is not ours to answer.
  if (spec == nullptr) return;
  dispatch(message, *spec, false);
}

void CommandRouter::on_messages_deleted(ChatId chat, const std::vector<MessageId>& ids) {
  if (stopped_) return;
  for (const auto& hook : services_.registry.deletion_hooks())
    hook(services_, chat, ids);
}

std::int64_t CommandRouter::confirm_timeout_ms() const {
  return services_.config.get_seconds("bot.confirm_timeout") * 1000;
}

bool CommandRouter::is_waiting_notice(const Message& message) const {
  if (!message.outgoing) return false;
  for (const auto& lang : services_.i18n.languages()) {
    if (message.text == services_.i18n.tr(lang, "auth.awaiting_confirm")) return true;
  }
  return false;
}

bool CommandRouter::try_confirm(const Message& message) {
  if (!is_confirm_word(message.text) || message.chat_kind != ChatKind::kPrivate) return false;
  const Message confirm = message;
  // A request this run told the friend to wait for: the owner replied to it or to the notice.
  if (const PendingRequest* p = pending_.find(message.chat, *message.reply_to)) {
    const Message original = p->request;
    confirm_request(confirm, original, p->notice);
    return true;
  }
  // Otherwise (e.g. asked before a restart) the replies in the chat say which command it is.
  services_.transport.get_message(
      message.chat, *message.reply_to, [this, confirm](Result<Message> replied) {
        if (!replied.is_ok()) return;
        if (!replied->outgoing) {
          confirm_request(confirm, *replied, std::nullopt);
          return;
        }
        // SakaiBot's waiting notice answers the friend's command.
        if (!is_waiting_notice(*replied) || !replied->reply_to) return;
        const MessageId notice = replied->id;
        services_.transport.get_message(confirm.chat, *replied->reply_to,
                                        [this, confirm, notice](Result<Message> original) {
                                          if (!original.is_ok() || original->outgoing) return;
                                          confirm_request(confirm, *original, notice);
                                        });
      });
  return true;
}

void CommandRouter::confirm_request(const Message& confirm, const Message& original,
                                    std::optional<MessageId> notice) {
  const auto name = command_name(original.text, prefixes_);
  const CommandSpec* spec = name ? services_.registry.find(*name) : nullptr;
  if (spec == nullptr) return;  // "confirm" said in conversation: not for us
  const std::string lang = language_for(services_.transport.self_id());
  if (spec->access == Access::kOwner) {
    make_reply(confirm, spec->name, lang)
        .error("auth.owner_only_command", {{"command", "/" + spec->name}});
    return;
  }
  const std::int64_t now_ms = to_unix_ms(services_.clock.wall_now());
  auto pending = pending_.take(original.chat, original.id);
  std::int64_t asked_ms = original.date_unix * 1000;
  if (pending) {
    asked_ms = pending->asked_ms;
    if (pending->notice) notice = pending->notice;
  }
  // Confirmed already (a second `confirm`, or a re-delivered one): nothing runs twice.
  if (executed_.count(key_of(original)) > 0) return;
  const std::string friend_lang = pending ? pending->lang : language_for(original.sender);
  if (asked_ms > 0 && now_ms - asked_ms > confirm_timeout_ms()) {
    make_reply(confirm, spec->name, lang).error("auth.confirm_expired");
    if (notice) {
      services_.transport.edit_text(
          original.chat, *notice,
          telegram::FormattedText("⌛ " + services_.i18n.tr(friend_lang, "auth.notice_expired")),
          [](Status) {});
    }
    return;
  }
  if (notice) {
    services_.transport.edit_text(
        original.chat, *notice,
        telegram::FormattedText("✅ " + services_.i18n.tr(friend_lang, "auth.notice_confirmed",
                                                         {{"command", "/" + spec->name}})),
        [](Status) {});
  }
  dispatch(original, *spec, true);
}

void CommandRouter::await_confirmation(const Message& message, const CommandSpec& spec,
                                       const std::string& lang) {
  const std::int64_t now_ms = to_unix_ms(services_.clock.wall_now());
  pending_.forget_older_than(now_ms - confirm_timeout_ms());
  PendingRequest request{message, spec.name, lang,
                         message.date_unix > 0 ? message.date_unix * 1000 : now_ms, std::nullopt};
  // The same message again (a re-delivered update): the friend was told already.
  if (!pending_.add(std::move(request))) return;
  const ChatId chat = message.chat;
  const MessageId id = message.id;
  make_reply(message, spec.name, lang)
      .ok(telegram::FormattedText(services_.i18n.tr(lang, "auth.awaiting_confirm")),
          [this, chat, id](Result<MessageId> sent) {
            if (sent.is_ok()) pending_.set_notice(chat, id, *sent);
          });
}

bool CommandRouter::try_media(const Message& message) {
  const auto& handlers = services_.registry.media_handlers();
  if (handlers.empty()) return false;
  if (!message.text.empty() && command_name(message.text, prefixes_)) return false;
  for (const MediaHandler& h : handlers) {
    if (!h.accepts || !h.handle || !h.accepts(services_, message)) continue;
    h.handle(services_, message);
    return true;
  }
  return false;
}

bool CommandRouter::try_continue(const Message& message) {
  for (const ReplyContinuation& cont : services_.registry.reply_continuations()) {
    if (!cont.accepts) continue;
    const CommandSpec* spec = services_.registry.find(cont.command);
    if (spec == nullptr) continue;
    // Friends continue only where they could run the command directly: a private chat and a
    // direct grant (a plain-text reply has nothing for the owner to confirm).
    if (!message.outgoing) {
      if (message.chat_kind != ChatKind::kPrivate) continue;
      auto decided = policy_.decide(message, *spec);
      if (!decided.is_ok() || *decided != Verdict::kRun) continue;
    }
    if (!cont.accepts(services_, message)) continue;
    continue_with(message, *spec);
    return true;
  }
  return false;
}

void CommandRouter::continue_with(const Message& message, const CommandSpec& spec) {
  CommandLine line;
  line.prefix = prefixes_.front();
  line.name = spec.name;
  line.form = CommandForm::kSpace;
  line.raw = std::string(text::trim(message.text));
  line.text = line.raw;
  dispatch(message, spec, false, std::move(line));
}

void CommandRouter::dispatch(const Message& message, const CommandSpec& spec, bool confirmed,
                             std::optional<CommandLine> line) {
  Verdict verdict = Verdict::kRun;
  if (!confirmed) {
    auto decided = policy_.decide(message, spec);
    if (!decided.is_ok()) {
      services_.log.error("commands", "access check failed",
                          {{"error", decided.status().to_string()}});
      return;
    }
    verdict = *decided;
  }
  if (verdict == Verdict::kIgnore) {
    ++counters_.ignored;
    return;
  }
  ++counters_.commands;
  const std::string lang = language_for(message.sender);
  if (verdict == Verdict::kNotGranted) {
    make_reply(message, spec.name, lang).error("auth.not_granted", {{"command", "/" + spec.name}});
    return;
  }
  switch (check_input(message.text, max_input_chars_)) {
    case InputProblem::kNone:
      break;
    case InputProblem::kTooLong:
      make_reply(message, spec.name, lang)
          .error("input.too_long", {{"max", std::to_string(max_input_chars_)}});
      return;
    case InputProblem::kInvalidUtf8:
      make_reply(message, spec.name, lang).error("input.invalid_utf8");
      return;
    case InputProblem::kControlChar:
      make_reply(message, spec.name, lang).error("input.control_char");
      return;
  }
  if (!(message.outgoing && owner_exempt_)) {
    const auto d = limiter_.check(message.sender);
    if (!d.allowed) {
      if (d.notify) {
        make_reply(message, spec.name, lang)
            .error("input.rate_limited", {{"seconds", std::to_string(d.retry_after.count())}});
      } else {
        log_outcome(message, spec.name, services_.clock.now(), Outcome::kRateLimited);
      }
      return;
    }
  }
  if (verdict == Verdict::kAwaitConfirm) {
    await_confirmation(message, spec, lang);
    return;
  }
  if (!mark_executed(message)) return;
  if (message.reply_to) {
    const Message m = message;
    const CommandSpec* s = &spec;
    services_.transport.get_message(
        message.chat, *message.reply_to,
        [this, m, s, lang, line = std::move(line)](Result<Message> replied) mutable {
          std::optional<Message> r;
          if (replied.is_ok()) r = std::move(replied).value();
          run(m, *s, std::move(r), lang, std::move(line));
        });
    return;
  }
  run(message, spec, std::nullopt, lang, std::move(line));
}

void CommandRouter::run(const Message& message, const CommandSpec& spec,
                        std::optional<Message> replied, const std::string& lang,
                        std::optional<CommandLine> given) {
  auto line =
      given ? std::move(given) : parse_command_line(message.text, prefixes_, spec.param_keys);
  if (!line) return;
  // A command typed by its alias is still answered and logged under its canonical name.
  CommandContext ctx{services_,
                     message,
                     std::move(*line),
                     std::move(replied),
                     lang,
                     message.outgoing,
                     make_reply(message, spec.name, lang)};
  try {
    spec.handler(std::move(ctx));
  } catch (const std::exception& e) {
    // The handler threw before answering: the Reply inside ctx was destroyed by the unwinding
    // and has told the user the command ended without an answer.
    services_.log.error("commands", "command threw", {{"command", spec.name}, {"error", e.what()}});
  }
}

}  // namespace sakai::commands
