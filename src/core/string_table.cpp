#include "core/string_table.h"

#include <toml++/toml.h>

namespace sakai {
namespace {

void flatten(const toml::table& table, const std::string& prefix, StringTable& out,
             std::string& error) {
  for (const auto& [k, node] : table) {
    const std::string key =
        prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
    if (const auto* sub = node.as_table()) {
      flatten(*sub, key, out, error);
    } else if (const auto* str = node.as_string()) {
      out[key] = str->get();
    } else if (error.empty()) {
      error = "key '" + key + "' must be a string";
    }
  }
}

}  // namespace

Result<StringTable> parse_string_table(std::string_view toml_text, const std::string& what) {
  toml::table parsed;
  try {
    parsed = toml::parse(toml_text, what);
  } catch (const toml::parse_error& err) {
    return make_error(ErrorCode::kInvalidArgument, what + ": line " +
                                                       std::to_string(err.source().begin.line) +
                                                       ": " + std::string(err.description()));
  }
  StringTable out;
  std::string error;
  flatten(parsed, "", out, error);
  if (!error.empty()) return make_error(ErrorCode::kInvalidArgument, what + ": " + error);
  return out;
}

}  // namespace sakai
