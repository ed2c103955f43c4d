#pragma once
// Text with Telegram entities, as plain values shared by the transports and the command engine.
// Offsets and lengths are UTF-16 code units, as Telegram counts.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sakai {

enum class EntityType {
  kBold,
  kItalic,
  kUnderline,
  kStrikethrough,
  kSpoiler,
  kCode,
  kPre,      // code block; `argument` holds the language, if any
  kTextUrl,  // a link behind text; `argument` holds the URL
  kBlockQuote,
  kMention,      // @username
  kMentionName,  // a mention of a user without a username; `argument` holds the user id
  kUrl,          // a URL written out in the text
};

// "bold", "text_url", "mention_name", ... (the console's --jsonl names).
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

// The byte range [first, second) of `text` an entity covers; nullopt when its UTF-16 range is
// outside the text or splits a character.
std::optional<std::pair<std::size_t, std::size_t>> entity_bytes(const std::string& text,
                                                                const TextEntity& entity);
// The UTF-8 text an entity covers (empty when entity_bytes() has no range).
std::string entity_text(const std::string& text, const TextEntity& entity);
// `text` with the URL of every link behind text written after it, "the report (https://…)", so a
// reader of plain text (an LLM) sees where the links go. URLs already in the text are not repeated.
std::string text_with_links(const std::string& text, const std::vector<TextEntity>& entities);

}  // namespace sakai
