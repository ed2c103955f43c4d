#include "telegram/format/text_table.h"

#include <algorithm>
#include <iterator>

#include "core/text.h"

namespace sakai::telegram {
namespace {

struct Range {
  char32_t lo, hi;
};

bool in_ranges(char32_t cp, const Range* begin, const Range* end) {
  return std::any_of(begin, end, [cp](const Range& r) { return cp >= r.lo && cp <= r.hi; });
}

constexpr Range kZeroWidth[] = {
    {0x0300, 0x036F},   {0x0483, 0x0489},   {0x0591, 0x05BD}, {0x05BF, 0x05BF}, {0x05C1, 0x05C2},
    {0x05C4, 0x05C5},   {0x05C7, 0x05C7},   {0x0610, 0x061A}, {0x061C, 0x061C}, {0x064B, 0x065F},
    {0x0670, 0x0670},   {0x06D6, 0x06DC},   {0x06DF, 0x06E4}, {0x06E7, 0x06E8}, {0x06EA, 0x06ED},
    {0x00AD, 0x00AD},   {0x200B, 0x200F},   {0x202A, 0x202E}, {0x2060, 0x2064}, {0x2066, 0x2069},
    {0x20D0, 0x20FF},   {0xFE00, 0xFE0F},   {0xFE20, 0xFE2F}, {0xFEFF, 0xFEFF}, {0x1F3FB, 0x1F3FF},
    {0xE0000, 0xE007F}, {0xE0100, 0xE01EF},
};

constexpr Range kWide[] = {
    {0x1100, 0x115F},   {0x231A, 0x231B},   {0x2329, 0x232A},   {0x23E9, 0x23EC},
    {0x23F0, 0x23F0},   {0x23F3, 0x23F3},   {0x25FD, 0x25FE},   {0x2614, 0x2615},
    {0x2648, 0x2653},   {0x267F, 0x267F},   {0x2693, 0x2693},   {0x26A1, 0x26A1},
    {0x26AA, 0x26AB},   {0x26BD, 0x26BE},   {0x26C4, 0x26C5},   {0x26CE, 0x26CE},
    {0x26D4, 0x26D4},   {0x26EA, 0x26EA},   {0x26F2, 0x26F3},   {0x26F5, 0x26F5},
    {0x26FA, 0x26FA},   {0x26FD, 0x26FD},   {0x2705, 0x2705},   {0x270A, 0x270B},
    {0x2728, 0x2728},   {0x274C, 0x274C},   {0x274E, 0x274E},   {0x2753, 0x2755},
    {0x2757, 0x2757},   {0x2795, 0x2797},   {0x27B0, 0x27B0},   {0x27BF, 0x27BF},
    {0x2B1B, 0x2B1C},   {0x2B50, 0x2B50},   {0x2B55, 0x2B55},   {0x2E80, 0x303E},
    {0x3041, 0x33FF},   {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},
    {0xA960, 0xA97F},   {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},   {0xFE10, 0xFE19},
    {0xFE30, 0xFE6F},   {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},   {0x1F004, 0x1F004},
    {0x1F0CF, 0x1F0CF}, {0x1F18E, 0x1F18E}, {0x1F191, 0x1F19A}, {0x1F200, 0x1F251},
    {0x1F300, 0x1F64F}, {0x1F680, 0x1F6FF}, {0x1F7E0, 0x1F7EB}, {0x1F90C, 0x1F9FF},
    {0x1FA70, 0x1FAFF}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
};

}  // namespace

int display_width(std::string_view s) {
  int width = 0;
  char32_t prev = 0;
  for (const char32_t cp : text::decode(s)) {
    if (prev == 0x200D || in_ranges(cp, std::begin(kZeroWidth), std::end(kZeroWidth)) ||
        cp == 0x200C || cp == 0x200D) {
      // joined to the previous character: no column of its own
    } else if (in_ranges(cp, std::begin(kWide), std::end(kWide))) {
      width += 2;
    } else {
      width += 1;
    }
    prev = cp;
  }
  return width;
}

std::string render_text_table(const std::vector<std::vector<std::string>>& rows,
                              const std::vector<ColumnAlign>& aligns) {
  std::size_t cols = 0;
  for (const auto& r : rows)
    cols = std::max(cols, r.size());
  if (cols == 0) return {};
  std::vector<int> widths(cols, 1);
  for (const auto& r : rows) {
    for (std::size_t c = 0; c < r.size(); ++c)
      widths[c] = std::max(widths[c], display_width(r[c]));
  }
  std::string out;
  for (std::size_t ri = 0; ri < rows.size(); ++ri) {
    std::string line;
    std::size_t used = rows[ri].size();  // trailing empty cells print nothing, not " |"
    while (used > 1 && rows[ri][used - 1].empty())
      --used;
    for (std::size_t c = 0; c < used; ++c) {
      const std::string& cell = rows[ri][c];
      const int pad = widths[c] - display_width(cell);
      const ColumnAlign align = c < aligns.size() ? aligns[c] : ColumnAlign::kLeft;
      int left = 0;
      if (align == ColumnAlign::kRight) left = pad;
      if (align == ColumnAlign::kCenter) left = pad / 2;
      if (c > 0) line += " | ";
      line.append(static_cast<std::size_t>(left), ' ');
      line += cell;
      line.append(static_cast<std::size_t>(pad - left), ' ');
    }
    while (!line.empty() && line.back() == ' ')
      line.pop_back();
    if (!out.empty()) out += '\n';
    out += line;
    if (ri == 0 && rows.size() > 1) {
      std::string rule;
      for (std::size_t c = 0; c < cols; ++c)
        rule += (c > 0 ? "-+-" : "") + std::string(static_cast<std::size_t>(widths[c]), '-');
      out += '\n' + rule;
    }
  }
  return out;
}

}  // namespace sakai::telegram
