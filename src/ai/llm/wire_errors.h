#pragma once
// Error formats on the wire, mapped to LlmError. Internal to the adapters (src/ai/llm).
// Gemini: {error:{code:int,message,status:"ENUM",details:[...]}} with RetryInfo.retryDelay.
// OpenAI-compatible: {error:{message,type,param,code}} (OpenAI, Ollama), {error:{code:int,
// message,metadata}} (OpenRouter), {error:{code:int,message,type}} (llama.cpp), plus the
// Retry-After / retry-after-ms headers. Hint parsing itself is net/retry.h's.
// Pure functions; thread-safe.
#include <chrono>
#include <cstddef>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "ai/llm/chat.h"
#include "core/clock.h"
#include "core/result.h"

namespace sakai::ai {

using HeaderMap = std::map<std::string, std::string>;  // lower-case names, as net:: gives them

// A retry hint from net/retry.h, rounded up to whole milliseconds.
std::optional<std::chrono::milliseconds> to_retry_after(std::optional<Clock::Duration> hint);

// The kind an HTTP status implies when the body says nothing more specific.
LlmErrorKind kind_for_http_status(int status);

// `error_object` is the value of the top-level "error" member. `http_status` is 0 for an error
// that arrived inside an HTTP 200 stream.
LlmError gemini_error(int http_status, const nlohmann::json& error_object);
LlmError gemini_http_error(int http_status, std::string_view body);

// `retry_hint`: from the response headers (net::retry_hint_from_headers), if any.
LlmError openai_error(std::string_view provider, int http_status,
                      const nlohmann::json& error_object,
                      std::optional<Clock::Duration> retry_hint = std::nullopt);
// `now` resolves a Retry-After given as an HTTP-date.
LlmError openai_http_error(std::string_view provider, int http_status, const HeaderMap& headers,
                           std::string_view body, Clock::WallTime now);

// A transport failure reported by net::HttpClient (no HTTP status).
LlmError transport_error(std::string_view provider, const Status& status);

// Provider text made fit for a message: valid UTF-8, one line, at most `max` code points.
std::string clip_provider_text(std::string_view text, std::size_t max = 300);

}  // namespace sakai::ai
