#include "net/retry.h"

#include <gtest/gtest.h>

#include <vector>

#include "net/url.h"

namespace sakai::net {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using State = CircuitBreaker::State;

BackoffPolicy policy(int attempts, milliseconds base, milliseconds max) {
  BackoffPolicy p;
  p.max_attempts = attempts;
  p.base_delay = base;
  p.max_delay = max;
  return p;
}

TEST(Backoff, FullJitterWithinDoublingCeilings) {
  for (std::uint64_t seed = 1; seed <= 50; ++seed) {
    Backoff b(policy(6, milliseconds(100), milliseconds(1000)), seed);
    EXPECT_EQ(b.attempts(), 1);
    const std::vector<milliseconds> ceilings = {milliseconds(100), milliseconds(200),
                                                milliseconds(400), milliseconds(800),
                                                milliseconds(1000)};
    for (const auto ceiling : ceilings) {
      const auto d = b.next_delay();
      ASSERT_TRUE(d.has_value());
      EXPECT_GE(*d, Clock::Duration::zero());
      EXPECT_LE(*d, ceiling);
    }
    EXPECT_EQ(b.attempts(), 6);
    EXPECT_FALSE(b.next_delay().has_value());  // the sixth attempt was the last
  }
}

TEST(Backoff, SameSeedSameDelays) {
  Backoff a(policy(10, milliseconds(100), milliseconds(60000)), 7);
  Backoff b(policy(10, milliseconds(100), milliseconds(60000)), 7);
  Backoff c(policy(10, milliseconds(100), milliseconds(60000)), 8);
  bool differs = false;
  for (int i = 0; i < 9; ++i) {
    const auto da = a.next_delay();
    EXPECT_EQ(da, b.next_delay());
    differs = differs || da != c.next_delay();
  }
  EXPECT_TRUE(differs);
}

TEST(Backoff, JitterSpreadsOverTheWholeRange) {
  Clock::Duration sum{};
  Clock::Duration smallest = seconds(10);
  Clock::Duration largest{};
  const int n = 2000;
  for (int i = 0; i < n; ++i) {
    Backoff b(policy(3, milliseconds(1000), milliseconds(5000)), static_cast<std::uint64_t>(i));
    const auto d = *b.next_delay();
    sum += d;
    smallest = std::min(smallest, d);
    largest = std::max(largest, d);
  }
  const auto mean = sum / n;
  EXPECT_GT(mean, milliseconds(400));
  EXPECT_LT(mean, milliseconds(600));
  EXPECT_LT(smallest, milliseconds(50));
  EXPECT_GT(largest, milliseconds(950));
}

TEST(Backoff, ServerHintWinsAndIsCapped) {
  Backoff b(policy(5, milliseconds(100), milliseconds(10000)), 1);
  EXPECT_EQ(b.next_delay(seconds(3)), Clock::Duration(seconds(3)));
  EXPECT_EQ(b.next_delay(seconds(60)), Clock::Duration(seconds(10)));  // capped at max_delay
  EXPECT_EQ(b.next_delay(Clock::Duration::zero()), Clock::Duration::zero());
  EXPECT_EQ(b.next_delay(seconds(1)), Clock::Duration(seconds(1)));
  EXPECT_FALSE(b.next_delay(seconds(1)).has_value());  // five attempts made, hint or not

  BackoffPolicy strict = policy(5, milliseconds(100), milliseconds(10000));
  strict.give_up_on_long_hint = true;
  Backoff s(strict, 1);
  EXPECT_FALSE(s.next_delay(seconds(3600)).has_value());
}

TEST(Backoff, SingleAttemptNeverRetriesAndResetStartsOver) {
  Backoff once(policy(1, milliseconds(100), milliseconds(1000)), 1);
  EXPECT_FALSE(once.next_delay().has_value());

  Backoff b(policy(2, milliseconds(100), milliseconds(1000)), 1);
  EXPECT_TRUE(b.next_delay().has_value());
  EXPECT_FALSE(b.next_delay().has_value());
  b.reset();
  EXPECT_EQ(b.attempts(), 1);
  EXPECT_TRUE(b.next_delay().has_value());
}

TEST(RetryAfter, DeltaSeconds) {
  const ManualClock clock;
  const auto now = clock.wall_now();
  EXPECT_EQ(parse_retry_after("120", now), Clock::Duration(seconds(120)));
  EXPECT_EQ(parse_retry_after(" 3 ", now), Clock::Duration(seconds(3)));
  EXPECT_EQ(parse_retry_after("0", now), Clock::Duration::zero());
  EXPECT_EQ(parse_retry_after("1.5", now), Clock::Duration(milliseconds(1500)));
  EXPECT_FALSE(parse_retry_after("", now));
  EXPECT_FALSE(parse_retry_after("-1", now));
  EXPECT_FALSE(parse_retry_after("soon", now));
  EXPECT_FALSE(parse_retry_after("12s", now));
}

TEST(RetryAfter, HttpDates) {
  // 1994-11-06 08:49:37 UTC.
  const ManualClock clock(Clock::WallTime(seconds(784111777)));
  const auto now = clock.wall_now();
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:50:07 GMT", now), Clock::Duration(seconds(30)));
  EXPECT_EQ(parse_retry_after("Sunday, 06-Nov-94 08:49:47 GMT", now), Clock::Duration(seconds(10)));
  EXPECT_EQ(parse_retry_after("Sun Nov  6 08:51:37 1994", now), Clock::Duration(seconds(120)));
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now), Clock::Duration::zero());
  EXPECT_FALSE(parse_retry_after("Sun, 31 Feb 1994 08:00:00 GMT", now));
  EXPECT_FALSE(parse_retry_after("Sun, 06 Nov 1994 08:00:00 PST", now));
  EXPECT_FALSE(parse_retry_after("Sun, 06 Foo 1994 08:00:00 GMT", now));
  EXPECT_FALSE(parse_retry_after("Sun, 06 Nov 1994 8:00 GMT", now));
}

TEST(RetryAfter, FromHeaders) {
  const ManualClock clock;
  const auto now = clock.wall_now();
  EXPECT_FALSE(retry_hint_from_headers({}, now));
  EXPECT_EQ(retry_hint_from_headers({{"retry-after", "7"}}, now), Clock::Duration(seconds(7)));
  EXPECT_EQ(retry_hint_from_headers({{"retry-after", "7"}, {"retry-after-ms", "250"}}, now),
            Clock::Duration(milliseconds(250)));
  EXPECT_EQ(retry_hint_from_headers({{"retry-after-ms", "12.5"}}, now),
            Clock::Duration(std::chrono::microseconds(12500)));
  // A broken retry-after-ms falls back to retry-after.
  EXPECT_EQ(retry_hint_from_headers({{"retry-after", "2"}, {"retry-after-ms", "x"}}, now),
            Clock::Duration(seconds(2)));
}

TEST(RetryAfter, ProtoDurations) {
  EXPECT_EQ(parse_proto_duration("26s"), Clock::Duration(seconds(26)));
  EXPECT_EQ(parse_proto_duration("1.5s"), Clock::Duration(milliseconds(1500)));
  EXPECT_EQ(parse_proto_duration("25.465784708s"), Clock::Duration(25'465'784'708));
  EXPECT_EQ(parse_proto_duration("0s"), Clock::Duration::zero());
  EXPECT_FALSE(parse_proto_duration("s"));
  EXPECT_FALSE(parse_proto_duration("26"));
  EXPECT_FALSE(parse_proto_duration("-1s"));
  EXPECT_FALSE(parse_proto_duration("1ms"));
}

TEST(RetryClassification, StatusesAndTransportErrors) {
  for (int s : {408, 429, 500, 502, 503, 504})
    EXPECT_TRUE(is_retryable_http_status(s)) << s;
  for (int s : {200, 400, 401, 403, 404, 410, 501})
    EXPECT_FALSE(is_retryable_http_status(s)) << s;
  EXPECT_TRUE(is_retryable_transport_error(make_error(ErrorCode::kUnavailable, "x")));
  EXPECT_TRUE(is_retryable_transport_error(make_error(ErrorCode::kDeadlineExceeded, "x")));
  EXPECT_FALSE(is_retryable_transport_error(make_error(ErrorCode::kCancelled, "x")));
  EXPECT_FALSE(is_retryable_transport_error(make_error(ErrorCode::kInvalidArgument, "x")));
}

CircuitBreakerOptions breaker_options(int threshold, Clock::Duration cool_down) {
  CircuitBreakerOptions o;
  o.failure_threshold = threshold;
  o.cool_down = cool_down;
  return o;
}

TEST(CircuitBreaker, OpensAfterConsecutiveFailures) {
  ManualClock clock;
  CircuitBreaker cb(clock, breaker_options(3, seconds(30)));
  EXPECT_EQ(cb.state(), State::kClosed);
  cb.record_failure();
  cb.record_failure();
  cb.record_success();  // not consecutive any more
  EXPECT_EQ(cb.consecutive_failures(), 0);
  cb.record_failure();
  cb.record_failure();
  EXPECT_TRUE(cb.allow());
  EXPECT_EQ(cb.state(), State::kClosed);
  cb.record_failure();
  EXPECT_EQ(cb.state(), State::kOpen);
  EXPECT_FALSE(cb.allow());
  EXPECT_EQ(cb.remaining_cool_down(), Clock::Duration(seconds(30)));
  clock.advance(seconds(10));
  EXPECT_FALSE(cb.allow());
  EXPECT_EQ(cb.remaining_cool_down(), Clock::Duration(seconds(20)));
  EXPECT_EQ(circuit_state_name(cb.state()), "open");
}

TEST(CircuitBreaker, HalfOpenLetsOneTrialThrough) {
  ManualClock clock;
  CircuitBreaker cb(clock, breaker_options(2, seconds(30)));
  cb.record_failure();
  cb.record_failure();
  clock.advance(seconds(30));
  EXPECT_EQ(cb.state(), State::kHalfOpen);
  EXPECT_EQ(cb.remaining_cool_down(), Clock::Duration::zero());
  EXPECT_TRUE(cb.allow());   // the trial
  EXPECT_FALSE(cb.allow());  // everyone else waits for its outcome
  cb.record_success();
  EXPECT_EQ(cb.state(), State::kClosed);
  EXPECT_TRUE(cb.allow());
  EXPECT_TRUE(cb.allow());
}

TEST(CircuitBreaker, FailedTrialOpensAgain) {
  ManualClock clock;
  CircuitBreaker cb(clock, breaker_options(1, seconds(5)));
  cb.record_failure();
  EXPECT_EQ(cb.state(), State::kOpen);
  clock.advance(seconds(5));
  EXPECT_TRUE(cb.allow());
  cb.record_failure();
  EXPECT_EQ(cb.state(), State::kOpen);
  EXPECT_FALSE(cb.allow());
  clock.advance(seconds(4));
  EXPECT_FALSE(cb.allow());
  clock.advance(seconds(1));
  EXPECT_TRUE(cb.allow());
  cb.record_success();
  EXPECT_EQ(cb.state(), State::kClosed);
  EXPECT_EQ(circuit_state_name(cb.state()), "closed");
}

TEST(CircuitBreaker, LostTrialIsForgottenAfterAnotherCoolDown) {
  ManualClock clock;
  CircuitBreaker cb(clock, breaker_options(1, seconds(5)));
  cb.record_failure();
  clock.advance(seconds(5));
  EXPECT_TRUE(cb.allow());  // a trial that never reports back
  clock.advance(seconds(4));
  EXPECT_FALSE(cb.allow());
  clock.advance(seconds(1));
  EXPECT_TRUE(cb.allow());
  EXPECT_EQ(circuit_state_name(cb.state()), "half-open");
}

TEST(CircuitBreaker, ThresholdBelowOneMeansOne) {
  ManualClock clock;
  CircuitBreaker cb(clock, breaker_options(0, seconds(5)));
  EXPECT_TRUE(cb.allow());
  cb.record_failure();
  EXPECT_FALSE(cb.allow());
}

TEST(RedactUrl, DropsCredentialsQueryAndFragment) {
  EXPECT_EQ(redact_url("https://u:p4ss@host.example:8443/v1/x?key=SECRET#frag"),
            "https://host.example:8443/v1/x");
  EXPECT_EQ(redact_url("https://generativelanguage.googleapis.com/v1beta/models/"
                       "gemini-2.5-flash:streamGenerateContent?alt=sse&key=SECRET"),
            "https://generativelanguage.googleapis.com/v1beta/models/"
            "gemini-2.5-flash:streamGenerateContent");
  EXPECT_EQ(redact_url("not a url?key=SECRET"), "not a url");
  EXPECT_EQ(redact_url("weird://user:pw@[bad/x?key=SECRET"), "weird://[bad/x");
  EXPECT_EQ(parse_url("http://h/p?key=SECRET")->redacted(), "http://h/p");
}

}  // namespace
}  // namespace sakai::net
