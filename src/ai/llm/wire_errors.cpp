#include "ai/llm/wire_errors.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "ai/llm/json_fields.h"
#include "core/text.h"
#include "net/retry.h"

namespace sakai::ai {
namespace {

using nlohmann::json;

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

LlmError base_error(std::string_view provider, int http_status, LlmErrorKind kind) {
  LlmError e;
  e.provider = std::string(provider);
  e.http_status = http_status;
  e.kind = kind;
  return e;
}

}  // namespace

std::optional<std::chrono::milliseconds> to_retry_after(std::optional<Clock::Duration> hint) {
  if (!hint) return std::nullopt;
  return std::chrono::ceil<std::chrono::milliseconds>(std::max(*hint, Clock::Duration::zero()));
}

LlmErrorKind kind_for_http_status(int status) {
  switch (status) {
    case 401:
    case 403:
      return LlmErrorKind::kAuth;
    case 402:
      return LlmErrorKind::kQuotaExhausted;
    case 408:
    case 504:
      return LlmErrorKind::kTimeout;
    case 429:
      return LlmErrorKind::kRateLimited;
    default:
      break;
  }
  if (status >= 500) return LlmErrorKind::kUnavailable;
  if (status >= 400) return LlmErrorKind::kBadRequest;
  return LlmErrorKind::kMalformed;  // 1xx/3xx where an answer was expected
}

LlmError gemini_error(int http_status, const json& error_object) {
  const int code = static_cast<int>(int_field(error_object, "code"));
  const int status_code = http_status != 0 ? http_status : code;
  LlmError e = base_error("gemini", http_status, LlmErrorKind::kUnavailable);
  e.message = clip_provider_text(error_object.is_string() ? error_object.get<std::string>()
                                                          : string_field(error_object, "message"));
  const std::string status = string_field(error_object, "status");

  std::string reason;
  bool per_day = false;
  if (const auto* details = member(error_object, "details"); details && details->is_array()) {
    for (const auto& d : *details) {
      const std::string type = string_field(d, "@type");
      if (contains(type, "google.rpc.ErrorInfo")) {
        reason = string_field(d, "reason");
      } else if (contains(type, "google.rpc.RetryInfo")) {
        e.retry_after = to_retry_after(net::parse_proto_duration(string_field(d, "retryDelay")));
      } else if (contains(type, "google.rpc.QuotaFailure")) {
        if (const auto* v = member(d, "violations"); v && v->is_array()) {
          for (const auto& violation : *v) {
            if (contains(string_field(violation, "quotaId"), "PerDay")) per_day = true;
          }
        }
      }
    }
  }
  e.provider_code = !reason.empty() ? reason : status;

  if (reason == "API_KEY_INVALID" || status == "UNAUTHENTICATED" || status == "PERMISSION_DENIED" ||
      contains(e.message, "API key not valid")) {
    e.kind = LlmErrorKind::kAuth;
  } else if (status == "RESOURCE_EXHAUSTED" || status_code == 429) {
    // A daily quota does not clear in seconds: rotate keys or fall back, do not wait.
    e.kind = per_day ? LlmErrorKind::kQuotaExhausted : LlmErrorKind::kRateLimited;
  } else if (status == "DEADLINE_EXCEEDED") {
    e.kind = LlmErrorKind::kTimeout;
  } else if (status == "UNAVAILABLE" || status == "INTERNAL") {
    e.kind = LlmErrorKind::kUnavailable;
  } else if (status == "INVALID_ARGUMENT" || status == "FAILED_PRECONDITION" ||
             status == "NOT_FOUND" || status == "OUT_OF_RANGE") {
    e.kind = LlmErrorKind::kBadRequest;
  } else if (status_code != 0) {
    e.kind = kind_for_http_status(status_code);
  }
  return e;
}

LlmError gemini_http_error(int http_status, std::string_view body) {
  json j = json::parse(body, nullptr, false);
  // streamGenerateContent without alt=sse wraps everything, errors too, in an array.
  if (j.is_array() && !j.empty()) j = j.front();
  if (const auto* err = member(j, "error")) return gemini_error(http_status, *err);
  LlmError e = base_error("gemini", http_status, kind_for_http_status(http_status));
  e.message = clip_provider_text(body);
  return e;
}

LlmError openai_error(std::string_view provider, int http_status, const json& error_object,
                      std::optional<Clock::Duration> retry_hint) {
  LlmError e = base_error(provider, http_status, LlmErrorKind::kUnavailable);
  if (error_object.is_string()) {
    e.message = clip_provider_text(error_object.get<std::string>());
  } else {
    e.message = clip_provider_text(string_field(error_object, "message"));
  }
  const std::string type = string_field(error_object, "type");
  const auto* code_member = member(error_object, "code");
  const std::string code =
      code_member && code_member->is_string() ? code_member->get<std::string>() : std::string();
  const int numeric_code = code_member && code_member->is_number_integer()
                               ? static_cast<int>(code_member->get<long long>())
                               : 0;
  const int status = http_status != 0 ? http_status : numeric_code;
  e.provider_code = !code.empty() ? code : type;
  e.retry_after = to_retry_after(retry_hint);

  const auto is = [&](std::string_view what) { return code == what || type == what; };
  if (is("insufficient_quota")) {
    e.kind = LlmErrorKind::kQuotaExhausted;
  } else if (is("invalid_api_key") || is("authentication_error")) {
    e.kind = LlmErrorKind::kAuth;
  } else if (is("rate_limit_exceeded")) {
    e.kind = LlmErrorKind::kRateLimited;
  } else if (is("exceed_context_size_error") || is("invalid_request_error") ||
             is("context_length_exceeded")) {
    e.kind = status >= 500 ? LlmErrorKind::kUnavailable : LlmErrorKind::kBadRequest;
  } else if (is("not_found_error")) {
    e.kind = LlmErrorKind::kBadRequest;
  } else if (status == 403) {
    // OpenRouter moderation: metadata {reasons:[...], flagged_input, provider_name, ...}.
    const auto* metadata = member(error_object, "metadata");
    const auto* reasons = metadata ? member(*metadata, "reasons") : nullptr;
    if (reasons || (metadata && member(*metadata, "flagged_input"))) {
      e.kind = LlmErrorKind::kSafetyBlocked;
      e.block_reason = "moderation";
      if (reasons && reasons->is_array()) {
        for (const auto& r : *reasons) {
          if (r.is_string()) e.block_reason += ": " + r.get<std::string>();
        }
      }
    } else {
      e.kind = LlmErrorKind::kAuth;
    }
  } else if (status != 0) {
    e.kind = kind_for_http_status(status);
  } else {
    e.kind = LlmErrorKind::kUnavailable;  // "server_error" and friends inside a 200 stream
  }
  return e;
}

LlmError openai_http_error(std::string_view provider, int http_status, const HeaderMap& headers,
                           std::string_view body, Clock::WallTime now) {
  const auto hint = net::retry_hint_from_headers(headers, now);
  const json j = json::parse(body, nullptr, false);
  if (const auto* err = member(j, "error")) return openai_error(provider, http_status, *err, hint);
  LlmError e = base_error(provider, http_status, kind_for_http_status(http_status));
  e.message = clip_provider_text(body);
  e.retry_after = to_retry_after(hint);
  return e;
}

LlmError transport_error(std::string_view provider, const Status& status) {
  LlmErrorKind kind = LlmErrorKind::kUnavailable;
  if (status.code() == ErrorCode::kCancelled) kind = LlmErrorKind::kCancelled;
  if (status.code() == ErrorCode::kDeadlineExceeded) kind = LlmErrorKind::kTimeout;
  LlmError e = base_error(provider, 0, kind);
  e.message = clip_provider_text(status.message());
  return e;
}

std::string clip_provider_text(std::string_view raw, std::size_t max) {
  std::u32string cps = text::decode(raw);  // invalid bytes become U+FFFD
  std::u32string one_line;
  one_line.reserve(cps.size());
  bool space = false;
  for (const char32_t c : cps) {
    const bool blank = c == U' ' || c == U'\t' || c == U'\n' || c == U'\r' || c < 0x20 || c == 0x7f;
    if (blank) {
      space = !one_line.empty();
      continue;
    }
    if (space) one_line += U' ';
    space = false;
    one_line += c;
  }
  return text::truncate(text::encode(one_line), max);
}

}  // namespace sakai::ai
