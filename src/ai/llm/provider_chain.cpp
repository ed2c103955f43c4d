#include "ai/llm/provider_chain.h"

#include <algorithm>
#include <utility>

#include "ai/http/wire_errors.h"
#include "ai/llm/gemini_provider.h"
#include "ai/llm/openai_provider.h"
#include "ai/provider_catalog.h"
#include "core/text.h"

namespace sakai::ai {

struct ProviderChain::Call {
  ChatRequest request;
  ChatDeltaCallback on_delta;
  ChatDoneCallback on_done;
  std::shared_ptr<CallControl> control = std::make_shared<CallControl>();
  std::size_t index = 0;
  std::optional<net::Backoff> backoff;  // for the provider at `index`
  // The error to report when nothing answers: the first provider that failed, as it failed
  // last (a refused connection followed by an HTTP 500 reports the 500).
  std::optional<LlmError> first_error;
  std::size_t first_error_index = 0;
  bool delivered = false;
  bool done = false;
  int attempt = 0;    // provider calls started
  std::string model;  // of the attempt in flight, for the log
};

namespace {

LlmError chain_error(LlmErrorKind kind, std::string provider, std::string message) {
  LlmError e;
  e.kind = kind;
  e.provider = std::move(provider);
  e.message = std::move(message);
  return e;
}

// Whether the provider's trouble says something about its health (for the circuit breaker).
bool counts_as_provider_failure(const LlmError& e) {
  return e.retryable() || e.kind == LlmErrorKind::kAuth || e.kind == LlmErrorKind::kQuotaExhausted;
}

// A safety block is the same request's fate everywhere we would send it, and a cancel is the
// user's wish; anything else may go better elsewhere.
bool worth_another_provider(const LlmError& e) {
  return e.kind != LlmErrorKind::kSafetyBlocked && e.kind != LlmErrorKind::kCancelled;
}

}  // namespace

ProviderChain::ProviderChain(std::vector<std::unique_ptr<LlmProvider>> providers, EventLoop& loop,
                             ChainOptions options)
    : loop_(loop), options_(options), seeds_(options.seed) {
  for (auto& p : providers) {
    if (!p) continue;
    members_.push_back(
        Member{std::move(p), net::CircuitBreaker(loop_.clock(), options_.breaker), std::nullopt});
  }
}

std::string ProviderChain::name() const {
  if (members_.empty()) return "none";
  std::string out;
  for (const auto& m : members_) {
    if (!out.empty()) out += '>';
    out += m.provider->name();
  }
  return out;
}

std::string ProviderChain::primary_name() const {
  return members_.empty() ? "none" : members_.front().provider->name();
}

std::string ProviderChain::default_model() const {
  return members_.empty() ? std::string() : members_.front().provider->default_model();
}

ProviderCaps ProviderChain::caps() const {
  return members_.empty() ? ProviderCaps{} : members_.front().provider->caps();
}

ChatHandle ProviderChain::chat(ChatRequest request, ChatDeltaCallback on_delta,
                               ChatDoneCallback on_done) {
  auto call = std::make_shared<Call>();
  call->request = std::move(request);
  call->on_delta = std::move(on_delta);
  call->on_done = std::move(on_done);
  if (members_.empty()) {
    loop_.post([this, call] {
      finish(call, chain_error(LlmErrorKind::kAuth, "llm",
                               "no LLM provider is configured: set gemini.api_keys, "
                               "openrouter.api_keys or openai.api_keys"));
    });
  } else {
    try_provider(call);
  }
  return ChatHandle(call->control);
}

std::vector<ServiceHealth> ProviderChain::health() const {
  std::vector<ServiceHealth> out;
  for (const Member& m : members_) {
    ServiceHealth h;
    h.kind = "llm";
    h.name = m.provider->name();
    switch (m.breaker.state()) {
      case net::CircuitBreaker::State::kClosed:
        h.circuit = ServiceHealth::Circuit::kClosed;
        break;
      case net::CircuitBreaker::State::kHalfOpen:
        h.circuit = ServiceHealth::Circuit::kHalfOpen;
        break;
      case net::CircuitBreaker::State::kOpen:
        h.circuit = ServiceHealth::Circuit::kOpen;
        break;
    }
    h.consecutive_failures = m.breaker.consecutive_failures();
    h.skips_calls = true;
    h.cool_down_left = m.breaker.remaining_cool_down();
    out.push_back(std::move(h));
  }
  return out;
}

void ProviderChain::try_provider(const std::shared_ptr<Call>& call) {
  if (call->done) return;
  if (call->control->cancelled()) {
    finish(call, chain_error(LlmErrorKind::kCancelled, name(), "cancelled"));
    return;
  }
  while (call->index < members_.size()) {
    Member& member = members_[call->index];
    if (!member.breaker.allow()) {
      // Failing fast: this provider failed repeatedly a moment ago.
      LlmError skipped = member.last_failure
                             ? *member.last_failure
                             : chain_error(LlmErrorKind::kUnavailable, member.provider->name(),
                                           "paused after repeated failures");
      skipped.after_output = false;
      skipped.retry_after = to_retry_after(member.breaker.remaining_cool_down());
      if (!call->first_error) {
        call->first_error = std::move(skipped);
        call->first_error_index = call->index;
      }
      ++call->index;
      call->backoff.reset();
      continue;
    }
    if (!call->backoff) call->backoff.emplace(options_.backoff, seeds_());
    ChatRequest request = call->request;
    if (call->index != 0) request.model.clear();  // a model id belongs to the primary
    call->model = request.model.empty() ? member.provider->default_model() : request.model;
    ChatDeltaCallback on_delta;
    if (call->on_delta) {
      on_delta = [call](const ChatDelta& delta) {
        if (call->done || call->control->cancelled()) return;
        call->delivered = true;
        call->on_delta(delta);
      };
    }
    const int attempt = ++call->attempt;
    const ChatHandle handle = member.provider->chat(
        std::move(request), std::move(on_delta),
        [this, call](ChatOutcome outcome) { on_result(call, std::move(outcome)); });
    // A provider that answered synchronously has moved the call on already.
    if (!call->done && call->attempt == attempt) {
      call->control->set_canceller([handle] { handle.cancel(); });
    }
    return;
  }
  // Every provider left was paused by its breaker.
  finish(call, std::move(*call->first_error));
}

void ProviderChain::on_result(const std::shared_ptr<Call>& call, ChatOutcome outcome) {
  if (call->done) return;
  call->control->clear_canceller();
  Member& member = members_[call->index];
  if (outcome.ok()) {
    member.breaker.record_success();
    member.last_failure.reset();
    finish(call, std::move(outcome));
    return;
  }
  LlmError& error = outcome.error();
  log_failure(*call, error);
  if (counts_as_provider_failure(error)) {
    member.breaker.record_failure();
    member.last_failure = error;
  } else if (error.kind != LlmErrorKind::kCancelled) {
    member.breaker.record_success();  // it answered; the answer was a refusal
    member.last_failure.reset();
  }
  if (call->control->cancelled() || error.kind == LlmErrorKind::kCancelled) {
    finish(call, chain_error(LlmErrorKind::kCancelled, error.provider, "cancelled"));
    return;
  }
  if (call->delivered || error.after_output) {
    error.after_output = true;
    finish(call, std::move(outcome));
    return;
  }
  if (!call->first_error || call->first_error_index == call->index) {
    call->first_error = error;
    call->first_error_index = call->index;
  }

  if (error.retryable()) {
    std::optional<Clock::Duration> hint;
    if (error.retry_after) hint = *error.retry_after;
    if (const auto delay = call->backoff->next_delay(hint)) {
      const EventLoop::TimerId timer =
          loop_.post_after(*delay, [this, call] { try_provider(call); });
      call->control->set_canceller([this, call, timer] {
        if (loop_.cancel(timer)) loop_.post([this, call] { try_provider(call); });
      });
      return;
    }
  }
  if (worth_another_provider(error) && call->index + 1 < members_.size()) {
    ++call->index;
    call->backoff.reset();
    try_provider(call);
    return;
  }
  finish(call, std::move(*call->first_error));
}

void ProviderChain::log_failure(const Call& call, const LlmError& error) const {
  if (options_.log == nullptr || error.kind == LlmErrorKind::kCancelled) return;
  const auto or_dash = [](const std::string& s) { return s.empty() ? std::string("-") : s; };
  options_.log->warn(
      "llm", "provider call failed",
      {{"provider", or_dash(error.provider)},
       {"model", or_dash(call.model)},
       {"attempt", std::to_string(call.attempt)},
       {"status", error.http_status != 0 ? std::to_string(error.http_status) : std::string("-")},
       {"kind", std::string(llm_error_kind_name(error.kind))},
       {"cause", std::string(api_cause_name(error.cause))},
       {"code", or_dash(error.provider_code)},
       {"request_id", or_dash(error.request_id)},
       {"retry_after_ms",
        error.retry_after ? std::to_string(error.retry_after->count()) : std::string("-")},
       {"after_output", (call.delivered || error.after_output) ? "yes" : "no"},
       {"message", or_dash(error.message)},
       {"body", or_dash(error.body_excerpt)}});
}

void ProviderChain::finish(const std::shared_ptr<Call>& call, ChatOutcome outcome) {
  if (call->done) return;
  call->done = true;
  call->control->clear_canceller();
  auto on_done = std::move(call->on_done);
  call->on_delta = nullptr;
  on_done(std::move(outcome));
}

std::unique_ptr<LlmProvider> make_provider(const Config& config, const std::string& name,
                                           net::HttpClient& http, const Clock& clock) {
  if (name != "gemini" && name != "openrouter" && name != "openai") return nullptr;
  ProviderSettings settings;
  settings.name = name;
  settings.base_url = config.get_string(name + ".base_url");
  settings.model = config.get_string(name + ".model");
  for (const auto& key : config.get_list(name + ".api_keys")) {
    const std::string_view trimmed = text::trim(key);
    if (!trimmed.empty()) settings.api_keys.emplace_back(trimmed);
  }
  const long long timeout = config.get_seconds("http.timeout");
  if (timeout > 0) settings.timeout = std::chrono::seconds(timeout);
  if (name == "gemini") return std::make_unique<GeminiProvider>(http, clock, std::move(settings));
  const OpenAiFlavor flavor = openai_flavor_for(name, settings.base_url);
  return std::make_unique<OpenAiCompatibleProvider>(http, clock, std::move(settings), flavor);
}

std::vector<std::string> chain_provider_names(const Config& config) {
  std::vector<std::string> wanted;
  const auto want = [&](const std::string& n) {
    if (std::find(wanted.begin(), wanted.end(), n) == wanted.end()) wanted.push_back(n);
  };
  want(text::ascii_lower(text::trim(config.get_string("llm.provider"))));
  for (const auto& f : config.get_list("llm.fallback")) {
    const std::string n = text::ascii_lower(text::trim(f));
    if (n == "none") break;
    if (!n.empty()) want(n);
  }
  // The catalog knows which providers are usable (a key, or a keyless server on loopback).
  std::vector<std::string> out;
  const auto infos = configured_providers(config);
  for (const auto& n : wanted) {
    for (const auto& info : infos) {
      if (info.name == n && info.usable) out.push_back(n);
    }
  }
  return out;
}

std::unique_ptr<ProviderChain> make_provider_chain(const Config& config, net::HttpClient& http,
                                                   EventLoop& loop, ChainOptions options) {
  std::vector<std::unique_ptr<LlmProvider>> providers;
  for (const auto& n : chain_provider_names(config)) {
    if (auto p = make_provider(config, n, http, loop.clock())) providers.push_back(std::move(p));
  }
  return std::make_unique<ProviderChain>(std::move(providers), loop, options);
}

}  // namespace sakai::ai
