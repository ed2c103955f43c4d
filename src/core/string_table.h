#pragma once
// A TOML document of strings, flattened: nested tables become dotted keys ("help.title").
// The locale catalogs and the prompt templates are both such documents.
// Pure; thread-safe.
#include <map>
#include <string>
#include <string_view>

#include "core/result.h"

namespace sakai {

using StringTable = std::map<std::string, std::string, std::less<>>;

// `what` names the document in errors ("locale fa", "prompts en"). A syntax error reports its
// line; a value that is not a string is refused with its key.
Result<StringTable> parse_string_table(std::string_view toml_text, const std::string& what);

}  // namespace sakai
