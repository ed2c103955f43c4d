#include "ai/provider_catalog.h"

#include <algorithm>

#include "ai/http/api_error.h"
#include "net/url.h"

namespace sakai::ai {

namespace {

bool known_provider(std::string_view name) {
  return name == "gemini" || name == "openrouter" || name == "openai";
}

}  // namespace

std::string provider_host(const Config& config, std::string_view name) {
  if (!known_provider(name)) return {};
  const auto url = net::parse_url(config.get_string(std::string(name) + ".base_url"));
  if (!url || url->host.empty()) return {};
  std::string host = url->host.find(':') != std::string::npos ? "[" + url->host + "]" : url->host;
  if (url->port != 0) host += ":" + std::to_string(url->port);
  return host;
}

std::string provider_label(const Config& config, std::string_view name) {
  if (name != "openai") return provider_display_name(name);
  if (std::string configured = config.get_string("openai.name"); !configured.empty()) {
    return configured;
  }
  const auto url = net::parse_url(config.get_string("openai.base_url"));
  if (!url || url->host == "api.openai.com") return provider_display_name(name);
  const std::string host = provider_host(config, name);
  return host.empty() ? provider_display_name(name) : host;
}

std::vector<ProviderInfo> configured_providers(const Config& config) {
  static const std::vector<std::string> kAll = {"gemini", "openrouter", "openai"};
  std::vector<std::string> order;
  const auto add = [&](const std::string& name) {
    if (std::find(kAll.begin(), kAll.end(), name) == kAll.end()) return;
    if (std::find(order.begin(), order.end(), name) == order.end()) order.push_back(name);
  };
  const std::string primary = config.get_string("llm.provider");
  add(primary);
  for (const auto& f : config.get_list("llm.fallback"))
    add(f);
  for (const auto& n : kAll)
    add(n);

  std::vector<ProviderInfo> out;
  for (const auto& name : order) {
    ProviderInfo info;
    info.name = name;
    info.label = provider_label(config, name);
    info.primary = name == primary;
    info.model = config.get_string(name + ".model");
    info.key_count = static_cast<int>(config.get_list(name + ".api_keys").size());
    const auto url = net::parse_url(config.get_string(name + ".base_url"));
    info.endpoint = url ? url->redacted() : config.get_string(name + ".base_url");
    // A local OpenAI-compatible server (Ollama, llama.cpp) needs no key.
    info.usable = info.key_count > 0 || (name == "openai" && url && url->is_loopback());
    if (info.primary || info.usable) out.push_back(std::move(info));
  }
  return out;
}

}  // namespace sakai::ai
