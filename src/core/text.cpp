#include "core/text.h"

#include <fmt/format.h>

#include <cctype>

namespace sakai::text {
namespace {

// Decodes one code point at `i`; returns its length, or 0 when the bytes are not valid UTF-8.
std::size_t decode_one(std::string_view s, std::size_t i, char32_t* out) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    *out = b0;
    return 1;
  }
  std::size_t len = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  *out = cp;
  return len;
}

bool is_combining(char32_t cp) {
  return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x064B && cp <= 0x065F) || cp == 0x0670 ||
         (cp >= 0x06D6 && cp <= 0x06ED) || (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0x200D ||
         (cp >= 0x1F3FB && cp <= 0x1F3FF);
}

}  // namespace

bool is_valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    char32_t cp = 0;
    const std::size_t n = decode_one(s, i, &cp);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::optional<char32_t> find_control_char(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    char32_t cp = 0;
    std::size_t n = decode_one(s, i, &cp);
    if (n == 0) n = 1, cp = 0xFFFD;
    const bool c0 = cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r';
    if (c0 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) return cp;
    i += n;
  }
  return std::nullopt;
}

std::u32string decode(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    char32_t cp = 0;
    const std::size_t n = decode_one(s, i, &cp);
    if (n == 0) {
      out.push_back(0xFFFD);
      ++i;
    } else {
      out.push_back(cp);
      i += n;
    }
  }
  return out;
}

std::string encode(char32_t cp) {
  std::string out;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return out;
}

std::string encode(std::u32string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char32_t cp : s)
    out += encode(cp);
  return out;
}

std::size_t codepoint_count(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

std::size_t utf16_length(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) {
    const auto b = static_cast<unsigned char>(c);
    if ((b & 0xC0) != 0x80) n += (b >= 0xF0) ? 2 : 1;
  }
  return n;
}

std::string normalize_digits(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    char32_t cp = 0;
    std::size_t n = decode_one(s, i, &cp);
    if (n == 0) {
      out += s[i];
      ++i;
      continue;
    }
    if (cp >= 0x06F0 && cp <= 0x06F9) {
      out += static_cast<char>('0' + (cp - 0x06F0));
    } else if (cp >= 0x0660 && cp <= 0x0669) {
      out += static_cast<char>('0' + (cp - 0x0660));
    } else {
      out.append(s.substr(i, n));
    }
    i += n;
  }
  return out;
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view trim(std::string_view s) {
  const auto is_space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
  };
  while (!s.empty() && is_space(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && is_space(s.back()))
    s.remove_suffix(1);
  return s;
}

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t pos = s.find(sep, start);
    if (pos == std::string_view::npos) {
      out.emplace_back(s.substr(start));
      return out;
    }
    out.emplace_back(s.substr(start, pos - start));
    start = pos + 1;
  }
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

std::string quote_escaped(std::string_view s, QuoteStyle style) {
  const bool toml = style == QuoteStyle::kToml;
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default: {
        const auto byte = static_cast<unsigned>(static_cast<unsigned char>(c));
        if (byte < 0x20 || (toml && byte == 0x7f)) {
          out += toml ? fmt::format("\\u{:04X}", byte) : fmt::format("\\u{:04x}", byte);
        } else {
          out += c;
        }
        break;
      }
    }
  }
  out += '"';
  return out;
}

std::vector<std::string> split_whitespace(std::string_view s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i])))
      ++i;
    const std::size_t start = i;
    while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i])))
      ++i;
    if (i > start) out.emplace_back(s.substr(start, i - start));
  }
  return out;
}

std::optional<long long> parse_int(std::string_view raw) {
  const std::string s = normalize_digits(trim(raw));
  if (s.empty() || s.size() > 18) return std::nullopt;
  long long v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

bool is_rtl_letter(char32_t cp) {
  return (cp >= 0x0590 && cp <= 0x08FF && !(cp >= 0x0660 && cp <= 0x0669) &&
          !(cp >= 0x06F0 && cp <= 0x06F9) && !(cp >= 0x064B && cp <= 0x065F)) ||
         (cp >= 0xFB1D && cp <= 0xFDFF) || (cp >= 0xFE70 && cp <= 0xFEFF);
}

bool is_ltr_letter(char32_t cp) {
  if ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z')) return true;
  if (cp >= 0x00C0 && cp <= 0x024F && cp != 0x00D7 && cp != 0x00F7) return true;
  if (cp >= 0x0370 && cp <= 0x052F) return true;  // Greek, Cyrillic
  if (cp >= 0x3040 && cp <= 0x9FFF) return true;  // Kana, CJK
  return false;
}

std::string truncate(std::string_view s, std::size_t max_codepoints, std::string_view ellipsis) {
  const std::u32string cps = decode(s);
  if (cps.size() <= max_codepoints) return std::string(s);
  std::size_t cut = max_codepoints;
  // Never leave a combining mark or a joiner dangling at the cut.
  while (cut > 0 && (is_combining(cps[cut]) || cps[cut - 1] == 0x200D))
    --cut;
  // A Persian word joined with ZWNJ (U+200C) is one word to the reader: cut before it instead.
  const auto is_space = [](char32_t c) { return c == ' ' || c == '\n' || c == '\t'; };
  std::size_t word_start = cut;
  while (word_start > 0 && !is_space(cps[word_start - 1]))
    --word_start;
  std::size_t word_end = cut;
  while (word_end < cps.size() && !is_space(cps[word_end]))
    ++word_end;
  if (word_start > 0 && word_start < cut && cut < word_end) {
    for (std::size_t k = word_start; k < word_end; ++k) {
      if (cps[k] == 0x200C) {
        cut = word_start;
        break;
      }
    }
  }
  while (cut > 0 && is_space(cps[cut - 1]))
    --cut;
  return encode(std::u32string_view(cps).substr(0, cut)) + std::string(ellipsis);
}

}  // namespace sakai::text
