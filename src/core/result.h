#pragma once
// Status and Result<T> for expected failures. Exceptions are only caught at library boundaries
// and turned into a Status there.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace sakai {

enum class ErrorCode {
  kOk = 0,
  kInvalidArgument,
  kNotFound,
  kAlreadyExists,
  kPermissionDenied,
  kRateLimited,
  kUnavailable,
  kDeadlineExceeded,
  kCancelled,
  kCorrupt,
  kIo,
  kFailedPrecondition,
  kInternal,
};

std::string_view error_code_name(ErrorCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}
  static Status ok() { return {}; }

  [[nodiscard]] bool is_ok() const { return code_ == ErrorCode::kOk; }
  explicit operator bool() const { return is_ok(); }
  [[nodiscard]] ErrorCode code() const { return code_; }
  [[nodiscard]] const std::string& message() const { return message_; }
  // "storage: open: <message>" — context is prepended, innermost last.
  [[nodiscard]] Status with_context(std::string_view context) const;
  [[nodiscard]] std::string to_string() const;

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
};

inline Status make_error(ErrorCode code, std::string message) {
  return Status(code, std::move(message));
}

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}         // NOLINT(google-explicit-constructor)
  Result(Status status) : data_(std::move(status)) {}  // NOLINT(google-explicit-constructor)

  [[nodiscard]] bool is_ok() const { return std::holds_alternative<T>(data_); }
  explicit operator bool() const { return is_ok(); }
  [[nodiscard]] const T& value() const& { return std::get<T>(data_); }
  [[nodiscard]] T& value() & { return std::get<T>(data_); }
  [[nodiscard]] T&& value() && { return std::get<T>(std::move(data_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }
  [[nodiscard]] Status status() const { return is_ok() ? Status::ok() : std::get<Status>(data_); }
  [[nodiscard]] T value_or(T fallback) const { return is_ok() ? value() : std::move(fallback); }

 private:
  std::variant<T, Status> data_;
};

}  // namespace sakai

// Propagate a failed Status from an expression returning Status.
#define SAKAI_TRY(expr)                                       \
  do {                                                        \
    ::sakai::Status sakai_try_status_ = (expr);               \
    if (!sakai_try_status_.is_ok()) return sakai_try_status_; \
  } while (0)
