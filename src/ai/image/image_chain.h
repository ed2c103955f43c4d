#pragma once
// The image providers SakaiBot draws with, as one ImageProvider: the primary ([image] provider),
// then the fallbacks ([image] fallback) in order — the LLM chain's rules (ai/llm/provider_chain.h)
// for images:
// - A retryable error (rate limit, 5xx, timeout) is retried on the same provider after a backoff
//   (the server's Retry-After when it gives one), if that still fits in request.deadline.
// - Otherwise, and for any error but a safety refusal or a cancel (a refused key, an exhausted
//   quota, a rejected request, a broken image), the next provider is tried at once.
// - When every provider failed, the primary's error is reported: it is the actionable one.
// - request.deadline covers the whole chain; each provider gets what is left.
// - request.model is the primary's; fallbacks use their default models.
// - A provider that failed repeatedly is skipped for a cool-down (net::CircuitBreaker).
// Progress from any member reaches the caller, naming that member.
//
// Threading and ownership: see image_provider.h. The chain owns its members; the EventLoop
// (backoff timers) and the Clock must outlive it.
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "ai/image/image_provider.h"
#include "core/event_loop.h"
#include "net/retry.h"

namespace sakai::ai::image {

struct ImageChainOptions {
  net::BackoffPolicy backoff{.max_attempts = 2,
                             .base_delay = std::chrono::milliseconds(2000),
                             .max_delay = std::chrono::milliseconds(30000),
                             .give_up_on_long_hint = true};
  net::CircuitBreakerOptions breaker{};
  std::uint64_t seed = std::random_device{}();  // backoff jitter
};

class ImageChain final : public ImageProvider {
 public:
  ImageChain(std::vector<std::unique_ptr<ImageProvider>> providers, EventLoop& loop,
             ImageChainOptions options = {});
  // Calls still in flight lose their callbacks (nothing runs after the chain is gone), which
  // also breaks the call -> member handle -> member callback -> call cycle.
  ~ImageChain() override;
  ImageChain(const ImageChain&) = delete;
  ImageChain& operator=(const ImageChain&) = delete;

  // "pollinations>huggingface"; "none" when empty.
  [[nodiscard]] std::string name() const override;
  // The primary's (default model, models, caps).
  [[nodiscard]] std::string default_model() const override;
  [[nodiscard]] std::vector<std::string> models() const override;
  [[nodiscard]] ImageCaps caps() const override;
  // With no provider at all, done gets kAuth from provider "image" (nothing is configured).
  ImageCall generate(ImageRequest request, ImageProgressCallback progress, ImageDone done) override;

  [[nodiscard]] std::size_t size() const { return members_.size(); }
  [[nodiscard]] ImageProvider& provider(std::size_t i) { return *members_[i].provider; }
  // The member called `name` ("huggingface"), or nullptr: for a user's provider= choice.
  [[nodiscard]] ImageProvider* find(std::string_view name);
  // The members' names, primary first.
  [[nodiscard]] std::vector<std::string> names() const;

  struct Call;

 private:
  struct Member {
    std::unique_ptr<ImageProvider> provider;
    net::CircuitBreaker breaker;
  };
  void try_member(const std::shared_ptr<Call>& call);
  void on_result(const std::shared_ptr<Call>& call, ApiOutcome<ImageResult> outcome);
  void finish(const std::shared_ptr<Call>& call, ApiOutcome<ImageResult> outcome);

  EventLoop& loop_;
  ImageChainOptions options_;
  std::vector<Member> members_;
  std::vector<std::weak_ptr<Call>> live_;  // calls made, pruned as they end
  std::mt19937_64 seeds_;
};

}  // namespace sakai::ai::image
