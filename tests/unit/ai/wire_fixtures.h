#pragma once
// Wire payloads as documented in /work/shared/reference/AI-APIS.md (section named on each).
// Where a section shows one shape, variants keep it and only change texts, so the framing stays
// byte-exact. Line ends are LF here; tests convert to CRLF / CR where the framing allows it.
#include <string_view>

namespace sakai::ai::testing::wire {

// --- Gemini ------------------------------------------------------------------------------------

// 1.5: streamGenerateContent?alt=sse, two events, cumulative usageMetadata, no [DONE].
inline constexpr std::string_view kGeminiStream =
    R"(data: {"candidates": [{"content": {"parts": [{"text": "Okay"}],"role": "model"}}],"usageMetadata": {"promptTokenCount": 2304,"totalTokenCount": 2304},"modelVersion": "gemini-2.0-flash"})"
    "\n\n"
    R"(data: {"candidates": [{"content": {"parts": [{"text": ""}],"role": "model"},"finishReason": "STOP"}],"usageMetadata": {"promptTokenCount": 2301,"candidatesTokenCount": 1,"totalTokenCount": 2302},"modelVersion": "gemini-2.0-flash"})"
    "\n\n";

// 1.5 framing with a multi-byte answer (Persian), for cuts inside UTF-8 sequences.
inline constexpr std::string_view kGeminiStreamPersian =
    R"(data: {"candidates": [{"content": {"parts": [{"text": "سلام، "}],"role": "model"}}],"usageMetadata": {"promptTokenCount": 5,"totalTokenCount": 5},"modelVersion": "gemini-2.5-flash"})"
    "\n\n"
    R"(data: {"candidates": [{"content": {"parts": [{"text": "دنیا 🌍"}],"role": "model"},"finishReason": "STOP"}],"usageMetadata": {"promptTokenCount": 5,"candidatesTokenCount": 4,"totalTokenCount": 9},"modelVersion": "gemini-2.5-flash"})"
    "\n\n";

// 1.2/1.3/1.5: includeThoughts; thought parts stream first with "thought": true.
inline constexpr std::string_view kGeminiThinkingStream =
    R"(data: {"candidates": [{"content": {"parts": [{"text": "**Weighing options** The user greets me.", "thought": true}],"role": "model"}}],"usageMetadata": {"promptTokenCount": 4,"totalTokenCount": 4,"thoughtsTokenCount": 12},"modelVersion": "gemini-2.5-flash"})"
    "\n\n"
    R"(data: {"candidates": [{"content": {"parts": [{"text": "Hi"}, {"text": " there!"}],"role": "model"},"finishReason": "STOP"}],"usageMetadata": {"promptTokenCount": 4,"candidatesTokenCount": 3,"thoughtsTokenCount": 12,"totalTokenCount": 19},"modelVersion": "gemini-2.5-flash"})"
    "\n\n";

// 1.3 + 1.4: a non-stream answer grounded with google_search.
inline constexpr std::string_view kGeminiGrounded = R"({
  "candidates": [{
    "content": {"parts": [{"text": "*   **GOOG ...:** $187.07"}], "role": "model"},
    "finishReason": "STOP",
    "groundingMetadata": {
      "searchEntryPoint": {"renderedContent": "<style>...</style><div class=\"container\">...</div>"},
      "groundingChunks": [
        {"web": {"uri": "https://vertexaisearch.cloud.google.com/grounding-api-redirect/AUBnsY1", "title": "tradingview.com"}},
        {"web": {"uri": "https://vertexaisearch.cloud.google.com/grounding-api-redirect/AUBnsY2", "title": "google.com"}}
      ],
      "groundingSupports": [
        {"segment": {"startIndex": 0, "endIndex": 25, "text": "*   **GOOG ...:** $187.07"},
         "groundingChunkIndices": [0], "confidenceScores": [0.9517465]}
      ],
      "retrievalMetadata": {},
      "webSearchQueries": ["current Google stock price"]
    }
  }],
  "usageMetadata": {"promptTokenCount": 7, "candidatesTokenCount": 12, "totalTokenCount": 19},
  "modelVersion": "gemini-2.5-flash",
  "responseId": "TPBPaOzJEdaY1MkPy5fzkQ0"
})";

// 1.3: a blocked prompt, HTTP 200, no candidates.
inline constexpr std::string_view kGeminiPromptBlocked =
    R"({"promptFeedback": {"blockReason": "SAFETY",
  "safetyRatings": [{"category": "HARM_CATEGORY_HARASSMENT", "probability": "MEDIUM"}]}})";

// 1.3/1.5: finishReason SAFETY with empty content, streamed.
inline constexpr std::string_view kGeminiFinishSafetyStream =
    R"(data: {"candidates": [{"content": {"parts": [{"text": ""}],"role": "model"},"finishReason": "SAFETY","safetyRatings": [{"category": "HARM_CATEGORY_DANGEROUS_CONTENT","probability": "HIGH","blocked": true}]}],"usageMetadata": {"promptTokenCount": 8,"totalTokenCount": 8},"modelVersion": "gemini-2.5-flash"})"
    "\n\n";

// 1.3: finishReason RECITATION, no content at all.
inline constexpr std::string_view kGeminiFinishRecitation =
    R"({"candidates": [{"finishReason": "RECITATION", "index": 0}], "usageMetadata": {"promptTokenCount": 8, "totalTokenCount": 8}, "modelVersion": "gemini-2.5-flash"})";

// 1.5: a mid-stream failure after HTTP 200: a bare multi-line JSON object without "data:".
inline constexpr std::string_view kGeminiErrorAfter200 =
    R"(data: {"candidates": [{"content": {"parts": [{"text": "The first"}],"role": "model"}}],"usageMetadata": {"promptTokenCount": 3,"totalTokenCount": 3},"modelVersion": "gemini-2.0-flash"})"
    "\n\n"
    R"({
  "error": {
    "code": 503,
    "message": "The model is overloaded. Please try again later.",
    "status": "UNAVAILABLE"
  }
}
)";

// 1.6: 429 with QuotaFailure, Help and RetryInfo 26s.
inline constexpr std::string_view kGemini429 = R"({"error": {
  "code": 429,
  "message": "You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.",
  "status": "RESOURCE_EXHAUSTED",
  "details": [
    {"@type": "type.googleapis.com/google.rpc.QuotaFailure",
     "violations": [{"quotaMetric": "generativelanguage.googleapis.com/generate_content_free_tier_input_token_count",
                     "quotaId": "GenerateContentInputTokensPerModelPerMinute-FreeTier",
                     "quotaDimensions": {"location": "global", "model": "gemini-2.5-flash"},
                     "quotaValue": "250000"}]},
    {"@type": "type.googleapis.com/google.rpc.Help",
     "links": [{"description": "Learn more about Gemini API quotas", "url": "https://ai.google.dev/gemini-api/docs/rate-limits"}]},
    {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "26s"}
  ]}})";

// 1.6: the same shape for a daily quota (a ...PerDay... quotaId), fractional retryDelay.
inline constexpr std::string_view kGemini429PerDay = R"({"error": {
  "code": 429,
  "message": "You exceeded your current quota, please check your plan and billing details.",
  "status": "RESOURCE_EXHAUSTED",
  "details": [
    {"@type": "type.googleapis.com/google.rpc.QuotaFailure",
     "violations": [{"quotaMetric": "generativelanguage.googleapis.com/generate_content_free_tier_requests",
                     "quotaId": "GenerateRequestsPerDayPerProjectPerModel-FreeTier",
                     "quotaDimensions": {"location": "global", "model": "gemini-2.5-flash"},
                     "quotaValue": "250"}]},
    {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "25.465784708s"}
  ]}})";

// 1.6: an invalid key is 400 INVALID_ARGUMENT with ErrorInfo API_KEY_INVALID.
inline constexpr std::string_view kGeminiBadKey = R"({
  "error": {
    "code": 400,
    "message": "API key not valid. Please pass a valid API key.",
    "status": "INVALID_ARGUMENT",
    "details": [
      {
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        "reason": "API_KEY_INVALID",
        "domain": "googleapis.com",
        "metadata": {"service": "generativelanguage.googleapis.com"}
      },
      {
        "@type": "type.googleapis.com/google.rpc.LocalizedMessage",
        "locale": "en-US",
        "message": "API key not valid. Please pass a valid API key."
      }
    ]
  }
}
)";

// 1.6: no key at all is 403 PERMISSION_DENIED.
inline constexpr std::string_view kGeminiNoKey =
    R"({"error": {"code": 403, "message": "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.", "status": "PERMISSION_DENIED"}})";

// 1.6: 503 overloaded.
inline constexpr std::string_view kGemini503 =
    R"({"error": {"code": 503, "message": "The model is overloaded. Please try again later.", "status": "UNAVAILABLE"}})";

// 1.6: 500 INTERNAL.
inline constexpr std::string_view kGemini500 =
    R"({"error": {"code": 500, "message": "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting", "status": "INTERNAL"}})";

// 1.3: a plain non-stream answer.
inline constexpr std::string_view kGeminiAnswer = R"({
  "candidates": [{
    "content": {"parts": [{"text": "This clip is ..."}], "role": "model"},
    "finishReason": "STOP",
    "avgLogprobs": -0.68
  }],
  "usageMetadata": {
    "promptTokenCount": 754, "candidatesTokenCount": 49, "totalTokenCount": 803,
    "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 4}, {"modality": "AUDIO", "tokenCount": 750}],
    "candidatesTokensDetails": [{"modality": "TEXT", "tokenCount": 49}]
  },
  "modelVersion": "gemini-2.0-flash",
  "responseId": "TPBPaOzJEdaY1MkPy5fzkQ0"
})";

// --- OpenAI-compatible -------------------------------------------------------------------------

// 2.3: role chunk, delta, finish chunk, usage chunk (choices: []), [DONE].
inline constexpr std::string_view kOpenAiStream =
    R"(data: {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini","system_fingerprint":"fp_44709d6fcb","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}],"usage":null})"
    "\n\n"
    R"(data: {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"Hello"},"logprobs":null,"finish_reason":null}],"usage":null})"
    "\n\n"
    R"(data: {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null})"
    "\n\n"
    R"(data: {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":12,"total_tokens":21}})"
    "\n\n"
    "data: [DONE]\n\n";

// 2.2: a non-stream answer.
inline constexpr std::string_view kOpenAiAnswer =
    R"({"id": "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT", "object": "chat.completion", "created": 1741569952,
 "model": "gpt-5.4",
 "choices": [{"index": 0,
   "message": {"role": "assistant", "content": "Hello! How can I assist you today?", "refusal": null, "annotations": []},
   "logprobs": null, "finish_reason": "stop"}],
 "usage": {"prompt_tokens": 19, "completion_tokens": 10, "total_tokens": 29,
   "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
   "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0,
     "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0}},
 "service_tier": "default"})";

// 2.4: 429 insufficient_quota (not retryable).
inline constexpr std::string_view kOpenAiInsufficientQuota =
    R"({"error": {"message": "You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.",
           "type": "insufficient_quota", "param": null, "code": "insufficient_quota"}})";

// 2.4: 429 rate limit (sent with a Retry-After header).
inline constexpr std::string_view kOpenAiRateLimited =
    R"({"error": {"message": "Rate limit reached for gpt-4o-mini in organization org-abc on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s.",
           "type": "requests", "param": null, "code": "rate_limit_exceeded"}})";

// 2.4: 401 for a bad key (OpenAI masks the key it echoes).
inline constexpr std::string_view kOpenAiBadKey =
    R"({"error": {"message": "Incorrect API key provided: sk-test-***ey-1. You can find your API key at https://platform.openai.com/account/api-keys.", "type": "invalid_request_error", "param": null, "code": "invalid_api_key"}})";

// 2.8: keep-alive comments (also before the first event), content, then the mid-stream error
// chunk with finish_reason "error".
inline constexpr std::string_view kOpenRouterMidStreamError =
    ": OPENROUTER PROCESSING\n\n"
    R"(data: {"id":"cmpl-abc123","object":"chat.completion.chunk","created":1234567890,"model":"gpt-3.5-turbo","provider":"openai","choices":[{"index":0,"delta":{"role":"assistant","content":"Hello"},"finish_reason":null}]})"
    "\n\n"
    ": OPENROUTER PROCESSING\n\n"
    R"(data: {"id":"cmpl-abc123","object":"chat.completion.chunk","created":1234567890,"model":"gpt-3.5-turbo","provider":"openai","error":{"code":"server_error","message":"Provider disconnected unexpectedly"},"choices":[{"index":0,"delta":{"content":""},"finish_reason":"error"}]})"
    "\n\n";

// 2.8: reasoning deltas (delta.reasoning), comments, usage in the last chunk, [DONE].
inline constexpr std::string_view kOpenRouterReasoningStream =
    ": OPENROUTER PROCESSING\n\n"
    R"(data: {"id":"gen-1","object":"chat.completion.chunk","created":1,"model":"deepseek/deepseek-r1","choices":[{"index":0,"delta":{"role":"assistant","content":"","reasoning":"The user says hi. "},"finish_reason":null}]})"
    "\n\n"
    R"(data: {"id":"gen-1","object":"chat.completion.chunk","created":1,"model":"deepseek/deepseek-r1","choices":[{"index":0,"delta":{"content":"","reasoning":"Greet back."},"finish_reason":null}]})"
    "\n\n"
    R"(data: {"id":"gen-1","object":"chat.completion.chunk","created":1,"model":"deepseek/deepseek-r1","choices":[{"index":0,"delta":{"content":"Hi!"},"finish_reason":null}]})"
    "\n\n"
    R"(data: {"id":"gen-1","object":"chat.completion.chunk","created":1,"model":"deepseek/deepseek-r1","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":194,"completion_tokens":9,"total_tokens":203,"cost":0.95,"cost_details":{"upstream_inference_cost":19},"prompt_tokens_details":{"cached_tokens":0,"cache_write_tokens":100,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":7}}})"
    "\n\n"
    "data: [DONE]\n\n";

// 2.8: 402 insufficient credits.
inline constexpr std::string_view kOpenRouter402 =
    R"({"error": {"code": 402, "message": "Insufficient credits. Add more using https://openrouter.ai/credits", "metadata": {}}})";

// 2.8: 403 moderation.
inline constexpr std::string_view kOpenRouter403Moderation =
    R"({"error": {"code": 403, "message": "Input was flagged by moderation", "metadata": {"reasons": ["harassment"], "flagged_input": "...", "provider_name": "OpenAI", "model_slug": "openai/gpt-4o"}}})";

// 2.10: llama.cpp's non-standard "error:" SSE field, then [DONE].
inline constexpr std::string_view kLlamaCppErrorField =
    R"(error: {"code":400,"message":"the request exceeds the available context size, try increasing it","type":"exceed_context_size_error"})"
    "\n\n"
    "data: [DONE]\n\n";

// 2.10: reasoning_content deltas (DeepSeek style) and ping comments.
inline constexpr std::string_view kLlamaCppReasoningStream =
    ": ping\n\n"
    R"(data: {"choices":[{"finish_reason":null,"index":0,"delta":{"role":"assistant","content":null,"reasoning_content":"Two plus two."}}],"created":1,"id":"chatcmpl-x","model":"qwen3","object":"chat.completion.chunk"})"
    "\n\n"
    R"(data: {"choices":[{"finish_reason":null,"index":0,"delta":{"content":"4"}}],"created":1,"id":"chatcmpl-x","model":"qwen3","object":"chat.completion.chunk"})"
    "\n\n"
    R"(data: {"choices":[{"finish_reason":"stop","index":0,"delta":{}}],"created":1,"id":"chatcmpl-x","model":"qwen3","object":"chat.completion.chunk","usage":{"completion_tokens":6,"prompt_tokens":12,"total_tokens":18}})"
    "\n\n"
    "data: [DONE]\n\n";

// 2.2/2.3: finish_reason content_filter with no content.
inline constexpr std::string_view kOpenAiContentFilter =
    R"({"id": "chatcmpl-9", "object": "chat.completion", "created": 1, "model": "gpt-4o-mini",
 "choices": [{"index": 0, "message": {"role": "assistant", "content": null, "refusal": null}, "logprobs": null, "finish_reason": "content_filter"}],
 "usage": {"prompt_tokens": 5, "completion_tokens": 0, "total_tokens": 5}})";

// 2.9: Ollama's error shape.
inline constexpr std::string_view kOllamaNotFound =
    R"({"error": {"message": "model \"llama9\" not found, try pulling it first", "type": "not_found_error", "param": null, "code": null}})";

}  // namespace sakai::ai::testing::wire
