#pragma once
// Standard base64 (RFC 4648, with padding): TDLib's JSON carries `bytes` this way.
#include <optional>
#include <string>
#include <string_view>

namespace sakai {

std::string base64_encode(std::string_view bytes);
// nullopt on characters outside the alphabet or bad padding.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace sakai
