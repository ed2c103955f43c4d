#pragma once
// The TTS queue: every /tts request waits here for a free slot of its engine.
//
// - Bounded concurrency per engine ([tts] concurrency, default 1).
// - Fair between users: round-robin across the users with waiting requests, FIFO per user.
// - The requester sees a status message ("#3 in queue") that is edited as the queue moves, and
//   "recording" (plus the chat action) while the voice note is made.
// - Cancel: /cancel in reply to the request or its status, or deleting the request message.
// - Persistent: each request is a JobRepository row (kind "tts", JSON payload), so queued and
//   interrupted requests are re-queued by resume() after a restart.
// - Clean-up ([tts] cleanup): once the voice note is sent, the owner's own command message and
//   the status message are deleted.
// Thread-safety: event loop thread only (synthesis runs in the engine; the Opus encoding on
// Services::workers, the process's worker pool).
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ai/speech/tts.h"
#include "commands/reply.h"
#include "core/ids.h"

namespace sakai::commands {
struct Services;
}

namespace sakai::features {

struct TtsRequest {
  ChatId chat;
  UserId user;
  MessageId request;         // the command message (the voice note answers it)
  MessageId answer_to;       // what the voice note replies to (the request, or what it quoted)
  bool own_request = false;  // the owner's account sent it (clean-up may delete it)
  std::string text;
  std::string engine;  // an engine name
  std::string voice;
  double rate = 1.0;
  std::string lang;  // language of the status texts
};

class TtsQueue {
 public:
  using Engines = std::vector<std::unique_ptr<ai::speech::TtsEngine>>;
  // `engines`: the default first (see ai::speech::make_tts_engines).
  TtsQueue(commands::Services& services, Engines engines);
  ~TtsQueue();
  TtsQueue(const TtsQueue&) = delete;
  TtsQueue& operator=(const TtsQueue&) = delete;

  [[nodiscard]] const Engines& engines() const { return engines_; }
  [[nodiscard]] ai::speech::TtsEngine& default_engine() const { return *engines_.front(); }
  // The engine that offers `voice` (case-insensitive; the default engine first), and the
  // voice's canonical spelling.
  [[nodiscard]] std::optional<std::pair<ai::speech::TtsEngine*, std::string>> find_voice(
      std::string_view voice) const;

  // Queues a request; `reply` (absent for resumed jobs) is answered when it ends.
  void submit(TtsRequest request, std::optional<commands::Reply> reply);
  // Re-queues the stored requests that never finished. Returns how many.
  std::size_t resume();
  // Cancels the request whose command or status message is `message` (only `user`'s requests
  // when given). False when none.
  bool cancel(ChatId chat, MessageId message, std::optional<UserId> user = std::nullopt);
  // Deleted command messages cancel their requests.
  void on_messages_deleted(ChatId chat, const std::vector<MessageId>& ids);

  [[nodiscard]] std::size_t waiting() const;
  [[nodiscard]] std::size_t running() const;

 private:
  struct Job;
  using JobPtr = std::shared_ptr<Job>;
  struct Lane {
    std::map<std::int64_t, std::deque<JobPtr>> per_user;  // FIFO per user
    std::deque<std::int64_t> rotation;                    // users with waiting jobs, next first
    std::vector<JobPtr> active;
  };

  void enqueue(const JobPtr& job);
  Lane& lane_for(const std::string& engine);
  ai::speech::TtsEngine* engine(const std::string& name) const;
  void pump();
  void start(const std::string& engine_name, const JobPtr& job);
  [[nodiscard]] std::vector<JobPtr> projected(const Lane& lane) const;
  void refresh_positions();
  void persist(const JobPtr& job);
  void keep_recording(const JobPtr& job);
  void on_audio(const JobPtr& job, Result<ai::speech::Pcm> pcm);
  void on_encoded(const JobPtr& job, Result<ai::speech::VoiceNoteFile> file);
  void finish(const JobPtr& job, commands::Outcome outcome, std::optional<Status> error);
  void remove_waiting(const JobPtr& job);
  void set_status_text(const JobPtr& job, const std::string& text);
  [[nodiscard]] std::string tr(const JobPtr& job, std::string_view key,
                               std::initializer_list<TrArg> args = {}) const;
  [[nodiscard]] std::string voice_path(const JobPtr& job);
  [[nodiscard]] JobPtr find(ChatId chat, MessageId message) const;
  void cancel_job(const JobPtr& job);

  commands::Services& services_;
  Engines engines_;
  std::map<std::string, Lane, std::less<>> lanes_;
  std::vector<JobPtr> jobs_;  // every job not yet finished, in submission order
  std::size_t concurrency_;
  bool cleanup_;
  std::uint64_t next_file_ = 1;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
};

}  // namespace sakai::features
