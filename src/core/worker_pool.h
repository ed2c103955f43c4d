#pragma once
// The process's bounded pool of threads for CPU work: speech synthesis and recognition, Opus
// encoding, image decoding and scaling, charts. One per process, shared by every account.
//
//   pool.run(loop, [=] { auto pcm = synthesize(...);          // on a pool thread
//                        return [=] { send_voice(pcm); }; }); // then on `loop`
//
// - At most `threads` jobs run at once; the rest wait in FIFO order (at most `max_queued`).
// - Threads are started on the first job (an idle bot has none) and live until the pool goes:
//   no thread per request, nothing left unjoined.
// - Every job run() accepts counts as the loop's outstanding work (EventLoop::begin_work) until
//   its continuation has run, so run_until_idle() waits for it.
// - The destructor stops taking jobs, drops the ones still queued (their continuations never run;
//   their loop work is released) and joins the threads after their current job.
// Thread-safety: run(), submit() and the counters may be called from any thread. A job must not
// wait for another job of the same pool (with one thread that would never end).
// Ownership: every EventLoop given to run() must outlive the jobs started on it.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "core/event_loop.h"

namespace sakai {

class WorkerPool {
 public:
  // `threads` 0 means the machine's hardware concurrency (at least 1).
  explicit WorkerPool(std::size_t threads = 0, std::size_t max_queued = 1024);
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;
  ~WorkerPool();

  // A job that hands a continuation (may be empty) back to the loop.
  using Work = std::function<std::function<void()>()>;
  // Runs `work` on a pool thread and its continuation on `loop`. False (and nothing runs) when
  // the queue is full or the pool is shutting down: the caller answers "busy".
  bool run(EventLoop& loop, Work work);
  // Fire-and-forget: a job with no continuation and no loop accounting.
  bool submit(std::function<void()> job);

  [[nodiscard]] std::size_t threads() const { return max_threads_; }
  // Jobs that may wait at once; run() refuses more.
  [[nodiscard]] std::size_t max_queued() const { return max_queued_; }
  // Threads started so far (0 until the first job).
  [[nodiscard]] std::size_t started_threads() const;
  [[nodiscard]] std::size_t queued() const;
  [[nodiscard]] std::size_t running() const;

 private:
  struct Job {
    std::function<void()> body;
    std::function<void()> dropped;  // releases what body would have released, when never run
  };
  bool enqueue(Job job);
  void worker();

  const std::size_t max_threads_;
  const std::size_t max_queued_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> queue_;
  std::vector<std::thread> threads_;
  std::size_t running_ = 0;
  bool stopping_ = false;
};

}  // namespace sakai
