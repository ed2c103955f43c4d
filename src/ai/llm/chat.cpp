#include "ai/llm/chat.h"

namespace sakai::ai {

std::string_view llm_error_kind_name(LlmErrorKind kind) {
  switch (kind) {
    case LlmErrorKind::kAuth:
      return "auth";
    case LlmErrorKind::kBadRequest:
      return "bad request";
    case LlmErrorKind::kRateLimited:
      return "rate limited";
    case LlmErrorKind::kQuotaExhausted:
      return "quota exhausted";
    case LlmErrorKind::kSafetyBlocked:
      return "safety blocked";
    case LlmErrorKind::kUnavailable:
      return "unavailable";
    case LlmErrorKind::kTimeout:
      return "timeout";
    case LlmErrorKind::kMalformed:
      return "malformed response";
    case LlmErrorKind::kCancelled:
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

std::string LlmError::describe() const {
  std::string out = provider.empty() ? std::string("llm") : provider;
  out += ": ";
  if (http_status != 0) out += "HTTP " + std::to_string(http_status) + " ";
  out += llm_error_kind_name(kind);
  if (!provider_code.empty()) out += " (" + provider_code + ")";
  if (retry_after) {
    const auto ms = retry_after->count();
    out += ", retry after " + std::to_string((ms + 999) / 1000) + " s";
  }
  if (!block_reason.empty()) out += ", reason " + block_reason;
  if (after_output) out += ", after part of the answer";
  if (kind == LlmErrorKind::kAuth && provider != "llm" && !provider.empty()) {
    out += ": " + provider_display_name(provider) + " refused the key: check " + provider +
           ".api_keys";
  }
  if (!message.empty()) out += ": " + message;
  return out;
}

Status LlmError::to_status() const {
  ErrorCode code = ErrorCode::kInternal;
  switch (kind) {
    case LlmErrorKind::kAuth:
    case LlmErrorKind::kSafetyBlocked:
      code = ErrorCode::kPermissionDenied;
      break;
    case LlmErrorKind::kBadRequest:
      code = ErrorCode::kInvalidArgument;
      break;
    case LlmErrorKind::kRateLimited:
      code = ErrorCode::kRateLimited;
      break;
    case LlmErrorKind::kQuotaExhausted:
      code = ErrorCode::kFailedPrecondition;
      break;
    case LlmErrorKind::kUnavailable:
      code = ErrorCode::kUnavailable;
      break;
    case LlmErrorKind::kTimeout:
      code = ErrorCode::kDeadlineExceeded;
      break;
    case LlmErrorKind::kMalformed:
      code = ErrorCode::kCorrupt;
      break;
    case LlmErrorKind::kCancelled:
      code = ErrorCode::kCancelled;
      break;
  }
  return Status(code, describe());
}

bool LlmError::retryable() const {
  return kind == LlmErrorKind::kRateLimited || kind == LlmErrorKind::kUnavailable ||
         kind == LlmErrorKind::kTimeout;
}

}  // namespace sakai::ai
