#include "ai/http/wire_errors.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "ai/http/json_fields.h"
#include "core/text.h"
#include "net/retry.h"

namespace sakai::ai {
namespace {

using nlohmann::json;

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

ApiError base_error(std::string_view provider, int http_status, ApiErrorKind kind) {
  ApiError e;
  e.provider = std::string(provider);
  e.http_status = http_status;
  e.kind = kind;
  e.cause = cause_for_http_status(http_status);
  return e;
}

}  // namespace

std::optional<std::chrono::milliseconds> to_retry_after(std::optional<Clock::Duration> hint) {
  if (!hint) return std::nullopt;
  return std::chrono::ceil<std::chrono::milliseconds>(std::max(*hint, Clock::Duration::zero()));
}

ApiErrorKind kind_for_http_status(int status) {
  switch (status) {
    case 401:
    case 403:
      return ApiErrorKind::kAuth;
    case 402:
      return ApiErrorKind::kQuotaExhausted;
    case 408:
    case 504:
      return ApiErrorKind::kTimeout;
    case 429:
      return ApiErrorKind::kRateLimited;
    default:
      break;
  }
  if (status >= 500) return ApiErrorKind::kUnavailable;
  if (status >= 400) return ApiErrorKind::kBadRequest;
  return ApiErrorKind::kMalformed;  // 1xx/3xx where an answer was expected
}

ApiError gemini_error(int http_status, const json& error_object) {
  const int code = static_cast<int>(int_field(error_object, "code"));
  const int status_code = http_status != 0 ? http_status : code;
  ApiError e = base_error("gemini", http_status, ApiErrorKind::kUnavailable);
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
    e.kind = ApiErrorKind::kAuth;
  } else if (status == "RESOURCE_EXHAUSTED" || status_code == 429) {
    // A daily quota does not clear in seconds: rotate keys or fall back, do not wait.
    e.kind = per_day ? ApiErrorKind::kQuotaExhausted : ApiErrorKind::kRateLimited;
  } else if (status == "DEADLINE_EXCEEDED") {
    e.kind = ApiErrorKind::kTimeout;
  } else if (status == "UNAVAILABLE" || status == "INTERNAL") {
    e.kind = ApiErrorKind::kUnavailable;
  } else if (status == "INVALID_ARGUMENT" || status == "FAILED_PRECONDITION" ||
             status == "NOT_FOUND" || status == "OUT_OF_RANGE") {
    e.kind = ApiErrorKind::kBadRequest;
  } else if (status_code != 0) {
    e.kind = kind_for_http_status(status_code);
  }
  return e;
}

ApiError gemini_http_error(int http_status, std::string_view body) {
  json j = json::parse(body, nullptr, false);
  // streamGenerateContent without alt=sse wraps everything, errors too, in an array.
  if (j.is_array() && !j.empty()) j = j.front();
  if (const auto* err = member(j, "error")) return gemini_error(http_status, *err);
  ApiError e = base_error("gemini", http_status, kind_for_http_status(http_status));
  e.message = clip_provider_text(body);
  return e;
}

ApiError openai_error(std::string_view provider, int http_status, const json& error_object,
                      std::optional<Clock::Duration> retry_hint) {
  ApiError e = base_error(provider, http_status, ApiErrorKind::kUnavailable);
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
    e.kind = ApiErrorKind::kQuotaExhausted;
  } else if (is("invalid_api_key") || is("authentication_error")) {
    e.kind = ApiErrorKind::kAuth;
  } else if (is("rate_limit_exceeded")) {
    e.kind = ApiErrorKind::kRateLimited;
  } else if (is("exceed_context_size_error") || is("invalid_request_error") ||
             is("context_length_exceeded")) {
    e.kind = status >= 500 ? ApiErrorKind::kUnavailable : ApiErrorKind::kBadRequest;
  } else if (is("not_found_error")) {
    e.kind = ApiErrorKind::kBadRequest;
  } else if (status == 403) {
    // OpenRouter moderation: metadata {reasons:[...], flagged_input, provider_name, ...}.
    const auto* metadata = member(error_object, "metadata");
    const auto* reasons = metadata ? member(*metadata, "reasons") : nullptr;
    if (reasons || (metadata && member(*metadata, "flagged_input"))) {
      e.kind = ApiErrorKind::kSafetyBlocked;
      e.block_reason = "moderation";
      if (reasons && reasons->is_array()) {
        for (const auto& r : *reasons) {
          if (r.is_string()) e.block_reason += ": " + r.get<std::string>();
        }
      }
    } else {
      e.kind = ApiErrorKind::kAuth;
    }
  } else if (status != 0) {
    e.kind = kind_for_http_status(status);
  } else {
    e.kind = ApiErrorKind::kUnavailable;  // "server_error" and friends inside a 200 stream
  }
  return e;
}

ApiError openai_http_error(std::string_view provider, int http_status, const HeaderMap& headers,
                           std::string_view body, Clock::WallTime now) {
  const auto hint = net::retry_hint_from_headers(headers, now);
  const json j = json::parse(body, nullptr, false);
  if (const auto* err = member(j, "error")) return openai_error(provider, http_status, *err, hint);
  ApiError e = base_error(provider, http_status, kind_for_http_status(http_status));
  e.message = clip_provider_text(body);
  e.retry_after = to_retry_after(hint);
  return e;
}

ApiError transport_error(std::string_view provider, const Status& status) {
  ApiError e = base_error(provider, 0, ApiErrorKind::kUnavailable);
  e.message = clip_provider_text(status.message());
  // net::CurlHttpClient's wording (curl_http_client.cpp transport_error).
  const std::string_view m = status.message();
  switch (status.code()) {
    case ErrorCode::kCancelled:
      e.kind = ApiErrorKind::kCancelled;
      e.cause = ApiCause::kCancelled;
      return e;
    case ErrorCode::kDeadlineExceeded:
      e.kind = ApiErrorKind::kTimeout;
      e.cause = ApiCause::kTimedOut;
      return e;
    default:
      break;
  }
  if (contains(m, "could not resolve")) {
    e.cause = ApiCause::kHostNotFound;
  } else if (contains(m, "could not connect") || contains(m, "proxy ")) {
    e.cause = ApiCause::kConnectionRefused;
  } else if (contains(m, "connection reset") || contains(m, "closed") || contains(m, "partial")) {
    e.cause = ApiCause::kConnectionLost;
  } else if (contains(m, "TLS")) {
    e.cause = ApiCause::kTls;
  } else {
    e.cause = ApiCause::kTransport;
  }
  return e;
}

ApiCause cause_for_http_status(int status) {
  return status >= 500 ? ApiCause::kServerError : ApiCause::kService;
}

const std::vector<std::string>& default_request_id_headers() {
  static const std::vector<std::string> kNames = {"x-request-id", "x-generation-id", "request-id",
                                                  "x-goog-request-id", "x-cloud-trace-context"};
  return kNames;
}

std::string request_id_of(const HeaderMap& headers, const std::vector<std::string>& names) {
  for (const auto& name : names) {
    const auto it = headers.find(name);
    if (it == headers.end()) continue;
    const std::string id = clip_provider_text(it->second, 120);
    if (!id.empty()) return id;
  }
  return {};
}

std::string redact(std::string text, const std::vector<std::string>& secrets) {
  for (const auto& secret : secrets) {
    if (secret.size() < 4) continue;
    for (auto pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos)) {
      text.replace(pos, secret.size(), "***");
    }
  }
  return text;
}

std::string body_excerpt(std::string_view body, const std::vector<std::string>& secrets,
                         std::size_t max) {
  // Redacted before clipping too, so a key cut in half by the clip cannot survive.
  return redact(clip_provider_text(redact(std::string(body), secrets), max), secrets);
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
