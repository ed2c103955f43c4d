#include "storage/store.h"

namespace sakai::storage {

std::string_view job_status_name(JobStatus status) {
  switch (status) {
    case JobStatus::kPending:
      return "pending";
    case JobStatus::kRunning:
      return "running";
    case JobStatus::kDone:
      return "done";
    case JobStatus::kFailed:
      return "failed";
    case JobStatus::kCancelled:
      return "cancelled";
  }
  return "pending";
}

Status validate_account_name(std::string_view name) {
  constexpr std::size_t kMaxLength = 64;
  const auto allowed = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  };
  bool ok = !name.empty() && name.size() <= kMaxLength;
  for (const char c : name)
    ok = ok && allowed(c);
  if (ok) return Status::ok();
  return make_error(ErrorCode::kInvalidArgument,
                    "storage: invalid account name \"" + std::string(name.substr(0, kMaxLength)) +
                        (name.size() > kMaxLength ? "…" : "") +
                        "\": use 1 to 64 ASCII letters, digits, '_' or '-'");
}

}  // namespace sakai::storage
