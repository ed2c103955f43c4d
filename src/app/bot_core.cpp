#include "app/bot_core.h"

#include <utility>

#include "ai/llm/provider_chain.h"
#include "app/accounts_config.h"
#include "commands/builtin/builtin.h"

namespace sakai::app {

BotCore::BotCore(Host& host, std::string account, const Config& config)
    : host_(host), account_(std::move(account)), config_(config), clock_(host.clock()) {
  host_.add_secrets(config_);
}

Result<std::unique_ptr<BotCore>> BotCore::create(const Config& config, std::ostream& log_sink,
                                                 const Clock& clock) {
  auto host = Host::create(config, log_sink, clock);
  if (!host.is_ok()) return host.status();
  auto core = create(**host, std::string(kDefaultAccount), config);
  if (!core.is_ok()) return core.status();
  (*core)->own_host_ = std::move(host).value();
  return core;
}

Result<std::unique_ptr<BotCore>> BotCore::create(Host& host, std::string account,
                                                 const Config& config) {
  std::unique_ptr<BotCore> core(new BotCore(host, std::move(account), config));
  auto db = host.database();
  if (!db.is_ok()) return db.status();
  core->store_ = (*db)->account(core->account_);
  core->llm_ = ai::make_provider_chain(core->config_, host.http(), host.loop());

  SAKAI_TRY(commands::register_builtin_commands(core->registry_));
  return core;
}

void BotCore::shutdown() {
  if (services_) *services_->live = false;
}

BotCore::~BotCore() {
  shutdown();
}

void BotCore::attach(telegram::Transport& transport, std::string transport_name) {
  services_.emplace(commands::Services{
      transport, *store_, host_.i18n(), config_, host_.log(), host_.loop(), clock_, registry_,
      kVersion, std::move(transport_name), clock_.now(), llm_.get(), &host_.http()});
  router_ = std::make_unique<commands::CommandRouter>(*services_);
  tts_ = std::make_unique<commands::TtsQueue>(
      *services_, ai::speech::make_tts_engines(config_, &host_.http(), host_.loop()));
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
