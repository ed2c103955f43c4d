#pragma once
// What the configuration says about the LLM providers: which are usable, with which model and
// endpoint, in the order they would be tried. Used by /status and `sakaibot doctor`; the
// providers themselves (HTTP adapters) build on the same view.
// Pure; thread-safe.
#include <string>
#include <vector>

#include "core/config.h"

namespace sakai::ai {

struct ProviderInfo {
  std::string name;  // "gemini", "openrouter", "openai"
  std::string model;
  std::string endpoint;  // base URL without credentials
  int key_count = 0;
  bool usable = false;  // has a key, or is a keyless local server
  bool primary = false;
};

// The primary provider first, then the fallback chain, then any other configured provider.
std::vector<ProviderInfo> configured_providers(const Config& config);

}  // namespace sakai::ai
