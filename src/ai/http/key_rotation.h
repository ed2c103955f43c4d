#pragma once
// API key rotation, used by ai/http/keyed_http.h for every cloud adapter that holds several keys
// (LLM providers, speech-to-text, text-to-speech, images).
//
// With several keys, a call that fails with kRateLimited, kQuotaExhausted or kAuth (HTTP 429,
// 401, 403 and their body equivalents) before any output reached the caller is retried at once
// with the next key, until every key was tried. The next call starts from the key that last
// worked, so a limited key is not hit first again.
// Thread-safety: event loop thread only, like the calls that share one.
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "ai/http/api_error.h"

namespace sakai::ai {

class KeyRotation {
 public:
  // One call's walk over the keys.
  struct Cursor {
    std::size_t index = 0;  // the key of the current attempt
    std::size_t tried = 0;  // attempts so far
  };

  KeyRotation() = default;
  explicit KeyRotation(std::vector<std::string> keys) : keys_(std::move(keys)) {}

  [[nodiscard]] const std::vector<std::string>& keys() const { return keys_; }

  // A new call starts at the key that last worked.
  [[nodiscard]] Cursor start() const { return Cursor{keys_.empty() ? 0 : next_ % keys_.size(), 0}; }

  // The key of the cursor's next attempt, counting the attempt; "" with no keys (a keyless
  // server: send no auth header).
  const std::string& take(Cursor& cursor) const {
    static const std::string kNoKey;
    ++cursor.tried;
    return keys_.empty() ? kNoKey : keys_[cursor.index];
  }

  [[nodiscard]] static bool is_key_problem(ApiErrorKind kind) {
    return kind == ApiErrorKind::kRateLimited || kind == ApiErrorKind::kQuotaExhausted ||
           kind == ApiErrorKind::kAuth;
  }

  // After a failed attempt: true when the call should be retried, with the cursor moved to the
  // next key. `output_delivered`: part of the answer already reached the caller (no retry then).
  bool advance(Cursor& cursor, ApiErrorKind kind, bool output_delivered = false) {
    const std::size_t n = keys_.size();
    if (!is_key_problem(kind) || output_delivered || n < 2 || cursor.tried >= n) return false;
    // Later calls start from the next key too (unless another call moved on already).
    if (next_ % n == cursor.index) next_ = (cursor.index + 1) % n;
    cursor.index = (cursor.index + 1) % n;
    return true;
  }

 private:
  std::vector<std::string> keys_;
  std::size_t next_ = 0;
};

}  // namespace sakai::ai
