#pragma once
// What one process has once, whatever the number of accounts it serves: the event loop, the
// logger, the locale catalogs, the HTTP client, the worker pool, the database, and (when Telegram
// is used) TDLib's library and the TdJsonHub that owns its receive thread. Each account's bot
// (app/bot_core.h) is built on a Host.
//
// The shared configuration (LoadedConfig::config) sets these parts up: log.*, storage.*,
// data.dir, http.* and telegram.tdjson_path are the process's, never an account's.
// Threads: built and used on the thread that runs its event loop. The worker pool's threads and
// the hub's receive thread are its own (see their headers).
// Ownership: the Host outlives every BotCore and TelegramSession built on it; the clock and the
// log sink outlive the Host.
#include <iosfwd>
#include <memory>
#include <string>

#include "core/clock.h"
#include "core/config.h"
#include "core/event_loop.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/result.h"
#include "core/worker_pool.h"
#include "net/http_client.h"
#include "storage/store.h"
#include "telegram/tdjson/td_json_api.h"
#include "telegram/tdjson/td_json_hub.h"

namespace sakai::app {

struct HostOptions {
  // Tests and benchmarks: the TDLib to use instead of loading libtdjson.so (borrowed; it must
  // outlive the Host).
  telegram::tdjson::TdJsonApi* tdjson = nullptr;
  telegram::tdjson::TdJsonHubOptions hub;
};

class Host {
 public:
  // Loads the locale catalogs and sets up the logger, the loop and the HTTP client. Storage and
  // TDLib are opened on first use (database(), telegram()).
  static Result<std::unique_ptr<Host>> create(const Config& shared, std::ostream& log_sink,
                                              const Clock& clock, HostOptions options = {});
  Host(const Host&) = delete;
  Host& operator=(const Host&) = delete;
  ~Host();

  [[nodiscard]] EventLoop& loop() { return loop_; }
  [[nodiscard]] Logger& log() { return log_; }
  [[nodiscard]] const I18n& i18n() const { return i18n_; }
  [[nodiscard]] const Clock& clock() const { return clock_; }
  [[nodiscard]] net::HttpClient& http() { return *http_; }
  [[nodiscard]] WorkerPool& workers() { return workers_; }
  [[nodiscard]] const Config& config() const { return config_; }

  // The database every account keeps its state in (storage.backend, storage.path); opened on the
  // first call. An error names what to fix.
  Result<storage::Database*> database();
  // TDLib and its hub; the library is found (telegram.tdjson_path, then the usual places) and
  // loaded on the first call. An error names what to fix.
  Result<telegram::tdjson::TdJsonHub*> telegram();
  // Where libtdjson.so was loaded from ("(scripted)" for an injected one); "" before telegram().
  [[nodiscard]] const std::string& tdjson_path() const { return tdjson_path_; }

  // Adds secrets (an account's keys, phone, ...) the logger must never print.
  void add_secrets(const Config& config);

 private:
  Host(const Config& shared, std::ostream& log_sink, const Clock& clock, HostOptions options);

  Config config_;
  const Clock& clock_;
  HostOptions options_;
  Logger log_;
  EventLoop loop_;
  I18n i18n_;
  std::unique_ptr<net::HttpClient> http_;
  // Destroyed before the loop: its destructor drops queued jobs and releases their loop work.
  WorkerPool workers_;
  std::unique_ptr<storage::Database> database_;
  std::unique_ptr<telegram::tdjson::TdJsonApi> tdjson_;  // the loaded library, when not injected
  std::unique_ptr<telegram::tdjson::TdJsonHub> hub_;
  std::string tdjson_path_;
};

}  // namespace sakai::app
