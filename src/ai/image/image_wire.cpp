#include "ai/image/image_wire.h"

#include <cmath>
#include <nlohmann/json.hpp>
#include <utility>

#include "ai/http/json_fields.h"
#include "ai/http/wire_errors.h"
#include "core/text.h"
#include "net/retry.h"

namespace sakai::ai::image {
namespace {

using nlohmann::json;

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

// An HTML page's <title>, or "".
std::string html_title(std::string_view body) {
  const std::string lower = text::ascii_lower(body.substr(0, 16 * 1024));
  const auto open = lower.find("<title");
  if (open == std::string::npos) return {};
  const auto start = lower.find('>', open);
  const auto end = lower.find("</title", open);
  if (start == std::string::npos || end == std::string::npos || end <= start) return {};
  return clip_provider_text(body.substr(start + 1, end - start - 1), 160);
}

std::string upper(std::string s) {
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
  }
  return s;
}

}  // namespace

std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3);
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    const bool unreserved = (u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') ||
                            (u >= '0' && u <= '9') || u == '-' || u == '.' || u == '_' || u == '~';
    if (unreserved) {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0x0F];
    }
  }
  return out;
}

std::string json_error_text(const json& j) {
  if (const auto* err = member(j, "error")) {
    if (err->is_string()) return err->get<std::string>();
    if (err->is_array() && !err->empty() && err->front().is_string()) {
      return err->front().get<std::string>();
    }
    const std::string m = string_field(*err, "message");
    if (!m.empty()) return m;
  }
  for (const char* key : {"message", "detail", "msg"}) {
    const std::string m = string_field(j, key);
    if (!m.empty()) return m;
  }
  if (const auto* errors = member(j, "errors"); errors && errors->is_array() && !errors->empty()) {
    const json& first = errors->front();
    if (first.is_string()) return first.get<std::string>();
    const std::string m = string_field(first, "message");
    if (!m.empty()) return m;
  }
  if (const auto* err = member(j, "error")) return string_field(*err, "code");
  return {};
}

WireErrorMapper image_error_mapper(std::string provider) {
  return [provider = std::move(provider)](int status, const HeaderMap& headers,
                                          std::string_view body, Clock::WallTime now) {
    ApiError e;
    e.provider = provider;
    e.http_status = status;
    e.kind = kind_for_http_status(status);
    e.cause = cause_for_http_status(status);
    e.retry_after = to_retry_after(net::retry_hint_from_headers(headers, now));
    const json j = json::parse(body, nullptr, false);
    if (j.is_object()) {
      e.message = clip_provider_text(json_error_text(j));
      // Pollinations: {"error":{"code":"UNAUTHORIZED"}}; Cloudflare: {"errors":[{"code":10000}]}.
      if (const auto* err = member(j, "error"); err && err->is_object()) {
        e.provider_code = string_field(*err, "code");
      } else if (const auto* errors = member(j, "errors");
                 errors && errors->is_array() && !errors->empty()) {
        e.provider_code = string_field(errors->front(), "code");
      }
      const std::string code = upper(e.provider_code);
      if (code == "UNAUTHORIZED" || code == "FORBIDDEN") {
        e.kind = ApiErrorKind::kAuth;
      } else if (code == "PAYMENT_REQUIRED" || code == "INSUFFICIENT_BALANCE") {
        e.kind = ApiErrorKind::kQuotaExhausted;
      }
      // Hugging Face while a model cold-starts: 503 {"error": "...is currently loading",
      // "estimated_time": 20.0}.
      if (const auto* eta = member(j, "estimated_time"); eta && eta->is_number()) {
        const double seconds = std::max(0.0, eta->get<double>());
        e.retry_after =
            std::chrono::milliseconds(static_cast<long long>(std::ceil(seconds * 1000)));
        e.provider_code = std::string(kModelLoadingCode);
        e.kind = ApiErrorKind::kUnavailable;
      } else if (status == 503 && contains(text::ascii_lower(e.message), "currently loading")) {
        e.provider_code = std::string(kModelLoadingCode);
      }
    } else {
      const std::string title = html_title(body);
      e.message = !title.empty() ? "HTML error page: " + title : clip_provider_text(body);
    }
    return e;
  };
}

WireErrorMapper openai_image_error_mapper(std::string provider) {
  return [provider = std::move(provider)](int status, const HeaderMap& headers,
                                          std::string_view body, Clock::WallTime now) {
    ApiError e = openai_http_error(provider, status, headers, body, now);
    const std::string message = text::ascii_lower(e.message);
    if (e.provider_code == "content_policy_violation" || e.provider_code == "moderation_blocked" ||
        contains(message, "safety system") || contains(message, "content policy")) {
      e.kind = ApiErrorKind::kSafetyBlocked;
      e.block_reason = !e.provider_code.empty() ? e.provider_code : "content_policy";
    }
    if (!json::parse(body, nullptr, false).is_object()) {
      const std::string title = html_title(body);
      if (!title.empty()) e.message = "HTML error page: " + title;
    }
    return e;
  };
}

WireErrorMapper image_url_error_mapper(std::string provider) {
  return [provider = std::move(provider)](int status, const HeaderMap& headers,
                                          std::string_view body, Clock::WallTime now) {
    ApiError e = image_error_mapper(provider)(status, headers, body, now);
    if (status == 403 || status == 404 || status == 410 || e.kind == ApiErrorKind::kAuth) {
      e.kind = ApiErrorKind::kUnavailable;
      e.provider_code = std::string(kUrlExpiredCode);
      e.message = "the image link expired or is gone (HTTP " + std::to_string(status) + ")";
    }
    return e;
  };
}

}  // namespace sakai::ai::image
