#pragma once
// The one internal chat format every LLM adapter translates to and from, and the typed error
// every adapter reports. No JSON here: wire formats live in the adapters.
// Pure value types; thread-safe to copy and read.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace sakai::ai {

enum class ChatRole { kSystem, kUser, kAssistant };

struct ChatMessage {
  ChatRole role = ChatRole::kUser;
  std::string text;
};

struct ChatRequest {
  std::string model;               // empty: the provider's configured default
  std::string system_instruction;  // empty: none
  std::vector<ChatMessage> messages;
  bool think = false;  // ask for reasoning, and return the model's thoughts when it shares them
  bool web = false;    // ground the answer in a web search (Gemini google_search)
  std::optional<double> temperature;
  std::optional<int> max_output_tokens;
};

struct Usage {
  long long input_tokens = 0;
  long long output_tokens = 0;  // answer tokens, without thinking
  long long thinking_tokens = 0;
  long long total = 0;
};

struct Source {
  std::string title;
  std::string url;
};

// One streamed piece: appended answer text and/or appended thinking text.
struct ChatDelta {
  std::string text;
  std::string thinking;
};

struct ChatResult {
  std::string text;
  std::string thinking;
  Usage usage;
  std::vector<Source> sources;
  // Normalised: "stop", "length", "content_filter", or the provider's value in lower case.
  std::string finish_reason;
  std::string model;     // as the provider reports it, else the model asked for
  std::string provider;  // "gemini", "openrouter", "openai"
};

enum class LlmErrorKind {
  kAuth,            // key missing, invalid, revoked or without permission
  kBadRequest,      // the provider rejected the request (unknown model, too long, ...)
  kRateLimited,     // slow down: retryable after a while
  kQuotaExhausted,  // billing / daily quota: waiting seconds does not help
  kSafetyBlocked,   // the prompt or the answer was blocked by the provider's filters
  kUnavailable,     // overloaded, 5xx, connection failure, stream cut short
  kTimeout,         // deadline exceeded
  kMalformed,       // the answer did not follow the documented wire format
  kCancelled,
};

std::string_view llm_error_kind_name(LlmErrorKind kind);

struct LlmError {
  LlmErrorKind kind = LlmErrorKind::kUnavailable;
  std::string provider;  // "gemini", "openrouter", "openai"; "llm" for the chain itself
  int http_status = 0;   // 0: no HTTP status (transport failure, or an error inside HTTP 200)
  // The provider's own explanation, clipped; never contains a key.
  std::string message;
  std::string provider_code;  // "RESOURCE_EXHAUSTED", "insufficient_quota", ... when given
  std::optional<std::chrono::milliseconds> retry_after;
  std::string block_reason;   // kSafetyBlocked: "SAFETY", "RECITATION", "content_filter", ...
  bool after_output = false;  // some of the answer had already been streamed to the caller

  // "gemini: HTTP 429 rate limited, retry after 26 s: You exceeded ..." — for logs and Status.
  [[nodiscard]] std::string describe() const;
  [[nodiscard]] Status to_status() const;
  // Worth trying again on the same provider after a pause: rate limits, 5xx, timeouts.
  [[nodiscard]] bool retryable() const;
};

// "Gemini", "OpenRouter", "OpenAI" — brand names for messages; unknown names pass through.
std::string provider_display_name(std::string_view provider);

}  // namespace sakai::ai
