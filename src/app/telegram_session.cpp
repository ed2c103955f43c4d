#include "app/telegram_session.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <utility>

#include "app/bot_core.h"
#include "app/paths.h"
#include "core/base64.h"
#include "telegram/tdjson/td_decode.h"
#include "telegram/tdjson/td_requests.h"

namespace sakai::app {

using telegram::tdjson::AuthorizationState;

TelegramSession::TelegramSession(const Config& config, EventLoop& loop, Logger& log,
                                 std::string account)
    : config_(config), loop_(loop), log_(log), account_(std::move(account)) {}

TelegramSession::~TelegramSession() {
  if (client_) client_->stop();
}

std::string TelegramSession::session_dir(const Config& config) {
  return data_dir(config) + "/" + config.get_string("telegram.session_name");
}

Result<std::string> TelegramSession::database_key(const Config& config) {
  if (config.is_set("telegram.database_key")) return config.get_string("telegram.database_key");
  const std::string dir = session_dir(config);
  SAKAI_TRY(ensure_private_dir(dir));
  const std::string path = dir + "/database.key";
  if (std::ifstream in(path, std::ios::binary); in) {
    std::string encoded((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    while (!encoded.empty() && (encoded.back() == '\n' || encoded.back() == '\r'))
      encoded.pop_back();
    auto key = base64_decode(encoded);
    if (!key || key->empty()) {
      return make_error(ErrorCode::kCorrupt,
                        path +
                            " does not hold a valid key; restore it from a backup, or delete "
                            "it together with the session directory and log in again");
    }
    return *key;
  }
  std::string key(32, '\0');
  std::ifstream random("/dev/urandom", std::ios::binary);
  if (!random.read(key.data(), static_cast<std::streamsize>(key.size()))) {
    return make_error(ErrorCode::kIo, "cannot read /dev/urandom to create the database key");
  }
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) return make_error(ErrorCode::kIo, "cannot create " + path);
  const std::string encoded = base64_encode(key) + "\n";
  const bool ok =
      ::write(fd, encoded.data(), encoded.size()) == static_cast<ssize_t>(encoded.size());
  ::close(fd);
  if (!ok) return make_error(ErrorCode::kIo, "cannot write " + path);
  return key;
}

Result<std::unique_ptr<TelegramSession>> TelegramSession::open(const Config& config,
                                                               telegram::tdjson::TdJsonHub& hub,
                                                               EventLoop& loop, Logger& log,
                                                               std::string account) {
  if (!config.is_set("telegram.api_id") || !config.is_set("telegram.api_hash")) {
    if (account != "default") {
      return make_error(ErrorCode::kFailedPrecondition,
                        "account " + account +
                            " has no api_id and api_hash: set them under [telegram] (shared) or "
                            "in its [[accounts]] entry (get them at my.telegram.org)");
    }
    return make_error(
        ErrorCode::kFailedPrecondition,
        "telegram.api_id and telegram.api_hash are not set: get them at my.telegram.org, then run "
        "`sakaibot setup` (or set TELEGRAM_API_ID and TELEGRAM_API_HASH)");
  }
  std::unique_ptr<TelegramSession> s(new TelegramSession(config, loop, log, std::move(account)));
  s->client_ = std::make_unique<telegram::tdjson::TdClient>(hub, loop, log, loop.clock());
  s->transport_ = std::make_unique<telegram::tdjson::TdlibTransport>(*s->client_, loop, log);
  return s;
}

void TelegramSession::start(std::function<void(const AuthorizationState&)> on_state,
                            std::function<void(Status)> on_error) {
  on_state_ = std::move(on_state);
  on_error_ = std::move(on_error);
  transport_->on_authorization_state([this](const AuthorizationState& st) {
    if (st.state == "authorizationStateWaitTdlibParameters") {
      on_parameters_needed();
      return;
    }
    if (on_state_) on_state_(st);
  });
  auto* transport = transport_.get();
  // Runs on TDLib's receive thread, with the object already decoded there: only the typed event
  // crosses to the loop, in bursts.
  client_->set_update_sink([transport](std::string_view, telegram::tdjson::TdEvent&& event) {
    transport->enqueue(std::move(event));
  });
  client_->start();
  // TDLib creates the client on its first request; until then no authorization state arrives.
  client_->send(telegram::tdjson::get_option("version"), std::chrono::seconds(10),
                [](Result<std::string>) {});
}

void TelegramSession::on_parameters_needed() {
  if (parameters_sent_) return;
  parameters_sent_ = true;
  auto key = database_key(config_);
  if (!key.is_ok()) {
    log_.error("telegram", "no database key",
               {{"account", account_}, {"error", key.status().message()}});
    if (on_error_) on_error_(key.status());
    return;
  }
  const std::string dir = session_dir(config_);
  if (auto st = ensure_private_dir(dir); !st.is_ok()) {
    if (on_error_) on_error_(st);
    return;
  }
  telegram::tdjson::TdlibParameters p;
  p.database_directory = dir + "/db";
  p.files_directory = dir + "/files";
  p.encryption_key = *key;
  p.api_id = static_cast<int>(config_.get_int("telegram.api_id"));
  p.api_hash = config_.get_string("telegram.api_hash");
  p.system_language_code = config_.get_string("bot.language");
  p.device_model = "SakaiBot";
  p.system_version = "Linux";
  p.application_version = kVersion;
  client_->send(telegram::tdjson::set_tdlib_parameters(p), std::chrono::seconds(30),
                [this](Result<std::string> r) {
                  if (!r.is_ok()) {
                    // 401 here means the key does not open the existing database.
                    log_.error("telegram", "TDLib refused the parameters",
                               {{"account", account_}, {"error", r.status().message()}});
                    if (on_error_) {
                      on_error_(r.status().with_context(
                          "TDLib refused the session parameters (if the database key "
                          "changed, restore database.key)"));
                    }
                  }
                });
  const std::string proxy = config_.get_string("telegram.proxy");
  if (!proxy.empty()) {
    auto req = telegram::tdjson::add_proxy(proxy);
    if (!req.is_ok()) {
      log_.error("telegram", "bad proxy setting", {{"error", req.status().message()}});
    } else {
      client_->send(*req, std::chrono::seconds(30), [this](Result<std::string> r) {
        if (!r.is_ok())
          log_.error("telegram", "TDLib refused the proxy", {{"error", r.status().message()}});
      });
    }
  }
}

void TelegramSession::stop() {
  if (client_) client_->stop();
}

}  // namespace sakai::app
