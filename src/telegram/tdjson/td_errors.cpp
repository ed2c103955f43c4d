#include "telegram/tdjson/td_errors.h"

namespace sakai::telegram::tdjson {
namespace {

std::optional<int> number_after(std::string_view text, std::string_view marker) {
  const auto pos = text.find(marker);
  if (pos == std::string_view::npos) return std::nullopt;
  std::size_t i = pos + marker.size();
  if (i >= text.size() || text[i] < '0' || text[i] > '9') return std::nullopt;
  long long n = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
    n = n * 10 + (text[i] - '0');
    if (n > 1'000'000'000) return std::nullopt;
  }
  return static_cast<int>(n);
}
}  // namespace

Status td_error_status(int code, std::string_view message) {
  std::string text = "tdlib: " + std::to_string(code) + " " + std::string(message);
  switch (code) {
    case 429:
      if (message.find("retry after ") == std::string_view::npos) {
        // A raw "FLOOD_WAIT_N" is the same thing; keep N findable by retry_after_seconds().
        if (auto n = number_after(message, "FLOOD_WAIT_")) {
          text += " (retry after " + std::to_string(*n) + ")";
        }
      }
      return make_error(ErrorCode::kRateLimited, std::move(text));
    case 400:
      return make_error(ErrorCode::kInvalidArgument, std::move(text));
    case 401:
    case 403:
      return make_error(ErrorCode::kPermissionDenied, std::move(text));
    case 404:
      return make_error(ErrorCode::kNotFound, std::move(text));
    case 500:
      if (message == "Request aborted") return make_error(ErrorCode::kCancelled, std::move(text));
      return make_error(ErrorCode::kUnavailable, std::move(text));
    default:
      return make_error(ErrorCode::kUnavailable, std::move(text));
  }
}

std::optional<int> retry_after_seconds(const Status& status) {
  if (status.code() != ErrorCode::kRateLimited) return std::nullopt;
  return number_after(status.message(), "retry after ");
}

}  // namespace sakai::telegram::tdjson
