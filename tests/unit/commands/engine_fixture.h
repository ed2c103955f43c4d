#pragma once
// A whole command engine in memory: real registry with the app's features, router, catalogs,
// SQLite store (in memory), worker pool, the in-memory Telegram, and a clock the test drives.
#include <gtest/gtest.h>

#include <sstream>

#include "commands/router.h"
#include "core/worker_pool.h"
#include "features/ai/ai_feature.h"
#include "features/builtin/builtin_feature.h"
#include "features/voice/voice_feature.h"
#include "storage/sqlite/sqlite_store.h"
#include "telegram/memory/memory_transport.h"

namespace sakai::testing {

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override { build(); }

  // Rebuilds the engine so config changes made in a test take effect.
  void build() {
    router_.reset();
    services_.reset();
    transport_ = std::make_unique<telegram::MemoryTransport>(loop_);
    if (!store_) {
      auto store = storage::open_sqlite_store(":memory:", clock_);
      ASSERT_TRUE(store.is_ok()) << store.status().to_string();
      store_ = std::move(store).value();
    }
    if (!i18n_loaded_) {
      auto i18n = I18n::from_embedded();
      ASSERT_TRUE(i18n.is_ok());
      i18n_ = std::move(i18n).value();
      i18n_loaded_ = true;
    }
    if (registry_.all().empty()) {
      ASSERT_NO_FATAL_FAILURE(install(registry_));
    }
    services_.emplace(commands::Services{*transport_, *store_, i18n_, config_, log_, loop_, clock_,
                                         registry_, "test", "memory", clock_.now()});
    services_->workers = &workers_;
    router_ = std::make_unique<commands::CommandRouter>(*services_);
    transport_->set_update_handler(router_.get());
    owner_chat_ = transport_->saved_messages();
    ali_ = transport_->add_user("Ali", "ali");
  }

  // The features the engine runs: the app's (builtin, ai, voice), voice with voice_options_.
  virtual void install(commands::Registry& registry) {
    ASSERT_TRUE(features::install_builtin_feature(registry).is_ok());
    ASSERT_TRUE(features::install_ai_feature(registry).is_ok());
    ASSERT_TRUE(features::install_voice_feature_with(registry, voice_options_).is_ok());
  }

  // The engine stops (the features' stop hooks run) and starts again on the same services,
  // transport and registry (their start hooks run), as after a restart of the bot.
  void restart_engine() {
    router_.reset();
    router_ = std::make_unique<commands::CommandRouter>(*services_);
    transport_->set_update_handler(router_.get());
  }

  // The owner types `text` in `chat`; runs everything it causes.
  MessageId owner_says(ChatId chat, const std::string& text,
                       std::optional<MessageId> reply_to = {}) {
    const auto id = transport_->receive(chat, transport_->self_id(), text, reply_to);
    loop_.run_ready();
    return id;
  }
  MessageId user_says(UserId user, const std::string& text) {
    const auto id = transport_->receive(ChatId(user.value()), user, text);
    loop_.run_ready();
    return id;
  }
  // Texts the bot sent (not edits), in order.
  std::vector<std::string> sent_texts() const {
    std::vector<std::string> out;
    for (const auto& a : transport_->actions()) {
      if (a.kind == "send") out.push_back(a.text.text);
    }
    return out;
  }
  std::size_t sends() const { return sent_texts().size(); }
  std::string last_sent() const {
    auto t = sent_texts();
    return t.empty() ? std::string() : t.back();
  }
  void grant(UserId user, const std::string& command, storage::GrantMode mode,
             std::optional<std::int64_t> expires_ms = {}) {
    ASSERT_TRUE(store_->grants().put(storage::Grant{user, command, mode, expires_ms, 0}).is_ok());
  }

  ManualClock clock_;
  EventLoop loop_{clock_};
  WorkerPool workers_{2};
  std::ostringstream log_sink_;
  Logger log_{LogLevel::kDebug, LogFormat::kHuman, log_sink_, clock_};
  Config config_;
  // The voice feature's TTS engines: none unless a test says (so /tts answers that it is
  // unavailable, and voice mode speaks with the local voices).
  features::VoiceOptions voice_options_{
      [](commands::Services&) { return features::VoiceOptions::TtsEngines{}; }, nullptr};
  I18n i18n_;
  bool i18n_loaded_ = false;
  std::unique_ptr<storage::Store> store_;
  commands::Registry registry_;
  std::unique_ptr<telegram::MemoryTransport> transport_;
  std::optional<commands::Services> services_;
  std::unique_ptr<commands::CommandRouter> router_;
  ChatId owner_chat_;
  UserId ali_;
};

}  // namespace sakai::testing
