// /health checks what it reports: each line turns ❌ or ⚠️ when its part fails — the
// transport's connection, a write to storage (another connection holding the database's write
// lock), each AI provider's circuit breaker (a real ProviderChain over a failing provider), each
// cloud speech engine's circuit (through the voice feature), the worker pool (missing, filling up,
// full).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "ai/llm/provider_chain.h"
#include "support/temp_dir.h"
#include "unit/commands/engine_fixture.h"

namespace sakai::testing {
namespace {

using namespace std::chrono_literals;

// Waits (real time, up to 5 s) until `done`.
template <class F>
bool eventually(F done) {
  const auto limit = std::chrono::steady_clock::now() + 5s;
  while (!done()) {
    if (std::chrono::steady_clock::now() > limit) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

// Answers every call on the loop: with an error while `failing`, else with a text.
class SwitchableLlm final : public ai::LlmProvider {
 public:
  SwitchableLlm(EventLoop& loop, bool* failing) : loop_(loop), failing_(failing) {}
  std::string name() const override { return "gemini"; }
  std::string default_model() const override { return "gemini-2.5-flash"; }
  ai::ProviderCaps caps() const override { return {}; }
  ai::ChatHandle chat(ai::ChatRequest, ai::ChatDeltaCallback, ai::ChatDoneCallback done) override {
    const bool fail = *failing_;
    loop_.post([fail, done = std::move(done)] {
      if (fail) {
        ai::LlmError e;
        e.kind = ai::LlmErrorKind::kUnavailable;
        e.provider = "gemini";
        e.message = "503 overloaded";
        done(ai::ChatOutcome(std::move(e)));
        return;
      }
      ai::ChatResult r;
      r.text = "fine";
      r.provider = "gemini";
      done(ai::ChatOutcome(std::move(r)));
    });
    return {};
  }

 private:
  EventLoop& loop_;
  bool* failing_;
};

// A cloud TTS engine whose circuit state the test sets.
class CloudTts final : public ai::speech::TtsEngine {
 public:
  explicit CloudTts(std::optional<ServiceHealth>* health) : health_(health) {}
  std::string name() const override { return "openai"; }
  std::vector<ai::speech::TtsVoice> voices() const override { return {{"alloy", "", "test"}}; }
  std::string default_voice(std::string_view) const override { return "alloy"; }
  void synthesize(std::string, std::string, double, ai::speech::TtsDone done,
                  ai::speech::CancelToken) override {
    done(make_error(ErrorCode::kUnavailable, "not in this test"));
  }
  std::optional<ServiceHealth> health() const override { return *health_; }

 private:
  std::optional<ServiceHealth>* health_;
};

class HealthTest : public EngineTest {
 protected:
  void SetUp() override {
    tts_health_.emplace();
    tts_health_->kind = "tts";
    tts_health_->name = "openai";
    voice_options_.tts_engines = [this](commands::Services&) {
      features::VoiceOptions::TtsEngines engines;
      engines.push_back(std::make_unique<CloudTts>(&tts_health_));
      return engines;
    };
    EngineTest::SetUp();
  }
  // The lines of /health's answer.
  std::vector<std::string> health() {
    const auto before = sends();
    owner_says(owner_chat_, "/health");
    loop_.run_ready();
    EXPECT_EQ(sends(), before + 1);
    std::vector<std::string> lines;
    std::string line;
    for (const char c : last_sent() + "\n") {
      if (c == '\n') {
        lines.push_back(line);
        line.clear();
      } else {
        line += c;
      }
    }
    return lines;
  }
  // The line that starts with `start`, or "" (and a failure listing them all).
  static std::string line_of(const std::vector<std::string>& lines, const std::string& part) {
    for (const auto& l : lines) {
      if (l.find(part) != std::string::npos) return l;
    }
    std::string all;
    for (const auto& l : lines)
      all += l + "\n";
    ADD_FAILURE() << "no line with \"" << part << "\" in:\n" << all;
    return {};
  }

  std::optional<ServiceHealth> tts_health_;
};

TEST_F(HealthTest, EverythingWorkingIsAllGreen) {
  const auto lines = health();
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines[0], "Working, with warnings");  // the missing key below
  EXPECT_EQ(line_of(lines, "Messages flow"), "✅ Messages flow through memory");
  EXPECT_TRUE(line_of(lines, "Storage").starts_with("✅ Storage accepts writes (")) << lines[0];
  EXPECT_EQ(line_of(lines, "Text-to-speech"), "✅ Text-to-speech openai: working");
  EXPECT_EQ(line_of(lines, "Workers"), "✅ Workers: 0 of 2 busy, 0 waiting");
  // No key anywhere: said, but not a failure.
  EXPECT_EQ(line_of(lines, "AI provider"),
            "⚠️ No AI provider has a key yet: AI commands will not work");
}

// The disk line reads, now, the free space where SakaiBot keeps its files; a directory it cannot
// read is said, as a warning.
TEST_F(HealthTest, TheDiskLineShowsTheFreeSpaceWhereFilesAreKept) {
  const TempDir tmp("sakaibot-health-disk");
  services_->data_dir = tmp.path().string();
  auto lines = health();
  const std::string disk = line_of(lines, "Disk");
  // This machine's free space decides which of the two; either names an amount.
  EXPECT_TRUE(disk.starts_with("✅ Disk: ") || disk.starts_with("⚠️ Disk almost full: "))
      << disk;
  EXPECT_NE(disk.find_first_of("0123456789"), std::string::npos) << disk;
  EXPECT_NE(disk.find("B free"), std::string::npos) << disk;  // "12.3 GB free"

  owner_says(owner_chat_, "/lang fa");
  loop_.run_ready();
  lines = health();
  const std::string fa = line_of(lines, "دیسک");
  EXPECT_NE(fa.find("فضای خالی"), std::string::npos) << fa;
  EXPECT_EQ(fa.find_first_of("0123456789"), std::string::npos) << fa;  // Persian digits only
  owner_says(owner_chat_, "/lang en");
  loop_.run_ready();

  services_->data_dir = (tmp.path() / "gone").string();
  lines = health();
  EXPECT_TRUE(
      line_of(lines, "disk space").starts_with("⚠️ Free disk space could not be read: "));
}

TEST_F(HealthTest, TheTransportLineFollowsTheConnection) {
  transport_->set_connection_state(telegram::ConnectionState::kConnecting);
  auto lines = health();
  EXPECT_EQ(lines[0], "Working, with warnings");  // on its way
  EXPECT_EQ(line_of(lines, "memory"),
            "⚠️ Messages cannot flow through memory right now: connecting to Telegram");

  transport_->set_connection_state(telegram::ConnectionState::kWaitingForNetwork);
  lines = health();
  EXPECT_EQ(lines[0], "Something needs attention");
  EXPECT_EQ(line_of(lines, "memory"),
            "❌ Messages cannot flow through memory right now: waiting for the network");

  transport_->set_connection_state(telegram::ConnectionState::kLoggedOut);
  EXPECT_EQ(line_of(health(), "memory"),
            "❌ Messages cannot flow through memory right now: not logged in");

  transport_->set_connection_state(telegram::ConnectionState::kReady);
  EXPECT_EQ(line_of(health(), "memory"), "✅ Messages flow through memory");
}

TEST(HealthStorageTest, TheWriteCheckLeavesNothingBehind) {
  TempDir dir;
  ManualClock clock;
  auto store = storage::open_sqlite_store((dir.path() / "sakaibot.db").string(), clock);
  ASSERT_TRUE(store.is_ok()) << store.status().to_string();
  ASSERT_TRUE((*store)->ping().is_ok());
  ASSERT_TRUE((*store)->ping().is_ok());
  auto left = (*store)->settings().get(".write-check");
  ASSERT_TRUE(left.is_ok());
  EXPECT_FALSE(left->has_value());
}

class HealthStorageLineTest : public HealthTest {
 protected:
  void SetUp() override {
    path_ = (dir_.path() / "sakaibot.db").string();
    auto store = storage::open_sqlite_store(path_, clock_);
    ASSERT_TRUE(store.is_ok()) << store.status().to_string();
    store_ = std::move(store).value();
    HealthTest::SetUp();
  }
  TempDir dir_;
  std::string path_;
};

// Another connection holds the database file's write lock: SQLite waits its busy timeout (5 s),
// then the write check fails.
TEST_F(HealthStorageLineTest, AWriteLockHeldElsewhereTurnsTheStorageLineRed) {
  EXPECT_TRUE(line_of(health(), "Storage").starts_with("✅ Storage accepts writes"));
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr), SQLITE_OK);
  const auto lines = health();
  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
  EXPECT_EQ(lines[0], "Something needs attention");
  const std::string storage = line_of(lines, "Storage");
  EXPECT_TRUE(storage.starts_with("❌ Storage does not accept writes: ")) << storage;
  EXPECT_NE(storage.find("locked"), std::string::npos) << storage;
}

TEST_F(HealthTest, EachAiProviderShowsItsCircuit) {
  bool failing = true;
  std::vector<std::unique_ptr<ai::LlmProvider>> members;
  members.push_back(std::make_unique<SwitchableLlm>(loop_, &failing));
  ai::ChainOptions options;
  options.backoff.max_attempts = 1;
  ai::ProviderChain chain(std::move(members), loop_, options);
  services_->llm = &chain;
  auto ask = [&] {
    chain.chat(ai::ChatRequest{}, nullptr, [](ai::ChatOutcome) {});
    loop_.run_ready();
  };

  EXPECT_EQ(line_of(health(), "gemini"), "✅ AI gemini: working");
  ask();
  ask();
  EXPECT_EQ(line_of(health(), "gemini"), "⚠️ AI gemini: 2 errors in a row just now");
  for (int i = 0; i < 3; ++i)
    ask();
  auto lines = health();
  EXPECT_EQ(lines[0], "Something needs attention");
  EXPECT_EQ(line_of(lines, "gemini"), "❌ AI gemini: paused for 30 seconds after 5 errors in a row");
  clock_.advance(31s);
  EXPECT_EQ(line_of(health(), "gemini"),
            "⚠️ AI gemini: failed repeatedly; the next request tries it again");
  failing = false;
  ask();
  EXPECT_EQ(line_of(health(), "gemini"), "✅ AI gemini: working");
}

TEST_F(HealthTest, EachCloudSpeechEngineShowsItsCircuit) {
  tts_health_->consecutive_failures = 1;
  EXPECT_EQ(line_of(health(), "Text-to-speech"),
            "⚠️ Text-to-speech openai: 1 error in a row just now");
  tts_health_->circuit = ServiceHealth::Circuit::kOpen;
  tts_health_->consecutive_failures = 6;
  const auto lines = health();
  EXPECT_EQ(lines[0], "Something needs attention");
  EXPECT_EQ(line_of(lines, "Text-to-speech"),
            "❌ Text-to-speech openai: failing (6 errors in a row)");
  tts_health_->circuit = ServiceHealth::Circuit::kHalfOpen;
  EXPECT_EQ(line_of(health(), "Text-to-speech"),
            "⚠️ Text-to-speech openai: failed repeatedly; the next request tries it again");
}

TEST_F(HealthTest, TheWorkerLineCountsThreadsAndQueue) {
  services_->workers = nullptr;
  auto lines = health();
  EXPECT_EQ(lines[0], "Something needs attention");
  EXPECT_EQ(line_of(lines, "worker"), "❌ No worker pool: voice notes and images cannot be made");

  // One thread, held busy; room for four jobs to wait.
  WorkerPool pool(1, 4);
  services_->workers = &pool;
  std::mutex mu;
  std::condition_variable cv;
  bool release = false;
  auto held = [&] {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return release; });
  };
  ASSERT_TRUE(pool.submit(held));
  ASSERT_TRUE(eventually([&] { return pool.running() == 1; }));
  EXPECT_EQ(line_of(health(), "Workers"), "✅ Workers: 1 of 1 busy, 0 waiting");
  ASSERT_TRUE(pool.submit([] {}));
  ASSERT_TRUE(pool.submit([] {}));
  EXPECT_EQ(line_of(health(), "Workers"),
            "⚠️ Workers: 1 of 1 busy, 2 waiting: voice and image jobs are slow");
  ASSERT_TRUE(pool.submit([] {}));
  ASSERT_TRUE(pool.submit([] {}));
  EXPECT_FALSE(pool.submit([] {}));  // full
  lines = health();
  EXPECT_EQ(lines[0], "Something needs attention");
  EXPECT_EQ(line_of(lines, "Workers"),
            "❌ Workers: the queue is full (4 waiting): new voice and image jobs are refused");
  {
    std::lock_guard lock(mu);
    release = true;
  }
  cv.notify_all();
  ASSERT_TRUE(eventually([&] { return pool.queued() == 0 && pool.running() == 0; }));
  EXPECT_EQ(line_of(health(), "Workers"), "✅ Workers: 0 of 1 busy, 0 waiting");
}

}  // namespace
}  // namespace sakai::testing
