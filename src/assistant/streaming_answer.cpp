#include "assistant/streaming_answer.h"

#include "ai/llm/error_messages.h"
#include "assistant/live_answers.h"
#include "assistant/partial_markdown.h"
#include "commands/services.h"
#include "core/text.h"
#include "telegram/format/markdown.h"
#include "telegram/format/splitter.h"

namespace sakai::assistant {

using commands::Outcome;
using commands::Reply;
using commands::Services;

namespace {

// Room kept free in a message that is still growing, for the " …" marker and slack.
constexpr int kReserve = 8;
constexpr std::string_view kCursor = " …";

std::string trim_left(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r'))
    ++i;
  return std::string(s.substr(i));
}

int utf16_size(std::string_view s) {
  return static_cast<int>(text::utf16_length(s));
}

}  // namespace

StreamingAnswer::Options StreamingAnswer::options_from(const Services& services) {
  Options o;
  o.stream = services.config.get_bool("ai.stream");
  o.edit_interval = std::chrono::seconds(services.config.get_seconds("ai.stream_edit_interval"));
  return o;
}

StreamingAnswer::StreamingAnswer(Services& services, Reply reply, Options options,
                                 Finished on_finished)
    : services_(services),
      reply_(std::move(reply)),
      options_(options),
      on_finished_(std::move(on_finished)) {}

std::shared_ptr<StreamingAnswer> StreamingAnswer::start(Services& services, Reply reply,
                                                        Options options, Finished on_finished) {
  auto self = std::make_shared<StreamingAnswer>(services, std::move(reply), options,
                                                std::move(on_finished));
  const ChatId chat = self->reply_.target().chat;
  if (options.stream) {
    self->send_status();
  } else {
    self->status_pending_ = false;
  }
  services.transport.send_chat_action(chat, telegram::ChatAction::kTyping);
  return self;
}

int StreamingAnswer::limit() const {
  return services_.transport.message_text_limit();
}

telegram::FormattedText StreamingAnswer::plain_in_progress(const std::string& text) {
  return telegram::FormattedText(text + std::string(kCursor));
}

void StreamingAnswer::send_status() {
  const auto& t = reply_.target();
  busy_ = true;
  telegram::SendOptions opts;
  if (t.reply_to.valid()) opts.reply_to = t.reply_to;
  auto self = shared_from_this();
  services_.transport.send_text(
      t.chat, telegram::FormattedText(services_.i18n.tr(t.lang, "ai.stream.thinking")), opts,
      [self](Result<MessageId> sent) {
        self->busy_ = false;
        self->status_pending_ = false;
        self->last_edit_ = self->services_.clock.now();
        if (sent.is_ok()) {
          self->messages_.push_back(*sent);
        } else {
          self->status_failed_ = true;
          self->services_.log.warn("ai", "could not send the status message",
                                   {{"error", sent.status().to_string()}});
        }
        self->pump();
      });
}

void StreamingAnswer::on_delta(const ai::ChatDelta& delta) {
  if (phase_ != Phase::kStreaming || delta.text.empty()) return;
  current_ += delta.text;
  streamed_all_ += delta.text;
  streamed_any_ = true;
  pump();
}

void StreamingAnswer::finish(std::string markdown) {
  if (phase_ != Phase::kStreaming) return;
  final_markdown_ = std::move(markdown);
  phase_ = Phase::kFinishing;
  pump();
}

void StreamingAnswer::ask(ai::ChatRequest request, UserId asker,
                          std::function<std::string(ai::ChatResult& result)> on_result) {
  long_request_ = is_long_request(request);
  auto self = shared_from_this();
  ai::ChatDeltaCallback on_delta;
  if (options_.stream) on_delta = [self](const ai::ChatDelta& d) { self->on_delta(d); };
  WaitOptions wait;
  wait.command = options_.command;
  wait.on_waiting = [self](Clock::Duration waited) { self->on_waiting(waited); };
  auto call = LlmCall::start(
      services_, std::move(request), std::move(on_delta),
      [self, on_result = std::move(on_result)](ai::ChatOutcome o) {
        if (!o.ok()) {
          self->fail(o.error());
          return;
        }
        self->finish(on_result ? on_result(o.result()) : o.result().text);
      },
      std::move(wait));
  attach(call->handle(), asker);
}

void StreamingAnswer::on_waiting(Clock::Duration waited) {
  if (phase_ != Phase::kStreaming || !options_.stream || status_failed_ || messages_.empty() ||
      streamed_any_ || busy_) {
    return;
  }
  const auto secs = std::chrono::duration_cast<std::chrono::seconds>(waited).count();
  edit_current(telegram::FormattedText(
                   "🤔 " + services_.i18n.tr(reply_.target().lang, "ai.stream.waiting",
                                               {{"provider", primary_provider_label(services_)},
                                                {"seconds", std::to_string(secs)}})),
               nullptr);
}

void StreamingAnswer::attach(ai::ChatHandle call, UserId asker) {
  call_ = std::move(call);
  if (services_.answers != nullptr) {
    services_.answers->add(reply_.target().chat, reply_.target().reply_to, asker, weak_from_this());
  }
}

bool StreamingAnswer::stop() {
  if (phase_ != Phase::kStreaming || !call_) return false;
  call_->cancel();  // the provider answers kCancelled through the call's callback, later
  return true;
}

void StreamingAnswer::fail(const ai::LlmError& error) {
  if (phase_ != Phase::kStreaming) return;
  error_text_ = telegram::FormattedText(
      "⚠️ " + error_text(services_, reply_.target().lang, error,
                             error_context(services_, options_.for_owner, long_request_)));
  phase_ = Phase::kFinishing;
  pump();
}

void StreamingAnswer::pump() {
  if (busy_ || phase_ == Phase::kDone || finishing_started_) return;
  if (status_pending_) return;
  if (phase_ == Phase::kFinishing) {
    if (flush_timer_) services_.loop.cancel(*std::exchange(flush_timer_, std::nullopt));
    finishing_started_ = true;
    deliver_final();
    return;
  }
  if (!options_.stream || status_failed_ || messages_.empty()) return;
  if (utf16_size(current_) + kReserve > limit()) {
    freeze_overflow();
    return;
  }
  if (current_ == shown_) return;
  const auto now = services_.clock.now();
  if (now - last_edit_ >= options_.edit_interval) {
    const std::string snapshot = current_;
    edit_current(plain_in_progress(snapshot), [this, snapshot](bool) { shown_ = snapshot; });
  } else {
    schedule_flush();
  }
}

void StreamingAnswer::schedule_flush() {
  if (flush_timer_) return;
  const auto delay = last_edit_ + options_.edit_interval - services_.clock.now();
  auto self = shared_from_this();
  flush_timer_ = services_.loop.post_after(delay, [self] {
    self->flush_timer_.reset();
    self->pump();
  });
}

void StreamingAnswer::edit_current(telegram::FormattedText text, std::function<void(bool)> then) {
  busy_ = true;
  auto self = shared_from_this();
  services_.transport.edit_text(reply_.target().chat, messages_.back(), std::move(text),
                                [self, then = std::move(then)](Status st) {
                                  self->busy_ = false;
                                  self->last_edit_ = self->services_.clock.now();
                                  if (!st.is_ok()) {
                                    self->services_.log.debug("ai",
                                                              "edit of a streamed answer failed",
                                                              {{"error", st.to_string()}});
                                  }
                                  if (then) then(st.is_ok());
                                  self->pump();
                                });
}

void StreamingAnswer::send_new(telegram::FormattedText text, std::function<void(bool)> then) {
  busy_ = true;
  const auto& t = reply_.target();
  telegram::SendOptions opts;
  if (t.reply_to.valid()) opts.reply_to = t.reply_to;
  auto self = shared_from_this();
  services_.transport.send_text(
      t.chat, std::move(text), opts, [self, then = std::move(then)](Result<MessageId> sent) {
        self->busy_ = false;
        self->last_edit_ = self->services_.clock.now();
        if (sent.is_ok()) {
          self->messages_.push_back(*sent);
        } else {
          self->services_.log.warn("ai", "could not send part of an answer",
                                   {{"error", sent.status().to_string()}});
        }
        if (then) then(sent.is_ok());
        self->pump();
      });
}

void StreamingAnswer::freeze_overflow() {
  const int max = limit();
  auto parts = telegram::split_formatted(telegram::FormattedText(current_), max - kReserve, false);
  std::size_t cut = parts.empty() ? current_.size() : parts.front().text.size();
  if (cut == 0 || cut > current_.size()) cut = current_.size() / 2;
  const std::string head = current_.substr(0, cut);
  telegram::FormattedText frozen = telegram::markdown_to_formatted(head);
  if (utf16_size(frozen.text) > max) frozen = telegram::FormattedText(head);
  // Only ever appended to, so everything after `cut` is the next message's.
  std::string rest = trim_left(std::string_view(current_).substr(cut));
  consumed_ += current_.size() - rest.size();
  current_ = std::move(rest);
  shown_.clear();
  busy_ = true;  // the edit and the send that follows are one step
  edit_current(std::move(frozen), [this](bool) {
    const std::string snapshot = current_;
    send_new(plain_in_progress(snapshot), [this, snapshot](bool ok) {
      if (ok) {
        shown_ = snapshot;
      } else {
        status_failed_ = true;  // nowhere to continue: the rest arrives with the final answer
      }
    });
  });
}

void StreamingAnswer::deliver_final() {
  const bool have_message = options_.stream && !status_failed_ && !messages_.empty();
  if (error_text_) {
    auto error = std::move(*error_text_);
    auto done = [this](bool) { complete(Outcome::kError); };
    if (!have_message) {
      send_new(std::move(error), done);
    } else if (!streamed_any_ || current_.empty()) {
      edit_current(std::move(error), done);
    } else {
      // Keep what was answered, properly formatted, and say below why it stopped.
      telegram::FormattedText partial =
          telegram::markdown_to_formatted(close_open_markdown(current_));
      if (utf16_size(partial.text) > limit()) partial = telegram::FormattedText(current_);
      edit_current(std::move(partial), [this, error = std::move(error)](bool) mutable {
        send_new(std::move(error), [this](bool) { complete(Outcome::kError); });
      });
    }
    return;
  }
  std::string md = final_markdown_ ? std::move(*final_markdown_) : std::string();
  std::string remaining;
  if (consumed_ > 0 && md.compare(0, consumed_, streamed_all_, 0, consumed_) == 0) {
    remaining = trim_left(std::string_view(md).substr(consumed_));
  } else if (consumed_ > 0) {
    remaining = current_;  // the provider's text differs from the stream: keep the stream's
  } else {
    remaining = std::move(md);
  }
  telegram::FormattedText formatted = telegram::markdown_to_formatted(remaining);
  if (formatted.text.empty()) {
    formatted = telegram::FormattedText(services_.i18n.tr(reply_.target().lang, "ai.stream.empty"));
  }
  auto parts = telegram::split_formatted(formatted, limit(), false);
  if (parts.empty()) parts.push_back(std::move(formatted));
  deliver_parts(std::move(parts), 0);
}

void StreamingAnswer::deliver_parts(std::vector<telegram::FormattedText> parts, std::size_t index) {
  if (index >= parts.size()) {
    complete(messages_.empty() ? Outcome::kError : Outcome::kOk);
    return;
  }
  const bool edit = index == 0 && options_.stream && !status_failed_ && !messages_.empty();
  telegram::FormattedText part = std::move(parts[index]);
  auto next = [this, parts = std::move(parts), index](bool) mutable {
    deliver_parts(std::move(parts), index + 1);
  };
  if (edit) {
    edit_current(std::move(part), std::move(next));
  } else {
    send_new(std::move(part), std::move(next));
  }
}

void StreamingAnswer::complete(Outcome outcome) {
  if (phase_ == Phase::kDone) return;
  phase_ = Phase::kDone;
  if (flush_timer_) services_.loop.cancel(*std::exchange(flush_timer_, std::nullopt));
  if (on_finished_) on_finished_(messages_, outcome == Outcome::kOk);
  reply_.delivered(outcome);
}

}  // namespace sakai::assistant
