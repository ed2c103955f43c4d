#pragma once
// A streamed LLM answer in Telegram.
//
//   start()    → "🤔 thinking…" status message (sent as the command's reply) + typing action
//   on_delta() → the status message is edited with the growing text, at most once per
//                [ai] stream_edit_interval, as plain text (half-finished Markdown never fails)
//   past the length limit → the current message is frozen at a clean boundary (split_formatted)
//                with full formatting, and the text continues in a new message
//   finish()   → the last message gets the final text with full formatting (markdown_to_formatted);
//                an answer longer than the limit continues in further messages
//   fail()     → the status message becomes the localised error (llm_error_message; a friend
//                gets no configuration hints); nothing is left saying "thinking…". When part of
//                the answer was shown, it stays, formatted (open Markdown spans closed), and one
//                note below says it was cut off.
//   ask()      → runs the LLM call itself (assistant/llm_call.h): held to [ai] answer_deadline,
//                and while nothing has arrived the status message says "still waiting for
//                Gemini… 30 seconds" (at most every progress_interval()).
// Transport calls are issued one at a time, in order. The Reply is completed exactly once, when
// the last message is out: ok, or error for fail() (so the command log has the outcome and the
// whole latency). Without streaming (Options::stream false) nothing is sent until finish(), which
// sends the answer as new messages.
// Thread-safety and ownership: event loop thread only; shared ownership keeps it alive until
// the last transport callback (hold the shared_ptr in the LLM callbacks).
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ai/llm/chat.h"
#include "ai/llm/provider.h"
#include "assistant/llm_call.h"
#include "commands/reply.h"
#include "core/clock.h"
#include "core/event_loop.h"
#include "telegram/formatted_text.h"

namespace sakai::commands {
struct Services;
}

namespace sakai::assistant {

class StreamingAnswer : public std::enable_shared_from_this<StreamingAnswer> {
 public:
  struct Options {
    bool stream = true;
    Clock::Duration edit_interval = std::chrono::seconds(2);
    bool for_owner = true;  // false: a friend asked; errors carry no configuration hints
    std::string command;    // for the log
  };
  // The ids of every message that carries the answer (first to last); empty when nothing could
  // be sent.
  using Finished = std::function<void(const std::vector<MessageId>& messages, bool ok)>;

  // Options from the configuration ([ai] stream, stream_edit_interval).
  static Options options_from(const commands::Services& services);
  static std::shared_ptr<StreamingAnswer> start(commands::Services& services, commands::Reply reply,
                                                Options options, Finished on_finished = nullptr);

  // Appends streamed answer text (thinking is not shown).
  void on_delta(const ai::ChatDelta& delta);
  // The whole answer, as Markdown. `text` replaces what was streamed (it is the provider's full
  // text; sources and notes may have been appended by the caller).
  void finish(std::string markdown);
  void fail(const ai::LlmError& error);

  // Starts the LLM call that writes this answer (streamed when Options::stream) within the
  // answer deadline, and attaches it for `asker`. On success `on_result` gets the result and
  // returns the final Markdown (it may record usage and append sources); on failure the answer
  // shows the error.
  void ask(ai::ChatRequest request, UserId asker,
           std::function<std::string(ai::ChatResult& result)> on_result);

  // The LLM call writing this answer: registers the answer with Services::answers (if any) so
  // `/stop` and deleting the command can reach it. `asker` is who sent the command.
  void attach(ai::ChatHandle call, UserId asker);
  // Cancels the attached call; the answer then ends through fail(kCancelled) ("Stopped.", any
  // text already shown kept). False when it is not running or has no call.
  bool stop();
  // Still waiting for the LLM (neither finish() nor fail() yet).
  [[nodiscard]] bool running() const { return phase_ == Phase::kStreaming; }

  [[nodiscard]] const std::vector<MessageId>& messages() const { return messages_; }

  StreamingAnswer(commands::Services& services, commands::Reply reply, Options options,
                  Finished on_finished);

 private:
  enum class Phase { kStreaming, kFinishing, kDone };
  void send_status();
  void pump();
  void schedule_flush();
  void edit_current(telegram::FormattedText text, std::function<void(bool)> then);
  void send_new(telegram::FormattedText text, std::function<void(bool)> then);
  void freeze_overflow();
  void deliver_final();
  void deliver_parts(std::vector<telegram::FormattedText> parts, std::size_t index);
  void complete(commands::Outcome outcome);
  [[nodiscard]] int limit() const;
  static telegram::FormattedText plain_in_progress(const std::string& text);
  void on_waiting(Clock::Duration waited);

  commands::Services& services_;
  commands::Reply reply_;
  Options options_;
  Finished on_finished_;
  Phase phase_ = Phase::kStreaming;
  bool busy_ = false;  // a transport call is in flight
  bool finishing_started_ = false;
  bool status_pending_ = true;  // the status message has not been confirmed yet
  bool status_failed_ = false;
  std::vector<MessageId> messages_;
  std::string current_;       // raw text of the answer shown in the last message
  std::string shown_;         // what the last message currently shows of current_
  std::string streamed_all_;  // every delta so far
  std::size_t consumed_ = 0;  // bytes of streamed_all_ frozen into earlier messages
  bool streamed_any_ = false;
  Clock::TimePoint last_edit_{};
  std::optional<EventLoop::TimerId> flush_timer_;
  std::optional<std::string> final_markdown_;
  std::optional<telegram::FormattedText> error_text_;
  std::optional<ai::ChatHandle> call_;
  bool long_request_ = false;
};

}  // namespace sakai::assistant
