#pragma once
// CommonMark-ish Markdown (what LLMs answer in) to Telegram text + entities.
//
// Parsed with md4c in the GitHub dialect (tables, strikethrough, task lists, permissive
// autolinks). Mapping:
//   **bold** -> kBold; *italic* / _italic_ -> kItalic (but "2*3*4" and "2**10" are arithmetic:
//   a "*" between a letter or digit and a digit stays a "*"); ~~strike~~ -> kStrikethrough;
//   `code` -> kCode; fenced / indented code blocks -> kPre (argument = language, may be empty);
//   [text](url) and ![alt](src) -> kTextUrl (argument = URL); bare autolinks stay plain text;
//   > quote -> kBlockQuote (nested quotes collapse into the outermost one);
//   # heading -> bold line (H1/H2 also underlined); lists -> "• item" / "1. item" lines,
//   nested lists indented; tables -> aligned preformatted text (kPre, columns padded by display
//   width, see text_table.h), except tables of mostly right-to-left text (Persian, Arabic),
//   which a client would mirror in a preformatted block: those become one line per row,
//   "• first cell — header: cell · header: cell", each cell isolated (U+2068/U+2069) and each
//   line started with U+200F; --- -> "———"; hard and soft breaks -> "\n"; raw HTML stays literal
//   text.
// Blocks are separated by one blank line; the result is trimmed of trailing whitespace.
// Offsets and lengths are UTF-16 code units. The entities satisfy Telegram's rules: sorted by
// offset (outer before inner), non-empty, within the text, properly nested, nothing inside
// kPre / kCode, no quote in a quote, no link/code/pre inside a link.
//
// Never fails and never throws on malformed input: invalid UTF-8 bytes become U+FFFD, control
// characters other than tab and newline are dropped, and the worst case is plain text.
// Thread-safety: pure functions, safe to call concurrently.
#include <string_view>

#include "telegram/formatted_text.h"

namespace sakai::telegram {

FormattedText markdown_to_formatted(std::string_view markdown);

// Makes `text.entities` satisfy the rules above: drops empty or out-of-range entities, clamps
// ends to the text, drops entities that cross a sibling or sit where Telegram forbids them,
// and sorts them (offset ascending, longer first). Used by markdown_to_formatted; also
// handy for entities assembled by hand.
void normalize_entities(FormattedText& text);

}  // namespace sakai::telegram
