#include "assistant/fair_queue.h"

#include <algorithm>
#include <utility>

#include "commands/services.h"

namespace sakai::assistant {

using commands::Outcome;
using commands::Reply;

namespace {
// Telegram shows a chat action for about 5 s: it is repeated this often while a job runs.
constexpr auto kChatActionEvery = std::chrono::seconds(4);
}  // namespace

FairQueue::FairQueue(commands::Services& services, Client& client, Options options)
    : services_(services), client_(client), options_(std::move(options)) {}

FairQueue::~FairQueue() {
  if (refresh_armed_) services_.loop.cancel(refresh_timer_);
  // Jobs still queued stay in the store for the next start; their replies end quietly.
  for (auto& job : jobs_) {
    if (job->reply_) job->reply_->delivered(Outcome::kCancelled);
  }
}

std::size_t FairQueue::concurrency(std::string_view lane) const {
  if (!options_.concurrency) return 1;
  return std::max<std::size_t>(1, options_.concurrency(lane));
}

bool FairQueue::full(UserId user, std::string_view lane) const {
  if (options_.max_waiting_per_user == 0) return false;
  const auto l = lanes_.find(lane);
  if (l == lanes_.end()) return false;
  const auto fifo = l->second.per_user.find(user.value());
  return fifo != l->second.per_user.end() && fifo->second.size() >= options_.max_waiting_per_user;
}

void FairQueue::submit(const QueuedJobPtr& job, std::optional<Reply> reply) {
  job->reply_ = std::move(reply);
  job->queued_at = services_.clock.now();
  enqueue(job);
  pump();
  refresh_positions();
  // The status message: its position, or the running text when the job already started.
  const std::string text =
      job->running ? client_.running_text(*job) : client_.queued_text(*job, job->shown_position_);
  job->shown_text_ = text;
  std::weak_ptr<int> alive = alive_;
  telegram::SendOptions options;
  options.reply_to = job->request;
  services_.transport.send_text(
      job->chat, telegram::FormattedText(text), options,
      [this, alive, job](Result<MessageId> sent) {
        if (alive.expired()) return;
        if (sent.is_ok()) job->status = sent.value();
        if (job->ended) {
          if (job->status && job->cancelled_by_deletion) {
            edit_status(job, client_.cancelled_text(*job));
          } else if (job->status) {
            services_.transport.delete_messages(job->chat, {*job->status}, [](const Status&) {});
          }
          return;
        }
        persist(job);
        refresh_positions();
        refresh(job);  // it may have moved or started while its status was on the way
      });
  arm_refresh();
}

void FairQueue::persist(const QueuedJobPtr& job) {
  storage::ScheduledJob row;
  row.kind = options_.kind;
  row.chat = job->chat;
  row.owner = job->user;
  row.due_ms = to_unix_ms(services_.clock.wall_now());
  row.created_ms = row.due_ms;
  row.payload = client_.payload(*job);
  row.status = job->running ? storage::JobStatus::kRunning : storage::JobStatus::kPending;
  row.attempts = job->attempts;
  auto id = services_.store.jobs().add(row);
  if (!id.is_ok()) {
    services_.log.warn(options_.kind, "could not store a queued request",
                       {{"error", id.status().to_string()}});
    return;
  }
  job->store_id = id.value();
}

void FairQueue::store_status(const QueuedJobPtr& job, storage::JobStatus status) {
  if (job->store_id == 0) return;
  (void)services_.store.jobs().set_status(job->store_id, status, job->attempts);
}

std::size_t FairQueue::resume() {
  auto rows = services_.store.jobs().pending(options_.kind);
  if (!rows.is_ok()) {
    services_.log.warn(options_.kind, "could not read queued requests",
                       {{"error", rows.status().to_string()}});
    return 0;
  }
  std::size_t n = 0;
  for (const auto& row : rows.value()) {
    QueuedJobPtr job = client_.restore(row);
    if (!job) {
      (void)services_.store.jobs().set_status(row.id, storage::JobStatus::kFailed, row.attempts);
      continue;
    }
    job->store_id = row.id;
    job->attempts = row.attempts;
    job->queued_at = services_.clock.now();
    enqueue(job);
    ++n;
  }
  pump();
  refresh_positions();
  arm_refresh();
  if (n > 0) {
    services_.log.info(options_.kind, "re-queued stored requests", {{"count", std::to_string(n)}});
  }
  return n;
}

void FairQueue::enqueue(const QueuedJobPtr& job) {
  Lane& lane = lanes_[job->lane];
  const std::int64_t user = job->user.value();
  auto& fifo = lane.per_user[user];
  if (fifo.empty()) lane.rotation.push_back(user);
  fifo.push_back(job);
  jobs_.push_back(job);
}

std::vector<QueuedJobPtr> FairQueue::projected(const Lane& lane) {
  std::map<std::int64_t, std::size_t> taken;
  std::deque<std::int64_t> rotation = lane.rotation;
  std::vector<QueuedJobPtr> order;
  while (!rotation.empty()) {
    const std::int64_t user = rotation.front();
    rotation.pop_front();
    const auto& fifo = lane.per_user.at(user);
    std::size_t& k = taken[user];
    order.push_back(fifo[k++]);
    if (k < fifo.size()) rotation.push_back(user);
  }
  return order;
}

int FairQueue::position(const QueuedJobPtr& job) const {
  const auto lane = lanes_.find(job->lane);
  if (lane == lanes_.end() || job->running) return 0;
  int position = 0;
  for (const auto& waiting : projected(lane->second)) {
    ++position;
    if (waiting == job) return position;
  }
  return 0;
}

void FairQueue::pump() {
  for (auto& [name, lane] : lanes_) {
    while (lane.active.size() < concurrency(name) && !lane.rotation.empty()) {
      const std::int64_t user = lane.rotation.front();
      lane.rotation.pop_front();
      auto& fifo = lane.per_user[user];
      QueuedJobPtr job = fifo.front();
      fifo.pop_front();
      if (fifo.empty()) {
        lane.per_user.erase(user);
      } else {
        lane.rotation.push_back(user);
      }
      lane.active.push_back(job);
      start(job);
    }
  }
}

void FairQueue::start(const QueuedJobPtr& job) {
  job->running = true;
  ++job->attempts;
  job->started_at = services_.clock.now();
  store_status(job, storage::JobStatus::kRunning);
  if (job->status && job->shown_position_ != 0) edit_status(job, client_.running_text(*job));
  job->shown_position_ = 0;
  keep_chat_action(job);
  client_.start(job);
}

// Telegram shows a chat action for about 5 s: repeat it while the job runs.
void FairQueue::keep_chat_action(const QueuedJobPtr& job) {
  if (!options_.chat_action || !job->running || job->ended) return;
  services_.transport.send_chat_action(job->chat, *options_.chat_action);
  std::weak_ptr<int> alive = alive_;
  services_.loop.post_after(
      kChatActionEvery,
      [this, alive, job] {
        if (!alive.expired()) keep_chat_action(job);
      },
      /*keeps_alive=*/false);
}

void FairQueue::release(const QueuedJobPtr& job) {
  for (auto& [name, lane] : lanes_) {
    auto it = std::find(lane.active.begin(), lane.active.end(), job);
    if (it != lane.active.end()) lane.active.erase(it);
  }
}

void FairQueue::finish(const QueuedJobPtr& job, Outcome outcome, const std::string& error_text,
                       std::vector<MessageId> also_delete) {
  release(job);  // free the slot (a cancelled running job freed it already)
  if (job->ended) {
    pump();
    refresh_positions();
    return;
  }
  job->ended = true;
  job->running = false;
  jobs_.erase(std::remove(jobs_.begin(), jobs_.end(), job), jobs_.end());
  store_status(job, outcome == Outcome::kOk      ? storage::JobStatus::kDone
                    : outcome == Outcome::kError ? storage::JobStatus::kFailed
                                                 : storage::JobStatus::kCancelled);
  if (outcome == Outcome::kOk) {
    if (job->status) also_delete.push_back(*job->status);
    if (!also_delete.empty())
      services_.transport.delete_messages(job->chat, also_delete, [](const Status&) {});
    if (job->reply_) job->reply_->delivered(Outcome::kOk);
  } else if (outcome == Outcome::kError) {
    if (job->status) {
      edit_status(job, error_text);
      if (job->reply_) job->reply_->delivered(Outcome::kError);
    } else if (job->reply_) {
      job->reply_->ok(telegram::FormattedText(error_text));
    } else {
      telegram::SendOptions options;
      options.reply_to = job->request;
      services_.transport.send_text(job->chat, telegram::FormattedText(error_text), options,
                                    [](const Result<MessageId>&) {});
    }
  } else if (job->reply_) {
    job->reply_->delivered(outcome);
  }
  job->reply_.reset();
  pump();
  refresh_positions();
}

void FairQueue::remove_waiting(const QueuedJobPtr& job) {
  auto l = lanes_.find(job->lane);
  if (l == lanes_.end()) return;
  Lane& lane = l->second;
  const std::int64_t user = job->user.value();
  auto found = lane.per_user.find(user);
  if (found == lane.per_user.end()) return;
  auto& fifo = found->second;
  fifo.erase(std::remove(fifo.begin(), fifo.end(), job), fifo.end());
  if (fifo.empty()) {
    lane.per_user.erase(found);
    lane.rotation.erase(std::remove(lane.rotation.begin(), lane.rotation.end(), user),
                        lane.rotation.end());
  }
}

QueuedJobPtr FairQueue::find(ChatId chat, MessageId message) const {
  for (const auto& job : jobs_) {
    if (job->chat == chat && !job->ended &&
        (job->request == message || (job->status && *job->status == message))) {
      return job;
    }
  }
  return nullptr;
}

bool FairQueue::cancel(ChatId chat, MessageId message, std::optional<UserId> user) {
  QueuedJobPtr job = find(chat, message);
  if (!job || (user && job->user != *user)) return false;
  cancel_job(job);
  return true;
}

void FairQueue::cancel_job(const QueuedJobPtr& job) {
  store_status(job, storage::JobStatus::kCancelled);
  if (job->status) {
    if (job->cancelled_by_deletion) {
      edit_status(job, client_.cancelled_text(*job));
    } else {
      services_.transport.delete_messages(job->chat, {*job->status}, [](const Status&) {});
    }
  }
  if (job->reply_) job->reply_->delivered(Outcome::kCancelled);
  job->reply_.reset();
  job->ended = true;
  if (job->running) {
    // The work stops (the client aborts it; its late result is dropped because the job ended)
    // and the slot is free at once.
    client_.stop(job);
    if (options_.chat_action)
      services_.transport.send_chat_action(job->chat, telegram::ChatAction::kCancel);
    release(job);
  } else {
    remove_waiting(job);
  }
  jobs_.erase(std::remove(jobs_.begin(), jobs_.end(), job), jobs_.end());
  pump();
  refresh_positions();
}

void FairQueue::on_messages_deleted(ChatId chat, const std::vector<MessageId>& ids) {
  for (const MessageId id : ids) {
    QueuedJobPtr job = find(chat, id);
    if (job && job->request == id) {
      job->cancelled_by_deletion = true;
      cancel_job(job);
    }
  }
}

void FairQueue::refresh_positions() {
  for (const auto& [name, lane] : lanes_) {
    int position = 0;
    for (const QueuedJobPtr& job : projected(lane)) {
      ++position;
      if (job->shown_position_ == position) continue;
      job->shown_position_ = position;
      edit_status(job, client_.queued_text(*job, position));
    }
  }
}

void FairQueue::refresh(const QueuedJobPtr& job) {
  if (job->ended) return;
  edit_status(job, job->running ? client_.running_text(*job)
                                : client_.queued_text(*job, std::max(1, position(job))));
}

void FairQueue::set_status_text(const QueuedJobPtr& job, const std::string& text) {
  edit_status(job, text);
}

void FairQueue::edit_status(const QueuedJobPtr& job, const std::string& text) {
  if (!job->status || text == job->shown_text_) return;
  job->shown_text_ = text;
  services_.transport.edit_text(job->chat, *job->status, telegram::FormattedText(text),
                                [](const Status&) {});
}

void FairQueue::arm_refresh() {
  if (options_.refresh <= Clock::Duration::zero() || refresh_armed_ || jobs_.empty()) return;
  refresh_armed_ = true;
  std::weak_ptr<int> alive = alive_;
  refresh_timer_ = services_.loop.post_after(
      options_.refresh,
      [this, alive] {
        if (alive.expired()) return;
        refresh_armed_ = false;
        on_refresh();
      },
      /*keeps_alive=*/false);
}

void FairQueue::on_refresh() {
  for (const auto& job : std::vector<QueuedJobPtr>(jobs_))
    refresh(job);
  arm_refresh();
}

std::size_t FairQueue::waiting() const {
  std::size_t n = 0;
  for (const auto& [name, lane] : lanes_) {
    for (const auto& [user, fifo] : lane.per_user)
      n += fifo.size();
  }
  return n;
}

std::size_t FairQueue::running() const {
  std::size_t n = 0;
  for (const auto& [name, lane] : lanes_)
    n += lane.active.size();
  return n;
}

}  // namespace sakai::assistant
