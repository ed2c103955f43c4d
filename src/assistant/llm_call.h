#pragma once
// One LLM call of an answer, held to the answer's deadline ([ai] answer_deadline), and the facts
// every AI answer needs to explain a failure (labels, hosts, owner or friend).
//
//   auto call = LlmCall::start(services, std::move(request), on_delta, on_done,
//                              {.command = "prompt", .on_waiting = [](Clock::Duration waited) {
//                                 ... edit the status message: "still waiting for Gemini… 30 s"
//                               }});
//   call->handle().cancel();  // the user's /stop: on_done gets kCancelled, as from the provider
//
// - on_waiting runs every progress_interval() while no answer text has arrived yet, with the
//   time waited so far (never more often than every 15 s with the default 90 s deadline).
// - When the deadline passes the provider call (retries and fallbacks included) is cancelled and
//   on_done gets, at once, an LlmError of kind kTimeout, cause kTimedOut, provider_code
//   ai::kDeadlineCode (after_output when text had been streamed); llm_error_message() turns it
//   into ai.error.deadline. While a streamed answer keeps delivering text the deadline counts
//   from the latest piece, so a long answer that is still arriving is never cut.
// - A failure is logged at warn with the command and ApiError::describe() (the provider chain
//   logs each failed attempt in more detail).
// Thread-safety and ownership: event loop thread only. The call keeps itself alive until on_done
// has run; the Services must outlive it.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "ai/llm/error_messages.h"
#include "ai/llm/provider.h"
#include "core/clock.h"
#include "core/event_loop.h"

namespace sakai::commands {
struct Services;
}

namespace sakai::assistant {

struct WaitOptions {
  std::string command;  // for the log ("prompt", "analyze", ...)
  std::function<void(Clock::Duration waited)> on_waiting;
};

class LlmCall : public std::enable_shared_from_this<LlmCall> {
 public:
  static std::shared_ptr<LlmCall> start(commands::Services& services, ai::ChatRequest request,
                                        ai::ChatDeltaCallback on_delta,
                                        ai::ChatDoneCallback on_done, WaitOptions options = {});

  // Cancelling it is the user's cancel (kCancelled), not the deadline.
  [[nodiscard]] ai::ChatHandle handle() const { return ai::ChatHandle(control_); }
  [[nodiscard]] bool deadline_passed() const { return deadline_passed_; }

  LlmCall(commands::Services& services, ai::ChatDeltaCallback on_delta,
          ai::ChatDoneCallback on_done, WaitOptions options);

 private:
  void run(ai::ChatRequest request);
  void on_delta(const ai::ChatDelta& delta);
  void on_done(ai::ChatOutcome outcome);
  void schedule_deadline(Clock::Duration in);
  void schedule_waiting();
  void on_deadline();
  void end(ai::ChatOutcome outcome);

  commands::Services& services_;
  ai::ChatDeltaCallback on_delta_;
  ai::ChatDoneCallback on_done_;
  WaitOptions options_;
  std::shared_ptr<ai::CallControl> control_ = std::make_shared<ai::CallControl>();
  ai::ChatHandle inner_;
  Clock::Duration deadline_{};
  Clock::TimePoint started_{};
  Clock::TimePoint last_text_{};
  bool any_delta_ = false;  // answer text or thinking arrived
  bool any_text_ = false;   // answer text arrived (shown to the user)
  bool deadline_passed_ = false;
  bool finished_ = false;
  std::optional<EventLoop::TimerId> deadline_timer_;
  std::optional<EventLoop::TimerId> waiting_timer_;
};

// [ai] answer_deadline; zero: none.
Clock::Duration answer_deadline(const commands::Services& services);
// How often a waiting answer says so: a sixth of the deadline, between 1 s and 15 s.
Clock::Duration progress_interval(Clock::Duration deadline);

// Whether an LLM provider is configured at all (an empty chain fails every call).
bool ai_configured(const commands::Services& services);
// The provider that answers first, as messages name it ("Gemini", "Ollama", "127.0.0.1:11434").
std::string primary_provider_label(const commands::Services& services);
// Over about 8,000 tokens (estimated as characters / 4): a timeout suggests asking for less.
bool is_long_request(const ai::ChatRequest& request);
// What llm_error_message() needs beyond the error: the configured labels and hosts, the
// deadline, and whether the owner (configuration hints) or a friend (none) reads it.
ai::LlmErrorContext error_context(const commands::Services& services, bool for_owner,
                                  bool long_request = false);
// The localised explanation of `error` (no "⚠️" prefix).
std::string error_text(const commands::Services& services, std::string_view lang,
                       const ai::LlmError& error, const ai::LlmErrorContext& context);

}  // namespace sakai::assistant
