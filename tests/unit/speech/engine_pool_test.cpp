// The local speech engines run their CPU work on the process's core::WorkerPool: no thread per
// request, and a full queue is a clear "busy" answer on the loop instead of a new thread.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "ai/speech/stt.h"
#include "ai/speech/tts.h"
#include "core/clock.h"
#include "core/event_loop.h"
#include "core/worker_pool.h"
#include "support/run_loop.h"

namespace sakai::ai::speech {
namespace {

using namespace std::chrono_literals;

// Holds the pool's only thread until release(): a job that is running, not queued.
class Blocker {
 public:
  explicit Blocker(WorkerPool& pool) {
    EXPECT_TRUE(pool.submit([this] {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return released_; });
    }));
    for (int i = 0; pool.running() == 0 && i < 2000; ++i)
      std::this_thread::sleep_for(1ms);
    EXPECT_EQ(pool.running(), 1u);
  }
  ~Blocker() { release(); }
  void release() {
    {
      std::lock_guard lock(mu_);
      released_ = true;
    }
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool released_ = false;
};

AudioClip decoded_silence() {
  AudioClip clip;
  clip.format = AudioFormat::kWav;
  clip.pcm = Pcm{};
  clip.pcm->sample_rate = 16000;
  clip.pcm->samples.assign(8000, 0);
  return clip;
}

TEST(SpeechOnThePool, ManyTranscriptionsShareTheOnePoolThread) {
  SystemClock clock;
  EventLoop loop(clock);
  WorkerPool workers(1);
  // No model there: every job fails fast, off the loop, with kUnavailable.
  auto engine = make_local_stt_engine(loop, workers, "/nonexistent/model");
  std::vector<SttOutcome> outs;
  for (int i = 0; i < 5; ++i)
    engine->transcribe(decoded_silence(), "en",
                       [&](SttOutcome o) { outs.push_back(std::move(o)); });
  EXPECT_TRUE(outs.empty()) << "never answered inside the call";
  sakai::testing::run_until_idle_or_timeout(loop, 10000ms);
  ASSERT_EQ(outs.size(), 5u);
  for (const auto& o : outs)
    EXPECT_EQ(o.error.kind, SttErrorKind::kUnavailable) << o.error.detail;
  EXPECT_EQ(workers.started_threads(), 1u);
}

TEST(SpeechOnThePool, AFullQueueAnswersBusyOnTheLoop) {
  SystemClock clock;
  EventLoop loop(clock);
  WorkerPool workers(1, 1);  // one thread, one queued job
  auto stt = make_local_stt_engine(loop, workers, "/nonexistent/model");
  auto tts = make_local_tts_engine(loop, workers);
  Blocker blocker(workers);

  std::vector<SttOutcome> heard;
  std::optional<Result<Pcm>> spoken;
  stt->transcribe(decoded_silence(), "en", [&](SttOutcome o) { heard.push_back(std::move(o)); });
  // The queue is full now: both engines refuse, and say so on the loop, not inside the call.
  stt->transcribe(decoded_silence(), "en", [&](SttOutcome o) { heard.push_back(std::move(o)); });
  tts->synthesize(
      "Hello there.", "kal16", 1.0, [&](Result<Pcm> r) { spoken.emplace(std::move(r)); }, nullptr);
  EXPECT_TRUE(heard.empty());
  EXPECT_FALSE(spoken.has_value());
  loop.run_ready();
  ASSERT_EQ(heard.size(), 1u);
  EXPECT_EQ(heard[0].error.kind, SttErrorKind::kBusy);
  EXPECT_NE(heard[0].error.detail.find("too many"), std::string::npos) << heard[0].error.detail;
  ASSERT_TRUE(spoken.has_value());
  ASSERT_FALSE(spoken->is_ok());
  EXPECT_EQ(spoken->status().code(), ErrorCode::kUnavailable);

  // Once the thread is free, the queued transcription runs and answers too.
  blocker.release();
  sakai::testing::run_until_idle_or_timeout(loop, 10000ms);
  ASSERT_EQ(heard.size(), 2u);
  EXPECT_EQ(heard[1].error.kind, SttErrorKind::kUnavailable);
  EXPECT_EQ(heard[1].error.detail.find("too many"), std::string::npos) << "the model is missing";
}

TEST(SpeechOnThePool, LocalSynthesisRunsOnThePoolAndAnswersOnTheLoop) {
  SystemClock clock;
  EventLoop loop(clock);
  WorkerPool workers(1);
  auto tts = make_local_tts_engine(loop, workers);
  const auto loop_thread = std::this_thread::get_id();
  std::vector<std::thread::id> answered_on;
  std::vector<double> seconds;
  for (int i = 0; i < 3; ++i) {
    tts->synthesize(
        "Good morning.", "kal16", 1.0,
        [&](Result<Pcm> r) {
          answered_on.push_back(std::this_thread::get_id());
          ASSERT_TRUE(r.is_ok()) << r.status().to_string();
          seconds.push_back(r->seconds());
        },
        nullptr);
  }
  sakai::testing::run_until_idle_or_timeout(loop, 20000ms);
  ASSERT_EQ(seconds.size(), 3u);
  for (const auto id : answered_on)
    EXPECT_EQ(id, loop_thread);
  for (const double s : seconds)
    EXPECT_GT(s, 0.3);
  EXPECT_EQ(workers.started_threads(), 1u);
}

}  // namespace
}  // namespace sakai::ai::speech
