#pragma once
// Splits a FormattedText that is too long for one Telegram message into several.
//
// Each part holds at most `max_utf16` UTF-16 code units (pass the run-time option
// message_text_length_max), markers included. Cut points, best first: a paragraph break
// ("\n\n"), a line break, a sentence end (. ! ? … ؟ ۔ followed by a space), a space; a part
// should fill at least half the budget before a better-ranked but early cut wins. A cut never
// falls inside a UTF-8 sequence / surrogate pair, before a combining mark or variation
// selector, next to a ZWJ, inside a ZWNJ-joined (Persian) word or between two regional
// indicators, and never inside an entity when a cut outside every entity exists. An entity
// that has to be cut (e.g. a code block longer than the limit) continues in the next part with
// the same type and argument. Whitespace at a cut is dropped (blank lines and the space at a
// word cut; the indentation of the next line is kept). Entity offsets are rebased per part.
//
// With `add_markers` and more than one part, " (1/3)" style markers are appended; their length
// is reserved up front. A text within the limit comes back as one unchanged part. Degenerate
// limits (max_utf16 <= 0) return the text unchanged; markers are dropped when they would take
// more than half of the limit; a cluster longer than the limit is cut at the limit, and a limit
// of 1 with a character outside the BMP yields parts of 2 units (no progress otherwise).
// Thread-safety: pure function.
#include <vector>

#include "telegram/formatted_text.h"

namespace sakai::telegram {

std::vector<FormattedText> split_formatted(const FormattedText& text, int max_utf16,
                                           bool add_markers = true);

// The first part of `text` as split_formatted(text, max_utf16, false) cuts it, and everything
// after that cut (the whitespace at the cut dropped, entities rebased); `rest` is empty when the
// text fits. For filling a message that already exists (a streamed answer's last message) and
// sending the rest with Transport::send_text, which splits it further if it must.
struct SplitHead {
  FormattedText head;
  FormattedText rest;
};
SplitHead split_head(const FormattedText& text, int max_utf16);

}  // namespace sakai::telegram
