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

struct TtsQueue::Job : assistant::QueuedJob {
  TtsRequest req;
  // Set while the engine works on it; stop() raises it so the synthesis stops.
  speech::CancelToken cancel;
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
      cleanup_(services.config.get_bool("tts.cleanup")),
      queue_(
          services, *this,
          assistant::FairQueue::Options{
              "tts",
              [n = static_cast<std::size_t>(std::max<long long>(
                   1, services.config.get_int("tts.concurrency")))](std::string_view) { return n; },
              0, telegram::ChatAction::kRecordingVoice, Clock::Duration::zero()}) {
  // Voice notes of an earlier run that never got sent or removed (a crash, the console).
  if (const std::size_t n = sweep_voice_dir(services); n > 0)
    services.log.info("tts", "removed old voice files", {{"count", std::to_string(n)}});
}

// Requests still queued stay in the store for the next start (the fair queue ends their replies).
TtsQueue::~TtsQueue() = default;

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

std::string TtsQueue::tr(const assistant::QueuedJob& job, std::string_view key,
                         std::initializer_list<TrArg> args) const {
  return services_.i18n.tr(job.lang, key, args);
}

std::string TtsQueue::queued_text(const assistant::QueuedJob& job, int position) const {
  return tr(job, "tts.queued", {{"position", std::to_string(position)}});
}

std::string TtsQueue::running_text(const assistant::QueuedJob& job) const {
  return tr(job, "tts.working");
}

std::string TtsQueue::cancelled_text(const assistant::QueuedJob& job) const {
  return tr(job, "tts.cancelled");
}

void TtsQueue::submit(TtsRequest request, std::optional<Reply> reply) {
  auto job = std::make_shared<Job>();
  if (request.engine.empty()) request.engine = default_engine().name();
  job->chat = request.chat;
  job->user = request.user;
  job->request = request.request;
  job->lane = request.engine;
  job->lang = request.lang;
  job->req = std::move(request);
  queue_.submit(job, std::move(reply));
}

std::string TtsQueue::payload(const assistant::QueuedJob& queued) const {
  const auto& job = static_cast<const Job&>(queued);
  const json payload = {{"chat", job.req.chat.value()},
                        {"user", job.req.user.value()},
                        {"request", job.req.request.value()},
                        {"answer_to", job.req.answer_to.value()},
                        {"own", job.req.own_request},
                        {"status", job.status ? job.status->value() : 0},
                        {"text", job.req.text},
                        {"engine", job.req.engine},
                        {"voice", job.req.voice},
                        {"rate", job.req.rate},
                        {"lang", job.req.lang}};
  return payload.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::size_t TtsQueue::resume() {
  return queue_.resume();
}

assistant::QueuedJobPtr TtsQueue::restore(const storage::ScheduledJob& row) {
  const json p = json::parse(row.payload, nullptr, false);
  if (!p.is_object() || !p.contains("text")) return nullptr;
  auto job = std::make_shared<Job>();
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
  job->chat = job->req.chat;
  job->user = job->req.user;
  job->request = job->req.request;
  job->lane = job->req.engine;
  job->lang = job->req.lang;
  return job;
}

void TtsQueue::start(const assistant::QueuedJobPtr& queued) {
  auto job = std::static_pointer_cast<Job>(queued);
  speech::TtsEngine* e = engine(job->req.engine);
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

// A running request was cancelled: the engine stops (an HTTP request is aborted, a local
// synthesis stops at the next sentence) and its late answer is dropped by on_audio().
void TtsQueue::stop(const assistant::QueuedJobPtr& queued) {
  auto job = std::static_pointer_cast<Job>(queued);
  if (job->cancel) job->cancel->cancel();
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
  std::vector<MessageId> cleanup;  // besides the status message, once the voice note is out
  std::string error_text;
  const bool was_cancelled = job->ended && outcome == Outcome::kCancelled;
  if (!was_cancelled) {
    if (outcome == Outcome::kOk) {
      if (cleanup_ && job->req.own_request) cleanup.push_back(job->req.request);
    } else if (outcome == Outcome::kError) {
      const Status e = error.value_or(make_error(ErrorCode::kInternal, "unknown"));
      services_.log.warn("tts", "voice note failed", {{"error", e.to_string()}});
      const std::string message =
          tts_error_text(services_, job->req.lang, e, job->req.engine, job->req.own_request);
      error_text = message;
    }
  }
  // The shared queue frees the slot, answers and moves on.
  queue_.finish(job, outcome, error_text, std::move(cleanup));
}

bool TtsQueue::cancel(ChatId chat, MessageId message, std::optional<UserId> user) {
  return queue_.cancel(chat, message, user);
}

void TtsQueue::on_messages_deleted(ChatId chat, const std::vector<MessageId>& ids) {
  queue_.on_messages_deleted(chat, ids);
}

std::string TtsQueue::voice_path(const JobPtr& job) {
  const std::string name = "tts-" + std::to_string(wall_ms_of(services_.clock)) + "-" +
                           std::to_string(job->req.chat.value()) + "-" +
                           std::to_string(next_file_++) + ".ogg";
  return voice_file(services_, name);
}

std::size_t TtsQueue::waiting() const {
  return queue_.waiting();
}

std::size_t TtsQueue::running() const {
  return queue_.running();
}

}  // namespace sakai::features
