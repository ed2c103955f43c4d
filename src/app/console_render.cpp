#include "app/console_render.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "core/text.h"

namespace sakai::app {
namespace {

constexpr std::string_view kReset = "\x1b[0m";

// The SGR parameters of one entity type ("" for none).
std::string_view sgr_of(EntityType type) {
  switch (type) {
    case EntityType::kBold:
      return "1";
    case EntityType::kItalic:
      return "3";
    case EntityType::kUnderline:
      return "4";
    case EntityType::kStrikethrough:
      return "9";
    case EntityType::kSpoiler:
      return "2";
    case EntityType::kCode:
    case EntityType::kPre:
      return "36";
    case EntityType::kTextUrl:
    case EntityType::kUrl:
    case EntityType::kMention:
    case EntityType::kMentionName:
      return "34;4";
    case EntityType::kBlockQuote:
      break;
  }
  return "";
}

struct Span {
  std::size_t begin;  // byte offsets into the text
  std::size_t end;
  const TextEntity* entity;
};

// The escape sequence that sets exactly the attributes of the spans covering byte `at` (a reset
// first, so attributes that ended are dropped); "" when none is active.
std::string attributes_at(const std::vector<Span>& spans, std::size_t at) {
  std::vector<std::string_view> params;
  for (const Span& s : spans) {
    if (s.begin <= at && at < s.end) {
      const std::string_view p = sgr_of(s.entity->type);
      if (!p.empty() && std::find(params.begin(), params.end(), p) == params.end()) {
        params.push_back(p);
      }
    }
  }
  if (params.empty()) return "";
  std::string out = "\x1b[";
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (i > 0) out += ';';
    out += params[i];
  }
  out += 'm';
  return out;
}

bool in_quote(const std::vector<Span>& spans, std::size_t at) {
  return std::any_of(spans.begin(), spans.end(), [at](const Span& s) {
    return s.entity->type == EntityType::kBlockQuote && s.begin <= at && at < s.end;
  });
}

}  // namespace

std::string render_ansi(const FormattedText& formatted) {
  const std::string& text = formatted.text;
  std::vector<Span> spans;
  for (const TextEntity& e : formatted.entities) {
    const auto range = entity_bytes(text, e);
    if (!range || range->first >= range->second) continue;
    spans.push_back(Span{range->first, range->second, &e});
  }
  if (spans.empty()) return text;
  // Byte offsets where the attributes may change: every span's start and end.
  std::vector<std::size_t> cuts;
  for (const Span& s : spans) {
    cuts.push_back(s.begin);
    cuts.push_back(s.end);
  }
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());

  std::string out;
  out.reserve(text.size() + spans.size() * 12);
  std::string current;  // the sequence in effect
  std::size_t next_cut = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    bool refresh = false;
    if (next_cut < cuts.size() && cuts[next_cut] == i) {
      ++next_cut;
      refresh = true;
      // A link behind text: its URL after it, unless the text says it already.
      for (const Span& s : spans) {
        if (s.end != i || s.entity->type != EntityType::kTextUrl) continue;
        const std::string& url = s.entity->argument;
        if (url.empty() || text.compare(s.begin, s.end - s.begin, url) == 0) continue;
        if (!current.empty()) out += kReset;
        out += " \x1b[2m(" + url + ")";
        out += kReset;
        current.clear();
      }
    }
    if (i == text.size()) break;
    // A line of a block quote starts with a bar, outside the quote's other attributes.
    if ((i == 0 || text[i - 1] == '\n') && in_quote(spans, i)) {
      if (!current.empty()) out += kReset;
      out += "│ ";
      current.clear();
      refresh = true;
    }
    if (refresh) {
      const std::string wanted = attributes_at(spans, i);
      if (wanted != current) {
        if (!current.empty()) out += kReset;
        out += wanted;
        current = wanted;
      }
    }
    out += text[i];
  }
  if (!current.empty()) out += kReset;
  return out;
}

bool console_wants_ansi(bool jsonl, bool stdout_is_terminal,
                        const std::optional<std::string>& no_color) {
  if (jsonl || !stdout_is_terminal) return false;
  return !no_color || no_color->empty();
}

}  // namespace sakai::app
