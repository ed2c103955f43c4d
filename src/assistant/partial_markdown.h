#pragma once
// Markdown cut off in the middle (a stream that broke, a stalled answer): closes what was left
// open so the converter formats what arrived instead of showing raw markers ("**B" becomes
// "**B**", an unfinished ``` block is closed). Handles fenced code blocks, inline code, **, __,
// ~~, * and _ in the last paragraph (emphasis cannot span a blank line); a marker with nothing
// after it is dropped. Trailing whitespace is removed. Text that is already balanced comes back
// unchanged apart from that.
// Pure; thread-safe.
#include <string>
#include <string_view>

namespace sakai::assistant {

std::string close_open_markdown(std::string_view partial);

}  // namespace sakai::assistant
