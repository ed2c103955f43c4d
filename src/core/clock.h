#pragma once
// Time source. Production code takes a Clock& so tests can drive time with ManualClock.
// Thread-safety: SystemClock is stateless; ManualClock and AdjustableClock are safe to read and
// advance from any thread.
#include <atomic>
#include <chrono>

namespace sakai {

class Clock {
 public:
  using Duration = std::chrono::nanoseconds;
  using TimePoint = std::chrono::time_point<std::chrono::steady_clock, Duration>;
  using WallTime = std::chrono::system_clock::time_point;
  virtual ~Clock() = default;
  // Monotonic time for deadlines, rate limits and latencies.
  [[nodiscard]] virtual TimePoint now() const = 0;
  // Calendar time for storage and display.
  [[nodiscard]] virtual WallTime wall_now() const = 0;
};

class SystemClock final : public Clock {
 public:
  [[nodiscard]] TimePoint now() const override { return std::chrono::steady_clock::now(); }
  [[nodiscard]] WallTime wall_now() const override { return std::chrono::system_clock::now(); }
};

class ManualClock final : public Clock {
 public:
  explicit ManualClock(WallTime wall_start = WallTime(std::chrono::seconds(1'700'000'000)))
      : wall_start_(wall_start) {}
  [[nodiscard]] TimePoint now() const override { return TimePoint(Duration(elapsed_.load())); }
  [[nodiscard]] WallTime wall_now() const override {
    return wall_start_ + std::chrono::duration_cast<WallTime::duration>(Duration(elapsed_.load()));
  }
  void advance(Duration d) { elapsed_ += d.count(); }

 private:
  WallTime wall_start_;
  std::atomic<Duration::rep> elapsed_{0};
};

// Real time plus an offset that only grows: the console's developer clock (`sakaibot console
// --dev-clock`, the script line `:advance 2m`). Unlike ManualClock, time keeps running, so an event
// loop waiting for a timer still wakes; advance() makes everything that falls due within the jump
// due at once (timers, rate-limit windows, grant expiry, confirm timeouts).
class AdjustableClock final : public Clock {
 public:
  [[nodiscard]] TimePoint now() const override {
    return std::chrono::steady_clock::now() + Duration(offset_.load());
  }
  [[nodiscard]] WallTime wall_now() const override {
    return std::chrono::system_clock::now() +
           std::chrono::duration_cast<WallTime::duration>(Duration(offset_.load()));
  }
  // Moves the clock forward by `d` (a negative `d` is ignored: time never goes back).
  void advance(Duration d) {
    if (d.count() > 0) offset_ += d.count();
  }

 private:
  std::atomic<Duration::rep> offset_{0};
};

// Milliseconds since the Unix epoch, the unit storage uses for timestamps.
inline std::int64_t to_unix_ms(Clock::WallTime t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

}  // namespace sakai
