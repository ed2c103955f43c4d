#pragma once
// The queue long requests wait in (voice notes, images): the scheduling every such feature
// shares, so a feature only says how to run, describe and store its own jobs.
//
// - Lanes: every job names a lane (an engine, a provider); at most `concurrency(lane)` jobs of a
//   lane run at once.
// - Fair between users: within a lane, round-robin across the users with waiting jobs, FIFO per
//   user. Bounded: a lane refuses more than `max_waiting_per_user` waiting jobs of one user
//   (0 = no bound).
// - The requester sees a status message at once, answering the request: the job's position
//   ("#3 in queue") while it waits, the feature's running text once it starts (with the chat
//   action repeated while it runs), re-rendered every `refresh` when set (elapsed time).
// - Cancel: cancel() for a /cancel in reply to the request or its status; deleting the request
//   (on_messages_deleted) cancels it and leaves the status saying so.
// - Persistent: each job is a JobRepository row (kind Options::kind, the feature's JSON payload);
//   resume() re-queues the rows a previous run left pending or running.
// - The end: finish() from the feature. Success removes the status message; an error replaces
//   the status text with the feature's message (or answers the request when there is none).
//
// The feature derives its job type from QueuedJob, implements FairQueue::Client and calls
// finish() when a started job's work ends (a job cancelled meanwhile has `ended` set: its late
// result is dropped by the feature, which then calls finish() with kCancelled or nothing at all).
// Thread-safety: event loop thread only. Ownership: the feature owns the queue and its client;
// the client outlives the queue.
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "commands/reply.h"
#include "core/clock.h"
#include "core/event_loop.h"
#include "core/ids.h"
#include "storage/store.h"
#include "telegram/transport.h"

namespace sakai::commands {
struct Services;
}

namespace sakai::assistant {

// One request. A feature derives its own job type and fills the first block before submit()
// (or in Client::restore()); the queue keeps the rest.
struct QueuedJob {
  virtual ~QueuedJob() = default;

  ChatId chat;
  UserId user;
  MessageId request;  // the command message: /cancel in reply to it, or deleting it, cancels
  std::string lane;   // jobs of one lane share its concurrency
  std::string lang;   // language of the status texts

  // The queue's bookkeeping (read-only for features).
  std::int64_t store_id = 0;        // its JobRepository row (0 until stored)
  std::optional<MessageId> status;  // the status message, once sent
  bool running = false;
  bool ended = false;  // finished or cancelled: whatever its work still brings is dropped
  int attempts = 0;    // starts, this run and earlier ones
  bool cancelled_by_deletion = false;
  Clock::TimePoint queued_at{};   // submitted (or resumed)
  Clock::TimePoint started_at{};  // last start

 private:
  friend class FairQueue;
  std::optional<commands::Reply> reply_;
  int shown_position_ = -1;  // 0: the running text; -1: nothing shown yet
  std::string shown_text_;   // the status text last sent, for the periodic refresh
};

using QueuedJobPtr = std::shared_ptr<QueuedJob>;

class FairQueue {
 public:
  // What a feature tells the queue about its jobs. Called on the loop thread, never after the
  // queue is gone.
  class Client {
   public:
    virtual ~Client() = default;
    // Status texts, in job.lang: waiting at `position` (1 = next), running, cancelled by deletion.
    [[nodiscard]] virtual std::string queued_text(const QueuedJob& job, int position) const = 0;
    [[nodiscard]] virtual std::string running_text(const QueuedJob& job) const = 0;
    [[nodiscard]] virtual std::string cancelled_text(const QueuedJob& job) const = 0;
    // The job has a slot: start its work and end it with FairQueue::finish().
    virtual void start(const QueuedJobPtr& job) = 0;
    // A running job was cancelled (its slot is free already): stop its work.
    virtual void stop(const QueuedJobPtr& job) = 0;
    // The stored form of a job (JSON text) and the job again from its row; null when the row
    // cannot be run any more (it is then marked failed).
    [[nodiscard]] virtual std::string payload(const QueuedJob& job) const = 0;
    virtual QueuedJobPtr restore(const storage::ScheduledJob& row) = 0;
  };

  struct Options {
    std::string kind;  // the JobRepository kind, also the log topic: "tts", "image"
    std::function<std::size_t(std::string_view lane)> concurrency;  // unset: 1 per lane
    std::size_t max_waiting_per_user = 0;                           // per lane; 0: no bound
    std::optional<telegram::ChatAction> chat_action;  // shown (repeated) while a job runs
    Clock::Duration refresh{0};  // > 0: status texts are re-rendered this often
  };

  FairQueue(commands::Services& services, Client& client, Options options);
  // Unfinished jobs stay stored for the next start; their replies end quietly.
  ~FairQueue();
  FairQueue(const FairQueue&) = delete;
  FairQueue& operator=(const FairQueue&) = delete;

  // Whether `user` already has Options::max_waiting_per_user jobs waiting in `lane` (ask before
  // submit(); the feature says so in its own words).
  [[nodiscard]] bool full(UserId user, std::string_view lane) const;
  // Queues a job (`reply`, absent for resumed jobs, is answered when it ends) and sends its
  // status message.
  void submit(const QueuedJobPtr& job, std::optional<commands::Reply> reply);
  // Re-queues the stored jobs of Options::kind that never finished. Returns how many.
  std::size_t resume();
  // Cancels the job whose request or status message is `message` (only `user`'s when given).
  // False when there is none.
  bool cancel(ChatId chat, MessageId message, std::optional<UserId> user = std::nullopt);
  // Deleted requests cancel their jobs.
  void on_messages_deleted(ChatId chat, const std::vector<MessageId>& ids);

  // The end of a started job's work. kOk: the status message goes, with `also_delete`; kError:
  // `error_text` replaces the status text (or answers the request); kCancelled: nothing is said.
  // A job that ended already (cancelled) only frees what it held.
  void finish(const QueuedJobPtr& job, commands::Outcome outcome,
              const std::string& error_text = {}, std::vector<MessageId> also_delete = {});
  // Shows `text` in the job's status message (progress); nothing when it is already shown.
  void set_status_text(const QueuedJobPtr& job, const std::string& text);
  // Shows the job's current queued or running text again (after its progress changed).
  void refresh(const QueuedJobPtr& job);

  [[nodiscard]] std::size_t waiting() const;
  [[nodiscard]] std::size_t running() const;
  // Jobs not yet finished (waiting or running), in submission order.
  [[nodiscard]] const std::vector<QueuedJobPtr>& jobs() const { return jobs_; }
  // The job's place in its lane (1 = next); 0 when it runs or is unknown.
  [[nodiscard]] int position(const QueuedJobPtr& job) const;

 private:
  struct Lane {
    std::map<std::int64_t, std::deque<QueuedJobPtr>> per_user;  // FIFO per user
    std::deque<std::int64_t> rotation;  // users with waiting jobs, next first
    std::vector<QueuedJobPtr> active;
  };

  void enqueue(const QueuedJobPtr& job);
  void pump();
  void start(const QueuedJobPtr& job);
  [[nodiscard]] static std::vector<QueuedJobPtr> projected(const Lane& lane);
  void refresh_positions();
  void persist(const QueuedJobPtr& job);
  void store_status(const QueuedJobPtr& job, storage::JobStatus status);
  void keep_chat_action(const QueuedJobPtr& job);
  void arm_refresh();
  void on_refresh();
  void release(const QueuedJobPtr& job);
  void remove_waiting(const QueuedJobPtr& job);
  void cancel_job(const QueuedJobPtr& job);
  void edit_status(const QueuedJobPtr& job, const std::string& text);
  [[nodiscard]] QueuedJobPtr find(ChatId chat, MessageId message) const;
  [[nodiscard]] std::size_t concurrency(std::string_view lane) const;

  commands::Services& services_;
  Client& client_;
  Options options_;
  std::map<std::string, Lane, std::less<>> lanes_;
  std::vector<QueuedJobPtr> jobs_;  // every job not yet finished, in submission order
  bool refresh_armed_ = false;
  EventLoop::TimerId refresh_timer_ = 0;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
};

}  // namespace sakai::assistant
