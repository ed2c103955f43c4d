#pragma once
// Which keys of a table (user ids with grants, chats with conversation memory) have rows at all,
// kept in memory so the routing path can answer "none" for a stranger or a chat without memory
// without opening a read transaction (in WAL mode each costs two lock syscalls on the -shm
// file, and a busy account sees thousands of such questions a second).
//
// The set only ever says "surely absent" when it may: this connection's writes add their key
// at once (add), and a write by another connection to the same file (another process on the
// same database) is seen when the set is next reloaded, at most `ttl` later. A key the set
// still lists after its rows went is harmless: the caller runs the real query.
// Thread-safety: as the repositories, the event loop thread only.
#include <chrono>
#include <cstdint>
#include <optional>
#include <unordered_set>
#include <utility>

#include "core/clock.h"
#include "core/result.h"

namespace sakai::storage::sqlite {

class KnownKeys {
 public:
  static constexpr std::chrono::seconds kDefaultTtl{2};

  explicit KnownKeys(const Clock& clock, Clock::Duration ttl = kDefaultTtl)
      : clock_(clock), ttl_(ttl) {}

  // True only when `key` surely has no rows. `load(set)` adds every key that has rows to an
  // empty set and returns a Status; it runs on first use and when the set is older than the ttl.
  // A failed load answers false, so the caller's own query reports the error.
  template <class Load>
  bool surely_absent(std::int64_t key, Load&& load) {
    const Clock::TimePoint now = clock_.now();
    if (!loaded_at_ || now - *loaded_at_ >= ttl_) {
      keys_.clear();
      loaded_at_.reset();
      const Status st = std::forward<Load>(load)(keys_);
      if (!st.is_ok()) return false;
      loaded_at_ = now;
    }
    return !keys_.contains(key);
  }

  // This connection wrote a row for `key`.
  void add(std::int64_t key) {
    if (loaded_at_) keys_.insert(key);
  }

 private:
  const Clock& clock_;
  Clock::Duration ttl_;
  std::optional<Clock::TimePoint> loaded_at_;
  std::unordered_set<std::int64_t> keys_;
};

}  // namespace sakai::storage::sqlite
