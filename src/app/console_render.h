#pragma once
// The console chat's formatting in a terminal: Telegram entities (bold, italic, underline,
// strikethrough, spoilers, code, links, mentions, quotes) drawn with ANSI SGR attributes
// ("\x1b[1m" ... "\x1b[0m"), so the console shows what a Telegram user would see. Only for a
// terminal: --jsonl and piped output keep the plain text, and NO_COLOR turns it off.
// Thread-safety: pure functions.
#include <optional>
#include <string>

#include "core/formatted_text.h"

namespace sakai::app {

// `text` with each entity's range wrapped in SGR attributes: bold 1, italic 3, underline 4,
// strikethrough 9, spoiler 2 (faint), code and pre cyan (36), links and mentions blue and
// underlined (34;4). A link behind text is followed by a space and its URL in faint brackets,
// unless the text is that URL; each line of a block quote starts with "│ ". Overlapping entities
// combine; an entity outside the text or splitting a character is ignored. The result ends with
// every attribute reset when any was set. No entities: the text unchanged.
std::string render_ansi(const FormattedText& text);

// Whether the console draws formatting: only for the human-readable output (not --jsonl) on a
// terminal, and not when NO_COLOR is set to anything but "" (https://no-color.org).
bool console_wants_ansi(bool jsonl, bool stdout_is_terminal,
                        const std::optional<std::string>& no_color);

}  // namespace sakai::app
