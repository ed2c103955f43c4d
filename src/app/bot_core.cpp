#include "app/bot_core.h"

#include <utility>

#include "ai/llm/provider_chain.h"
#include "app/accounts_config.h"
#include "app/paths.h"
#include "features/all_features.h"

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
  auto store = (*db)->account(core->account_);
  if (!store.is_ok()) return store.status().with_context("account " + core->account_);
  core->store_ = std::move(store).value();
  ai::ChainOptions chain_options;
  chain_options.log = &host.log();  // every failed provider attempt, at warn
  core->llm_ = ai::make_provider_chain(core->config_, host.http(), host.loop(), chain_options);

  SAKAI_TRY(features::install_features(core->registry_));
  return core;
}

void BotCore::shutdown() {
  if (services_) *services_->live = false;
  if (router_) router_->stop();
}

BotCore::~BotCore() {
  shutdown();
}

void BotCore::attach(telegram::Transport& transport, std::string transport_name) {
  services_.emplace(commands::Services{transport, *store_, host_.i18n(), config_, host_.log(),
                                       host_.loop(), clock_, registry_, kVersion,
                                       std::move(transport_name), clock_.now(), llm_.get(),
                                       &host_.http(), &host_.workers(), &answers_});
  services_->account = account_;
  services_->data_dir = data_dir(config_);
  // The features' start hooks run here (e.g. the voice feature makes its TTS queue and re-queues
  // the requests an earlier run left unfinished).
  router_ = std::make_unique<commands::CommandRouter>(*services_);
  transport.set_update_handler(router_.get());
}

}  // namespace sakai::app
