#include "ai/provider_catalog.h"

#include <algorithm>

#include "net/url.h"

namespace sakai::ai {

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
