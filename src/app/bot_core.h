#pragma once
// One account's bot: its effective configuration, its view of the database, its command registry
// (every feature of features::all_features() installed) and router, its services and LLM chain,
// built on the process's Host (app/host.h: loop, logger, catalogs, HTTP, worker pool, database).
// The transport is attached afterwards, so the console, tests and the Telegram runner share the
// same assembly; several BotCores may share one Host.
// Thread-safety: built and used on the thread that runs the Host's event loop.
// Ownership: the Host outlives the BotCore (the single-account create() makes and owns one).
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

#include "ai/llm/provider.h"
#include "app/host.h"
#include "assistant/live_answers.h"
#include "commands/registry.h"
#include "commands/router.h"
#include "commands/services.h"
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
  // The single-account convenience (console, tests, benchmarks): a Host of its own made from
  // `config`, and the "default" account on it. A failure names what to fix.
  static Result<std::unique_ptr<BotCore>> create(const Config& config, std::ostream& log_sink,
                                                 const Clock& clock);
  // Account `account` on `host`, with its effective configuration `config` (copied). Opens the
  // host's database if needed and takes the account's view of it.
  static Result<std::unique_ptr<BotCore>> create(Host& host, std::string account,
                                                 const Config& config);

  // Starts routing the transport's updates through the command engine.
  void attach(telegram::Transport& transport, std::string transport_name);
  // Before the transport goes: commands still in flight are dropped without answering, and the
  // features' stop hooks run (e.g. the voice feature releases its TTS queue). Called by the
  // destructor too; idempotent.
  void shutdown();
  ~BotCore();
  BotCore(const BotCore&) = delete;
  BotCore& operator=(const BotCore&) = delete;

  [[nodiscard]] Host& host() { return host_; }
  [[nodiscard]] const std::string& account() const { return account_; }
  [[nodiscard]] EventLoop& loop() { return host_.loop(); }
  [[nodiscard]] Logger& log() { return host_.log(); }
  [[nodiscard]] const I18n& i18n() const { return host_.i18n(); }
  [[nodiscard]] storage::Store& store() { return *store_; }
  [[nodiscard]] commands::CommandRouter* router() { return router_.get(); }
  [[nodiscard]] const Config& config() const { return config_; }
  [[nodiscard]] ai::LlmProvider& llm() { return *llm_; }
  // Replaces the LLM (tests and benchmarks put a loopback-backed or scripted one here); call
  // before attach().
  void set_llm(std::unique_ptr<ai::LlmProvider> llm) { llm_ = std::move(llm); }

 private:
  BotCore(Host& host, std::string account, const Config& config);

  // Only for the single-account create(): declared first, destroyed last.
  std::unique_ptr<Host> own_host_;
  Host& host_;
  std::string account_;
  Config config_;
  const Clock& clock_;
  std::unique_ptr<storage::Store> store_;
  // Declared before the router and services that use them, destroyed after them.
  std::unique_ptr<ai::LlmProvider> llm_;
  commands::Registry registry_;
  std::optional<commands::Services> services_;
  std::unique_ptr<commands::CommandRouter> router_;
  assistant::LiveAnswers answers_;
};

}  // namespace sakai::app
