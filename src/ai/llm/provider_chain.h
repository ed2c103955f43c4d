#pragma once
// The providers SakaiBot answers with, as one LlmProvider: the primary (llm.provider), then the
// fallbacks (llm.fallback) in order.
//
// For one call:
// - A retryable error (rate limit, 5xx, timeout) is retried on the same provider after a backoff
//   (net::Backoff: full jitter, or the server's retry hint; a hint longer than the policy's
//   max_delay is not waited for).
// - When a provider cannot answer (retries used up, or any error except a safety block or a
//   cancel: a refused key, an exhausted quota, a rejected request, garbage) the next provider
//   is tried at once. A dead primary with a working fallback still answers.
// - Once part of the answer has been streamed to the caller nothing is retried: the error is
//   reported (LlmError::after_output).
// - When every provider failed, the primary's error is reported (its last attempt's): it is the
//   actionable one.
// - ChatRequest::model is the primary's model; fallbacks use their configured default models.
// Across calls, each provider has a net::CircuitBreaker: after repeated failures it is skipped
// for a cool-down, so a dead primary does not add a round trip to every answer; a call that
// finds every provider paused reports the failure the primary was paused for (a refused
// connection stays "cannot reach", not "busy").
// Every failed attempt (not a cancel) is logged at warn when ChainOptions::log is set: provider,
// model, attempt, HTTP status, kind, wire cause, the service's code and request id, and the
// start of the error body (keys already removed by ai/http; the Logger redacts secrets again).
//
// Threading and ownership: see provider.h. The EventLoop (backoff timers) must outlive the
// chain; the chain owns its providers.
#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "ai/llm/provider.h"
#include "core/config.h"
#include "core/event_loop.h"
#include "core/log.h"
#include "net/http_client.h"
#include "net/retry.h"

namespace sakai::ai {

struct ChainOptions {
  net::BackoffPolicy backoff{.max_attempts = 3,
                             .base_delay = std::chrono::milliseconds(1000),
                             .max_delay = std::chrono::milliseconds(20000),
                             .give_up_on_long_hint = true};
  net::CircuitBreakerOptions breaker{};
  std::uint64_t seed = std::random_device{}();  // backoff jitter
  Logger* log = nullptr;                        // failed attempts; must outlive the chain
};

class ProviderChain final : public LlmProvider {
 public:
  ProviderChain(std::vector<std::unique_ptr<LlmProvider>> providers, EventLoop& loop,
                ChainOptions options = {});

  // "gemini>openrouter"; "none" when empty.
  [[nodiscard]] std::string name() const override;
  [[nodiscard]] std::string primary_name() const override;
  [[nodiscard]] std::string default_model() const override;
  // The primary's.
  [[nodiscard]] ProviderCaps caps() const override;
  // With no provider at all, on_done gets kAuth from provider "llm" (nothing is configured).
  ChatHandle chat(ChatRequest request, ChatDeltaCallback on_delta,
                  ChatDoneCallback on_done) override;
  // Every member in chain order, with its breaker's state (an open breaker skips its provider).
  [[nodiscard]] std::vector<ServiceHealth> health() const override;

  [[nodiscard]] std::size_t size() const { return members_.size(); }
  [[nodiscard]] LlmProvider& provider(std::size_t i) { return *members_[i].provider; }
  [[nodiscard]] net::CircuitBreaker::State breaker_state(std::size_t i) const {
    return members_[i].breaker.state();
  }

 private:
  struct Member {
    std::unique_ptr<LlmProvider> provider;
    net::CircuitBreaker breaker;
    std::optional<LlmError> last_failure;  // what a paused provider is paused for
  };
  struct Call;
  void try_provider(const std::shared_ptr<Call>& call);
  void on_result(const std::shared_ptr<Call>& call, ChatOutcome outcome);
  void finish(const std::shared_ptr<Call>& call, ChatOutcome outcome);
  void log_failure(const Call& call, const LlmError& error) const;

  EventLoop& loop_;
  ChainOptions options_;
  std::vector<Member> members_;
  std::mt19937_64 seeds_;
};

// One provider from the configuration ("gemini", "openrouter", "openai"); nullptr for another
// name. Keys, model, base URL and http.timeout come from `config`. `clock` must outlive it.
std::unique_ptr<LlmProvider> make_provider(const Config& config, const std::string& name,
                                           net::HttpClient& http, const Clock& clock);

// The names the chain is built from: llm.provider, then llm.fallback up to "none", without
// duplicates, keeping only providers with a key or a keyless OpenAI-compatible server on
// loopback (Ollama, llama.cpp).
std::vector<std::string> chain_provider_names(const Config& config);

std::unique_ptr<ProviderChain> make_provider_chain(const Config& config, net::HttpClient& http,
                                                   EventLoop& loop, ChainOptions options = {});

}  // namespace sakai::ai
