#pragma once
// How `run`, `login` and `logout` learn that the person wants them to stop: SIGINT and SIGTERM,
// or request_stop() from code (what a test does instead of sending a signal).
//
//   StopSignal stop(loop, [&] { loop.stop(); });   // on_stop runs on the loop, once
//
// Thread-safety: request_stop() is async-signal-safe and may be called from any thread. A
// StopSignal is created, checked and destroyed on its loop's thread.
// Ownership: the loop outlives the StopSignal; destroying it cancels its check.
#include <functional>

#include "core/event_loop.h"

namespace sakai::app {

// What SIGINT and SIGTERM do: every StopSignal's on_stop runs within its next check (250 ms).
void request_stop();
// True once a stop was requested since the last StopSignal was created.
bool stop_requested();

class StopSignal {
 public:
  // Installs the SIGINT and SIGTERM handlers (the destructor restores the default ones) and
  // forgets an earlier request.
  StopSignal(EventLoop& loop, std::function<void()> on_stop);
  StopSignal(const StopSignal&) = delete;
  StopSignal& operator=(const StopSignal&) = delete;
  ~StopSignal();

 private:
  void check();

  EventLoop& loop_;
  std::function<void()> on_stop_;
  EventLoop::TimerId timer_ = 0;
  bool fired_ = false;
};

}  // namespace sakai::app
