#pragma once
// The image queue: every /imagine request waits here for a slot of its provider (the shared fair
// queue, assistant/fair_queue.h: one lane per provider, [image] concurrency each, round-robin
// between users, persisted as JobRepository rows of kind "image", resumed after a restart,
// cancelled by /cancel or by deleting the request). A started job:
//
//   enhance   the chat's LLM rewrites the prompt into a detailed English image prompt (unless
//             `raw`, [image] enhance = false or no LLM answers: then the prompt goes as written)
//   draw      the provider (or the chain) makes the images, within [image] timeout; its progress
//             (a model loading) shows in the status; a watchdog ends a call that outlives it
//   write     the checked images go to <data dir>/images (on the worker pool)
//   send      one photo, or an album for n > 1 (documents for what Telegram would refuse as a
//             photo), with a caption within the transport's caption limit
//
// The status message shows the position and the time waited, then the phase and the time taken
// (re-rendered every few seconds); it goes when the photos arrive, or becomes the error.
// Usage: the enhancement's tokens and the images (with their price) are recorded per user.
// Thread-safety: event loop thread only. Ownership: the feature's state owns it (made by its
// start hook, released by its stop hook); it owns the provider chain.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ai/image/image_chain.h"
#include "assistant/fair_queue.h"
#include "commands/reply.h"
#include "core/ids.h"

namespace sakai::commands {
struct Services;
}

namespace sakai::features {

// What one request asks for (stored as the job's payload).
struct ImageJobSpec {
  ChatId chat;
  UserId user;
  MessageId request;  // the command message: the status and the images answer it
  bool by_owner = false;
  std::string prompt;    // as the user wrote it
  std::string negative;  // "" for none
  std::string model;     // "" for the provider's default
  std::string provider;  // "" for the configured chain
  int width = 1024;
  int height = 1024;
  std::optional<std::int64_t> seed;
  int count = 1;
  bool enhance = true;
  std::string lang;
};

class ImageQueue final : private assistant::FairQueue::Client {
 public:
  // Requests one user may have waiting in one lane; more are refused.
  static constexpr std::size_t kMaxWaitingPerUser = 5;

  ImageQueue(commands::Services& services, std::unique_ptr<ai::image::ImageChain> chain);
  ~ImageQueue() override;
  ImageQueue(const ImageQueue&) = delete;
  ImageQueue& operator=(const ImageQueue&) = delete;

  [[nodiscard]] ai::image::ImageChain& chain() const { return *chain_; }
  // The lane `spec` waits in (its provider, or the chain).
  [[nodiscard]] std::string lane_of(const ImageJobSpec& spec) const;
  // Whether `user` has as many requests waiting in `lane` as one may.
  [[nodiscard]] bool full(UserId user, std::string_view lane) const;
  // Images `user` has asked for that are not made yet (waiting or being drawn).
  [[nodiscard]] std::int64_t pending_images(UserId user) const;

  // Queues a request; `reply` is answered when it ends.
  void submit(ImageJobSpec spec, std::optional<commands::Reply> reply);
  // Re-queues the stored requests that never finished. Returns how many.
  std::size_t resume();
  bool cancel(ChatId chat, MessageId message, std::optional<UserId> user = std::nullopt);
  void on_messages_deleted(ChatId chat, const std::vector<MessageId>& ids);

  [[nodiscard]] std::size_t waiting() const { return queue_.waiting(); }
  [[nodiscard]] std::size_t running() const { return queue_.running(); }

 private:
  struct Job;
  using JobPtr = std::shared_ptr<Job>;
  struct Written;

  // FairQueue::Client
  [[nodiscard]] std::string queued_text(const assistant::QueuedJob& job,
                                        int position) const override;
  [[nodiscard]] std::string running_text(const assistant::QueuedJob& job) const override;
  [[nodiscard]] std::string cancelled_text(const assistant::QueuedJob& job) const override;
  void start(const assistant::QueuedJobPtr& job) override;
  void stop(const assistant::QueuedJobPtr& job) override;
  [[nodiscard]] std::string payload(const assistant::QueuedJob& job) const override;
  assistant::QueuedJobPtr restore(const storage::ScheduledJob& row) override;

  void enhance(const JobPtr& job);
  void on_enhanced(const JobPtr& job, std::optional<std::string> prompt);
  void draw(const JobPtr& job);
  void on_drawn(const JobPtr& job, ai::ApiOutcome<ai::image::ImageResult> outcome);
  void write(const JobPtr& job, ai::image::ImageResult result);
  void send(const JobPtr& job, const std::shared_ptr<Written>& written);
  void send_documents(const JobPtr& job, const std::shared_ptr<Written>& written,
                      std::size_t index);
  void fail(const JobPtr& job, const std::string& text);
  void disarm(const JobPtr& job);
  void discard_files(const std::vector<std::string>& paths) const;
  [[nodiscard]] std::string tr(const assistant::QueuedJob& job, std::string_view key,
                               std::initializer_list<TrArg> args = {}) const;

  commands::Services& services_;
  std::unique_ptr<ai::image::ImageChain> chain_;
  Clock::Duration deadline_;
  bool enhance_default_;
  std::uint64_t next_file_ = 1;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
  // Declared last: it goes first, while the chain its jobs call into is still here.
  assistant::FairQueue queue_;
};

}  // namespace sakai::features
