#pragma once
// The one internal chat format every LLM adapter translates to and from, and the typed error
// every adapter reports (ai/http/api_error.h). No JSON here: wire formats live in the adapters.
// Pure value types; thread-safe to copy and read.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ai/http/api_error.h"

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

// The LLM adapters report the one cloud API error (ai/http/api_error.h) under these names.
using LlmErrorKind = ApiErrorKind;
using LlmError = ApiError;

inline std::string_view llm_error_kind_name(LlmErrorKind kind) {
  return api_error_kind_name(kind);
}

}  // namespace sakai::ai
