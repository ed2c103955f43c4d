#include "ai/http/api_error.h"

namespace sakai::ai {

std::string_view api_error_kind_name(ApiErrorKind kind) {
  switch (kind) {
    case ApiErrorKind::kAuth:
      return "auth";
    case ApiErrorKind::kBadRequest:
      return "bad request";
    case ApiErrorKind::kRateLimited:
      return "rate limited";
    case ApiErrorKind::kQuotaExhausted:
      return "quota exhausted";
    case ApiErrorKind::kSafetyBlocked:
      return "safety blocked";
    case ApiErrorKind::kUnavailable:
      return "unavailable";
    case ApiErrorKind::kTimeout:
      return "timeout";
    case ApiErrorKind::kMalformed:
      return "malformed response";
    case ApiErrorKind::kCancelled:
      return "cancelled";
  }
  return "unknown";
}

std::string_view api_cause_name(ApiCause cause) {
  switch (cause) {
    case ApiCause::kService:
      return "service";
    case ApiCause::kServerError:
      return "server error";
    case ApiCause::kConnectionRefused:
      return "connection refused";
    case ApiCause::kHostNotFound:
      return "host not found";
    case ApiCause::kConnectionLost:
      return "connection lost";
    case ApiCause::kTls:
      return "TLS failure";
    case ApiCause::kTimedOut:
      return "timed out";
    case ApiCause::kTransport:
      return "transport failure";
    case ApiCause::kCancelled:
      return "cancelled";
  }
  return "unknown";
}

std::string provider_display_name(std::string_view provider) {
  if (provider == "gemini") return "Gemini";
  if (provider == "openrouter") return "OpenRouter";
  if (provider == "openai") return "OpenAI";
  return std::string(provider);
}

std::string ApiError::describe() const {
  std::string out = provider.empty() ? std::string("llm") : provider;
  out += ": ";
  if (http_status != 0) out += "HTTP " + std::to_string(http_status) + " ";
  out += api_error_kind_name(kind);
  // The wire cause when it says more than the kind does.
  const bool cause_adds = cause != ApiCause::kService && cause != ApiCause::kCancelled &&
                          !(cause == ApiCause::kTimedOut && kind == ApiErrorKind::kTimeout) &&
                          !(cause == ApiCause::kServerError && http_status != 0);
  if (cause_adds) out += " [" + std::string(api_cause_name(cause)) + "]";
  if (!provider_code.empty()) out += " (" + provider_code + ")";
  if (retry_after) {
    const auto ms = retry_after->count();
    out += ", retry after " + std::to_string((ms + 999) / 1000) + " s";
  }
  if (!block_reason.empty()) out += ", reason " + block_reason;
  if (after_output) out += ", after part of the answer";
  if (!request_id.empty()) out += ", request id " + request_id;
  if (kind == ApiErrorKind::kAuth && provider != "llm" && !provider.empty()) {
    out += ": " + provider_display_name(provider) + " refused the key: check " + provider +
           ".api_keys";
  }
  if (!message.empty()) out += ": " + message;
  return out;
}

Status ApiError::to_status() const {
  ErrorCode code = ErrorCode::kInternal;
  switch (kind) {
    case ApiErrorKind::kAuth:
    case ApiErrorKind::kSafetyBlocked:
      code = ErrorCode::kPermissionDenied;
      break;
    case ApiErrorKind::kBadRequest:
      code = ErrorCode::kInvalidArgument;
      break;
    case ApiErrorKind::kRateLimited:
      code = ErrorCode::kRateLimited;
      break;
    case ApiErrorKind::kQuotaExhausted:
      code = ErrorCode::kFailedPrecondition;
      break;
    case ApiErrorKind::kUnavailable:
      code = ErrorCode::kUnavailable;
      break;
    case ApiErrorKind::kTimeout:
      code = ErrorCode::kDeadlineExceeded;
      break;
    case ApiErrorKind::kMalformed:
      code = ErrorCode::kCorrupt;
      break;
    case ApiErrorKind::kCancelled:
      code = ErrorCode::kCancelled;
      break;
  }
  return Status(code, describe());
}

bool ApiError::retryable() const {
  return kind == ApiErrorKind::kRateLimited || kind == ApiErrorKind::kUnavailable ||
         kind == ApiErrorKind::kTimeout;
}

}  // namespace sakai::ai
