#include "core/worker_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace sakai {
namespace {

TEST(CoreWorkerPool, ContinuationRunsOnTheLoopThread) {
  SystemClock clock;
  EventLoop loop(clock);
  WorkerPool pool(2);
  const auto loop_thread = std::this_thread::get_id();
  std::thread::id worker_thread;
  std::thread::id continuation_thread;
  int result = 0;
  ASSERT_TRUE(pool.run(loop, [&] {
    worker_thread = std::this_thread::get_id();
    const int value = 6 * 7;
    return [&, value] {
      continuation_thread = std::this_thread::get_id();
      result = value;
    };
  }));
  loop.run_until_idle();  // waits for the job: it counts as outstanding work
  EXPECT_EQ(result, 42);
  EXPECT_NE(worker_thread, loop_thread);
  EXPECT_EQ(continuation_thread, loop_thread);
}

TEST(CoreWorkerPool, NeverRunsMoreJobsThanThreadsAndReusesThem) {
  SystemClock clock;
  EventLoop loop(clock);
  WorkerPool pool(2);
  EXPECT_EQ(pool.started_threads(), 0u);  // an idle pool has no threads
  std::atomic<int> now{0};
  std::atomic<int> peak{0};
  std::mutex mu;
  std::set<std::thread::id> seen;
  int done = 0;
  for (int i = 0; i < 40; ++i) {
    ASSERT_TRUE(pool.run(loop, [&] {
      const int n = ++now;
      int p = peak.load();
      while (n > p && !peak.compare_exchange_weak(p, n)) {
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      {
        std::lock_guard lock(mu);
        seen.insert(std::this_thread::get_id());
      }
      --now;
      return [&] { ++done; };
    }));
  }
  loop.run_until_idle();
  EXPECT_EQ(done, 40);
  EXPECT_LE(peak.load(), 2);
  EXPECT_LE(seen.size(), 2u);  // 40 jobs, at most two threads: none started per job
  EXPECT_LE(pool.started_threads(), 2u);
}

TEST(CoreWorkerPool, FullQueueRefusesAndReleasesTheLoop) {
  SystemClock clock;
  EventLoop loop(clock);
  WorkerPool pool(1, 1);
  std::promise<void> release;
  std::shared_future<void> gate = release.get_future().share();
  std::atomic<bool> started{false};
  ASSERT_TRUE(pool.run(loop, [&, gate] {
    started = true;
    gate.wait();
    return std::function<void()>();
  }));
  while (!started)
    std::this_thread::yield();
  ASSERT_TRUE(pool.run(loop, [] { return std::function<void()>(); }));  // queued
  EXPECT_EQ(pool.queued(), 1u);
  EXPECT_FALSE(pool.run(loop, [] { return std::function<void()>(); }));  // no room
  release.set_value();
  loop.run_until_idle();  // ends: the refused job left no outstanding work behind
  EXPECT_EQ(pool.queued(), 0u);
}

TEST(CoreWorkerPool, AThrowingJobStillReleasesTheLoop) {
  SystemClock clock;
  EventLoop loop(clock);
  WorkerPool pool(1);
  bool after = false;
  ASSERT_TRUE(pool.run(loop, []() -> std::function<void()> { throw std::runtime_error("x"); }));
  ASSERT_TRUE(pool.run(loop, [&] { return [&] { after = true; }; }));
  loop.run_until_idle();
  EXPECT_TRUE(after);  // the pool thread survived the exception
}

TEST(CoreWorkerPool, DestructionDropsQueuedJobsAndJoins) {
  SystemClock clock;
  EventLoop loop(clock);
  std::atomic<int> ran{0};
  std::atomic<bool> started{false};
  std::atomic<bool> queue_filled{false};
  {
    WorkerPool pool(1);
    // The running job ends only once the destructor has emptied the queue, so the five queued
    // jobs can never be picked up.
    ASSERT_TRUE(pool.run(loop, [&] {
      started = true;
      while (!queue_filled || pool.queued() != 0)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      ++ran;
      return std::function<void()>();
    }));
    while (!started)
      std::this_thread::yield();
    for (int i = 0; i < 5; ++i)
      ASSERT_TRUE(pool.run(loop, [&] {
        ++ran;
        return std::function<void()>();
      }));
    queue_filled = true;
  }  // drops the five queued jobs, then joins the running one
  EXPECT_EQ(ran.load(), 1);
  loop.run_until_idle();  // returns: the dropped jobs released their loop work
}

TEST(CoreWorkerPool, SubmitRunsWithoutALoop) {
  std::promise<int> p;
  auto f = p.get_future();
  {
    WorkerPool pool(1);
    ASSERT_TRUE(pool.submit([&] { p.set_value(7); }));
    EXPECT_EQ(f.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  }
  EXPECT_EQ(f.get(), 7);
}

}  // namespace
}  // namespace sakai
