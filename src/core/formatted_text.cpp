#include "core/formatted_text.h"

#include <algorithm>

namespace sakai {

std::string_view entity_type_name(EntityType type) {
  switch (type) {
    case EntityType::kBold:
      return "bold";
    case EntityType::kItalic:
      return "italic";
    case EntityType::kUnderline:
      return "underline";
    case EntityType::kStrikethrough:
      return "strikethrough";
    case EntityType::kSpoiler:
      return "spoiler";
    case EntityType::kCode:
      return "code";
    case EntityType::kPre:
      return "pre";
    case EntityType::kTextUrl:
      return "text_url";
    case EntityType::kBlockQuote:
      return "blockquote";
    case EntityType::kMention:
      return "mention";
    case EntityType::kMentionName:
      return "mention_name";
    case EntityType::kUrl:
      return "url";
  }
  return "bold";
}

std::optional<std::pair<std::size_t, std::size_t>> entity_bytes(const std::string& text,
                                                                const TextEntity& entity) {
  if (entity.offset < 0 || entity.length <= 0) return std::nullopt;
  // Walk the UTF-8 text counting UTF-16 units (4-byte sequences are surrogate pairs).
  std::size_t begin = std::string::npos;
  std::int64_t units = 0;
  const std::int64_t first = entity.offset, last = std::int64_t{entity.offset} + entity.length;
  for (std::size_t i = 0; i <= text.size();) {
    if (units == first && begin == std::string::npos) begin = i;
    if (units == last) {
      if (begin == std::string::npos) return std::nullopt;
      return std::pair{begin, i};
    }
    if (i == text.size() || units > last) break;
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    units += len == 4 ? 2 : 1;
    i = std::min(text.size(), i + len);
  }
  return std::nullopt;
}

std::string entity_text(const std::string& text, const TextEntity& entity) {
  const auto range = entity_bytes(text, entity);
  return range ? text.substr(range->first, range->second - range->first) : std::string();
}

std::string text_with_links(const std::string& text, const std::vector<TextEntity>& entities) {
  std::vector<std::pair<std::size_t, const std::string*>> inserts;  // (byte end, url)
  for (const auto& e : entities) {
    if (e.type != EntityType::kTextUrl || e.argument.empty()) continue;
    if (text.find(e.argument) != std::string::npos) continue;
    if (const auto range = entity_bytes(text, e)) inserts.emplace_back(range->second, &e.argument);
  }
  if (inserts.empty()) return text;
  std::stable_sort(inserts.begin(), inserts.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string out;
  std::size_t at = 0;
  for (const auto& [end, url] : inserts) {
    out.append(text, at, end - at);
    out += " (" + *url + ")";
    at = end;
  }
  out.append(text, at, std::string::npos);
  return out;
}

}  // namespace sakai
