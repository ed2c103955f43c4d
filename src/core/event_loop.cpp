#include "core/event_loop.h"

#include <chrono>
#include <cstdio>

namespace sakai {

void EventLoop::post(Task task) {
  {
    std::lock_guard lock(mu_);
    tasks_.push_back(std::move(task));
  }
  cv_.notify_one();
}

EventLoop::TimerId EventLoop::post_after(Clock::Duration delay, Task task, bool keeps_alive) {
  TimerId id = 0;
  {
    std::lock_guard lock(mu_);
    id = next_timer_++;
    const auto due = clock_.now() + delay;
    timers_.emplace(std::make_pair(due, id), Timer{std::move(task), keeps_alive});
    timer_due_[id] = due;
  }
  cv_.notify_one();
  return id;
}

bool EventLoop::cancel(TimerId id) {
  std::lock_guard lock(mu_);
  auto it = timer_due_.find(id);
  if (it == timer_due_.end()) return false;
  timers_.erase(std::make_pair(it->second, id));
  timer_due_.erase(it);
  return true;
}

void EventLoop::begin_work() {
  std::lock_guard lock(mu_);
  ++outstanding_work_;
}

void EventLoop::end_work() {
  {
    std::lock_guard lock(mu_);
    --outstanding_work_;
  }
  cv_.notify_one();
}

void EventLoop::stop() {
  {
    std::lock_guard lock(mu_);
    stopped_ = true;
  }
  cv_.notify_all();
}

bool EventLoop::has_keepalive_timer() {
  std::lock_guard lock(mu_);
  return has_keepalive_locked();
}

bool EventLoop::has_keepalive_locked() const {
  for (const auto& [key, timer] : timers_) {
    if (timer.keeps_alive) return true;
  }
  return false;
}

void EventLoop::run_task(Task& task) {
  const auto report = [this](std::string_view what) {
    if (on_error_) {
      on_error_(what);
    } else {
      std::fprintf(stderr, "sakaibot: a loop task threw: %.*s\n", static_cast<int>(what.size()),
                   what.data());
    }
  };
  try {
    task();
  } catch (const std::exception& e) {
    report(e.what());
  } catch (...) {
    report("unknown exception");
  }
}

std::size_t EventLoop::run_due_locked(std::unique_lock<std::mutex>& lock) {
  std::size_t ran = 0;
  // Tasks first, then every timer that is due; each runs without the lock held.
  while (true) {
    if (!tasks_.empty()) {
      Task t = std::move(tasks_.front());
      tasks_.pop_front();
      lock.unlock();
      run_task(t);
      lock.lock();
      ++ran;
      continue;
    }
    if (!timers_.empty() && timers_.begin()->first.first <= clock_.now()) {
      auto node = timers_.extract(timers_.begin());
      timer_due_.erase(node.key().second);
      lock.unlock();
      run_task(node.mapped().task);
      lock.lock();
      ++ran;
      continue;
    }
    return ran;
  }
}

std::size_t EventLoop::run_ready() {
  std::unique_lock lock(mu_);
  return run_due_locked(lock);
}

void EventLoop::run() {
  std::unique_lock lock(mu_);
  // A stop() that came before run() still counts; the flag is cleared when run() returns.
  while (!stopped_) {
    run_due_locked(lock);
    if (stopped_) break;
    if (timers_.empty()) {
      cv_.wait(lock, [&] { return stopped_ || !tasks_.empty() || !timers_.empty(); });
    } else {
      const auto due = timers_.begin()->first.first;
      const auto wait = due - clock_.now();
      cv_.wait_for(lock, std::chrono::duration_cast<std::chrono::milliseconds>(wait) +
                             std::chrono::milliseconds(1));
    }
  }
  stopped_ = false;
}

void EventLoop::run_until_idle() {
  std::unique_lock lock(mu_);
  while (!stopped_) {
    run_due_locked(lock);
    if (stopped_) break;
    const bool keepalive = has_keepalive_locked();
    if (tasks_.empty() && !keepalive && outstanding_work_ == 0) break;
    if (!timers_.empty() && keepalive) {
      const auto wait = timers_.begin()->first.first - clock_.now();
      cv_.wait_for(lock, std::chrono::duration_cast<std::chrono::milliseconds>(wait) +
                             std::chrono::milliseconds(1));
    } else {
      cv_.wait(lock, [&] { return stopped_ || !tasks_.empty() || outstanding_work_ == 0; });
    }
  }
  stopped_ = false;
}

}  // namespace sakai
