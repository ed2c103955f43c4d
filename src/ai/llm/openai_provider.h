#pragma once
// OpenAI-compatible chat completions adapter: OpenAI, OpenRouter, Groq, Together, Ollama,
// llama.cpp's llama-server, Gemini's OpenAI mode. POST {base}/chat/completions, with
// stream:true and stream_options.include_usage when streaming. The key travels in
// "Authorization: Bearer"; a keyless local server gets no auth header.
// Reference: /work/shared/reference/AI-APIS.md sections 2.1-2.4, 2.8-2.10.
//
// - think: reasoning_effort "medium" (OpenRouter: reasoning {effort:"medium"}); reasoning text
//   arrives as delta.reasoning (OpenRouter, Ollama) or delta.reasoning_content (llama.cpp,
//   DeepSeek style) and becomes ChatDelta::thinking.
// - web: OpenRouter only, through its web plugin (plugins [{"id":"web"}]); the pages it used come
//   back as url_citation annotations and become ChatResult::sources. Other servers have no web
//   search in this API (ProviderCaps::web_search is false) and get the request without it.
// - Streams end with "data: [DONE]"; ":" comment lines are skipped; usage comes in a last chunk
//   with choices []. Errors inside a 200 stream: a chunk with "error" (OpenRouter, with
//   finish_reason "error") or llama.cpp's "error:" SSE field. A stream that ends with neither
//   [DONE] nor a finish_reason was cut short: kUnavailable.
//
// Threading and ownership: see provider.h.
#include "ai/llm/http_provider.h"

namespace sakai::ai {

enum class OpenAiFlavor {
  kOpenAi,      // api.openai.com: max_completion_tokens
  kOpenRouter,  // attribution headers, reasoning object
  kGeneric,     // Groq, Together, Ollama, llama.cpp, ...: max_tokens
};

// From the provider name and base URL.
OpenAiFlavor openai_flavor_for(std::string_view provider, std::string_view base_url);

// OpenRouter app attribution (AI-APIS.md 2.8): X-Title (no HTTP-Referer: SakaiBot has no site).
inline constexpr std::string_view kAppTitle = "SakaiBot";

class OpenAiCompatibleProvider final : public HttpLlmProvider {
 public:
  // settings.base_url: e.g. "https://api.openai.com/v1", "https://openrouter.ai/api/v1",
  // "http://127.0.0.1:11434/v1".
  OpenAiCompatibleProvider(net::HttpClient& http, const Clock& clock, ProviderSettings settings,
                           OpenAiFlavor flavor);

  [[nodiscard]] ProviderCaps caps() const override {
    return {.web_search = flavor_ == OpenAiFlavor::kOpenRouter, .thinking = true};
  }
  [[nodiscard]] OpenAiFlavor flavor() const { return flavor_; }

 protected:
  [[nodiscard]] net::HttpRequest build_request(const ChatRequest& request, const std::string& model,
                                               const std::string& api_key,
                                               bool stream) const override;
  [[nodiscard]] std::unique_ptr<ResponseDecoder> make_decoder(
      const ChatRequest& request) const override;

 private:
  OpenAiFlavor flavor_;
};

}  // namespace sakai::ai
