#pragma once
// The LLM provider interface: one chat call, streamed or not, cancellable, answered once.
//
// Threading: chat(), ChatHandle::cancel() and every callback run on the event loop thread (the
// thread net::HttpClient posts its completions to). Callbacks never run inside chat() itself.
// Ownership: a provider must outlive the calls it started; cancel them and let them finish
// (on_done runs with kCancelled) before destroying it.
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "ai/llm/chat.h"
#include "core/service_health.h"

namespace sakai::ai {

// The end of a call: the answer or the error, never both.
class ChatOutcome {
 public:
  ChatOutcome(ChatResult result) : value_(std::move(result)) {}  // NOLINT(google-explicit-*)
  ChatOutcome(LlmError error) : value_(std::move(error)) {}      // NOLINT(google-explicit-*)

  [[nodiscard]] bool ok() const { return std::holds_alternative<ChatResult>(value_); }
  [[nodiscard]] const ChatResult& result() const { return std::get<ChatResult>(value_); }
  [[nodiscard]] ChatResult& result() { return std::get<ChatResult>(value_); }
  [[nodiscard]] const LlmError& error() const { return std::get<LlmError>(value_); }
  [[nodiscard]] LlmError& error() { return std::get<LlmError>(value_); }

 private:
  std::variant<ChatResult, LlmError> value_;
};

// Null: no streaming (one request, the whole answer in on_done). Set: streamed deltas, and
// on_done's ChatResult still carries the whole text, thinking, usage and sources.
using ChatDeltaCallback = std::function<void(const ChatDelta&)>;
using ChatDoneCallback = std::function<void(ChatOutcome)>;

// Shared by a call and its handles. The call installs a canceller for whatever it is waiting on
// (an HTTP request, a backoff timer) and replaces it as it moves on.
class CallControl {
 public:
  [[nodiscard]] bool cancelled() const { return cancelled_; }
  void set_canceller(std::function<void()> canceller) { canceller_ = std::move(canceller); }
  void clear_canceller() { canceller_ = nullptr; }
  // Idempotent. The call then ends with kCancelled through on_done (not from inside cancel()).
  void cancel() {
    if (cancelled_) return;
    cancelled_ = true;
    if (auto c = std::exchange(canceller_, nullptr)) c();
  }

 private:
  bool cancelled_ = false;
  std::function<void()> canceller_;
};

// Returned by chat(). Copyable; dropping it does not cancel the call.
class ChatHandle {
 public:
  ChatHandle() = default;
  explicit ChatHandle(std::shared_ptr<CallControl> control) : control_(std::move(control)) {}
  void cancel() const {
    if (control_) control_->cancel();
  }
  [[nodiscard]] bool valid() const { return control_ != nullptr; }

 private:
  std::shared_ptr<CallControl> control_;
};

struct ProviderCaps {
  bool web_search = false;  // ChatRequest::web is honoured (Gemini google_search)
  bool thinking = true;     // thoughts can be returned when ChatRequest::think is set
};

class LlmProvider {
 public:
  virtual ~LlmProvider() = default;
  // "gemini", "openrouter", "openai"; a chain names its members: "gemini>openrouter".
  [[nodiscard]] virtual std::string name() const = 0;
  // The provider that answers first ("gemini" for "gemini>openrouter"); the provider itself
  // unless it is a chain.
  [[nodiscard]] virtual std::string primary_name() const { return name(); }
  [[nodiscard]] virtual std::string default_model() const = 0;
  [[nodiscard]] virtual ProviderCaps caps() const = 0;
  // Starts a call. on_delta may be null (non-streaming). on_done runs exactly once, later.
  virtual ChatHandle chat(ChatRequest request, ChatDeltaCallback on_delta,
                          ChatDoneCallback on_done) = 0;
  // Each provider's circuit state (kind "llm"), for /health: a chain lists its members; a
  // provider on its own has no breaker and lists nothing.
  [[nodiscard]] virtual std::vector<ServiceHealth> health() const { return {}; }
};

}  // namespace sakai::ai
