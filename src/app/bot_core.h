#pragma once
// Assembles the bot from a loaded configuration: logger, catalogs, storage, command registry and
// router, all wired to one event loop. The transport is attached afterwards, so the console,
// tests and the Telegram runner share the same assembly.
// Thread-safety: built and used on the thread that runs its event loop.
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

#include "ai/llm/provider.h"
#include "commands/ai/live_answers.h"
#include "commands/registry.h"
#include "commands/router.h"
#include "commands/services.h"
#include "commands/voice/tts_queue.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/event_loop.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/worker_pool.h"
#include "net/http_client.h"
#include "storage/store.h"
#include "telegram/transport.h"

namespace sakai::app {

inline constexpr const char* kVersion = "0.1.0";

class BotCore {
 public:
  // Opens storage and loads the catalogs; a failure names what to fix.
  static Result<std::unique_ptr<BotCore>> create(const Config& config, std::ostream& log_sink,
                                                 const Clock& clock);

  // Starts routing the transport's updates through the command engine.
  void attach(telegram::Transport& transport, std::string transport_name);
  // Before the transport goes: commands still in flight are dropped without answering. Called
  // by the destructor too; idempotent.
  void shutdown();
  ~BotCore();
  BotCore(const BotCore&) = delete;
  BotCore& operator=(const BotCore&) = delete;

  [[nodiscard]] EventLoop& loop() { return loop_; }
  [[nodiscard]] Logger& log() { return log_; }
  [[nodiscard]] const I18n& i18n() const { return i18n_; }
  [[nodiscard]] storage::Store& store() { return *store_; }
  [[nodiscard]] commands::CommandRouter* router() { return router_.get(); }
  [[nodiscard]] const Config& config() const { return config_; }
  [[nodiscard]] ai::LlmProvider& llm() { return *llm_; }
  // Replaces the LLM (tests and benchmarks put a loopback-backed or scripted one here); call
  // before attach().
  void set_llm(std::unique_ptr<ai::LlmProvider> llm) { llm_ = std::move(llm); }

 private:
  BotCore(const Config& config, std::ostream& log_sink, const Clock& clock);

  Config config_;
  const Clock& clock_;
  Logger log_;
  EventLoop loop_;
  WorkerPool workers_;  // CPU work (speech, encoding); joined before the loop goes
  I18n i18n_;
  std::unique_ptr<storage::Store> store_;
  // Declared before the router and services that use them, destroyed after them.
  std::unique_ptr<net::HttpClient> http_;
  std::unique_ptr<ai::LlmProvider> llm_;
  commands::Registry registry_;
  std::optional<commands::Services> services_;
  std::unique_ptr<commands::CommandRouter> router_;
  std::unique_ptr<commands::TtsQueue> tts_;
  commands::LiveAnswers answers_;
};

}  // namespace sakai::app
