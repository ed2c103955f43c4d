// Runs an event loop until it is idle, with a watchdog thread that stops it after `limit`, so
// that a bug (a callback that never comes) fails a test instead of hanging the suite.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/event_loop.h"

namespace sakai::testing {

inline void run_until_idle_or_timeout(EventLoop& loop, std::chrono::milliseconds limit) {
  std::mutex m;
  std::condition_variable cv;
  bool finished = false;
  std::thread watchdog([&] {
    std::unique_lock lock(m);
    if (!cv.wait_for(lock, limit, [&] { return finished; })) loop.stop();
  });
  loop.run_until_idle();
  {
    std::lock_guard lock(m);
    finished = true;
  }
  cv.notify_all();
  watchdog.join();
}

}  // namespace sakai::testing
