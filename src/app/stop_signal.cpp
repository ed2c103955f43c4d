#include "app/stop_signal.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <utility>

namespace sakai::app {
namespace {

std::atomic<bool> g_stop_requested{false};  // set by the signal handler, read by a loop timer

extern "C" void on_signal(int) {
  g_stop_requested = true;
}

constexpr auto kCheckEvery = std::chrono::milliseconds(250);

}  // namespace

void request_stop() {
  g_stop_requested = true;
}

bool stop_requested() {
  return g_stop_requested;
}

StopSignal::StopSignal(EventLoop& loop, std::function<void()> on_stop)
    : loop_(loop), on_stop_(std::move(on_stop)) {
  g_stop_requested = false;
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  check();
}

StopSignal::~StopSignal() {
  if (timer_ != 0) loop_.cancel(timer_);
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
}

void StopSignal::check() {
  timer_ = 0;
  if (g_stop_requested && !fired_) {
    fired_ = true;
    on_stop_();
    return;
  }
  // A background timer: it never keeps an otherwise idle loop alive.
  timer_ = loop_.post_after(
      kCheckEvery, [this] { check(); }, false);
}

}  // namespace sakai::app
