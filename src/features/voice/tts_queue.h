#pragma once
// The TTS queue: every /tts request waits here for a free slot of its engine. The scheduling is
// the shared fair queue's (assistant/fair_queue.h), one lane per engine:
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
// What is the TTS queue's own: the engines, synthesis, the Opus encoding (on Services::workers,
// the process's worker pool), sending the voice note, and its texts.
// Thread-safety: event loop thread only.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ai/speech/tts.h"
#include "assistant/fair_queue.h"
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

class TtsQueue final : private assistant::FairQueue::Client {
 public:
  using Engines = std::vector<std::unique_ptr<ai::speech::TtsEngine>>;
  // `engines`: the default first (see ai::speech::make_tts_engines).
  TtsQueue(commands::Services& services, Engines engines);
  ~TtsQueue() override;
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

  // FairQueue::Client
  [[nodiscard]] std::string queued_text(const assistant::QueuedJob& job,
                                        int position) const override;
  [[nodiscard]] std::string running_text(const assistant::QueuedJob& job) const override;
  [[nodiscard]] std::string cancelled_text(const assistant::QueuedJob& job) const override;
  void start(const assistant::QueuedJobPtr& job) override;
  void stop(const assistant::QueuedJobPtr& job) override;
  [[nodiscard]] std::string payload(const assistant::QueuedJob& job) const override;
  assistant::QueuedJobPtr restore(const storage::ScheduledJob& row) override;

  ai::speech::TtsEngine* engine(const std::string& name) const;
  void on_audio(const JobPtr& job, Result<ai::speech::Pcm> pcm);
  void on_encoded(const JobPtr& job, Result<ai::speech::VoiceNoteFile> file);
  void finish(const JobPtr& job, commands::Outcome outcome, std::optional<Status> error);
  [[nodiscard]] std::string tr(const assistant::QueuedJob& job, std::string_view key,
                               std::initializer_list<TrArg> args = {}) const;
  [[nodiscard]] std::string voice_path(const JobPtr& job);

  commands::Services& services_;
  Engines engines_;
  bool cleanup_;
  std::uint64_t next_file_ = 1;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
  // Declared last: it goes first, while the engines it may still call back into are here.
  assistant::FairQueue queue_;
};

}  // namespace sakai::features
