#pragma once
// SakaiBot's command syntax, parsed. Pure functions; thread-safe.
//
//   /name                      bare
//   /name=a=b rest of text     equals form: args {a, b}, text "rest of text"
//   /name a b                  space form: args {a, b}, text "a b"
//   /tts voice=Orus hello      declared key=value parameters lead the text: params {voice: Orus}
//
// Names are ASCII, case-insensitive. Digits may be Persian or Arabic-Indic anywhere; handlers
// read numbers with text::parse_int, which accepts them.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sakai::commands {

enum class CommandForm { kBare, kEquals, kSpace };

struct CommandLine {
  char prefix = '/';
  std::string name;  // lower-case, without the prefix
  CommandForm form = CommandForm::kBare;
  std::string raw;  // everything after "/name=" or "/name ", untouched
  std::vector<std::string> args;
  std::map<std::string, std::string> params;  // declared keys only, lower-case
  std::string text;                           // the free text, verbatim (params removed)
};

// The command name when `message` starts with one of `prefixes` followed by a name that ends
// at '=', whitespace or the end ("/path/to" is not a command). Cheap: ordinary chat text is
// rejected by its first byte.
std::optional<std::string> command_name(std::string_view message, std::string_view prefixes);

// Full parse; `param_keys` are the key=value parameters the command declares.
std::optional<CommandLine> parse_command_line(std::string_view message, std::string_view prefixes,
                                              const std::vector<std::string>& param_keys = {});

// Splits `s` on `sep` into at most `max_parts` pieces (the last keeps the rest).
std::vector<std::string> split_n(std::string_view s, char sep, std::size_t max_parts);

}  // namespace sakai::commands
