#include "app/bot_core.h"

#include <cstdlib>

#include "ai/llm/provider_chain.h"
#include "app/paths.h"
#include "commands/builtin/builtin.h"
#include "net/curl_http_client.h"
#include "storage/sqlite/sqlite_store.h"

namespace sakai::app {

BotCore::BotCore(const Config& config, std::ostream& log_sink, const Clock& clock)
    : config_(config),
      clock_(clock),
      log_(parse_log_level(config.get_string("log.level")).value_or(LogLevel::kInfo),
           config.get_string("log.format") == "json" ? LogFormat::kJson : LogFormat::kHuman,
           log_sink, clock),
      loop_(clock) {
  for (auto& secret : config.secret_values())
    log_.add_secret(std::move(secret));
}

Result<std::unique_ptr<BotCore>> BotCore::create(const Config& config, std::ostream& log_sink,
                                                 const Clock& clock) {
  std::unique_ptr<BotCore> core(new BotCore(config, log_sink, clock));
  auto i18n = I18n::from_embedded();
  if (!i18n.is_ok()) return i18n.status().with_context("locale catalogs");
  core->i18n_ = std::move(i18n).value();
  // A translator can try a catalog without rebuilding: SAKAIBOT_LOCALES_DIR/<lang>.toml wins.
  if (const char* dir = std::getenv("SAKAIBOT_LOCALES_DIR"); dir && *dir) {
    for (const auto& lang : core->i18n_.languages()) {
      const std::string path = std::string(dir) + "/" + lang + ".toml";
      if (FILE* f = std::fopen(path.c_str(), "rb")) {
        std::string data;
        char buf[4096];
        std::size_t n = 0;
        while ((n = std::fread(buf, 1, sizeof buf, f)) > 0)
          data.append(buf, n);
        std::fclose(f);
        SAKAI_TRY(core->i18n_.add_catalog(lang, data).with_context(path));
      }
    }
  }

  const std::string backend = config.get_string("storage.backend");
  if (backend != "sqlite") {
    return make_error(
        ErrorCode::kFailedPrecondition,
        "storage.backend = \"" + backend + "\" is not available in this build yet; use \"sqlite\"");
  }
  const std::string db = sqlite_path(config);
  if (config.get_string("storage.path").empty()) SAKAI_TRY(ensure_private_dir(data_dir(config)));
  auto store = storage::open_sqlite_store(db, clock);
  if (!store.is_ok()) return store.status();
  core->store_ = std::move(store).value();

  net::CurlHttpClientOptions http_options;
  if (const std::string proxy = config.get_string("http.proxy"); !proxy.empty())
    http_options.proxy = proxy;
  core->http_ = std::make_unique<net::CurlHttpClient>(core->loop_, http_options);
  core->llm_ = ai::make_provider_chain(config, *core->http_, core->loop_);

  SAKAI_TRY(commands::register_builtin_commands(core->registry_));
  core->log_.info("app", "storage ready", {{"backend", "sqlite"}, {"path", db}});
  return core;
}

void BotCore::shutdown() {
  if (services_) *services_->live = false;
}

BotCore::~BotCore() {
  shutdown();
}

void BotCore::attach(telegram::Transport& transport, std::string transport_name) {
  services_.emplace(commands::Services{transport, *store_, i18n_, config_, log_, loop_, clock_,
                                       registry_, kVersion, std::move(transport_name), clock_.now(),
                                       llm_.get(), http_.get()});
  services_->workers = &workers_;
  router_ = std::make_unique<commands::CommandRouter>(*services_);
  tts_ = std::make_unique<commands::TtsQueue>(
      *services_, ai::speech::make_tts_engines(config_, http_.get(), loop_, workers_));
  services_->tts = tts_.get();
  services_->answers = &answers_;
  router_->add_deletion_listener([q = tts_.get()](ChatId chat, const std::vector<MessageId>& ids) {
    q->on_messages_deleted(chat, ids);
  });
  // Deleting the command stops an AI answer still being written.
  router_->add_deletion_listener(
      [this](ChatId chat, const std::vector<MessageId>& ids) { answers_.stop_deleted(chat, ids); });
  transport.set_update_handler(router_.get());
  tts_->resume();
}

}  // namespace sakai::app
