#pragma once
// Plain-text tables for monospace display (Markdown tables become a pre block of this).
// Thread-safety: pure functions.
#include <string>
#include <string_view>
#include <vector>

namespace sakai::telegram {

// Columns a terminal / monospace font gives the UTF-8 string: combining marks, joiners and
// ZWNJ count 0, East Asian wide characters and emoji 2, everything else 1.
int display_width(std::string_view s);

enum class ColumnAlign { kLeft, kCenter, kRight };

// Rows of cells (plain text, no newlines) padded to their column's display width and joined
// with " | "; a "---+---" rule follows the first (header) row when there are more rows. Missing
// or empty trailing cells print nothing (no dangling " |"), missing alignments are kLeft, trailing
// spaces are trimmed from each line.
std::string render_text_table(const std::vector<std::vector<std::string>>& rows,
                              const std::vector<ColumnAlign>& aligns);

}  // namespace sakai::telegram
