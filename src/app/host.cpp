#include "app/host.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "app/paths.h"
#include "net/curl_http_client.h"
#include "storage/sqlite/sqlite_store.h"
#include "telegram/tdjson/tdjson_library.h"

namespace sakai::app {
namespace {

std::string exe_dir() {
  std::error_code ec;
  const auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string(".") : p.parent_path().string();
}

}  // namespace

Host::Host(const Config& shared, std::ostream& log_sink, const Clock& clock, HostOptions options)
    : config_(shared),
      clock_(clock),
      options_(options),
      log_(parse_log_level(shared.get_string("log.level")).value_or(LogLevel::kInfo),
           shared.get_string("log.format") == "json" ? LogFormat::kJson : LogFormat::kHuman,
           log_sink, clock),
      loop_(clock) {
  add_secrets(shared);
  // One message's bug must not end the process: a callback that throws is logged (secrets
  // redacted like every log line) and the loop goes on.
  loop_.set_error_handler([this](std::string_view what) {
    log_.error("loop", "a task threw; the bot carries on", {{"error", std::string(what)}});
  });
}

Host::~Host() {
  // The hub first: its thread must not hand anything to clients that are gone.
  hub_.reset();
}

Result<std::unique_ptr<Host>> Host::create(const Config& shared, std::ostream& log_sink,
                                           const Clock& clock, HostOptions options) {
  std::unique_ptr<Host> host(new Host(shared, log_sink, clock, options));
  auto i18n = I18n::from_embedded();
  if (!i18n.is_ok()) return i18n.status().with_context("locale catalogs");
  host->i18n_ = std::move(i18n).value();
  // A translator can try a catalog without rebuilding: SAKAIBOT_LOCALES_DIR/<lang>.toml wins.
  if (const char* dir = std::getenv("SAKAIBOT_LOCALES_DIR"); dir && *dir) {
    for (const auto& lang : host->i18n_.languages()) {
      const std::string path = std::string(dir) + "/" + lang + ".toml";
      if (FILE* f = std::fopen(path.c_str(), "rb")) {
        std::string data;
        char buf[4096];
        std::size_t n = 0;
        while ((n = std::fread(buf, 1, sizeof buf, f)) > 0)
          data.append(buf, n);
        std::fclose(f);
        SAKAI_TRY(host->i18n_.add_catalog(lang, data).with_context(path));
      }
    }
  }
  net::CurlHttpClientOptions http_options;
  if (const std::string proxy = shared.get_string("http.proxy"); !proxy.empty())
    http_options.proxy = proxy;
  host->http_ = std::make_unique<net::CurlHttpClient>(host->loop_, http_options);
  return host;
}

void Host::add_secrets(const Config& config) {
  for (auto& secret : config.secret_values())
    log_.add_secret(std::move(secret));
}

Result<storage::Database*> Host::database() {
  if (database_) return database_.get();
  const std::string backend = config_.get_string("storage.backend");
  if (backend != "sqlite") {
    return make_error(
        ErrorCode::kFailedPrecondition,
        "storage.backend = \"" + backend + "\" is not available in this build yet; use \"sqlite\"");
  }
  const std::string db = sqlite_path(config_);
  if (config_.get_string("storage.path").empty()) SAKAI_TRY(ensure_private_dir(data_dir(config_)));
  auto opened = storage::open_sqlite_database(db, clock_);
  if (!opened.is_ok()) return opened.status();
  database_ = std::move(opened).value();
  log_.info("app", "storage ready", {{"backend", "sqlite"}, {"path", db}});
  return database_.get();
}

Result<telegram::tdjson::TdJsonHub*> Host::telegram() {
  if (hub_) return hub_.get();
  telegram::tdjson::TdJsonApi* api = options_.tdjson;
  if (api != nullptr) {
    tdjson_path_ = "(scripted)";
  } else {
    const auto candidates = telegram::tdjson::tdjson_search_paths(
        config_.get_string("telegram.tdjson_path"), exe_dir());
    auto lib = telegram::tdjson::TdJsonLibrary::load(candidates);
    if (!lib.is_ok()) return lib.status();
    tdjson_path_ = (*lib)->path();
    tdjson_ = std::move(lib).value();
    api = tdjson_.get();
  }
  hub_ = std::make_unique<telegram::tdjson::TdJsonHub>(*api, log_, options_.hub);
  return hub_.get();
}

}  // namespace sakai::app
