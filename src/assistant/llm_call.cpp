#include "assistant/llm_call.h"

#include <algorithm>

#include "ai/provider_catalog.h"
#include "commands/services.h"
#include "core/text.h"

namespace sakai::assistant {

using commands::Services;

namespace {

constexpr std::size_t kLongRequestCodepoints = 32'000;  // about 8,000 tokens

}  // namespace

Clock::Duration answer_deadline(const Services& services) {
  return std::chrono::seconds(
      std::max<long long>(0, services.config.get_seconds("ai.answer_deadline")));
}

Clock::Duration progress_interval(Clock::Duration deadline) {
  using std::chrono::seconds;
  if (deadline <= Clock::Duration::zero()) return seconds(15);
  return std::clamp<Clock::Duration>(deadline / 6, seconds(1), seconds(15));
}

bool ai_configured(const Services& services) {
  return services.llm != nullptr && services.llm->name() != "none";
}

std::string primary_provider_label(const Services& services) {
  if (services.llm == nullptr) return "AI";
  return ai::provider_label(services.config, services.llm->primary_name());
}

bool is_long_request(const ai::ChatRequest& request) {
  std::size_t n = text::codepoint_count(request.system_instruction);
  for (const auto& m : request.messages)
    n += text::codepoint_count(m.text);
  return n > kLongRequestCodepoints;
}

ai::LlmErrorContext error_context(const Services& services, bool for_owner, bool long_request) {
  ai::LlmErrorContext c;
  c.for_owner = for_owner;
  const Config* config = &services.config;
  c.label = [config](std::string_view provider) { return ai::provider_label(*config, provider); };
  c.host = [config](std::string_view provider) { return ai::provider_host(*config, provider); };
  c.long_request = long_request;
  c.deadline = std::chrono::duration_cast<std::chrono::seconds>(answer_deadline(services));
  return c;
}

std::string error_text(const Services& services, std::string_view lang, const ai::LlmError& error,
                       const ai::LlmErrorContext& context) {
  const ai::LlmErrorMessage m = ai::llm_error_message(error, context);
  return services.i18n.tr(lang, m.key, m.tr_args());
}

LlmCall::LlmCall(Services& services, ai::ChatDeltaCallback on_delta, ai::ChatDoneCallback on_done,
                 WaitOptions options)
    : services_(services),
      on_delta_(std::move(on_delta)),
      on_done_(std::move(on_done)),
      options_(std::move(options)) {}

std::shared_ptr<LlmCall> LlmCall::start(Services& services, ai::ChatRequest request,
                                        ai::ChatDeltaCallback on_delta,
                                        ai::ChatDoneCallback on_done, WaitOptions options) {
  auto call = std::make_shared<LlmCall>(services, std::move(on_delta), std::move(on_done),
                                        std::move(options));
  call->run(std::move(request));
  return call;
}

void LlmCall::run(ai::ChatRequest request) {
  started_ = services_.clock.now();
  last_text_ = started_;
  deadline_ = answer_deadline(services_);
  auto self = shared_from_this();
  if (services_.llm == nullptr) {
    services_.loop.post([self] {
      ai::LlmError e;
      e.kind = ai::LlmErrorKind::kAuth;
      e.provider = "llm";
      e.message = "no LLM provider";
      self->end(ai::ChatOutcome(std::move(e)));
    });
    return;
  }
  ai::ChatDeltaCallback delta;
  if (on_delta_) delta = [self](const ai::ChatDelta& d) { self->on_delta(d); };
  inner_ = services_.llm->chat(std::move(request), std::move(delta),
                               [self](ai::ChatOutcome o) { self->on_done(std::move(o)); });
  const std::weak_ptr<LlmCall> weak = self;
  control_->set_canceller([weak] {
    if (auto c = weak.lock()) c->inner_.cancel();
  });
  if (deadline_ > Clock::Duration::zero()) schedule_deadline(deadline_);
  if (options_.on_waiting) schedule_waiting();
}

void LlmCall::on_delta(const ai::ChatDelta& delta) {
  if (finished_) return;
  last_text_ = services_.clock.now();
  any_delta_ = true;
  if (!delta.text.empty()) any_text_ = true;
  if (on_delta_) on_delta_(delta);
}

void LlmCall::on_done(ai::ChatOutcome outcome) {
  if (finished_) return;  // the deadline answered already
  end(std::move(outcome));
}

void LlmCall::schedule_deadline(Clock::Duration in) {
  auto self = shared_from_this();
  deadline_timer_ = services_.loop.post_after(in, [self] {
    self->deadline_timer_.reset();
    self->on_deadline();
  });
}

void LlmCall::schedule_waiting() {
  auto self = shared_from_this();
  waiting_timer_ = services_.loop.post_after(progress_interval(deadline_), [self] {
    self->waiting_timer_.reset();
    // Once text arrives the answer shows it; no more "still waiting".
    if (self->finished_ || self->any_delta_) return;
    self->options_.on_waiting(self->services_.clock.now() - self->started_);
    if (!self->finished_) self->schedule_waiting();
  });
}

void LlmCall::on_deadline() {
  if (finished_) return;
  const auto now = services_.clock.now();
  // Text is still arriving: the deadline counts from the latest piece.
  if (any_delta_ && now - last_text_ < deadline_) {
    schedule_deadline(deadline_ - (now - last_text_));
    return;
  }
  deadline_passed_ = true;
  const long long secs = std::chrono::duration_cast<std::chrono::seconds>(now - started_).count();
  ai::LlmError e;
  e.kind = ai::LlmErrorKind::kTimeout;
  e.cause = ai::ApiCause::kTimedOut;
  e.provider = services_.llm != nullptr ? services_.llm->primary_name() : std::string("llm");
  e.provider_code = std::string(ai::kDeadlineCode);
  e.message = "no complete answer within the answer deadline (" + std::to_string(secs) + " s)";
  e.after_output = any_text_;
  inner_.cancel();  // its kCancelled comes later and is ignored
  end(ai::ChatOutcome(std::move(e)));
}

void LlmCall::end(ai::ChatOutcome outcome) {
  finished_ = true;
  if (deadline_timer_) services_.loop.cancel(*std::exchange(deadline_timer_, std::nullopt));
  if (waiting_timer_) services_.loop.cancel(*std::exchange(waiting_timer_, std::nullopt));
  control_->clear_canceller();
  if (!outcome.ok() && outcome.error().kind != ai::LlmErrorKind::kCancelled) {
    const std::string command = options_.command.empty() ? std::string("-") : options_.command;
    services_.log.warn("ai", deadline_passed_ ? "answer deadline passed" : "answer failed",
                       {{"command", command}, {"error", outcome.error().describe()}});
  }
  auto done = std::move(on_done_);
  on_delta_ = nullptr;
  if (done) done(std::move(outcome));
}

}  // namespace sakai::assistant
