#include "net/retry.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include "core/text.h"

namespace sakai::net {
namespace {

using std::chrono::duration_cast;

// Non-negative decimal seconds ("12", "1.5", "25.465784708"); nullopt otherwise.
std::optional<Clock::Duration> parse_decimal_seconds(std::string_view s) {
  if (s.empty() || s.size() > 32) return std::nullopt;
  long long whole = 0;
  long long frac_ns = 0;
  std::size_t i = 0;
  std::size_t int_digits = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, ++int_digits) {
    if (whole > 1'000'000'000LL) return std::nullopt;  // over 30 years: nonsense
    whole = whole * 10 + (s[i] - '0');
  }
  std::size_t frac_digits = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    long long scale = 100'000'000;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, ++frac_digits) {
      frac_ns += (s[i] - '0') * scale;
      scale /= 10;
    }
  }
  if (i != s.size() || int_digits + frac_digits == 0) return std::nullopt;
  return Clock::Duration(std::chrono::seconds(whole)) + Clock::Duration(frac_ns);
}

std::optional<int> month_index(std::string_view m) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
  const std::string lower = text::ascii_lower(m);
  for (std::size_t i = 0; i < kMonths.size(); ++i) {
    if (lower == kMonths[i]) return static_cast<int>(i) + 1;
  }
  return std::nullopt;
}

std::optional<long long> number(std::string_view s) {
  if (s.empty() || s.size() > 9) return std::nullopt;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  return text::parse_int(s);
}

// IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT", RFC 850 "Sunday, 06-Nov-94 08:49:37 GMT" or
// asctime "Sun Nov  6 08:49:37 1994".
std::optional<Clock::WallTime> parse_http_date(std::string_view s) {
  std::string norm(s);
  std::replace(norm.begin(), norm.end(), ',', ' ');
  std::replace(norm.begin(), norm.end(), '-', ' ');
  const std::vector<std::string> t = text::split_whitespace(norm);
  std::string_view day, month, year, clock;
  if (t.size() == 6) {
    if (t[5] != "GMT" && t[5] != "UTC") return std::nullopt;
    day = t[1];
    month = t[2];
    year = t[3];
    clock = t[4];
  } else if (t.size() == 5) {
    month = t[1];
    day = t[2];
    clock = t[3];
    year = t[4];
  } else {
    return std::nullopt;
  }
  const auto mon = month_index(month);
  const auto d = number(day);
  auto y = number(year);
  if (!mon || !d || !y || clock.size() != 8 || clock[2] != ':' || clock[5] != ':') {
    return std::nullopt;
  }
  if (year.size() == 2) *y += *y < 70 ? 2000 : 1900;  // RFC 850's two-digit years
  const auto hh = number(clock.substr(0, 2));
  const auto mm = number(clock.substr(3, 2));
  const auto ss = number(clock.substr(6, 2));
  if (!hh || !mm || !ss || *hh > 23 || *mm > 59 || *ss > 60) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year(static_cast<int>(*y)),
                                        std::chrono::month(static_cast<unsigned>(*mon)),
                                        std::chrono::day(static_cast<unsigned>(*d))};
  if (!ymd.ok()) return std::nullopt;
  const auto tp = std::chrono::sys_days(ymd) + std::chrono::hours(*hh) + std::chrono::minutes(*mm) +
                  std::chrono::seconds(*ss);
  return std::chrono::time_point_cast<Clock::WallTime::duration>(tp);
}

}  // namespace

Backoff::Backoff(BackoffPolicy policy, std::uint64_t seed) : policy_(policy), rng_(seed) {}

std::optional<Clock::Duration> Backoff::next_delay(std::optional<Clock::Duration> server_hint) {
  ++failures_;
  if (failures_ >= policy_.max_attempts) return std::nullopt;
  const Clock::Duration cap = policy_.max_delay;
  if (server_hint) {
    if (*server_hint > cap) {
      if (policy_.give_up_on_long_hint) return std::nullopt;
      return cap;
    }
    return std::max(*server_hint, Clock::Duration::zero());
  }
  // base * 2^(failures - 1), without overflowing.
  Clock::Duration ceiling = policy_.base_delay;
  for (int i = 1; i < failures_ && ceiling < cap; ++i)
    ceiling *= 2;
  ceiling = std::min(ceiling, cap);
  if (ceiling <= Clock::Duration::zero()) return Clock::Duration::zero();
  std::uniform_int_distribution<Clock::Duration::rep> pick(0, ceiling.count());
  return Clock::Duration(pick(rng_));
}

std::optional<Clock::Duration> parse_retry_after(std::string_view value, Clock::WallTime now) {
  value = text::trim(value);
  if (value.empty()) return std::nullopt;
  if (const auto secs = parse_decimal_seconds(value)) return secs;
  const auto when = parse_http_date(value);
  if (!when) return std::nullopt;
  if (*when <= now) return Clock::Duration::zero();
  return duration_cast<Clock::Duration>(*when - now);
}

std::optional<Clock::Duration> retry_hint_from_headers(
    const std::map<std::string, std::string>& headers, Clock::WallTime now) {
  if (const auto it = headers.find("retry-after-ms"); it != headers.end()) {
    if (const auto ms = parse_decimal_seconds(text::trim(it->second))) return *ms / 1000;
  }
  if (const auto it = headers.find("retry-after"); it != headers.end()) {
    return parse_retry_after(it->second, now);
  }
  return std::nullopt;
}

std::optional<Clock::Duration> parse_proto_duration(std::string_view value) {
  value = text::trim(value);
  if (value.size() < 2 || value.back() != 's') return std::nullopt;
  return parse_decimal_seconds(value.substr(0, value.size() - 1));
}

bool is_retryable_http_status(int status) {
  return status == 408 || status == 429 || status == 500 || status == 502 || status == 503 ||
         status == 504;
}

bool is_retryable_transport_error(const Status& status) {
  return status.code() == ErrorCode::kUnavailable || status.code() == ErrorCode::kDeadlineExceeded;
}

CircuitBreaker::CircuitBreaker(const Clock& clock, CircuitBreakerOptions options)
    : clock_(clock), options_(options) {
  options_.failure_threshold = std::max(options_.failure_threshold, 1);
}

bool CircuitBreaker::allow() {
  const auto now = clock_.now();
  switch (state_) {
    case State::kClosed:
      return true;
    case State::kOpen:
      if (now - opened_at_ < options_.cool_down) return false;
      state_ = State::kHalfOpen;
      trial_in_flight_ = false;
      [[fallthrough]];
    case State::kHalfOpen:
      if (trial_in_flight_ && now - trial_started_ < options_.cool_down) return false;
      trial_in_flight_ = true;
      trial_started_ = now;
      return true;
  }
  return false;
}

void CircuitBreaker::record_success() {
  failures_ = 0;
  state_ = State::kClosed;
  trial_in_flight_ = false;
}

void CircuitBreaker::record_failure() {
  ++failures_;
  if (state_ == State::kHalfOpen ||
      (state_ == State::kClosed && failures_ >= options_.failure_threshold)) {
    open();
  }
}

void CircuitBreaker::open() {
  state_ = State::kOpen;
  opened_at_ = clock_.now();
  trial_in_flight_ = false;
}

CircuitBreaker::State CircuitBreaker::state() const {
  if (state_ == State::kOpen && clock_.now() - opened_at_ >= options_.cool_down) {
    return State::kHalfOpen;
  }
  return state_;
}

Clock::Duration CircuitBreaker::remaining_cool_down() const {
  if (state_ != State::kOpen) return Clock::Duration::zero();
  const auto left = options_.cool_down - (clock_.now() - opened_at_);
  return std::max(left, Clock::Duration::zero());
}

std::string_view circuit_state_name(CircuitBreaker::State state) {
  switch (state) {
    case CircuitBreaker::State::kClosed:
      return "closed";
    case CircuitBreaker::State::kOpen:
      return "open";
    case CircuitBreaker::State::kHalfOpen:
      return "half-open";
  }
  return "unknown";
}

}  // namespace sakai::net
