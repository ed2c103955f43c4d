#pragma once
// Per-user sliding-window rate limiting. A refused user is told once per window, not once per
// message, so a flood of commands does not turn into a flood of notices.
// Thread-safety: single-threaded (the event loop owns it).
#include <chrono>
#include <deque>
#include <unordered_map>

#include "core/clock.h"
#include "core/ids.h"

namespace sakai {

class RateLimiter {
 public:
  struct Decision {
    bool allowed = true;
    bool notify = false;  // refused, and this is the first refusal since the last allowed one
    std::chrono::seconds retry_after{0};
  };

  // `max_events` per `window`; max_events == 0 disables limiting.
  RateLimiter(const Clock& clock, int max_events, std::chrono::seconds window);

  Decision check(UserId user);
  void forget(UserId user) { users_.erase(user); }
  [[nodiscard]] std::size_t tracked_users() const { return users_.size(); }

 private:
  struct Window {
    std::deque<Clock::TimePoint> events;
    bool notified = false;
  };
  const Clock& clock_;
  int max_events_;
  std::chrono::seconds window_;
  std::unordered_map<UserId, Window> users_;
  std::size_t checks_since_sweep_ = 0;
};

}  // namespace sakai
