// BotCore builds one account's bot from the app's feature table: a command of every feature is
// answered (the voice feature's start hook made its TTS queue, which BotCore no longer builds),
// and shutdown() stops the engine before the transport goes: the features' stop hooks run and
// nothing is answered afterwards.
#include <gtest/gtest.h>

#include <initializer_list>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>

#include "app/bot_core.h"
#include "support/temp_dir.h"
#include "telegram/memory/memory_transport.h"

namespace sakai::app {
namespace {

// One account's bot on the in-memory transport, its data in a temporary directory; `extra`
// adds settings.
class Bot {
 public:
  explicit Bot(std::initializer_list<std::pair<const char*, const char*>> extra = {}) {
    config_.set("data.dir", (tmp_.path() / "data").string(), "test");
    config_.set("storage.path", (tmp_.path() / "bot.db").string(), "test");
    for (const auto& [key, value] : extra)
      config_.set(key, value, "test");
    auto created = BotCore::create(config_, log_, clock_);
    EXPECT_TRUE(created.is_ok()) << created.status().to_string();
    if (!created.is_ok()) return;
    core_ = std::move(created).value();
    transport_.emplace(core_->loop());
    core_->attach(*transport_, "memory");
  }
  [[nodiscard]] bool ok() const { return core_ != nullptr; }
  BotCore& core() { return *core_; }
  telegram::MemoryTransport& transport() { return *transport_; }
  std::string log() const { return log_.str(); }

  // What the bot answers to the owner's `text` in Saved Messages.
  std::string answer_to(const std::string& text) {
    const auto id = transport_->receive(transport_->saved_messages(), transport_->self_id(), text);
    core_->loop().run_until_idle();
    std::string out;
    for (const auto& a : transport_->actions()) {
      if (a.kind == "send" && a.reply_to == id) out += a.text.text;
    }
    return out;
  }

 private:
  const sakai::testing::TempDir tmp_{"sakaibot-botcore"};
  Config config_;
  SystemClock clock_;
  std::ostringstream log_;
  std::unique_ptr<BotCore> core_;
  std::optional<telegram::MemoryTransport> transport_;
};

TEST(BotCoreFeatures, EveryFeatureAnswersAndShutdownStopsTheEngine) {
  Bot bot({{"log.level", "warn"}});
  ASSERT_TRUE(bot.ok());
  const I18n& i18n = bot.core().i18n();
  EXPECT_NE(bot.answer_to("/ping").find("Pong"), std::string::npos);  // builtin
  const std::string usage = bot.answer_to("/usage");                  // ai
  EXPECT_NE(usage.find(i18n.tr("en", "usage.none")), std::string::npos) << usage;
  const std::string voices = bot.answer_to("/voices");  // voice
  EXPECT_NE(voices.find(i18n.tr("en", "tts.voices_title")), std::string::npos) << voices;

  bot.core().shutdown();
  EXPECT_EQ(bot.answer_to("/ping"), "");
  bot.core().shutdown();  // idempotent
}

// A callback that throws on the loop (a bug one message met) is logged, with secrets
// redacted like every log line, and the bot goes on answering.
TEST(BotCoreFeatures, ACallbackThatThrowsIsLoggedAndTheBotGoesOn) {
  Bot bot({{"gemini.api_key_tts", "AIzaSyTESTKEY-never-logged"}});
  ASSERT_TRUE(bot.ok());
  bot.core().loop().post(
      [] { throw std::runtime_error("provider said: key AIzaSyTESTKEY-never-logged is bad"); });
  EXPECT_NE(bot.answer_to("/ping").find("Pong"), std::string::npos);
  const std::string logged = bot.log();
  EXPECT_NE(logged.find("a task threw"), std::string::npos) << logged;
  EXPECT_NE(logged.find("provider said"), std::string::npos) << logged;
  EXPECT_EQ(logged.find("AIzaSyTESTKEY-never-logged"), std::string::npos) << logged;
  bot.core().shutdown();
}

}  // namespace
}  // namespace sakai::app
