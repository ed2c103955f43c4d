#pragma once
// Retry policy for calls to remote services: exponential backoff with full jitter, server retry
// hints (Retry-After, retry-after-ms, Gemini's RetryInfo.retryDelay) and a per-provider circuit
// breaker. Pure logic: time comes from a Clock, randomness from a seeded generator.
// Thread-safety: none; use each object from one thread (the event loop).
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"

namespace sakai::net {

struct BackoffPolicy {
  int max_attempts = 4;  // tries in all, the first one included; 1 = never retry
  std::chrono::milliseconds base_delay{1000};
  std::chrono::milliseconds max_delay{30000};  // caps every delay, server hints included
  // A server hint above max_delay: false = wait max_delay and retry, true = give up (a quota
  // that resets in an hour is not worth a retry in 30 s).
  bool give_up_on_long_hint = false;
};

// Backoff for one logical call. Call next_delay() after each failed attempt.
class Backoff {
 public:
  explicit Backoff(BackoffPolicy policy = {}, std::uint64_t seed = std::random_device{}());

  // How long to wait before the next attempt, or nullopt when the attempts are used up (or a
  // hint is too long, with give_up_on_long_hint). Without a hint the delay is uniform in
  // [0, min(max_delay, base_delay * 2^(failures - 1))] ("full jitter"); with one it is the hint,
  // capped at max_delay.
  std::optional<Clock::Duration> next_delay(
      std::optional<Clock::Duration> server_hint = std::nullopt);
  // Attempts made so far, counting the one in flight (1 before any failure).
  [[nodiscard]] int attempts() const { return failures_ + 1; }
  [[nodiscard]] const BackoffPolicy& policy() const { return policy_; }
  void reset() { failures_ = 0; }

 private:
  BackoffPolicy policy_;
  std::mt19937_64 rng_;
  int failures_ = 0;
};

// A Retry-After header value: delta-seconds ("120", fractions tolerated) or an HTTP-date (IMF
// fixdate, RFC 850 or asctime form) measured from `now`; a date in the past gives 0. nullopt
// when the value is neither.
std::optional<Clock::Duration> parse_retry_after(std::string_view value, Clock::WallTime now);

// The server's retry hint from lower-cased response headers: `retry-after-ms` (OpenAI), then
// `retry-after`.
std::optional<Clock::Duration> retry_hint_from_headers(
    const std::map<std::string, std::string>& headers, Clock::WallTime now);

// A protobuf Duration in JSON form, as in Gemini's RetryInfo.retryDelay: "26s", "1.5s",
// "25.465784708s". nullopt when malformed or negative.
std::optional<Clock::Duration> parse_proto_duration(std::string_view value);

// HTTP statuses worth retrying: 408, 429, 500, 502, 503, 504. (A 429 for an exhausted quota is
// not; only the provider can tell that from the body.)
bool is_retryable_http_status(int status);
// Transport failures worth retrying: kUnavailable and kDeadlineExceeded.
bool is_retryable_transport_error(const Status& status);

struct CircuitBreakerOptions {
  int failure_threshold = 5;                             // consecutive failures that open it
  Clock::Duration cool_down = std::chrono::seconds(30);  // open for this long
};

// Per-provider breaker: closed → open after `failure_threshold` consecutive failures; open
// rejects at once for `cool_down`; then half-open lets one trial request through, whose success
// closes it and whose failure opens it again. A trial that never reports back is forgotten
// after another `cool_down`, so a lost request cannot keep the breaker shut.
class CircuitBreaker {
 public:
  enum class State { kClosed, kOpen, kHalfOpen };

  explicit CircuitBreaker(const Clock& clock, CircuitBreakerOptions options = {});

  // May a request go out now? In half-open, true for the single trial request only.
  bool allow();
  void record_success();
  void record_failure();

  // kOpen turns into kHalfOpen once the cool-down has passed.
  [[nodiscard]] State state() const;
  // How long an open breaker keeps rejecting (zero unless open).
  [[nodiscard]] Clock::Duration remaining_cool_down() const;
  [[nodiscard]] int consecutive_failures() const { return failures_; }

 private:
  void open();

  const Clock& clock_;
  CircuitBreakerOptions options_;
  State state_ = State::kClosed;
  int failures_ = 0;
  Clock::TimePoint opened_at_{};
  bool trial_in_flight_ = false;
  Clock::TimePoint trial_started_{};
};

std::string_view circuit_state_name(CircuitBreaker::State state);

}  // namespace sakai::net
