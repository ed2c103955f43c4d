#include "features/image/image_args.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

#include "core/text.h"

namespace sakai::features {
namespace {

constexpr double kMegapixel = 1024.0 * 1024.0;
constexpr double kMaxRatio = 4.0;

struct NamedRatio {
  std::string_view name;
  int w;
  int h;
};

// English, Persian and Arabic names of the shapes.
constexpr std::array<NamedRatio, 13> kNamed = {{
    {"square", 1, 1},
    {"portrait", 3, 4},
    {"landscape", 4, 3},
    {"wide", 16, 9},
    {"tall", 9, 16},
    {"مربع", 1, 1},
    {"مربعی", 1, 1},
    {"عمودی", 3, 4},
    {"عمودي", 3, 4},
    {"افقی", 4, 3},
    {"أفقي", 4, 3},
    {"افقي", 4, 3},
    {"عریض", 16, 9},
}};

int round_to_64(double v) {
  return std::max(64, static_cast<int>(std::lround(v / 64.0)) * 64);
}

// About a megapixel in the ratio w:h.
ImageSize from_ratio(int w, int h) {
  const double ratio = static_cast<double>(w) / static_cast<double>(h);
  return ImageSize{round_to_64(std::sqrt(kMegapixel * ratio)),
                   round_to_64(std::sqrt(kMegapixel / ratio))};
}

std::optional<std::pair<int, int>> two_numbers(std::string_view s, char sep) {
  const auto at = s.find(sep);
  if (at == std::string_view::npos) return std::nullopt;
  const auto a = text::parse_int(s.substr(0, at));
  const auto b = text::parse_int(s.substr(at + 1));
  if (!a || !b || *a <= 0 || *b <= 0 || *a > 100000 || *b > 100000) return std::nullopt;
  return std::make_pair(static_cast<int>(*a), static_cast<int>(*b));
}

constexpr std::array<std::string_view, 6> kKeys = {"model", "size", "seed", "n", "provider", "neg"};

bool is_option_key(std::string_view key) {
  return key == "negative" || std::find(kKeys.begin(), kKeys.end(), key) != kKeys.end();
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

void set_option(ImageArgs& args, const std::string& key, std::string value) {
  if (key == "model") {
    args.model = std::move(value);
  } else if (key == "size") {
    args.size = std::move(value);
  } else if (key == "seed") {
    args.seed = std::move(value);
  } else if (key == "n") {
    args.count = std::move(value);
  } else if (key == "provider") {
    args.provider = std::move(value);
  } else {
    args.negative = std::move(value);
  }
}

// The end of a value that starts at `i` (just after "key="): a double-quoted value (ASCII or
// typographic quotes) runs to its closing quote, anything else to the next whitespace. `value`
// receives it without the quotes.
std::size_t read_value(std::string_view s, std::size_t i, std::string& value) {
  const auto starts = [&](std::string_view q) { return s.substr(i).starts_with(q); };
  std::string_view close;
  std::size_t open = 0;
  if (starts("\"")) {
    close = "\"", open = 1;
  } else if (starts("\u201C")) {
    close = "\u201D", open = 3;
  } else if (starts("\u00AB")) {
    close = "\u00BB", open = 2;
  }
  if (open > 0) {
    const auto end = s.find(close, i + open);
    if (end != std::string_view::npos) {
      value = std::string(s.substr(i + open, end - i - open));
      return end + close.size();
    }
  }
  std::size_t end = i;
  while (end < s.size() && !is_space(s[end]))
    ++end;
  value = std::string(s.substr(i, end - i));
  return end;
}

// Joins what is left of the text, collapsing the blanks left where options were.
void append_words(std::string& out, std::string_view piece) {
  piece = text::trim(piece);
  if (piece.empty()) return;
  if (!out.empty()) out += ' ';
  out += piece;
}

}  // namespace

std::optional<ImageSize> parse_image_size(std::string_view raw) {
  std::string s = text::ascii_lower(text::normalize_digits(text::trim(raw)));
  for (const std::string_view times : {"\u00D7", "*"}) {  // 1024×768, 1024*768
    for (auto at = s.find(times); at != std::string::npos; at = s.find(times))
      s.replace(at, times.size(), "x");
  }
  for (const auto& named : kNamed) {
    if (s == named.name) return from_ratio(named.w, named.h);
  }
  if (auto wh = two_numbers(s, 'x')) {
    const auto [w, h] = *wh;
    if (w < kMinImageSide || h < kMinImageSide || w > kMaxImageSide || h > kMaxImageSide)
      return std::nullopt;
    return ImageSize{w, h};
  }
  if (auto ratio = two_numbers(s, ':')) {
    const auto [w, h] = *ratio;
    const double r = static_cast<double>(std::max(w, h)) / std::min(w, h);
    if (r > kMaxRatio) return std::nullopt;
    return from_ratio(w, h);
  }
  return std::nullopt;
}

std::string image_size_choices() {
  return "WIDTHxHEIGHT (" + std::to_string(kMinImageSide) + "–" + std::to_string(kMaxImageSide) +
         "), 1:1, 16:9, 9:16, 4:3, 3:4, 3:2, 2:3, square, portrait, landscape, wide, tall";
}

ImageArgs parse_image_args(const commands::CommandLine& line,
                           const std::vector<std::string>& models) {
  ImageArgs args;
  std::string_view rest = line.raw;
  // The model form: /image=flux=<prompt> (and /imagine=flux=... for a model the provider has).
  if (line.form == commands::CommandForm::kEquals) {
    const auto eq = rest.find('=');
    const auto blank = std::find_if(rest.begin(), rest.end(), is_space) - rest.begin();
    if (eq != std::string_view::npos && eq > 0 && eq < static_cast<std::size_t>(blank)) {
      const std::string key = text::ascii_lower(rest.substr(0, eq));
      const bool known = std::any_of(models.begin(), models.end(), [&](const std::string& m) {
        return text::ascii_lower(m) == key;
      });
      if (!is_option_key(key) && (line.name == "image" || known)) {
        args.model = std::string(rest.substr(0, eq));
        rest.remove_prefix(eq + 1);
      }
    }
  }
  std::size_t i = 0;
  std::size_t kept_from = 0;
  bool at_head = true;
  while (i < rest.size()) {
    while (i < rest.size() && is_space(rest[i]))
      ++i;
    const std::size_t start = i;
    while (i < rest.size() && !is_space(rest[i]) && rest[i] != '=')
      ++i;
    const std::string word = text::ascii_lower(rest.substr(start, i - start));
    if (i < rest.size() && rest[i] == '=' && is_option_key(word)) {
      std::string value;
      i = read_value(rest, i + 1, value);
      append_words(args.prompt, rest.substr(kept_from, start - kept_from));
      set_option(args, word, std::move(value));
      kept_from = i;
      continue;
    }
    while (i < rest.size() && !is_space(rest[i]))
      ++i;
    if (word.empty()) continue;
    if (at_head && word == "raw" && i - start == 3) {
      args.raw = true;
      kept_from = i;
      continue;
    }
    at_head = false;
  }
  append_words(args.prompt, rest.substr(kept_from));
  return args;
}

}  // namespace sakai::features
