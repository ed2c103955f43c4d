#include "core/event_loop.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace sakai {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(CoreEventLoop, PostedTasksRunInOrder) {
  ManualClock clock;
  EventLoop loop(clock);
  std::string trace;
  loop.post([&] { trace += "a"; });
  loop.post([&] {
    trace += "b";
    loop.post([&] { trace += "d"; });  // posted while running: after what is already queued
  });
  loop.post([&] { trace += "c"; });
  EXPECT_EQ(loop.run_ready(), 4u);
  EXPECT_EQ(trace, "abcd");
  EXPECT_EQ(loop.run_ready(), 0u);
}

// A callback that throws (a bug met by one message) is reported and the loop goes on with the
// next task and timer, instead of the exception ending the process.
TEST(CoreEventLoop, ATaskThatThrowsIsReportedAndTheLoopGoesOn) {
  ManualClock clock;
  EventLoop loop(clock);
  std::vector<std::string> errors;
  loop.set_error_handler([&](std::string_view what) { errors.emplace_back(what); });
  std::string trace;
  loop.post([] { throw std::runtime_error("bad reply from the provider"); });
  loop.post([&] { trace += "a"; });
  loop.post_after(seconds(1), [] { throw 42; });
  loop.post_after(seconds(1), [&] { trace += "b"; });
  EXPECT_EQ(loop.run_ready(), 2u);
  clock.advance(seconds(1));
  EXPECT_EQ(loop.run_ready(), 2u);
  EXPECT_EQ(trace, "ab");
  EXPECT_EQ(errors, (std::vector<std::string>{"bad reply from the provider", "unknown exception"}));
}

TEST(CoreEventLoop, TimersFireWhenTheClockReachesThem) {
  ManualClock clock;
  EventLoop loop(clock);
  std::string trace;
  loop.post_after(seconds(10), [&] { trace += "10"; });
  loop.post_after(seconds(5), [&] { trace += "5"; });
  loop.post_after(seconds(0), [&] { trace += "0"; });
  EXPECT_EQ(loop.run_ready(), 1u);
  EXPECT_EQ(trace, "0");
  clock.advance(seconds(4));
  EXPECT_EQ(loop.run_ready(), 0u);
  clock.advance(seconds(1));
  EXPECT_EQ(loop.run_ready(), 1u);
  EXPECT_EQ(trace, "05");
  clock.advance(seconds(100));
  EXPECT_EQ(loop.run_ready(), 1u);
  EXPECT_EQ(trace, "0510");
}

TEST(CoreEventLoop, TimersDueTogetherRunInPostingOrderAfterTasks) {
  ManualClock clock;
  EventLoop loop(clock);
  std::string trace;
  loop.post_after(seconds(1), [&] { trace += "1"; });
  loop.post_after(seconds(1), [&] { trace += "2"; });
  loop.post_after(seconds(1), [&] { trace += "3"; });
  clock.advance(seconds(1));
  loop.post([&] { trace += "t"; });
  loop.run_ready();
  EXPECT_EQ(trace, "t123");
}

TEST(CoreEventLoop, CancelledTimersDoNotFire) {
  ManualClock clock;
  EventLoop loop(clock);
  int fired = 0;
  const auto a = loop.post_after(seconds(1), [&] { fired += 1; });
  const auto b = loop.post_after(seconds(1), [&] { fired += 10; });
  EXPECT_NE(a, b);
  EXPECT_TRUE(loop.cancel(a));
  EXPECT_FALSE(loop.cancel(a));  // already cancelled
  clock.advance(seconds(2));
  loop.run_ready();
  EXPECT_EQ(fired, 10);
  EXPECT_FALSE(loop.cancel(b));  // already fired
  EXPECT_FALSE(loop.cancel(12345));
}

TEST(CoreEventLoop, TimerCanCancelAnotherDueAtTheSameTime) {
  ManualClock clock;
  EventLoop loop(clock);
  int fired = 0;
  EventLoop::TimerId second = 0;
  loop.post_after(seconds(1), [&] { EXPECT_TRUE(loop.cancel(second)); });
  second = loop.post_after(seconds(1), [&] { ++fired; });
  clock.advance(seconds(1));
  loop.run_ready();
  EXPECT_EQ(fired, 0);
}

TEST(CoreEventLoop, RunUntilIdleReturnsWhenNothingIsLeft) {
  ManualClock clock;
  EventLoop loop(clock);
  int ran = 0;
  loop.post([&] {
    ++ran;
    loop.post([&] { ++ran; });
  });
  loop.run_until_idle();
  EXPECT_EQ(ran, 2);
  loop.run_until_idle();  // nothing to do: returns at once
}

TEST(CoreEventLoop, BackgroundTimersDoNotKeepTheLoopBusy) {
  ManualClock clock;
  EventLoop loop(clock);
  bool fired = false;
  loop.post_after(
      seconds(3600), [&] { fired = true; }, /*keeps_alive=*/false);
  loop.run_until_idle();  // with a keep-alive timer this would wait for the clock
  EXPECT_FALSE(fired);
  clock.advance(seconds(3600));
  loop.run_ready();
  EXPECT_TRUE(fired);
}

TEST(CoreEventLoop, RunUntilIdleWaitsForRealTimers) {
  SystemClock clock;
  EventLoop loop(clock);
  bool fired = false;
  const auto start = std::chrono::steady_clock::now();
  loop.post_after(milliseconds(30), [&] { fired = true; });
  loop.run_until_idle();
  EXPECT_TRUE(fired);
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds(30));
}

TEST(CoreEventLoop, RunUntilIdleWaitsForOutstandingWork) {
  SystemClock clock;
  EventLoop loop(clock);
  std::vector<int> results;
  std::thread::id loop_thread = std::this_thread::get_id();
  std::thread worker;
  loop.post([&] {
    loop.begin_work();
    worker = std::thread([&] {
      std::this_thread::sleep_for(milliseconds(50));
      for (int i = 0; i < 3; ++i) {
        loop.post([&, i] {
          EXPECT_EQ(std::this_thread::get_id(), loop_thread);  // answers run on the loop
          results.push_back(i);
        });
      }
      loop.end_work();
    });
  });
  loop.run_until_idle();
  worker.join();
  EXPECT_EQ(results, (std::vector<int>{0, 1, 2}));
}

TEST(CoreEventLoop, ManyThreadsPostingBack) {
  SystemClock clock;
  EventLoop loop(clock);
  std::atomic<int> sum{0};
  std::vector<std::thread> threads;
  constexpr int kThreads = 4;
  constexpr int kEach = 500;
  for (int t = 0; t < kThreads; ++t)
    loop.begin_work();
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i)
        loop.post([&] { sum += 1; });
      loop.end_work();
    });
  }
  loop.run_until_idle();
  for (auto& th : threads)
    th.join();
  EXPECT_EQ(sum.load(), kThreads * kEach);
}

TEST(CoreEventLoop, StopEndsRun) {
  SystemClock clock;
  EventLoop loop(clock);
  int ran = 0;
  loop.post([&] { ++ran; });
  loop.post_after(milliseconds(20), [&] {
    ++ran;
    loop.stop();
  });
  loop.post_after(seconds(3600), [&] { ++ran; });
  loop.run();  // returns after stop(), leaving the hour-long timer pending
  EXPECT_EQ(ran, 2);
}

TEST(CoreEventLoop, StopFromAnotherThread) {
  SystemClock clock;
  EventLoop loop(clock);
  std::thread stopper([&] {
    std::this_thread::sleep_for(milliseconds(30));
    loop.stop();
  });
  loop.run();  // idle, waiting for work, until stopped
  stopper.join();
  SUCCEED();
}

// stop() called before run() starts (a signal during start-up, a fast worker) is forgotten:
// run() resets the flag and then waits for work forever.
TEST(CoreEventLoop, StopBeforeRunIsNotLost) {
  SystemClock clock;
  EventLoop loop(clock);
  loop.stop();
  std::atomic<bool> returned{false};
  std::thread runner([&] {
    loop.run();
    returned = true;
  });
  for (int i = 0; i < 100 && !returned; ++i)
    std::this_thread::sleep_for(milliseconds(10));
  EXPECT_TRUE(returned) << "run() ignored the earlier stop()";
  if (!returned) loop.stop();  // unblock the thread so the test ends
  runner.join();
}

}  // namespace
}  // namespace sakai
