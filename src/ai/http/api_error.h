#pragma once
// The one error every cloud API call reports (LLM, speech-to-text, text-to-speech, images):
// what kind of failure it was, what the service said, and when to try again. ai/llm calls it
// LlmError (ai/llm/chat.h); the speech engines carry it in SttError and turn it into a Status.
// No JSON here: the wire formats are read by ai/http/wire_errors.h.
// Pure value types; thread-safe to copy and read.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "core/result.h"

namespace sakai::ai {

// What the caller should do about it. The user-facing message follows from the kind
// (ai/llm/error_messages.h).
enum class ApiErrorKind {
  kAuth,            // key missing, invalid, revoked or without permission
  kBadRequest,      // the service rejected the request (unknown model, too long, ...)
  kRateLimited,     // slow down: retryable after a while
  kQuotaExhausted,  // billing / daily quota: waiting seconds does not help
  kSafetyBlocked,   // the prompt or the answer was blocked by the service's filters
  kUnavailable,     // overloaded, 5xx, connection failure, stream cut short
  kTimeout,         // deadline exceeded
  kMalformed,       // the answer did not follow the documented wire format
  kCancelled,
};

// What happened on the wire, finer than the kind (for logs and /health): a kUnavailable may be a
// refused connection, a host that does not resolve or a 503 from an overloaded model.
enum class ApiCause {
  kService,            // the service answered and said so (status and/or error body)
  kServerError,        // HTTP 5xx
  kConnectionRefused,  // nothing listens there (or the proxy refused)
  kHostNotFound,       // DNS failure (host or proxy)
  kConnectionLost,     // reset, closed early, or the stream ended before the answer did
  kTls,                // TLS handshake or certificate failure
  kTimedOut,           // the request's deadline passed, or the stream went quiet
  kTransport,          // another transport failure
  kCancelled,          // the caller cancelled it
};

std::string_view api_error_kind_name(ApiErrorKind kind);
std::string_view api_cause_name(ApiCause cause);

struct ApiError {
  ApiErrorKind kind = ApiErrorKind::kUnavailable;
  ApiCause cause = ApiCause::kService;
  std::string provider;  // "gemini", "openrouter", "openai"; "llm" for the LLM chain itself
  int http_status = 0;   // 0: no HTTP status (transport failure, or an error inside HTTP 200)
  // The service's own explanation, clipped to one line; never contains a key.
  std::string message;
  std::string provider_code;  // "RESOURCE_EXHAUSTED", "insufficient_quota", ... when given
  // From the body (Gemini RetryInfo.retryDelay) or the Retry-After / retry-after-ms header.
  std::optional<std::chrono::milliseconds> retry_after;
  std::string block_reason;   // kSafetyBlocked: "SAFETY", "RECITATION", "content_filter", ...
  bool after_output = false;  // some of the answer had already been streamed to the caller
  // The service's id for the request (x-request-id and the like), for a support ticket.
  std::string request_id;
  // The start of the error body, one line, keys removed: for logs, never for users.
  std::string body_excerpt;

  // "gemini: HTTP 429 rate limited, retry after 26 s: You exceeded ..." — for logs and Status.
  [[nodiscard]] std::string describe() const;
  [[nodiscard]] Status to_status() const;
  // Worth trying again on the same service after a pause: rate limits, 5xx, timeouts.
  [[nodiscard]] bool retryable() const;
};

// A call's end: the value or the error, never both.
template <class T>
class ApiOutcome {
 public:
  ApiOutcome(T value) : value_(std::move(value)) {}         // NOLINT(google-explicit-*)
  ApiOutcome(ApiError error) : value_(std::move(error)) {}  // NOLINT(google-explicit-*)

  [[nodiscard]] bool ok() const { return std::holds_alternative<T>(value_); }
  [[nodiscard]] const T& value() const { return std::get<T>(value_); }
  [[nodiscard]] T& value() { return std::get<T>(value_); }
  [[nodiscard]] const ApiError& error() const { return std::get<ApiError>(value_); }
  [[nodiscard]] ApiError& error() { return std::get<ApiError>(value_); }

 private:
  std::variant<T, ApiError> value_;
};

// "Gemini", "OpenRouter", "OpenAI" — brand names for messages; unknown names pass through.
std::string provider_display_name(std::string_view provider);

}  // namespace sakai::ai
