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
  std::string name;   // "gemini", "openrouter", "openai"
  std::string label;  // how messages name it: provider_label()
  std::string model;
  std::string endpoint;  // base URL without credentials
  int key_count = 0;
  bool usable = false;  // has a key, or is a keyless local server
  bool primary = false;
};

// The primary provider first, then the fallback chain, then any other configured provider.
std::vector<ProviderInfo> configured_providers(const Config& config);

// How messages name provider `name`: "Gemini", "OpenRouter"; for the OpenAI-compatible slot
// ("openai") the configured openai.name, else "OpenAI" when it is api.openai.com, else the
// server's host ("127.0.0.1:11434", "api.groq.com") — a local Ollama is not "OpenAI". Other
// names pass through provider_display_name().
std::string provider_label(const Config& config, std::string_view name);
// host[:port] of provider `name`'s base URL, for "cannot reach <host>"; "" when unknown.
std::string provider_host(const Config& config, std::string_view name);

}  // namespace sakai::ai
