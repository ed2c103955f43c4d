#pragma once
// Text with Telegram entities. Offsets and lengths are UTF-16 code units, as Telegram counts.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sakai::telegram {

enum class EntityType {
  kBold,
  kItalic,
  kUnderline,
  kStrikethrough,
  kSpoiler,
  kCode,
  kPre,      // code block; `argument` holds the language, if any
  kTextUrl,  // `argument` holds the URL
  kBlockQuote,
  kMention,
};

std::string_view entity_type_name(EntityType type);

struct TextEntity {
  std::int32_t offset = 0;
  std::int32_t length = 0;
  EntityType type = EntityType::kBold;
  std::string argument;
};

struct FormattedText {
  std::string text;
  std::vector<TextEntity> entities;

  FormattedText() = default;
  FormattedText(std::string t) : text(std::move(t)) {}  // NOLINT(google-explicit-constructor)
  FormattedText(const char* t) : text(t) {}             // NOLINT(google-explicit-constructor)
};

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
