#include "core/worker_pool.h"

#include <algorithm>
#include <exception>
#include <utility>

namespace sakai {

WorkerPool::WorkerPool(std::size_t threads, std::size_t max_queued)
    : max_threads_(threads > 0 ? threads
                               : std::max<std::size_t>(1, std::thread::hardware_concurrency())),
      max_queued_(std::max<std::size_t>(1, max_queued)) {}

WorkerPool::~WorkerPool() {
  std::deque<Job> dropped;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    dropped.swap(queue_);
  }
  cv_.notify_all();
  for (auto& job : dropped) {
    if (job.dropped) job.dropped();
  }
  for (auto& t : threads_)
    t.join();
}

bool WorkerPool::enqueue(Job job) {
  {
    std::lock_guard lock(mu_);
    if (stopping_ || queue_.size() >= max_queued_) return false;
    queue_.push_back(std::move(job));
    // A new thread only when every started one is busy: an idle bot keeps none.
    const std::size_t idle = threads_.size() - std::min(threads_.size(), running_);
    if (threads_.size() < max_threads_ && idle < queue_.size())
      threads_.emplace_back([this] { worker(); });
  }
  cv_.notify_one();
  return true;
}

bool WorkerPool::run(EventLoop& loop, Work work) {
  loop.begin_work();
  EventLoop* l = &loop;
  Job job;
  job.body = [l, work = std::move(work)] {
    std::function<void()> then;
    try {
      then = work();
    } catch (const std::exception&) {
      // A job that throws has nothing to hand back; the loop work is still released.
      then = nullptr;
    }
    l->post([l, then = std::move(then)] {
      if (then) then();
      l->end_work();
    });
  };
  job.dropped = [l] { l->end_work(); };
  if (enqueue(std::move(job))) return true;
  loop.end_work();
  return false;
}

bool WorkerPool::submit(std::function<void()> body) {
  return enqueue(Job{[body = std::move(body)] {
                       try {
                         body();
                       } catch (const std::exception&) {
                         // Nothing to report to: fire-and-forget jobs own their errors.
                       }
                     },
                     nullptr});
}

void WorkerPool::worker() {
  std::unique_lock lock(mu_);
  while (true) {
    cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, nothing left
    Job job = std::move(queue_.front());
    queue_.pop_front();
    ++running_;
    lock.unlock();
    job.body();
    lock.lock();
    --running_;
  }
}

std::size_t WorkerPool::started_threads() const {
  std::lock_guard lock(mu_);
  return threads_.size();
}

std::size_t WorkerPool::queued() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

std::size_t WorkerPool::running() const {
  std::lock_guard lock(mu_);
  return running_;
}

}  // namespace sakai
