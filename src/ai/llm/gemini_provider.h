#pragma once
// Gemini API (generativelanguage v1beta) adapter: generateContent, and
// streamGenerateContent?alt=sse when streaming. The key travels in the x-goog-api-key header,
// never in the URL. Reference: /work/shared/reference/AI-APIS.md sections 1.1-1.6.
//
// - think: generationConfig.thinkingConfig.includeThoughts; parts marked "thought" become
//   ChatResult::thinking / ChatDelta::thinking.
// - web: tools [{google_search:{}}]; candidates[0].groundingMetadata.groundingChunks[].web
//   become ChatResult::sources (Google redirect URLs; the title is usually the domain).
// - usageMetadata is cumulative on every streamed chunk: the last one wins.
// - Blocks inside HTTP 200 (promptFeedback.blockReason; finishReason SAFETY, RECITATION, ...
//   with no text) are kSafetyBlocked with the reason. A raw {"error":...} written after HTTP
//   200 (no "data:" prefix) ends the stream with that error. A stream that ends without any
//   chunk carrying finishReason was cut short: kUnavailable, cause kConnectionLost (as an
//   OpenAI-compatible stream without [DONE]).
//
// Threading and ownership: see provider.h.
#include "ai/llm/http_provider.h"

namespace sakai::ai {

class GeminiProvider final : public HttpLlmProvider {
 public:
  // settings.base_url: "https://generativelanguage.googleapis.com" (a trailing /v1beta is fine).
  GeminiProvider(net::HttpClient& http, const Clock& clock, ProviderSettings settings);

  [[nodiscard]] ProviderCaps caps() const override {
    return {.web_search = true, .thinking = true};
  }

 protected:
  [[nodiscard]] net::HttpRequest build_request(const ChatRequest& request, const std::string& model,
                                               const std::string& api_key,
                                               bool stream) const override;
  [[nodiscard]] std::unique_ptr<ResponseDecoder> make_decoder(
      const ChatRequest& request) const override;
};

}  // namespace sakai::ai
