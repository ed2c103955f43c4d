#pragma once
// How a Transport sends a long text (Transport::send_text's contract), shared by every transport
// so that they split alike: the parts are split_formatted(text, limit) with " (i/n)" markers,
// sent one after another, the first replying to the requested message; the caller hears every
// part's id.
// Thread-safety: as the transport that calls it (event loop thread); `send_one`'s callback must
// come later, on the same thread.
#include <functional>
#include <vector>

#include "telegram/formatted_text.h"
#include "telegram/transport.h"

namespace sakai::telegram {

// The parts send_text() sends `text` as: the text itself when it fits `limit` (UTF-16 code
// units), else split_formatted(text, limit) with markers.
std::vector<FormattedText> send_text_parts(const FormattedText& text, int limit);

// Sends one message (one part): the transport's own single send.
using SendOne = std::function<void(FormattedText part, SendOptions options, SendCallback sent)>;

// Sends `parts` in order through `send_one`, the first with `options`, the others with the same
// options but no reply_to; then `done` with every id, or with the first error (with context when
// earlier parts went out).
void send_in_parts(std::vector<FormattedText> parts, SendOptions options, SendOne send_one,
                   SendTextCallback done);

}  // namespace sakai::telegram
