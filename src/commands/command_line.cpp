#include "commands/command_line.h"

#include <algorithm>

#include "core/text.h"

namespace sakai::commands {
namespace {

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Whether `c` is one of the prefixes (a few characters: a loop beats a memchr call).
bool is_prefix(char c, std::string_view prefixes) {
  return std::any_of(prefixes.begin(), prefixes.end(), [c](char p) { return p == c; });
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// Length in bytes of the bidi isolate or mark at s[i] (U+2066..U+2069, U+200E, U+200F,
// U+061C), or 0.
std::size_t bidi_mark_at(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  if (i + 1 < s.size() && b(0) == 0xD8 && b(1) == 0x9C) return 2;
  if (i + 2 < s.size() && b(0) == 0xE2) {
    if (b(1) == 0x80 && (b(2) == 0x8E || b(2) == 0x8F)) return 3;
    if (b(1) == 0x81 && b(2) >= 0xA6 && b(2) <= 0xA9) return 3;
  }
  return 0;
}

// Whether `line` holds a bidi mark: only the lead bytes 0xD8 and 0xE2 can start one, so the
// line is searched for those (memchr) rather than tried at every byte.
bool has_mark(std::string_view line) {
  for (const char lead : {'\xD8', '\xE2'}) {
    for (std::size_t i = line.find(lead); i != std::string_view::npos; i = line.find(lead, i + 1)) {
      if (bidi_mark_at(line, i) > 0) return true;
    }
  }
  return false;
}

// The message as the parser reads it. A command copied from a Persian or Arabic message carries
// the isolates and marks that kept it in order there ("\u2068/help ping\u2069", "\u200F/ping"):
// they are dropped from the first line (the command's head and arguments). Only a message that
// starts with such a mark, or starts with a prefix and has one on its first line, is copied into
// `storage`; ordinary chat is returned untouched after a check of its first byte.
std::string_view command_text(std::string_view message, std::string_view prefixes,
                              std::string& storage) {
  if (message.empty()) return message;
  const auto first = static_cast<unsigned char>(message[0]);
  const bool marked_start = (first == 0xD8 || first == 0xE2) && bidi_mark_at(message, 0) > 0;
  if (!marked_start && !is_prefix(message[0], prefixes)) return message;
  const std::size_t line_end = std::min(message.find('\n'), message.size());
  if (!marked_start && !has_mark(message.substr(0, line_end))) return message;
  storage.clear();
  storage.reserve(message.size());
  for (std::size_t i = 0; i < line_end;) {
    const std::size_t n = bidi_mark_at(message, i);
    if (n > 0) {
      i += n;
      continue;
    }
    storage += message[i];
    ++i;
  }
  storage += message.substr(line_end);
  return storage;
}

// Length of the name after the prefix, or 0 when this is not a command.
std::size_t name_length(std::string_view message, std::string_view prefixes) {
  if (message.size() < 2 || !is_prefix(message[0], prefixes)) return 0;
  const char first = message[1];
  if (!((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z'))) return 0;
  std::size_t i = 1;
  while (i < message.size() && is_name_char(message[i]))
    ++i;
  if (i < message.size() && message[i] != '=' && !is_space(message[i])) return 0;
  return i - 1;
}

}  // namespace

std::optional<std::string> command_name(std::string_view raw_message, std::string_view prefixes) {
  std::string storage;
  const std::string_view message = command_text(raw_message, prefixes, storage);
  const std::size_t n = name_length(message, prefixes);
  if (n == 0 || n > 32) return std::nullopt;
  return text::ascii_lower(message.substr(1, n));
}

std::vector<std::string> split_n(std::string_view s, char sep, std::size_t max_parts) {
  std::vector<std::string> out;
  while (out.size() + 1 < max_parts) {
    const auto pos = s.find(sep);
    if (pos == std::string_view::npos) break;
    out.emplace_back(s.substr(0, pos));
    s.remove_prefix(pos + 1);
  }
  out.emplace_back(s);
  return out;
}

std::optional<CommandLine> parse_command_line(std::string_view raw_message,
                                              std::string_view prefixes,
                                              const std::vector<std::string>& param_keys) {
  std::string storage;
  const std::string_view message = command_text(raw_message, prefixes, storage);
  const std::size_t n = name_length(message, prefixes);
  if (n == 0 || n > 32) return std::nullopt;
  CommandLine line;
  line.prefix = message[0];
  line.name = text::ascii_lower(message.substr(1, n));
  std::string_view rest = message.substr(1 + n);
  if (rest.empty() || text::trim(rest).empty()) {
    line.form = CommandForm::kBare;
    return line;
  }
  std::string_view body;
  if (rest.front() == '=') {
    line.form = CommandForm::kEquals;
    line.raw = std::string(rest.substr(1));
    // The first whitespace-free run carries the '='-separated arguments; the rest is text.
    std::string_view r = rest.substr(1);
    std::size_t end = 0;
    while (end < r.size() && !is_space(r[end]))
      ++end;
    for (auto& a : text::split(r.substr(0, end), '=')) {
      if (!a.empty()) line.args.push_back(std::move(a));
    }
    body = text::trim(r.substr(end));
  } else {
    line.form = CommandForm::kSpace;
    line.raw = std::string(text::trim(rest));
    body = text::trim(rest);
  }
  // Declared key=value parameters may stand anywhere in the body; they are lifted out and the
  // rest of the body stays verbatim.
  std::string remaining;
  if (!param_keys.empty()) {
    std::size_t i = 0;
    std::size_t kept_from = 0;
    while (i < body.size()) {
      while (i < body.size() && is_space(body[i]))
        ++i;
      const std::size_t start = i;
      while (i < body.size() && !is_space(body[i]))
        ++i;
      const std::string_view token = body.substr(start, i - start);
      const auto eq = token.find('=');
      if (eq == std::string_view::npos || eq == 0) continue;
      const std::string key = text::ascii_lower(token.substr(0, eq));
      if (std::find(param_keys.begin(), param_keys.end(), key) == param_keys.end()) continue;
      line.params[key] = std::string(token.substr(eq + 1));
      remaining += body.substr(kept_from, start - kept_from);
      // Swallow the whitespace after the parameter so no double space is left behind.
      while (i < body.size() && is_space(body[i]))
        ++i;
      kept_from = i;
    }
    remaining += body.substr(kept_from);
    body = text::trim(remaining);
  }
  line.text = std::string(body);
  if (line.form == CommandForm::kSpace) line.args = text::split_whitespace(body);
  return line;
}

}  // namespace sakai::commands
