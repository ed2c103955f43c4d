#pragma once
// The one thread that owns all bot state. Other threads (TDLib's receive loop, HTTP, the CPU
// pool) hand work over with post(); nothing else touches bot state.
// Thread-safety: post(), post_after() and stop() may be called from any thread; run() and
// run_until_idle() from the owning thread only; set_error_handler() before the loop runs.
// A task or timer that throws does not end the process: the exception is reported to the error
// handler (stderr without one) and the loop goes on with the next task.
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string_view>

#include "core/clock.h"

namespace sakai {

class EventLoop {
 public:
  using Task = std::function<void()>;
  using TimerId = std::uint64_t;
  using ErrorHandler = std::function<void(std::string_view what)>;

  explicit EventLoop(const Clock& clock) : clock_(clock) {}
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  void post(Task task);
  // Runs `task` once `delay` has passed on the loop's clock. A background timer (keeps_alive =
  // false) does not hold run_until_idle() open: inactivity timeouts and periodic sweeps are such.
  TimerId post_after(Clock::Duration delay, Task task, bool keeps_alive = true);
  // True when the timer was still pending.
  bool cancel(TimerId id);

  // Pending work that an external party (an HTTP request, a TDLib query) will post back later:
  // run_until_idle() waits for it. Call begin_work() before handing off and end_work() when done.
  void begin_work();
  void end_work();

  // Runs until stop(). A stop() that arrives before run() makes run() return at once.
  void run();
  // Runs until no task, no keep-alive timer and no outstanding work is left. With a
  // ManualClock, timers fire when the test advances the clock and calls run_ready().
  void run_until_idle();
  void stop();
  // Runs everything due now without blocking; returns the number of tasks run.
  std::size_t run_ready();

  // Where an exception thrown by a task or timer is reported (its what(), or "unknown exception").
  void set_error_handler(ErrorHandler handler) { on_error_ = std::move(handler); }

  [[nodiscard]] const Clock& clock() const { return clock_; }
  // Whether a keep-alive timer is pending (what would hold run_until_idle() open).
  [[nodiscard]] bool has_keepalive_timer();

 private:
  struct Timer {
    Task task;
    bool keeps_alive;
  };
  bool has_keepalive_locked() const;
  std::size_t run_due_locked(std::unique_lock<std::mutex>& lock);
  void run_task(Task& task);

  const Clock& clock_;
  ErrorHandler on_error_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Task> tasks_;
  // Ordered by (due time, id) so timers with equal due times run in posting order.
  std::map<std::pair<Clock::TimePoint, TimerId>, Timer> timers_;
  std::map<TimerId, Clock::TimePoint> timer_due_;
  TimerId next_timer_ = 1;
  int outstanding_work_ = 0;
  bool stopped_ = false;
};

}  // namespace sakai
