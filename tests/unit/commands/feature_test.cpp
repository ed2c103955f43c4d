// Features plug into the engine through the Registry alone: a table entry installs a feature,
// and every hook kind is a list — two features that each add a reply continuation, a media
// handler, a start, stop or deletion hook all get theirs run; nothing the second adds replaces
// what the first added. The app's own table installs the app's features.
#include <gtest/gtest.h>

#include <array>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "commands/feature.h"
#include "commands/services.h"
#include "core/text.h"
#include "features/all_features.h"
#include "unit/commands/engine_fixture.h"

namespace sakai::testing {
namespace {

// What the test features saw, in order: "a:start", "b:deleted 7", ...
std::vector<std::string>& journal() {
  static std::vector<std::string> events;
  return events;
}

// A test-only feature "echo": /echo <text> answers <text>. Nothing else in the engine knows it.
Status install_echo(commands::Registry& registry) {
  return registry.add(commands::CommandSpec{
      "echo", {}, "general", commands::Access::kOwner, {}, [](commands::CommandContext ctx) {
        ctx.reply.ok(telegram::FormattedText("echo: " + std::string(text::trim(ctx.line.text))));
      }});
}

// Two features of the same shape, told apart by their letter: /<letter> <text> answers
// "<letter>: <text>", and a plain-text reply to one of those answers continues it; media
// messages with the caption "<letter>" are theirs; they note their media, start, stop and
// deletion hooks in the journal.
template <char Letter>
Status install_lettered(commands::Registry& registry) {
  const std::string name(1, Letter);
  auto answers = std::make_shared<std::set<std::int64_t>>();  // the ids of our answers
  SAKAI_TRY(registry.add(commands::CommandSpec{
      name,
      {},
      "general",
      commands::Access::kOwner,
      {},
      [name, answers](commands::CommandContext ctx) {
        ctx.reply.ok(telegram::FormattedText(name + ": " + std::string(ctx.line.text)),
                     [answers](Result<MessageId> sent) {
                       if (sent.is_ok()) answers->insert(sent->value());
                     });
      }}));
  registry.add_reply_continuation(
      commands::ReplyContinuation{name, [answers](commands::Services&, const Message& m) {
                                    return m.reply_to && answers->count(m.reply_to->value()) > 0;
                                  }});
  registry.add_media_handler(commands::MediaHandler{
      [name](commands::Services&, const Message& m) { return m.text == name; },
      [name](commands::Services&, const Message& m) {
        journal().push_back(name + ":media " + m.id.str());
      }});
  registry.add_start_hook([name](commands::Services&) { journal().push_back(name + ":start"); });
  registry.add_stop_hook([name] { journal().push_back(name + ":stop"); });
  registry.add_deletion_hook(
      [name](commands::Services&, ChatId, const std::vector<MessageId>& deleted) {
        for (const auto& id : deleted)
          journal().push_back(name + ":deleted " + id.str());
      });
  return Status::ok();
}

constexpr std::array kTestFeatures = {
    commands::FeatureEntry{"echo", &install_echo},
    commands::FeatureEntry{"a", &install_lettered<'a'>},
    commands::FeatureEntry{"b", &install_lettered<'b'>},
};

class FeatureTest : public EngineTest {
 protected:
  void SetUp() override {
    journal().clear();
    EngineTest::SetUp();
  }
  void TearDown() override { journal().clear(); }
  void install(commands::Registry& registry) override {
    ASSERT_TRUE(commands::install_features(registry, kTestFeatures).is_ok());
  }
};

TEST_F(FeatureTest, ATableEntryIsEnoughToGetACommandAnswered) {
  owner_says(owner_chat_, "/echo hello");
  EXPECT_EQ(last_sent(), "echo: hello");
  // Only what the table installed is there: no builtin command, no AI.
  EXPECT_EQ(registry_.find("help"), nullptr);
  EXPECT_EQ(registry_.find("prompt"), nullptr);
}

TEST_F(FeatureTest, StartHooksOfEveryFeatureRanInOrder) {
  EXPECT_EQ(journal(), (std::vector<std::string>{"a:start", "b:start"}));
}

TEST_F(FeatureTest, EachFeaturesReplyContinuationRuns) {
  const auto from_a = owner_says(owner_chat_, "/a first");
  const auto from_b = owner_says(owner_chat_, "/b second");
  const auto answers = sent_texts();
  ASSERT_EQ(answers.size(), 2u);
  // The answers are the messages to reply to.
  std::optional<MessageId> answer_a, answer_b;
  for (const auto& act : transport_->actions()) {
    if (act.kind == "send" && act.reply_to == from_a) answer_a = act.message;
    if (act.kind == "send" && act.reply_to == from_b) answer_b = act.message;
  }
  ASSERT_TRUE(answer_a && answer_b);
  owner_says(owner_chat_, "more for b", *answer_b);
  EXPECT_EQ(last_sent(), "b: more for b");
  owner_says(owner_chat_, "more for a", *answer_a);
  EXPECT_EQ(last_sent(), "a: more for a");
  // A reply to something neither feature wrote is nobody's.
  const auto plain = owner_says(owner_chat_, "just a note");
  owner_says(owner_chat_, "a reply to it", plain);
  EXPECT_EQ(sends(), 4u);
}

TEST_F(FeatureTest, EachFeaturesMediaHandlerRuns) {
  const auto for_b = transport_->receive_media(owner_chat_, transport_->self_id(),
                                               MediaKind::kVoiceNote, "/nonexistent.ogg", "b");
  const auto for_a = transport_->receive_media(owner_chat_, transport_->self_id(),
                                               MediaKind::kAudio, "/nonexistent.mp3", "a");
  // Neither feature's: nobody handles it.
  transport_->receive_media(owner_chat_, transport_->self_id(), MediaKind::kAudio,
                            "/nonexistent.mp3", "c");
  loop_.run_until_idle();
  EXPECT_EQ(journal(), (std::vector<std::string>{"a:start", "b:start", "b:media " + for_b.str(),
                                                 "a:media " + for_a.str()}));
}

TEST_F(FeatureTest, EveryDeletionHookRuns) {
  router_->on_messages_deleted(owner_chat_, {MessageId(7), MessageId(9)});
  EXPECT_EQ(journal(), (std::vector<std::string>{"a:start", "b:start", "a:deleted 7", "a:deleted 9",
                                                 "b:deleted 7", "b:deleted 9"}));
}

TEST_F(FeatureTest, EveryStopHookRunsOnceWhenTheEngineStops) {
  router_->stop();
  router_->stop();  // idempotent
  EXPECT_EQ(journal(), (std::vector<std::string>{"a:start", "b:start", "a:stop", "b:stop"}));
  // A stopped engine takes no more messages.
  owner_says(owner_chat_, "/echo late");
  EXPECT_EQ(sends(), 0u);
  router_.reset();  // already stopped: the hooks do not run again
  EXPECT_EQ(journal().size(), 4u);
}

TEST_F(FeatureTest, AnEngineDroppedWithoutStopStillRunsTheStopHooks) {
  restart_engine();
  EXPECT_EQ(journal(), (std::vector<std::string>{"a:start", "b:start", "a:stop", "b:stop",
                                                 "a:start", "b:start"}));
}

TEST(FeatureTable, AFailingInstallNamesTheFeature) {
  constexpr std::array twice = {
      commands::FeatureEntry{"echo", &install_echo},
      commands::FeatureEntry{"echo-again", &install_echo},
  };
  commands::Registry registry;
  const Status st = commands::install_features(registry, twice);
  ASSERT_FALSE(st.is_ok());
  EXPECT_NE(st.to_string().find("feature echo-again"), std::string::npos) << st.to_string();
  EXPECT_NE(st.to_string().find("'echo'"), std::string::npos) << st.to_string();
}

// The app's table: builtin, ai, voice and image, and together they give the commands of each.
TEST(FeatureTable, TheAppsTableInstallsBuiltinAiVoiceAndImage) {
  std::vector<std::string> names;
  for (const auto& entry : features::all_features())
    names.emplace_back(entry.name);
  EXPECT_EQ(names, (std::vector<std::string>{"builtin", "ai", "voice", "image"}));
  commands::Registry registry;
  ASSERT_TRUE(features::install_features(registry).is_ok());
  for (const char* command : {"help", "status", "prompt", "translate", "tts", "stt", "voicemode",
                              "imagine", "img", "image", "cancel"})
    EXPECT_NE(registry.find(command), nullptr) << command;
  EXPECT_EQ(registry.reply_continuations().size(), 1u);  // /prompt's
  EXPECT_EQ(registry.media_handlers().size(), 1u);       // voice mode's
  EXPECT_EQ(registry.deletion_hooks().size(), 3u);       // AI answers, TTS and image requests
  EXPECT_EQ(registry.stop_hooks().size(), 2u);           // the TTS queue, the image queue
  EXPECT_EQ(registry.cancel_hooks().size(), 2u);         // the TTS queue, the image queue
}

}  // namespace
}  // namespace sakai::testing
