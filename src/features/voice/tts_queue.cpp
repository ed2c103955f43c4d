#include "features/voice/tts_queue.h"

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <system_error>
#include <utility>

#include "commands/services.h"
#include "core/text.h"
#include "core/worker_pool.h"
#include "features/voice/speech_errors.h"
#include "features/voice/voice_common.h"

namespace sakai::features {

using commands::Outcome;
using commands::Reply;
using commands::Services;
using nlohmann::json;

namespace speech = ai::speech;

struct TtsQueue::Job {
  TtsRequest req;
  std::int64_t store_id = 0;
  std::optional<MessageId> status;
  std::optional<Reply> reply;
  bool running = false;
  bool ended = false;
  int shown_position = -1;  // 0: "recording"; -1: nothing shown yet
  int attempts = 0;
  // Set while the engine works on it; cancel_job() raises it so the synthesis stops.
  speech::CancelToken cancel;
  // Cancelled because the request message was deleted: the status says "cancelled" (nobody
  // asked with /cancel, which answers by itself).
  bool cancelled_by_deletion = false;
};

namespace {
std::int64_t wall_ms_of(const Clock& clock) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock.wall_now().time_since_epoch())
      .count();
}
}  // namespace

TtsQueue::TtsQueue(Services& services, Engines engines)
    : services_(services),
      engines_(std::move(engines)),
      concurrency_(static_cast<std::size_t>(
          std::max<long long>(1, services.config.get_int("tts.concurrency")))),
      cleanup_(services.config.get_bool("tts.cleanup")) {
  // Voice notes of an earlier run that never got sent or removed (a crash, the console).
  if (const std::size_t n = sweep_voice_dir(services); n > 0)
    services.log.info("tts", "removed old voice files", {{"count", std::to_string(n)}});
}

TtsQueue::~TtsQueue() {
  // Requests still queued stay in the store for the next start; their replies end quietly.
  for (auto& job : jobs_) {
    if (job->reply) job->reply->delivered(Outcome::kCancelled);
  }
}

std::optional<std::pair<speech::TtsEngine*, std::string>> TtsQueue::find_voice(
    std::string_view voice) const {
  const std::string want = text::ascii_lower(voice);
  for (const auto& e : engines_) {
    for (const auto& v : e->voices()) {
      if (text::ascii_lower(v.id) == want) return std::make_pair(e.get(), v.id);
    }
  }
  return std::nullopt;
}

speech::TtsEngine* TtsQueue::engine(const std::string& name) const {
  for (const auto& e : engines_) {
    if (e->name() == name) return e.get();
  }
  return nullptr;
}

TtsQueue::Lane& TtsQueue::lane_for(const std::string& engine) {
  return lanes_[engine];
}

std::string TtsQueue::tr(const JobPtr& job, std::string_view key,
                         std::initializer_list<TrArg> args) const {
  return services_.i18n.tr(job->req.lang, key, args);
}

void TtsQueue::submit(TtsRequest request, std::optional<Reply> reply) {
  auto job = std::make_shared<Job>();
  job->req = std::move(request);
  job->reply = std::move(reply);
  enqueue(job);
  pump();
  refresh_positions();
  // The status message: its position, or "recording" when the job already started.
  const bool started = job->running;
  const int position = job->shown_position;
  const std::string text = started
                               ? tr(job, "tts.working")
                               : tr(job, "tts.queued", {{"position", std::to_string(position)}});
  std::weak_ptr<int> alive = alive_;
  telegram::SendOptions options;
  options.reply_to = job->req.request;
  services_.transport.send_text(job->req.chat, telegram::FormattedText(text), options,
                                [this, alive, job](Result<MessageId> sent) {
                                  if (alive.expired()) return;
                                  if (sent.is_ok()) job->status = sent.value();
                                  if (job->ended) {
                                    if (job->status && job->cancelled_by_deletion) {
                                      set_status_text(job, tr(job, "tts.cancelled"));
                                    } else if (job->status) {
                                      services_.transport.delete_messages(
                                          job->req.chat, {*job->status}, [](const Status&) {});
                                    }
                                    return;
                                  }
                                  persist(job);
                                  refresh_positions();
                                });
}

void TtsQueue::persist(const JobPtr& job) {
  const json payload = {{"chat", job->req.chat.value()},
                        {"user", job->req.user.value()},
                        {"request", job->req.request.value()},
                        {"answer_to", job->req.answer_to.value()},
                        {"own", job->req.own_request},
                        {"status", job->status ? job->status->value() : 0},
                        {"text", job->req.text},
                        {"engine", job->req.engine},
                        {"voice", job->req.voice},
                        {"rate", job->req.rate},
                        {"lang", job->req.lang}};
  storage::ScheduledJob row;
  row.kind = "tts";
  row.chat = job->req.chat;
  row.owner = job->req.user;
  row.due_ms = wall_ms_of(services_.clock);
  row.created_ms = row.due_ms;
  row.payload = payload.dump(-1, ' ', false, json::error_handler_t::replace);
  row.status = job->running ? storage::JobStatus::kRunning : storage::JobStatus::kPending;
  auto id = services_.store.jobs().add(row);
  if (!id.is_ok()) {
    services_.log.warn("tts", "could not store a queued request",
                       {{"error", id.status().to_string()}});
    return;
  }
  job->store_id = id.value();
}

std::size_t TtsQueue::resume() {
  auto rows = services_.store.jobs().pending("tts");
  if (!rows.is_ok()) {
    services_.log.warn("tts", "could not read queued requests",
                       {{"error", rows.status().to_string()}});
    return 0;
  }
  std::size_t n = 0;
  for (const auto& row : rows.value()) {
    const json p = json::parse(row.payload, nullptr, false);
    if (!p.is_object() || !p.contains("text")) {
      (void)services_.store.jobs().set_status(row.id, storage::JobStatus::kFailed, row.attempts);
      continue;
    }
    auto job = std::make_shared<Job>();
    job->store_id = row.id;
    job->attempts = row.attempts;
    job->req.chat = ChatId(p.value("chat", row.chat.value()));
    job->req.user = UserId(p.value("user", row.owner.value()));
    job->req.request = MessageId(p.value("request", std::int64_t{0}));
    job->req.answer_to = MessageId(p.value("answer_to", job->req.request.value()));
    job->req.own_request = p.value("own", false);
    job->req.text = p.value("text", "");
    job->req.engine = p.value("engine", "");
    job->req.voice = p.value("voice", "");
    job->req.rate = p.value("rate", 1.0);
    job->req.lang = p.value("lang", services_.config.get_string("bot.language"));
    if (const std::int64_t status = p.value("status", std::int64_t{0}); status != 0)
      job->status = MessageId(status);
    speech::TtsEngine* e = engine(job->req.engine);
    if (e == nullptr) {  // the engine is gone (no key any more): fall back to the default
      e = &default_engine();
      job->req.engine = e->name();
      job->req.voice = e->default_voice(job->req.text);
    }
    enqueue(job);
    ++n;
  }
  pump();
  refresh_positions();
  if (n > 0) services_.log.info("tts", "re-queued stored requests", {{"count", std::to_string(n)}});
  return n;
}

void TtsQueue::enqueue(const JobPtr& job) {
  if (job->req.engine.empty()) job->req.engine = default_engine().name();
  Lane& lane = lane_for(job->req.engine);
  const std::int64_t user = job->req.user.value();
  auto& fifo = lane.per_user[user];
  if (fifo.empty()) lane.rotation.push_back(user);
  fifo.push_back(job);
  jobs_.push_back(job);
}

std::vector<TtsQueue::JobPtr> TtsQueue::projected(const Lane& lane) const {
  std::map<std::int64_t, std::size_t> taken;
  std::deque<std::int64_t> rotation = lane.rotation;
  std::vector<JobPtr> order;
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

void TtsQueue::pump() {
  for (auto& [name, lane] : lanes_) {
    while (lane.active.size() < concurrency_ && !lane.rotation.empty()) {
      const std::int64_t user = lane.rotation.front();
      lane.rotation.pop_front();
      auto& fifo = lane.per_user[user];
      JobPtr job = fifo.front();
      fifo.pop_front();
      if (fifo.empty()) {
        lane.per_user.erase(user);
      } else {
        lane.rotation.push_back(user);
      }
      lane.active.push_back(job);
      start(name, job);
    }
  }
}

void TtsQueue::start(const std::string& engine_name, const JobPtr& job) {
  job->running = true;
  ++job->attempts;
  if (job->store_id != 0) {
    (void)services_.store.jobs().set_status(job->store_id, storage::JobStatus::kRunning,
                                            job->attempts);
  }
  if (job->status && job->shown_position != 0) set_status_text(job, tr(job, "tts.working"));
  job->shown_position = 0;
  keep_recording(job);
  speech::TtsEngine* e = engine(engine_name);
  std::weak_ptr<int> alive = alive_;
  job->cancel = std::make_shared<speech::SynthesisCancel>();
  e->synthesize(
      job->req.text, job->req.voice, job->req.rate,
      [this, alive, job](Result<speech::Pcm> pcm) {
        if (alive.expired()) return;
        on_audio(job, std::move(pcm));
      },
      job->cancel);
}

// Telegram shows a chat action for about 5 s: repeat it while the voice note is being made.
void TtsQueue::keep_recording(const JobPtr& job) {
  if (!job->running || job->ended) return;
  services_.transport.send_chat_action(job->req.chat, telegram::ChatAction::kRecordingVoice);
  std::weak_ptr<int> alive = alive_;
  services_.loop.post_after(
      std::chrono::seconds(4),
      [this, alive, job] {
        if (!alive.expired()) keep_recording(job);
      },
      /*keeps_alive=*/false);
}

void TtsQueue::on_audio(const JobPtr& job, Result<speech::Pcm> pcm) {
  job->cancel.reset();
  if (job->ended) {  // cancelled while it was being made (the engine stopped early)
    finish(job, Outcome::kCancelled, std::nullopt);
    return;
  }
  if (!pcm.is_ok()) {
    finish(job, Outcome::kError, pcm.status());
    return;
  }
  const std::string path = voice_path(job);
  std::weak_ptr<int> alive = alive_;
  auto audio = std::make_shared<speech::Pcm>(std::move(pcm).value());
  const bool keep = keeps_voice_files(services_);
  const bool queued =
      services_.workers != nullptr &&
      services_.workers->run(services_.loop,
                             [this, alive, job, audio, path, keep]() -> std::function<void()> {
                               auto file = std::make_shared<Result<speech::VoiceNoteFile>>(
                                   speech::encode_voice_note_file(*audio, path));
                               return [this, alive, job, file, path, keep] {
                                 if (alive.expired()) {
                                   discard_voice_file(keep, path);
                                   return;
                                 }
                                 // Whatever was written of a failed file goes.
                                 if (!file->is_ok()) discard_voice_file(keep, path);
                                 on_encoded(job, std::move(*file));
                               };
                             });
  if (!queued) {
    finish(job, Outcome::kError,
           make_error(ErrorCode::kUnavailable, "no worker free to encode the voice note"));
  }
}

void TtsQueue::on_encoded(const JobPtr& job, Result<speech::VoiceNoteFile> file) {
  if (job->ended) {
    if (file.is_ok()) discard_voice_file(services_, file.value().path);
    finish(job, Outcome::kCancelled, std::nullopt);
    return;
  }
  if (!file.is_ok()) {
    finish(job, Outcome::kError, file.status());
    return;
  }
  const auto& f = file.value();
  telegram::SendOptions options;
  options.reply_to = job->req.answer_to;
  std::weak_ptr<int> alive = alive_;
  services_.transport.send_voice(job->req.chat,
                                 telegram::VoiceNote{f.path, f.duration_seconds, f.waveform},
                                 telegram::FormattedText(""), options,
                                 [this, alive, job, path = f.path,
                                  keep = keeps_voice_files(services_)](Result<MessageId> sent) {
                                   // Sent or not, the file has done its job (the transport has
                                   // uploaded it or given up).
                                   discard_voice_file(keep, path);
                                   if (alive.expired()) return;
                                   if (job->ended) {
                                     finish(job, Outcome::kCancelled, std::nullopt);
                                     return;
                                   }
                                   if (!sent.is_ok()) {
                                     finish(job, Outcome::kError, sent.status());
                                     return;
                                   }
                                   finish(job, Outcome::kOk, std::nullopt);
                                 });
}

void TtsQueue::finish(const JobPtr& job, Outcome outcome, std::optional<Status> error) {
  // Free the slot (a cancelled running job freed it already).
  for (auto& [name, lane] : lanes_) {
    auto it = std::find(lane.active.begin(), lane.active.end(), job);
    if (it != lane.active.end()) lane.active.erase(it);
  }
  const bool was_cancelled = job->ended && outcome == Outcome::kCancelled;
  job->ended = true;
  job->running = false;
  jobs_.erase(std::remove(jobs_.begin(), jobs_.end(), job), jobs_.end());
  if (!was_cancelled) {
    const auto status = outcome == Outcome::kOk      ? storage::JobStatus::kDone
                        : outcome == Outcome::kError ? storage::JobStatus::kFailed
                                                     : storage::JobStatus::kCancelled;
    if (job->store_id != 0)
      (void)services_.store.jobs().set_status(job->store_id, status, job->attempts);
    if (outcome == Outcome::kOk) {
      if (cleanup_) {
        std::vector<MessageId> ids;
        if (job->req.own_request) ids.push_back(job->req.request);
        if (job->status) ids.push_back(*job->status);
        if (!ids.empty())
          services_.transport.delete_messages(job->req.chat, ids, [](const Status&) {});
      } else if (job->status) {
        services_.transport.delete_messages(job->req.chat, {*job->status}, [](const Status&) {});
      }
      if (job->reply) job->reply->delivered(Outcome::kOk);
    } else if (outcome == Outcome::kError) {
      const Status e = error.value_or(make_error(ErrorCode::kInternal, "unknown"));
      services_.log.warn("tts", "voice note failed", {{"error", e.to_string()}});
      const std::string message =
          tts_error_text(services_, job->req.lang, e, job->req.engine, job->req.own_request);
      if (job->status) {
        set_status_text(job, message);
        if (job->reply) job->reply->delivered(Outcome::kError);
      } else if (job->reply) {
        job->reply->ok(telegram::FormattedText(message));
      } else {
        telegram::SendOptions options;
        options.reply_to = job->req.request;
        services_.transport.send_text(job->req.chat, telegram::FormattedText(message), options,
                                      [](const Result<MessageId>&) {});
      }
    }
    job->reply.reset();
  }
  pump();
  refresh_positions();
}

void TtsQueue::remove_waiting(const JobPtr& job) {
  Lane& lane = lane_for(job->req.engine);
  const std::int64_t user = job->req.user.value();
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

TtsQueue::JobPtr TtsQueue::find(ChatId chat, MessageId message) const {
  for (const auto& job : jobs_) {
    if (job->req.chat == chat && !job->ended &&
        (job->req.request == message || (job->status && *job->status == message))) {
      return job;
    }
  }
  return nullptr;
}

bool TtsQueue::cancel(ChatId chat, MessageId message, std::optional<UserId> user) {
  JobPtr job = find(chat, message);
  if (!job || (user && job->req.user != *user)) return false;
  cancel_job(job);
  return true;
}

void TtsQueue::cancel_job(const JobPtr& job) {
  const ChatId chat = job->req.chat;
  if (job->store_id != 0) {
    (void)services_.store.jobs().set_status(job->store_id, storage::JobStatus::kCancelled,
                                            job->attempts);
  }
  if (job->status) {
    if (job->cancelled_by_deletion) {
      set_status_text(job, tr(job, "tts.cancelled"));
    } else {
      services_.transport.delete_messages(chat, {*job->status}, [](const Status&) {});
    }
  }
  if (job->reply) job->reply->delivered(Outcome::kCancelled);
  job->reply.reset();
  job->ended = true;
  if (job->running) {
    // The engine stops (an HTTP request is aborted, a local synthesis stops at the next
    // sentence) and its late answer is dropped by on_audio(); the slot is free at once.
    if (job->cancel) job->cancel->cancel();
    services_.transport.send_chat_action(chat, telegram::ChatAction::kCancel);
    for (auto& [name, lane] : lanes_) {
      auto it = std::find(lane.active.begin(), lane.active.end(), job);
      if (it != lane.active.end()) lane.active.erase(it);
    }
  } else {
    remove_waiting(job);
  }
  jobs_.erase(std::remove(jobs_.begin(), jobs_.end(), job), jobs_.end());
  pump();
  refresh_positions();
}

void TtsQueue::on_messages_deleted(ChatId chat, const std::vector<MessageId>& ids) {
  for (const MessageId id : ids) {
    JobPtr job = find(chat, id);
    if (job && job->req.request == id) {
      job->cancelled_by_deletion = true;
      cancel_job(job);
    }
  }
}

void TtsQueue::refresh_positions() {
  for (const auto& [name, lane] : lanes_) {
    int position = 0;
    for (const JobPtr& job : projected(lane)) {
      ++position;
      if (job->shown_position == position) continue;
      job->shown_position = position;
      set_status_text(job, tr(job, "tts.queued", {{"position", std::to_string(position)}}));
    }
  }
}

void TtsQueue::set_status_text(const JobPtr& job, const std::string& text) {
  if (!job->status) return;
  services_.transport.edit_text(job->req.chat, *job->status, telegram::FormattedText(text),
                                [](const Status&) {});
}

std::string TtsQueue::voice_path(const JobPtr& job) {
  const std::string name = "tts-" + std::to_string(wall_ms_of(services_.clock)) + "-" +
                           std::to_string(job->req.chat.value()) + "-" +
                           std::to_string(next_file_++) + ".ogg";
  return voice_file(services_, name);
}

std::size_t TtsQueue::waiting() const {
  std::size_t n = 0;
  for (const auto& [name, lane] : lanes_) {
    for (const auto& [user, fifo] : lane.per_user)
      n += fifo.size();
  }
  return n;
}

std::size_t TtsQueue::running() const {
  std::size_t n = 0;
  for (const auto& [name, lane] : lanes_)
    n += lane.active.size();
  return n;
}

}  // namespace sakai::features
