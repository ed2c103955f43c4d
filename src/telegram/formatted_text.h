#pragma once
// Building text with Telegram entities (the types are core/formatted_text.h). Offsets and lengths
// are UTF-16 code units, as Telegram counts.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/formatted_text.h"

namespace sakai::telegram {

using sakai::entity_type_name;
using sakai::EntityType;
using sakai::FormattedText;
using sakai::TextEntity;

// Builds a FormattedText piece by piece, keeping entity offsets in UTF-16 code units.
class TextBuilder {
 public:
  TextBuilder& add(std::string_view s);
  TextBuilder& add(std::string_view s, EntityType type, std::string argument = {});
  TextBuilder& line(std::string_view s = {}) { return add(s).add("\n"); }
  [[nodiscard]] bool empty() const { return out_.text.empty(); }
  [[nodiscard]] FormattedText build() &&;

 private:
  FormattedText out_;
  std::int32_t utf16_size_ = 0;
};

}  // namespace sakai::telegram
