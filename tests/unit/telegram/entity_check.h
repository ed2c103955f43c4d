#pragma once
// Test helpers for FormattedText: slicing by UTF-16 offsets and an independent validator of
// the rules Telegram puts on entities.
#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "core/text.h"
#include "telegram/formatted_text.h"

namespace sakai::telegram::testing {

inline constexpr std::size_t kNotABoundary = std::string::npos;

// Byte offset of UTF-16 position `pos` in `s`; kNotABoundary when `pos` falls inside a
// surrogate pair or past the end.
inline std::size_t byte_at_utf16(std::string_view s, std::int64_t pos) {
  std::int64_t units = 0;
  std::size_t i = 0;
  while (i < s.size() && units < pos) {
    const auto b = static_cast<unsigned char>(s[i]);
    std::size_t len = 1;
    if (b >= 0xF0) {
      len = 4;
    } else if (b >= 0xE0) {
      len = 3;
    } else if (b >= 0xC0) {
      len = 2;
    }
    units += b >= 0xF0 ? 2 : 1;
    i += len;
  }
  return units == pos && i <= s.size() ? i : kNotABoundary;
}

// The text an entity covers.
inline std::string slice(const FormattedText& t, std::int64_t offset, std::int64_t length) {
  const std::size_t a = byte_at_utf16(t.text, offset);
  const std::size_t b = byte_at_utf16(t.text, offset + length);
  if (a == kNotABoundary || b == kNotABoundary || b < a) return "<bad range>";
  return t.text.substr(a, b - a);
}
inline std::string slice(const FormattedText& t, const TextEntity& e) {
  return slice(t, e.offset, e.length);
}

inline std::vector<TextEntity> of_type(const FormattedText& t, EntityType type) {
  std::vector<TextEntity> out;
  for (const auto& e : t.entities) {
    if (e.type == type) out.push_back(e);
  }
  return out;
}

inline bool is_code_like(EntityType t) {
  return t == EntityType::kPre || t == EntityType::kCode;
}
inline bool is_link_like(EntityType t) {
  return t == EntityType::kTextUrl || t == EntityType::kMention;
}

// Empty when `t` is something Telegram accepts as is; otherwise what is wrong.
inline std::string validate(const FormattedText& t) {
  std::ostringstream err;
  if (!text::is_valid_utf8(t.text)) err << "text is not UTF-8; ";
  const auto total = static_cast<std::int64_t>(text::utf16_length(t.text));
  const auto& es = t.entities;
  for (std::size_t i = 0; i < es.size(); ++i) {
    const auto& e = es[i];
    const std::int64_t end = std::int64_t{e.offset} + e.length;
    if (e.length <= 0) err << "entity " << i << " is empty; ";
    if (e.offset < 0 || end > total) err << "entity " << i << " is out of bounds; ";
    if (byte_at_utf16(t.text, e.offset) == kNotABoundary ||
        byte_at_utf16(t.text, end) == kNotABoundary)
      err << "entity " << i << " splits a character; ";
    if (e.type == EntityType::kTextUrl &&
        (e.argument.empty() || e.argument.find(' ') != std::string::npos))
      err << "entity " << i << " has a bad URL; ";
    if (i > 0) {
      const auto& p = es[i - 1];
      if (p.offset > e.offset || (p.offset == e.offset && p.length < e.length))
        err << "entities " << i - 1 << "," << i << " are not sorted; ";
    }
    for (std::size_t j = 0; j < i; ++j) {
      const auto& o = es[j];
      const std::int64_t oend = std::int64_t{o.offset} + o.length;
      if (oend <= e.offset) continue;  // disjoint
      if (end > oend) {
        err << "entities " << j << "," << i << " cross; ";
        continue;
      }
      // `e` is nested in `o`.
      if (is_code_like(o.type)) err << "entity " << i << " inside code " << j << "; ";
      if (o.type == EntityType::kBlockQuote && e.type == EntityType::kBlockQuote)
        err << "quote " << i << " inside quote " << j << "; ";
      if (is_link_like(o.type) &&
          (is_link_like(e.type) || is_code_like(e.type) || e.type == EntityType::kBlockQuote))
        err << "entity " << i << " inside link " << j << "; ";
    }
  }
  return err.str();
}

}  // namespace sakai::telegram::testing
