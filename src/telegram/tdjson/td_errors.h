#pragma once
// TDLib's error object {"@type":"error","code":N,"message":"..."} as a Status. The one mapping
// every TDLib caller uses (TdClient for answers, the decoders for error objects handed to them).
// Pure functions; thread-safe.
#include <optional>
#include <string_view>

#include "core/result.h"

namespace sakai::telegram::tdjson {

// TDLib's error object {"@type":"error","code":N,"message":"..."} as a Status, message
// "tdlib: <code> <message>":
//   429 → kRateLimited (the message keeps "retry after N"; see retry_after_seconds),
//   400 → kInvalidArgument, 401/403 → kPermissionDenied, 404 → kNotFound,
//   500 "Request aborted" (pending requests at close) → kCancelled, anything else → kUnavailable.
Status td_error_status(int code, std::string_view message);

// The N of "retry after N" in a kRateLimited status, if present.
std::optional<int> retry_after_seconds(const Status& status);

}  // namespace sakai::telegram::tdjson
