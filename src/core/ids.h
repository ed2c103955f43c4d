#pragma once
// Strong id types: a ChatId cannot be passed where a UserId is expected.
#include <compare>
#include <cstdint>
#include <functional>
#include <string>

namespace sakai {

template <class Tag>
class StrongId {
 public:
  constexpr StrongId() = default;
  constexpr explicit StrongId(std::int64_t value) : value_(value) {}
  [[nodiscard]] constexpr std::int64_t value() const { return value_; }
  [[nodiscard]] constexpr bool valid() const { return value_ != 0; }
  constexpr auto operator<=>(const StrongId&) const = default;
  [[nodiscard]] std::string str() const { return std::to_string(value_); }

 private:
  std::int64_t value_ = 0;
};

using ChatId = StrongId<struct ChatIdTag>;
using UserId = StrongId<struct UserIdTag>;
using MessageId = StrongId<struct MessageIdTag>;

}  // namespace sakai

template <class Tag>
struct std::hash<sakai::StrongId<Tag>> {
  std::size_t operator()(const sakai::StrongId<Tag>& id) const noexcept {
    return std::hash<std::int64_t>{}(id.value());
  }
};
