// BotCore builds one account's bot from the app's feature table: a command of every feature is
// answered (the voice feature's start hook made its TTS queue, which BotCore no longer builds),
// and shutdown() stops the engine before the transport goes: the features' stop hooks run and
// nothing is answered afterwards.
#include <gtest/gtest.h>

#include <sstream>
#include <stdexcept>

#include "app/bot_core.h"
#include "support/temp_dir.h"
#include "telegram/memory/memory_transport.h"

namespace sakai::app {
namespace {

TEST(BotCoreFeatures, EveryFeatureAnswersAndShutdownStopsTheEngine) {
  const sakai::testing::TempDir tmp("sakaibot-botcore");
  Config config;
  config.set("data.dir", (tmp.path() / "data").string(), "test");
  config.set("storage.path", (tmp.path() / "bot.db").string(), "test");
  config.set("log.level", "warn", "test");
  SystemClock clock;
  std::ostringstream log;
  auto created = BotCore::create(config, log, clock);
  ASSERT_TRUE(created.is_ok()) << created.status().to_string();
  auto core = std::move(created).value();
  telegram::MemoryTransport transport(core->loop());
  core->attach(transport, "memory");

  // What the bot answers to the owner's `text` in Saved Messages.
  auto answer_to = [&](const std::string& text) {
    const auto id = transport.receive(transport.saved_messages(), transport.self_id(), text);
    core->loop().run_until_idle();
    std::string out;
    for (const auto& a : transport.actions()) {
      if (a.kind == "send" && a.reply_to == id) out += a.text.text;
    }
    return out;
  };
  const I18n& i18n = core->i18n();
  EXPECT_NE(answer_to("/ping").find("Pong"), std::string::npos);  // builtin
  const std::string usage = answer_to("/usage");                  // ai
  EXPECT_NE(usage.find(i18n.tr("en", "usage.none")), std::string::npos) << usage;
  const std::string voices = answer_to("/voices");  // voice
  EXPECT_NE(voices.find(i18n.tr("en", "tts.voices_title")), std::string::npos) << voices;

  core->shutdown();
  EXPECT_EQ(answer_to("/ping"), "");
  core->shutdown();  // idempotent
}

// A callback that throws on the loop (a bug one message met) is logged, with secrets
// redacted like every log line, and the bot goes on answering.
TEST(BotCoreFeatures, ACallbackThatThrowsIsLoggedAndTheBotGoesOn) {
  const sakai::testing::TempDir tmp("sakaibot-botcore");
  Config config;
  config.set("data.dir", (tmp.path() / "data").string(), "test");
  config.set("storage.path", (tmp.path() / "bot.db").string(), "test");
  config.set("gemini.api_key_tts", "AIzaSyTESTKEY-never-logged", "test");
  SystemClock clock;
  std::ostringstream log;
  auto created = BotCore::create(config, log, clock);
  ASSERT_TRUE(created.is_ok()) << created.status().to_string();
  auto core = std::move(created).value();
  telegram::MemoryTransport transport(core->loop());
  core->attach(transport, "memory");

  core->loop().post(
      [] { throw std::runtime_error("provider said: key AIzaSyTESTKEY-never-logged is bad"); });
  const auto id = transport.receive(transport.saved_messages(), transport.self_id(), "/ping");
  core->loop().run_until_idle();
  const std::string logged = log.str();
  EXPECT_NE(logged.find("a task threw"), std::string::npos) << logged;
  EXPECT_NE(logged.find("provider said"), std::string::npos) << logged;
  EXPECT_EQ(logged.find("AIzaSyTESTKEY-never-logged"), std::string::npos) << logged;
  bool answered = false;
  for (const auto& a : transport.actions())
    answered = answered || (a.kind == "send" && a.reply_to == id);
  EXPECT_TRUE(answered);
  core->shutdown();
}

}  // namespace
}  // namespace sakai::app
