#pragma once
// Error formats on the wire, mapped to ApiError, for every cloud adapter (LLM, speech, images).
// Gemini: {error:{code:int,message,status:"ENUM",details:[...]}} with RetryInfo.retryDelay.
// OpenAI-compatible: {error:{message,type,param,code}} (OpenAI, Ollama), {error:{code:int,
// message,metadata}} (OpenRouter), {error:{code:int,message,type}} (llama.cpp), plus the
// Retry-After / retry-after-ms headers. Hint parsing itself is net/retry.h's. Transport failures
// (net::HttpClient's Status) get a kind and a cause. Secrets are removed by redact().
// Pure functions; thread-safe.
#include <chrono>
#include <cstddef>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ai/http/api_error.h"
#include "core/clock.h"
#include "core/result.h"

namespace sakai::ai {

using HeaderMap = std::map<std::string, std::string>;  // lower-case names, as net:: gives them

// A retry hint from net/retry.h, rounded up to whole milliseconds.
std::optional<std::chrono::milliseconds> to_retry_after(std::optional<Clock::Duration> hint);

// The kind an HTTP status implies when the body says nothing more specific.
ApiErrorKind kind_for_http_status(int status);

// `error_object` is the value of the top-level "error" member. `http_status` is 0 for an error
// that arrived inside an HTTP 200 stream.
ApiError gemini_error(int http_status, const nlohmann::json& error_object);
ApiError gemini_http_error(int http_status, std::string_view body);

// `retry_hint`: from the response headers (net::retry_hint_from_headers), if any.
ApiError openai_error(std::string_view provider, int http_status,
                      const nlohmann::json& error_object,
                      std::optional<Clock::Duration> retry_hint = std::nullopt);
// `now` resolves a Retry-After given as an HTTP-date.
ApiError openai_http_error(std::string_view provider, int http_status, const HeaderMap& headers,
                           std::string_view body, Clock::WallTime now);

// A transport failure reported by net::HttpClient (no HTTP status): kCancelled, kTimeout or
// kUnavailable, with the cause (refused, DNS, reset, TLS, ...) read from net::'s message.
ApiError transport_error(std::string_view provider, const Status& status);

// The cause an HTTP status implies: kServerError for 5xx, else kService.
ApiCause cause_for_http_status(int status);

// Response headers that carry the service's request id, in the order they are looked for:
// x-request-id (OpenAI, Groq, most OpenAI-compatible servers), x-generation-id (OpenRouter),
// request-id, x-goog-request-id and x-cloud-trace-context (Google front ends; not documented for
// the Gemini API, AI-APIS.md).
const std::vector<std::string>& default_request_id_headers();
// The first of `names` present in `headers` (lower-case names), clipped to 120 bytes; "" if none.
std::string request_id_of(const HeaderMap& headers, const std::vector<std::string>& names);

// `text` with every occurrence of each secret (4 bytes or longer) replaced by "***".
std::string redact(std::string text, const std::vector<std::string>& secrets);
// An error body fit for a log line: one line, at most `max` code points, secrets removed.
std::string body_excerpt(std::string_view body, const std::vector<std::string>& secrets,
                         std::size_t max = 300);

// Provider text made fit for a message: valid UTF-8, one line, at most `max` code points.
std::string clip_provider_text(std::string_view text, std::size_t max = 300);

}  // namespace sakai::ai
