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
//
// A command copied out of a Persian or Arabic message comes with the bidi isolates and marks
// that kept it in order there (U+2066..U+2069, U+200E, U+200F, U+061C): "\u2068/help ping\u2069",
// "\u200F/ping". They are dropped from the first line before the command is recognised, when the
// message starts with one (or starts with a prefix and has one on its first line); ordinary chat
// costs one look at its first byte.
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
