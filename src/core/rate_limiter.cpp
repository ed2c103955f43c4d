#include "core/rate_limiter.h"

namespace sakai {

RateLimiter::RateLimiter(const Clock& clock, int max_events, std::chrono::seconds window)
    : clock_(clock), max_events_(max_events), window_(window) {}

RateLimiter::Decision RateLimiter::check(UserId user) {
  if (max_events_ <= 0) return {};
  const auto now = clock_.now();
  // Idle users are dropped now and then so the map does not grow with every sender ever seen.
  if (++checks_since_sweep_ >= 4096) {
    checks_since_sweep_ = 0;
    for (auto it = users_.begin(); it != users_.end();) {
      if (it->second.events.empty() || now - it->second.events.back() >= window_) {
        it = users_.erase(it);
      } else {
        ++it;
      }
    }
  }
  Window& w = users_[user];
  while (!w.events.empty() && now - w.events.front() >= window_)
    w.events.pop_front();
  if (static_cast<int>(w.events.size()) < max_events_) {
    w.events.push_back(now);
    w.notified = false;
    return {};
  }
  Decision d;
  d.allowed = false;
  d.notify = !w.notified;
  w.notified = true;
  const auto wait = window_ - (now - w.events.front());
  d.retry_after = std::chrono::ceil<std::chrono::seconds>(wait);
  if (d.retry_after.count() < 1) d.retry_after = std::chrono::seconds(1);
  return d;
}

}  // namespace sakai
