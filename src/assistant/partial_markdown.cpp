#include "assistant/partial_markdown.h"

#include <cstddef>
#include <vector>

namespace sakai::assistant {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool is_word(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

std::string_view trim_right(std::string_view s) {
  while (!s.empty() && is_space(s.back()))
    s.remove_suffix(1);
  return s;
}

// A fence line: up to three spaces, then ``` or ~~~ (three or more). Returns its marker run.
std::string_view fence_of(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && i < 3 && line[i] == ' ')
    ++i;
  if (i >= line.size() || (line[i] != '`' && line[i] != '~')) return {};
  const char c = line[i];
  std::size_t j = i;
  while (j < line.size() && line[j] == c)
    ++j;
  if (j - i < 3) return {};
  return line.substr(i, j - i);
}

struct Open {
  std::string marker;
  std::size_t at;  // byte offset just after the marker
};

}  // namespace

std::string close_open_markdown(std::string_view partial) {
  std::string text(trim_right(partial));
  // Fenced code blocks, line by line; remember where the last paragraph starts.
  std::string open_fence;
  std::size_t paragraph = 0;
  for (std::size_t start = 0; start <= text.size();) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string_view line(text.data() + start, end - start);
    const std::string_view fence = fence_of(line);
    if (open_fence.empty()) {
      if (!fence.empty()) {
        open_fence = std::string(fence);
      } else if (trim_right(line).empty()) {
        paragraph = end;
      }
    } else if (!fence.empty() && fence[0] == open_fence[0] && fence.size() >= open_fence.size() &&
               trim_right(line.substr(line.find(fence) + fence.size())).empty()) {
      open_fence.clear();
      paragraph = end;
    }
    start = end + 1;
  }
  if (!open_fence.empty()) return text + "\n" + open_fence;

  // Inline spans of the last paragraph.
  std::vector<Open> stack;
  std::size_t code_run = 0;  // inside inline code opened by this many backticks
  std::size_t code_at = 0;
  for (std::size_t i = paragraph; i < text.size();) {
    const char c = text[i];
    if (c == '`') {
      std::size_t j = i;
      while (j < text.size() && text[j] == '`')
        ++j;
      const std::size_t run = j - i;
      if (code_run == 0) {
        code_run = run;
        code_at = j;
      } else if (run == code_run) {
        code_run = 0;
      }
      i = j;
      continue;
    }
    if (code_run != 0) {
      ++i;
      continue;
    }
    if (c == '\\') {
      i += 2;
      continue;
    }
    if (c != '*' && c != '_' && c != '~') {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < text.size() && text[j] == c)
      ++j;
    std::size_t run = j - i;
    if (c == '~' && run < 2) {
      i = j;
      continue;
    }
    const char prev = i > 0 ? text[i - 1] : '\n';
    const char next = j < text.size() ? text[j] : '\n';
    // "2*3", "snake_case", a list bullet "* item": not emphasis.
    const bool intraword = c == '_' ? (is_word(prev) && is_word(next))
                                    : (c == '*' && run == 1 && is_word(prev) && is_digit(next));
    // A run at the very end is an opener whose text has not arrived (dropped below).
    if (intraword || (is_space(prev) && is_space(next) && j < text.size())) {
      i = j;
      continue;
    }
    if (c == '~') run = 2;
    while (run > 0) {
      const std::size_t take = run >= 2 ? 2 : 1;
      const std::string marker(take, c);
      bool closed = false;
      for (std::size_t k = stack.size(); k-- > 0;) {
        if (stack[k].marker == marker && !is_space(prev)) {
          stack.resize(k);
          closed = true;
          break;
        }
      }
      if (!closed && (!is_space(next) || j >= text.size())) stack.push_back(Open{marker, i + take});
      i += take;
      run -= take;
    }
    i = j;
  }
  if (code_run != 0) {
    if (code_at >= text.size()) {
      text.resize(code_at - code_run);  // "`" with nothing after it
      text = std::string(trim_right(text));
    } else {
      text.append(code_run, '`');
    }
  }
  // A marker with nothing after it is dropped; the others close, innermost first.
  while (!stack.empty() && stack.back().at >= text.size()) {
    text.resize(stack.back().at - stack.back().marker.size());
    stack.pop_back();
    text = std::string(trim_right(text));
  }
  for (std::size_t k = stack.size(); k-- > 0;) {
    if (stack[k].at > text.size()) continue;
    text += stack[k].marker;
  }
  return text;
}

}  // namespace sakai::assistant
