// The TTS queue: order, fairness, the concurrency bound, cancel (command and deletion),
// survival across a restart and the clean-up after a voice note, over a scripted engine that the
// voice feature's start hook puts in its queue.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "features/voice/tts_queue.h"
#include "features/voice/voice_feature.h"
#include "support/temp_dir.h"
#include "unit/commands/engine_fixture.h"

namespace sakai::testing {
namespace {

using ai::speech::Pcm;
using ai::speech::TtsDone;

// Holds every call until the test completes it.
class ScriptedTts final : public ai::speech::TtsEngine {
 public:
  struct Call {
    std::string text, voice;
    double rate = 1.0;
    TtsDone done;
    ai::speech::CancelToken cancel;
  };
  std::string name() const override { return "scripted"; }
  std::vector<ai::speech::TtsVoice> voices() const override {
    return {{"alpha", "en", "test"}, {"beta", "fa", "test"}};
  }
  std::string default_voice(std::string_view) const override { return "alpha"; }
  void synthesize(std::string text, std::string voice, double rate, TtsDone done,
                  ai::speech::CancelToken cancel) override {
    calls.push_back(Call{std::move(text), std::move(voice), rate, std::move(done), cancel});
    ++*started;
  }
  std::vector<Call> calls;
  std::shared_ptr<int> started = std::make_shared<int>(0);
};

Pcm tone() {
  Pcm pcm;
  pcm.sample_rate = 16000;
  for (int i = 0; i < 8000; ++i)
    pcm.samples.push_back(static_cast<int16_t>(6000 * std::sin(i * 0.2)));
  return pcm;
}

// The voice feature with one scripted engine, made anew at each start of the engine; `*engine`
// is the latest.
features::VoiceOptions scripted_voice(ScriptedTts** engine) {
  features::VoiceOptions options;
  options.tts_engines = [engine](commands::Services&) {
    auto made = std::make_unique<ScriptedTts>();
    *engine = made.get();
    features::VoiceOptions::TtsEngines engines;
    engines.push_back(std::move(made));
    return engines;
  };
  return options;
}

class TtsQueueTest : public EngineTest {
 protected:
  void SetUp() override {
    dir_ = tmp_.path();
    config_.set("data.dir", dir_.string(), "test");
    voice_options_ = scripted_voice(&engine_);
    EngineTest::SetUp();
    bob_ = transport_->add_user("Bob", "bob");
  }
  // Finishes the engine call `i` successfully and lets the voice note go out.
  void complete(std::size_t i) {
    ASSERT_LT(i, engine_->calls.size());
    auto done = std::move(engine_->calls[i].done);
    done(tone());
    loop_.run_until_idle();
  }
  void fail(std::size_t i, Status error) {
    auto done = std::move(engine_->calls[i].done);
    done(std::move(error));
    loop_.run_until_idle();
  }
  // A friend with a grant for /tts asks in their private chat.
  MessageId friend_says(UserId user, const std::string& text) {
    grant(user, "*", storage::GrantMode::kDirect);
    const auto id = transport_->receive(ChatId(user.value()), user, text);
    loop_.run_until_idle();
    return id;
  }
  std::vector<std::string> spoken() const {
    std::vector<std::string> out;
    for (const auto& c : engine_->calls)
      out.push_back(c.text);
    return out;
  }
  // The requests the queue holds, as stored (what a restart would re-queue): waiting, and being
  // spoken.
  std::size_t stored(storage::JobStatus status) const {
    const auto jobs = store_->jobs().pending("tts");
    EXPECT_TRUE(jobs.is_ok());
    if (!jobs.is_ok()) return 0;
    return static_cast<std::size_t>(
        std::count_if(jobs->begin(), jobs->end(),
                      [&](const storage::ScheduledJob& j) { return j.status == status; }));
  }
  std::size_t waiting() const { return stored(storage::JobStatus::kPending); }
  std::size_t running() const { return stored(storage::JobStatus::kRunning); }
  std::vector<telegram::TransportAction> actions(const std::string& kind) const {
    std::vector<telegram::TransportAction> out;
    for (const auto& a : transport_->actions()) {
      if (a.kind == kind) out.push_back(a);
    }
    return out;
  }
  std::vector<std::string> edits() const {
    std::vector<std::string> out;
    for (const auto& a : actions("edit"))
      out.push_back(a.text.text);
    return out;
  }

  TempDir tmp_{"sakaibot-tts-test"};
  std::filesystem::path dir_;
  UserId bob_;
  ScriptedTts* engine_ = nullptr;
};

TEST_F(TtsQueueTest, OneAtATimeInOrderWithPositions) {
  owner_says(owner_chat_, "/tts one");
  owner_says(owner_chat_, "/tts two");
  owner_says(owner_chat_, "/tts three");
  loop_.run_until_idle();
  ASSERT_EQ(spoken(), (std::vector<std::string>{"one"}));  // concurrency 1
  const auto statuses = sent_texts();
  ASSERT_EQ(statuses.size(), 3u);
  EXPECT_EQ(statuses[0], "🎙 Recording a voice note…");
  EXPECT_EQ(statuses[1], "🕒 #1 in queue");
  EXPECT_EQ(statuses[2], "🕒 #2 in queue");
  complete(0);
  ASSERT_EQ(spoken(), (std::vector<std::string>{"one", "two"}));
  complete(1);
  complete(2);
  EXPECT_EQ(spoken(), (std::vector<std::string>{"one", "two", "three"}));
  EXPECT_EQ(actions("voice").size(), 3u);
  // "three" moved from #2 to #1 and then started.
  const auto e = edits();
  EXPECT_NE(std::find(e.begin(), e.end(), "🕒 #1 in queue"), e.end());
  EXPECT_EQ(waiting(), 0u);
  EXPECT_EQ(running(), 0u);
  // Each voice note was made under <data.dir>/voice and removed once sent.
  for (const auto& v : actions("voice")) {
    EXPECT_EQ(std::filesystem::path(v.path).parent_path(), dir_ / "voice");
    EXPECT_FALSE(std::filesystem::exists(v.path)) << v.path;
  }
}

TEST_F(TtsQueueTest, FairBetweenUsers) {
  friend_says(ali_, "/tts a1");  // starts at once
  friend_says(ali_, "/tts a2");
  friend_says(ali_, "/tts a3");
  friend_says(bob_, "/tts b1");
  friend_says(bob_, "/tts b2");
  for (std::size_t i = 0; i < 5; ++i)
    complete(i);
  EXPECT_EQ(spoken(), (std::vector<std::string>{"a1", "a2", "b1", "a3", "b2"}));
}

TEST_F(TtsQueueTest, ConcurrencyBound) {
  config_.set("tts.concurrency", "2", "test");
  restart_engine();  // the queue reads its settings when it is made
  for (int i = 0; i < 5; ++i)
    owner_says(owner_chat_, "/tts t" + std::to_string(i));
  loop_.run_until_idle();
  EXPECT_EQ(engine_->calls.size(), 2u);
  EXPECT_EQ(running(), 2u);
  EXPECT_EQ(waiting(), 3u);
  complete(1);
  EXPECT_EQ(engine_->calls.size(), 3u);
  EXPECT_EQ(running(), 2u);
}

TEST_F(TtsQueueTest, CancelByCommandOnTheRequestOrTheStatus) {
  owner_says(owner_chat_, "/tts first");
  const auto second = owner_says(owner_chat_, "/tts second");
  const auto third = owner_says(owner_chat_, "/tts third");
  loop_.run_until_idle();
  owner_says(owner_chat_, "/cancel", second);
  EXPECT_EQ(last_sent(), "Cancelled.");
  // The status message of "third" (the answer to it) also works.
  std::optional<MessageId> third_status;
  for (const auto& a : actions("send")) {
    if (a.reply_to == third) third_status = a.message;
  }
  ASSERT_TRUE(third_status);
  owner_says(owner_chat_, "/cancel", *third_status);
  EXPECT_EQ(waiting(), 0u);
  complete(0);
  EXPECT_EQ(spoken(), (std::vector<std::string>{"first"}));
  EXPECT_EQ(actions("voice").size(), 1u);
  owner_says(owner_chat_, "/cancel", second);
  EXPECT_EQ(last_sent(), "⚠️ There is nothing queued for that message.");
}

TEST_F(TtsQueueTest, CancelByDeletingTheRequest) {
  owner_says(owner_chat_, "/tts first");
  const auto second = owner_says(owner_chat_, "/tts second");
  loop_.run_until_idle();
  // The owner deletes the request (in Telegram): the update reaches the queue.
  transport_->delete_messages(owner_chat_, {second}, [](const Status&) {});
  router_->on_messages_deleted(owner_chat_, {second});
  loop_.run_until_idle();
  EXPECT_EQ(waiting(), 0u);
  complete(0);
  EXPECT_EQ(spoken(), (std::vector<std::string>{"first"}));
  // A running request deleted mid-synthesis sends nothing.
  const auto third = owner_says(owner_chat_, "/tts third");
  loop_.run_until_idle();
  ASSERT_EQ(engine_->calls.size(), 2u);
  router_->on_messages_deleted(owner_chat_, {third});
  complete(1);
  EXPECT_EQ(actions("voice").size(), 1u);
  EXPECT_EQ(running(), 0u);
}

TEST_F(TtsQueueTest, CleanupDeletesCommandAndStatusAfterTheVoiceNote) {
  const auto req = owner_says(owner_chat_, "/tts hello");
  loop_.run_until_idle();
  complete(0);
  const auto voices = actions("voice");
  ASSERT_EQ(voices.size(), 1u);
  EXPECT_EQ(voices[0].reply_to, req);
  const auto deletes = actions("delete");
  ASSERT_EQ(deletes.size(), 1u);
  ASSERT_EQ(deletes[0].messages.size(), 2u);
  EXPECT_EQ(deletes[0].messages[0], req);
  auto chat_actions = actions("chat_action");
  ASSERT_FALSE(chat_actions.empty());
  EXPECT_EQ(chat_actions[0].detail, "recording_voice");
  // A friend's message is not the owner's to delete: only the status goes.
  friend_says(ali_, "/tts hi");
  complete(1);
  const auto d2 = actions("delete");
  ASSERT_EQ(d2.size(), 2u);
  EXPECT_EQ(d2[1].messages.size(), 1u);
}

TEST_F(TtsQueueTest, CleanupOffKeepsTheCommand) {
  config_.set("tts.cleanup", "false", "test");
  restart_engine();  // the queue reads its settings when it is made
  const auto req = owner_says(owner_chat_, "/tts hello");
  complete(0);
  const auto deletes = actions("delete");
  ASSERT_EQ(deletes.size(), 1u);  // the status only
  EXPECT_NE(deletes[0].messages[0], req);
}

TEST_F(TtsQueueTest, ErrorsAreLocalisedInTheStatus) {
  owner_says(owner_chat_, "/tts hello");
  fail(0, make_error(ErrorCode::kRateLimited, "429"));
  ASSERT_FALSE(edits().empty());
  EXPECT_EQ(edits().back(),
            "The text-to-speech service is busy (rate limit). Try again in a minute.");
  EXPECT_TRUE(actions("voice").empty());
}

TEST_F(TtsQueueTest, VoiceAndRateReachTheEngine) {
  owner_says(owner_chat_, "/tts voice=BETA rate=1.5 salaam");
  ASSERT_EQ(engine_->calls.size(), 1u);
  EXPECT_EQ(engine_->calls[0].voice, "beta");
  EXPECT_DOUBLE_EQ(engine_->calls[0].rate, 1.5);
  // As a reply: the replied text is spoken.
  const auto quoted = transport_->receive(owner_chat_, ali_, "read me aloud");
  loop_.run_until_idle();
  owner_says(owner_chat_, "/speak", quoted);
  complete(0);
  ASSERT_EQ(engine_->calls.size(), 2u);
  EXPECT_EQ(engine_->calls[1].text, "read me aloud");
}

// /cancel on a request that is being spoken: the engine is told to stop (its token is raised),
// the next request starts at once without waiting for the engine, the user reads "Cancelled."
// and nothing is sent even if the engine still answers.
TEST_F(TtsQueueTest, CancellingARunningRequestStopsTheEngineAndFreesTheSlot) {
  const auto first = owner_says(owner_chat_, "/tts first");
  owner_says(owner_chat_, "/tts second");
  loop_.run_until_idle();
  ASSERT_EQ(engine_->calls.size(), 1u);
  ASSERT_TRUE(engine_->calls[0].cancel);
  EXPECT_FALSE(engine_->calls[0].cancel->cancelled());

  owner_says(owner_chat_, "/cancel", first);
  loop_.run_until_idle();
  EXPECT_TRUE(engine_->calls[0].cancel->cancelled());
  EXPECT_EQ(last_sent(), "Cancelled.");
  ASSERT_EQ(spoken(), (std::vector<std::string>{"first", "second"}));  // started at once
  EXPECT_EQ(running(), 1u);

  // The engine stops with kCancelled (or answers anyway): no voice note either way.
  fail(0, make_error(ErrorCode::kCancelled, "tts: cancelled"));
  EXPECT_TRUE(actions("voice").empty());
  EXPECT_EQ(running(), 1u);
  complete(1);
  const auto voices = actions("voice");
  ASSERT_EQ(voices.size(), 1u);
  EXPECT_NE(voices[0].reply_to, first);
  EXPECT_EQ(running(), 0u);
  // The stored job is cancelled, not re-queued on the next start.
  EXPECT_TRUE(store_->jobs().pending("tts").value().empty());
}

// Deleting the request while it is being spoken: the same, and the status message (which stays)
// says the request was cancelled, in the requester's language.
TEST_F(TtsQueueTest, DeletingARunningRequestStopsItAndSaysSo) {
  ASSERT_TRUE(store_->preferences().set(ali_, "language", "fa").is_ok());
  const auto request = friend_says(ali_, "/tts salaam");
  friend_says(ali_, "/tts next");
  ASSERT_EQ(engine_->calls.size(), 1u);
  router_->on_messages_deleted(ChatId(ali_.value()), {request});
  loop_.run_until_idle();
  EXPECT_TRUE(engine_->calls[0].cancel->cancelled());
  ASSERT_EQ(engine_->calls.size(), 2u);  // the slot went to the next request at once
  std::optional<MessageId> status;
  for (const auto& a : actions("send")) {
    if (a.reply_to == request) status = a.message;
  }
  ASSERT_TRUE(status);
  std::string last_status_text;
  for (const auto& a : actions("edit")) {
    if (a.message == *status) last_status_text = a.text.text;
  }
  EXPECT_EQ(last_status_text, i18n_.tr("fa", "tts.cancelled"));
  EXPECT_NE(last_status_text, i18n_.tr("en", "tts.cancelled"));
  for (const auto& d : actions("delete"))  // the status stays, to be read
    EXPECT_EQ(std::find(d.messages.begin(), d.messages.end(), *status), d.messages.end());
  complete(0);  // a late answer is dropped
  EXPECT_TRUE(actions("voice").empty());
}

// On start, voice files older than an hour in <data.dir>/voice go; newer ones stay.
TEST_F(TtsQueueTest, OldVoiceFilesAreSweptOnStart) {
  namespace fs = std::filesystem;
  const fs::path voice = dir_ / "voice";
  fs::create_directories(voice);
  const fs::path old_file = voice / "tts-old.ogg";
  const fs::path new_file = voice / "tts-new.ogg";
  std::ofstream(old_file) << "old";
  std::ofstream(new_file) << "new";
  fs::last_write_time(old_file, fs::file_time_type::clock::now() - std::chrono::hours(2));
  fs::last_write_time(new_file, fs::file_time_type::clock::now() - std::chrono::minutes(30));
  restart_engine();  // a start
  EXPECT_FALSE(fs::exists(old_file));
  EXPECT_TRUE(fs::exists(new_file));
}

// The console chat keeps its voice notes: there the file is the voice note, to be played.
TEST_F(TtsQueueTest, TheConsoleKeepsItsVoiceFiles) {
  transport_->set_keeps_sent_files(true);  // as the console's transport does
  owner_says(owner_chat_, "/tts hello");
  complete(0);
  const auto voices = actions("voice");
  ASSERT_EQ(voices.size(), 1u);
  EXPECT_TRUE(std::filesystem::exists(voices[0].path)) << voices[0].path;
}

TEST(TtsQueueRestart, QueuedRequestsSurviveARestart) {
  const TempDir tmp("sakaibot-tts-restart");
  const auto& dir = tmp.path();
  const std::string db = (dir / "bot.db").string();
  ManualClock clock;
  EventLoop loop{clock};
  std::ostringstream sink;
  Logger log{LogLevel::kDebug, LogFormat::kHuman, sink, clock};
  Config config;
  config.set("data.dir", dir.string(), "test");
  I18n i18n = I18n::from_embedded().value();
  WorkerPool workers(1);
  ScriptedTts* e = nullptr;
  commands::Registry registry;
  ASSERT_TRUE(features::install_voice_feature_with(registry, scripted_voice(&e)).is_ok());
  telegram::MemoryTransport transport(loop);
  std::vector<MessageId> requests;
  {  // First run: three requests, the first one interrupted mid-synthesis.
    auto store = storage::open_sqlite_store(db, clock).value();
    commands::Services services{transport, *store,   i18n,   config,   log,        loop,
                                clock,     registry, "test", "memory", clock.now()};
    services.workers = &workers;
    commands::CommandRouter router(services);
    transport.set_update_handler(&router);
    for (const char* t : {"/tts one", "/tts two", "/tts three"}) {
      requests.push_back(transport.receive(transport.saved_messages(), transport.self_id(), t));
      loop.run_until_idle();
    }
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->calls.size(), 1u);  // one at a time: the other two wait
    EXPECT_EQ(store->jobs().pending("tts").value().size(), 3u);
    transport.set_update_handler(nullptr);
  }
  {  // Second run over the same database: the voice feature's start hook re-queues everything,
     // and it is spoken.
    auto store = storage::open_sqlite_store(db, clock).value();
    commands::Services services{transport, *store,   i18n,   config,   log,        loop,
                                clock,     registry, "test", "memory", clock.now()};
    services.workers = &workers;
    commands::CommandRouter router(services);
    loop.run_until_idle();
    for (std::size_t i = 0; i < 3; ++i) {
      ASSERT_EQ(e->calls.size(), i + 1);
      auto done = std::move(e->calls[i].done);
      done(tone());
      loop.run_until_idle();
    }
    EXPECT_EQ(e->calls[0].text, "one");
    EXPECT_EQ(e->calls[2].text, "three");
    std::vector<MessageId> answered;
    for (const auto& a : transport.actions()) {
      if (a.kind == "voice") answered.push_back(*a.reply_to);
    }
    EXPECT_EQ(answered, requests);
    EXPECT_TRUE(store->jobs().pending("tts").value().empty());
  }
}

}  // namespace
}  // namespace sakai::testing
