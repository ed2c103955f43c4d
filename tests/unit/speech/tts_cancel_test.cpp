// Cancelling local text-to-speech: flite stops at the next sentence, espeak-ng at the next audio
// block, and local_tts() / the local engine answer kCancelled. Long texts are spoken sentence by
// sentence (flite) without losing any.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "ai/speech/local_tts.h"
#include "ai/speech/tts.h"
#include "core/clock.h"
#include "core/event_loop.h"
#include "core/worker_pool.h"

namespace sakai::ai::speech {
namespace {

using std::chrono::steady_clock;

std::string many_sentences(int n, const std::string& sentence) {
  std::string out;
  for (int i = 0; i < n; ++i)
    out += sentence + " ";
  return out;
}

// Times local_tts() on `text`; with `cancel_after`, the flag is raised that long after it starts.
struct Timed {
  Result<Pcm> result;
  steady_clock::duration took;
};
Timed timed_tts(const std::string& text, const std::string& voice,
                std::optional<std::chrono::milliseconds> cancel_after) {
  auto flag = std::make_shared<std::atomic<bool>>(false);
  TtsOptions options;
  options.voice = voice;
  if (cancel_after) options.cancel = flag;
  std::thread raiser;
  if (cancel_after) {
    raiser = std::thread([flag, d = *cancel_after] {
      std::this_thread::sleep_for(d);
      flag->store(true);
    });
  }
  const auto start = steady_clock::now();
  auto result = local_tts(text, options);
  const auto took = steady_clock::now() - start;
  if (raiser.joinable()) raiser.join();
  return Timed{std::move(result), took};
}

// A cancelled run; on a loaded machine (parallel tests, sanitizers) the thread that raises the
// flag can be scheduled late, so a run that overshoots `bound` is tried again, up to five times.
// Every run must still end cancelled.
Timed cut_short(const std::string& text, const std::string& voice,
                std::chrono::milliseconds cancel_after, steady_clock::duration bound) {
  Timed cut = timed_tts(text, voice, cancel_after);
  for (int attempt = 1; attempt < 5 && cut.took >= bound; ++attempt) {
    if (cut.result.is_ok()) break;  // not cancelled at all: let the caller report it
    cut = timed_tts(text, voice, cancel_after);
  }
  return cut;
}

TEST(TtsCancel, AFlagRaisedBeforehandStopsEveryVoice) {
  for (const char* voice : {"kal16", "slt", "fa", "ar"}) {
    TtsOptions options;
    options.voice = voice;
    options.cancel = std::make_shared<std::atomic<bool>>(true);
    auto r = local_tts(voice[0] == 'f' || voice[0] == 'a' ? "سلام دنیا" : "Hello world.", options);
    ASSERT_FALSE(r.is_ok()) << voice;
    EXPECT_EQ(r.status().code(), ErrorCode::kCancelled) << voice;
  }
}

// A long text: the whole synthesis takes a while; raised shortly after the start, the flag stops
// it after at most a sentence or two.
TEST(TtsCancel, FliteStopsBetweenSentences) {
  const std::string text =
      many_sentences(40, "The quick brown fox jumps over the lazy dog near the river bank.");
  const Timed full = timed_tts(text, "slt", std::nullopt);
  ASSERT_TRUE(full.result.is_ok()) << full.result.status().to_string();
  const Timed cut = cut_short(text, "slt", std::chrono::milliseconds(20), full.took / 4);
  ASSERT_FALSE(cut.result.is_ok());
  EXPECT_EQ(cut.result.status().code(), ErrorCode::kCancelled);
  EXPECT_LT(cut.took, full.took / 4)
      << "full " << std::chrono::duration<double>(full.took).count() << " s";
}

TEST(TtsCancel, EspeakStopsAtTheNextAudioBlock) {
  const std::string text = many_sentences(
      40,
      "سلام، امروز هوا خیلی خوب است و ما به پارک می‌رویم.");
  const Timed full = timed_tts(text, "fa", std::nullopt);
  ASSERT_TRUE(full.result.is_ok()) << full.result.status().to_string();
  const Timed cut = cut_short(text, "fa", std::chrono::milliseconds(10), full.took / 2);
  ASSERT_FALSE(cut.result.is_ok());
  EXPECT_EQ(cut.result.status().code(), ErrorCode::kCancelled);
  EXPECT_LT(cut.took, full.took / 2)
      << "full " << std::chrono::duration<double>(full.took).count() << " s";
}

// Sentence by sentence loses nothing: three sentences last about three times one.
TEST(TtsCancel, SentencesAreAllSpoken) {
  const std::string one = "We are going to the market.";
  auto single = local_tts(one, {.voice = "kal16"});
  auto triple = local_tts(one + " " + one + "\n" + one, {.voice = "kal16"});
  ASSERT_TRUE(single.is_ok());
  ASSERT_TRUE(triple.is_ok());
  const double ratio = triple->seconds() / single->seconds();
  EXPECT_GT(ratio, 2.7);
  EXPECT_LT(ratio, 3.3);
}

// The engine behind /tts: a cancelled synthesis answers kCancelled on the loop.
TEST(TtsCancel, TheLocalEngineAnswersCancelled) {
  SystemClock clock;
  EventLoop loop{clock};
  WorkerPool workers(1);
  auto engine = make_local_tts_engine(loop, workers);
  auto cancel = std::make_shared<SynthesisCancel>();
  std::optional<Result<Pcm>> got;
  engine->synthesize(
      many_sentences(40, "The quick brown fox jumps over the lazy dog."), "kal16", 1.0,
      [&](Result<Pcm> r) { got.emplace(std::move(r)); }, cancel);
  cancel->cancel();
  EXPECT_TRUE(cancel->cancelled());
  loop.run_until_idle();
  ASSERT_TRUE(got.has_value());
  ASSERT_FALSE(got->is_ok());
  EXPECT_EQ(got->status().code(), ErrorCode::kCancelled);

  // Hooks run once, at cancel() or at once when registered afterwards.
  int hooks = 0;
  auto token = std::make_shared<SynthesisCancel>();
  token->on_cancel([&hooks] { ++hooks; });
  token->cancel();
  token->cancel();
  token->on_cancel([&hooks] { ++hooks; });
  EXPECT_EQ(hooks, 2);
}

}  // namespace
}  // namespace sakai::ai::speech
