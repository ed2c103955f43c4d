#pragma once
// A language's name in another language, from ICU's locale data ("de" in ar: "الألمانية"). Part of
// sakaibot_l10n (implemented in format.cpp, the one file that includes ICU). Thread-safe.
#include <optional>
#include <string>
#include <string_view>

namespace sakai::l10n {

// The name of the language `code` (an ISO 639 code such as "de" or "zh") written in `ui_lang`;
// nullopt when ICU has no name for it (it would only echo the code back).
std::optional<std::string> language_name(std::string_view code, std::string_view ui_lang);

}  // namespace sakai::l10n
