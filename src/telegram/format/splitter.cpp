#include "telegram/format/splitter.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "core/text.h"

namespace sakai::telegram {
namespace {

constexpr char32_t kZwnj = 0x200C;
constexpr char32_t kZwj = 0x200D;

// The text as code points with their byte and UTF-16 offsets (`bytes` and `u16` have n + 1
// entries). Stray bytes of invalid UTF-8 stay glued to the character before them, so a cut
// never separates them and UTF-16 offsets agree with text::utf16_length.
struct Index {
  std::vector<char32_t> cps;
  std::vector<std::size_t> bytes;
  std::vector<std::int32_t> u16;
  std::vector<bool> inside;  // inside[c]: a cut before cps[c] would fall inside an entity
  [[nodiscard]] std::size_t size() const { return cps.size(); }
};

Index build_index(const FormattedText& t) {
  Index idx;
  const std::string_view s = t.text;
  std::int32_t units = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t len = 1;
    while (i + len < s.size() && (static_cast<unsigned char>(s[i + len]) & 0xC0) == 0x80)
      ++len;
    const std::string_view chunk = s.substr(i, len);
    const std::u32string decoded = text::decode(chunk);
    idx.cps.push_back(decoded.size() == 1 ? decoded[0] : char32_t{0xFFFD});
    idx.bytes.push_back(i);
    idx.u16.push_back(units);
    units += static_cast<std::int32_t>(text::utf16_length(chunk));
    i += len;
  }
  idx.bytes.push_back(s.size());
  idx.u16.push_back(units);

  // Coverage of UTF-16 positions strictly inside some entity.
  std::vector<std::int32_t> diff(static_cast<std::size_t>(units) + 2, 0);
  for (const auto& e : t.entities) {
    const std::int64_t lo = std::max<std::int64_t>(e.offset, 0);
    const std::int64_t hi = std::min<std::int64_t>(std::int64_t{e.offset} + e.length, units);
    if (hi - lo < 2) continue;
    ++diff[static_cast<std::size_t>(lo + 1)];
    --diff[static_cast<std::size_t>(hi)];
  }
  std::vector<bool> covered(static_cast<std::size_t>(units) + 1, false);
  std::int32_t depth = 0;
  for (std::size_t p = 0; p <= static_cast<std::size_t>(units); ++p) {
    depth += diff[p];
    covered[p] = depth > 0;
  }
  idx.inside.resize(idx.size() + 1);
  for (std::size_t c = 0; c <= idx.size(); ++c)
    idx.inside[c] = covered[static_cast<std::size_t>(idx.u16[c])];
  return idx;
}

bool is_space(char32_t c) {
  return c == ' ' || c == '\t' || c == '\n';
}

// Characters that belong to the one before them.
bool is_extend(char32_t cp) {
  return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x0483 && cp <= 0x0489) ||
         (cp >= 0x0591 && cp <= 0x05C7) || (cp >= 0x0610 && cp <= 0x061A) ||
         (cp >= 0x064B && cp <= 0x065F) || cp == 0x0670 || (cp >= 0x06D6 && cp <= 0x06ED) ||
         (cp >= 0x20D0 && cp <= 0x20FF) || (cp >= 0xFE00 && cp <= 0xFE0F) ||
         (cp >= 0xFE20 && cp <= 0xFE2F) || (cp >= 0x1F3FB && cp <= 0x1F3FF) ||
         (cp >= 0xE0020 && cp <= 0xE007F) || (cp >= 0xE0100 && cp <= 0xE01EF) || cp == kZwj ||
         cp == kZwnj;
}

bool is_regional_indicator(char32_t cp) {
  return cp >= 0x1F1E6 && cp <= 0x1F1FF;
}

bool is_sentence_end(char32_t cp) {
  return cp == '.' || cp == '!' || cp == '?' || cp == 0x061F /* ؟ */ || cp == 0x06D4 /* ۔ */ ||
         cp == 0x2026 /* … */ || cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F;
}

bool is_closing(char32_t cp) {
  return cp == '"' || cp == '\'' || cp == ')' || cp == ']' || cp == 0x00BB || cp == 0x2019 ||
         cp == 0x201D;
}

// A cut before cps[c] keeps every grapheme-ish cluster whole.
bool cluster_boundary(const Index& d, std::size_t c) {
  const char32_t before = d.cps[c - 1];
  const char32_t after = d.cps[c];
  if (is_extend(after) || before == kZwj || before == kZwnj) return false;
  return !(is_regional_indicator(before) && is_regional_indicator(after));
}

enum class Level { kParagraph, kLine, kSentence, kWord, kAny };

bool is_cut(const Index& d, std::size_t c, Level level) {
  if (!cluster_boundary(d, c)) return false;
  const char32_t at = d.cps[c];
  switch (level) {
    case Level::kParagraph:
      return at == '\n' && c + 1 < d.size() && d.cps[c + 1] == '\n';
    case Level::kLine:
      return at == '\n';
    case Level::kSentence: {
      if (at != ' ' && at != '\t' && at != '\n') return false;
      std::size_t k = c;
      while (k > 0 && is_closing(d.cps[k - 1]))
        --k;
      return k > 0 && is_sentence_end(d.cps[k - 1]);
    }
    case Level::kWord:
      return at == ' ' || at == '\t';
    case Level::kAny:
      return true;
  }
  return false;
}

struct Cut {
  std::size_t at;
  Level level;
};

// Largest cut in [lo, hi] of the given level, optionally only outside every entity.
bool find_cut(const Index& d, std::size_t lo, std::size_t hi, Level level, bool outside, Cut* out) {
  hi = std::min(hi, d.size() - 1);
  for (std::size_t c = hi; c >= lo && c > 0; --c) {
    if (outside && d.inside[c]) continue;
    if (is_cut(d, c, level)) {
      *out = Cut{c, level};
      return true;
    }
  }
  return false;
}

// Where to end the part that starts at `start` when everything up to `end` fits.
Cut choose_cut(const Index& d, std::size_t start, std::size_t end, std::int32_t budget) {
  // Prefer parts that use at least half of the budget.
  const std::int32_t half = d.u16[start] + budget / 2;
  const auto fill = static_cast<std::size_t>(
      std::lower_bound(d.u16.begin() + static_cast<std::ptrdiff_t>(start),
                       d.u16.begin() + static_cast<std::ptrdiff_t>(end), half) -
      d.u16.begin());
  const std::size_t first = start + 1;
  const std::size_t full = std::max(fill, first);
  constexpr Level kLevels[] = {Level::kParagraph, Level::kLine, Level::kSentence, Level::kWord};
  Cut cut{end, Level::kAny};
  for (const bool outside : {true, false}) {
    for (const Level level : kLevels) {
      if (find_cut(d, full, end, level, outside, &cut)) return cut;
    }
    for (const Level level : kLevels) {
      if (full > first && find_cut(d, first, full - 1, level, outside, &cut)) return cut;
    }
  }
  for (const bool outside : {true, false}) {
    if (find_cut(d, first, end, Level::kAny, outside, &cut)) return cut;
  }
  return Cut{end, Level::kAny};  // no boundary at all (e.g. only combining marks): cut anyway
}

// [begin, end) code point ranges of the parts for a given budget per part.
std::vector<std::pair<std::size_t, std::size_t>> split_ranges(const Index& d, std::int32_t budget) {
  std::vector<std::pair<std::size_t, std::size_t>> ranges;
  const std::size_t n = d.size();
  std::size_t start = 0;
  while (start < n) {
    if (d.u16[n] - d.u16[start] <= budget) {
      ranges.emplace_back(start, n);
      break;
    }
    auto it = std::upper_bound(d.u16.begin() + static_cast<std::ptrdiff_t>(start), d.u16.end(),
                               d.u16[start] + budget);
    std::size_t end = static_cast<std::size_t>(it - d.u16.begin()) - 1;
    if (end <= start) end = start + 1;  // a budget of 1 and a surrogate pair: no other way
    const Cut cut = choose_cut(d, start, end, budget);
    std::size_t stop = cut.at;
    while (stop > start && is_space(d.cps[stop - 1]))
      --stop;
    if (stop > start) ranges.emplace_back(start, stop);
    // Skip blank lines at the cut, and the spaces of a word cut; keep the next line's indent.
    std::size_t next = cut.at;
    while (true) {
      std::size_t k = next;
      while (k < n && (d.cps[k] == ' ' || d.cps[k] == '\t'))
        ++k;
      if (k < n && d.cps[k] == '\n') {
        next = k + 1;
        continue;
      }
      if (cut.level != Level::kParagraph && cut.level != Level::kLine) next = k;
      break;
    }
    start = next;
  }
  return ranges;
}

std::size_t digit_count(std::size_t v) {
  std::size_t digits = 1;
  while (v >= 10) {
    v /= 10;
    ++digits;
  }
  return digits;
}

FormattedText make_part(const FormattedText& t, const Index& d, std::size_t begin,
                        std::size_t end) {
  FormattedText part;
  part.text = t.text.substr(d.bytes[begin], d.bytes[end] - d.bytes[begin]);
  const std::int64_t lo = d.u16[begin];
  const std::int64_t hi = d.u16[end];
  for (const auto& e : t.entities) {
    const std::int64_t a = std::max<std::int64_t>(e.offset, lo);
    const std::int64_t b = std::min<std::int64_t>(std::int64_t{e.offset} + e.length, hi);
    if (b <= a) continue;
    part.entities.push_back(TextEntity{static_cast<std::int32_t>(a - lo),
                                       static_cast<std::int32_t>(b - a), e.type, e.argument});
  }
  return part;
}

}  // namespace

std::vector<FormattedText> split_formatted(const FormattedText& text, int max_utf16,
                                           bool add_markers) {
  if (max_utf16 <= 0 || text::utf16_length(text.text) <= static_cast<std::size_t>(max_utf16))
    return {text};
  const Index d = build_index(text);

  std::vector<std::pair<std::size_t, std::size_t>> ranges;
  bool markers = add_markers;
  if (markers) {
    // " (i/n)" is at most 4 + 2 * digits(n) units; grow the reserve until the count fits it.
    std::size_t digits = 1;
    for (int attempt = 0; attempt < 12; ++attempt) {
      const auto reserve = static_cast<std::int32_t>(4 + 2 * digits);
      if (reserve > max_utf16 / 2) {  // markers would eat most of every part
        markers = false;
        break;
      }
      ranges = split_ranges(d, max_utf16 - reserve);
      if (digit_count(ranges.size()) <= digits) break;
      digits = digit_count(ranges.size());
    }
  }
  if (!markers) ranges = split_ranges(d, max_utf16);
  if (ranges.empty()) return {text};

  std::vector<FormattedText> parts;
  parts.reserve(ranges.size());
  for (std::size_t i = 0; i < ranges.size(); ++i) {
    FormattedText part = make_part(text, d, ranges[i].first, ranges[i].second);
    if (markers && ranges.size() > 1)
      part.text += " (" + std::to_string(i + 1) + "/" + std::to_string(ranges.size()) + ")";
    parts.push_back(std::move(part));
  }
  return parts;
}

SplitHead split_head(const FormattedText& text, int max_utf16) {
  if (max_utf16 <= 0 || text::utf16_length(text.text) <= static_cast<std::size_t>(max_utf16))
    return {text, {}};
  const Index d = build_index(text);
  const auto ranges = split_ranges(d, max_utf16);
  if (ranges.size() < 2) return {text, {}};
  return {make_part(text, d, ranges[0].first, ranges[0].second),
          make_part(text, d, ranges[1].first, d.size())};
}

}  // namespace sakai::telegram
