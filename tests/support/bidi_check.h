#pragma once
// Checks that a right-to-left line (Persian, Arabic) displays its left-to-right pieces in order,
// by running it through a real implementation of the Unicode bidi algorithm (ICU's ubidi) and
// looking at where each character lands on screen.
//
// The pieces ("fragments") are found in the logical text, independently of any isolate or mark
// it carries:
//   - the values substituted into it (given by the caller), when they read left to right;
//   - commands: "/name" and the arguments that follow it up to the first right-to-left word
//     outside <...> or [...] ("/help ping", "/tts voice=<صدا> <متن>");
//   - Latin words and identifiers (gemini.api_keys, UTF-8, docs/VOICE.md), one run of them per
//     phrase (a list separated by "،" is several fragments, and so is a parenthetical);
//   - numbers, in any digits, with their separators ("۱٬۲۳۴", "۳/۱۰", "0.5-2").
// The checks, at paragraph level RTL:
//   1. each fragment lands as one contiguous block on screen (not split);
//   2. inside a fragment, the left-to-right characters read left to right (not reversed);
//   3. the sentence's own order is kept: each word or fragment lands left of the one before it;
//   4. a line with right-to-left letters is also detected as right-to-left by a client that
//      takes the direction from the first strong letter (isolates skipped, UAX #9 P2-P3), so it
//      does not start in left-to-right order.
// Header-only; links ICU (icu-uc). Used by the catalog test and the console tests.
#include <unicode/ubidi.h>
#include <unicode/uchar.h>

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/text.h"

namespace sakai::testing {

inline bool is_bidi_control(char32_t c) {
  return (c >= 0x2066 && c <= 0x2069) || c == 0x200E || c == 0x200F || c == 0x061C ||
         (c >= 0x202A && c <= 0x202E);
}

inline bool is_strong_rtl(char32_t c) {
  const auto d = u_charDirection(static_cast<UChar32>(c));
  return d == U_RIGHT_TO_LEFT || d == U_RIGHT_TO_LEFT_ARABIC;
}

inline bool is_digit_cp(char32_t c) {
  return u_charType(static_cast<UChar32>(c)) == U_DECIMAL_DIGIT_NUMBER;
}

inline bool is_ascii_alnum(char32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

inline bool is_space_cp(char32_t c) {
  return c == ' ' || c == '\t' || c == 0xA0 || c == 0x202F;
}

// Marks that belong to the right-to-left word they sit in (ZWNJ, ZWJ, Arabic diacritics).
inline bool joins_word(char32_t c) {
  const auto d = u_charDirection(static_cast<UChar32>(c));
  return d == U_BOUNDARY_NEUTRAL || d == U_DIR_NON_SPACING_MARK;
}

class RtlLine {
 public:
  // `line` is one paragraph (no '\n'); `values` are the substituted values to look for.
  RtlLine(const std::string& line, const std::vector<std::string>& values) : line_(line) {
    const std::u32string all = text::decode(line);
    for (std::size_t i = 0; i < all.size(); ++i) {
      if (!is_bidi_control(all[i])) {
        cps_.push_back(all[i]);
        orig_.push_back(i);
      }
    }
    layout(all);
    find_fragments(values);
  }

  // Everything wrong with the line, one sentence each; empty when it displays right.
  [[nodiscard]] std::vector<std::string> problems() const {
    std::vector<std::string> out;
    if (!ok_) {
      out.push_back("ICU could not lay the line out");
      return out;
    }
    for (const auto& [a, b] : fragments_) {
      const std::string frag = piece(a, b);
      std::vector<int> pos;
      for (std::size_t i = a; i < b; ++i)
        pos.push_back(vis_[i]);
      const auto [mn, mx] = std::minmax_element(pos.begin(), pos.end());
      if (*mx - *mn + 1 != static_cast<int>(pos.size())) {
        out.push_back("“" + frag + "” is split on screen");
        continue;
      }
      // Left-to-right pieces of the fragment: runs of what is not a right-to-left word.
      std::vector<std::pair<std::size_t, std::size_t>> runs;
      for (std::size_t i = a; i < b;) {
        if (rtlish(i) || is_space_cp(cps_[i])) {
          ++i;
          continue;
        }
        const std::size_t s = i;
        while (i < b && !rtlish(i) && !is_space_cp(cps_[i]))
          ++i;
        runs.emplace_back(s, i);
      }
      bool reversed = false;
      for (std::size_t r = 0; r < runs.size() && !reversed; ++r) {
        for (std::size_t i = runs[r].first + 1; i < runs[r].second; ++i)
          reversed = reversed || vis_[i] <= vis_[i - 1];
        if (r > 0) reversed = reversed || min_vis(runs[r]) <= max_vis(runs[r - 1]);
      }
      if (reversed) out.push_back("“" + frag + "” is reversed on screen: " + visual());
    }
    // The sentence reads right to left: each unit lands left of the previous one.
    const auto units = sentence_units();
    for (std::size_t k = 1; k < units.size(); ++k) {
      if (max_vis(units[k]) >= min_vis(units[k - 1])) {
        out.push_back("“" + piece(units[k].first, units[k].second) + "” should follow “" +
                      piece(units[k - 1].first, units[k - 1].second) +
                      "” to its left: " + visual());
        break;
      }
    }
    if (has_rtl_letter_ && !auto_rtl_) {
      out.push_back(
          "the line starts left-to-right (its first strong letter outside isolates is "
          "Latin), so a client shows it in left-to-right order");
    }
    return out;
  }

  // The line as shown on screen, left to right, bidi controls removed.
  [[nodiscard]] std::string visual() const {
    std::vector<std::pair<int, char32_t>> v;
    for (std::size_t i = 0; i < cps_.size(); ++i)
      v.emplace_back(vis_[i], cps_[i]);
    std::sort(v.begin(), v.end());
    std::u32string s;
    for (const auto& [p, c] : v)
      s += c;
    return text::encode(s);
  }

  [[nodiscard]] std::vector<std::string> fragments() const {
    std::vector<std::string> out;
    for (const auto& [a, b] : fragments_)
      out.push_back(piece(a, b));
    return out;
  }

 private:
  using Span = std::pair<std::size_t, std::size_t>;

  [[nodiscard]] bool rtlish(std::size_t i) const {
    return is_strong_rtl(cps_[i]) || joins_word(cps_[i]);
  }
  [[nodiscard]] std::string piece(std::size_t a, std::size_t b) const {
    return text::encode(std::u32string_view(cps_).substr(a, b - a));
  }
  [[nodiscard]] int min_vis(Span s) const {
    int m = 1 << 30;
    for (std::size_t i = s.first; i < s.second; ++i)
      if (!is_space_cp(cps_[i])) m = std::min(m, vis_[i]);
    return m;
  }
  [[nodiscard]] int max_vis(Span s) const {
    int m = -1;
    for (std::size_t i = s.first; i < s.second; ++i)
      if (!is_space_cp(cps_[i])) m = std::max(m, vis_[i]);
    return m;
  }

  // Visual positions of the non-control characters, ranked 0..n-1 from the left.
  void layout(const std::u32string& all) {
    std::u16string u16;
    std::vector<std::size_t> u16_of(all.size());
    for (std::size_t i = 0; i < all.size(); ++i) {
      u16_of[i] = u16.size();
      char32_t c = all[i];
      if (c >= 0x10000) {
        c -= 0x10000;
        u16.push_back(static_cast<char16_t>(0xD800 + (c >> 10)));
        u16.push_back(static_cast<char16_t>(0xDC00 + (c & 0x3FF)));
      } else {
        u16.push_back(static_cast<char16_t>(c));
      }
    }
    for (char32_t c : cps_)
      has_rtl_letter_ = has_rtl_letter_ || is_strong_rtl(c);
    UErrorCode err = U_ZERO_ERROR;
    UBiDi* bidi = ubidi_open();
    const auto len = static_cast<int32_t>(u16.size());
    ubidi_setPara(bidi, reinterpret_cast<const UChar*>(u16.data()), len, UBIDI_RTL, nullptr, &err);
    std::vector<int32_t> map(u16.size());
    if (U_SUCCESS(err) && len > 0) ubidi_getLogicalMap(bidi, map.data(), &err);
    // How a client that detects the direction (first strong letter, isolates skipped) sees it.
    UErrorCode err2 = U_ZERO_ERROR;
    ubidi_setPara(bidi, reinterpret_cast<const UChar*>(u16.data()), len, UBIDI_DEFAULT_RTL, nullptr,
                  &err2);
    auto_rtl_ = U_SUCCESS(err2) && (ubidi_getParaLevel(bidi) & 1) == 1;
    ubidi_close(bidi);
    ok_ = U_SUCCESS(err);
    std::vector<std::pair<int32_t, std::size_t>> order;
    for (std::size_t i = 0; i < cps_.size(); ++i)
      order.emplace_back(len > 0 ? map[u16_of[orig_[i]]] : 0, i);
    std::sort(order.begin(), order.end());
    vis_.assign(cps_.size(), 0);
    for (std::size_t r = 0; r < order.size(); ++r)
      vis_[order[r].second] = static_cast<int>(r);
  }

  [[nodiscard]] bool overlaps(Span s) const {
    return std::any_of(fragments_.begin(), fragments_.end(),
                       [&](Span f) { return s.first < f.second && f.first < s.second; });
  }
  void add(Span s) {
    // Trim spaces and sentence punctuation at the ends; a closing bracket that closes nothing in
    // the fragment is the sentence's.
    const auto trailing = [&](char32_t c) {
      return is_space_cp(c) ||
             std::u32string_view(U".,،؛:!?؟»\"”'…").find(c) != std::u32string_view::npos;
    };
    const auto leading = [&](char32_t c) {
      return is_space_cp(c) || std::u32string_view(U"(«\"“'").find(c) != std::u32string_view::npos;
    };
    while (s.first < s.second && leading(cps_[s.first]))
      ++s.first;
    while (true) {
      while (s.second > s.first && trailing(cps_[s.second - 1]))
        --s.second;
      if (s.second > s.first && (cps_[s.second - 1] == ')' || cps_[s.second - 1] == ']')) {
        const char32_t close = cps_[s.second - 1];
        const char32_t open = close == ')' ? '(' : '[';
        int depth = 0;
        for (std::size_t i = s.first; i + 1 < s.second; ++i)
          depth += cps_[i] == open ? 1 : (cps_[i] == close ? -1 : 0);
        if (depth <= 0) {
          --s.second;
          continue;
        }
      }
      break;
    }
    // A word in brackets ("[pricing]") is the word: the brackets are the sentence's (mirrored).
    if (s.second - s.first >= 2 && cps_[s.first] == '[' && cps_[s.second - 1] == ']' &&
        cps_[s.first + 1] != '/') {
      ++s.first;
      --s.second;
    }
    if (s.first >= s.second || overlaps(s)) return;
    bool meaningful = false;
    for (std::size_t i = s.first; i < s.second; ++i)
      meaningful = meaningful || is_ascii_alnum(cps_[i]) || is_digit_cp(cps_[i]);
    if (meaningful) fragments_.push_back(s);
  }

  std::vector<Span> tokens() const {
    std::vector<Span> out;
    for (std::size_t i = 0; i < cps_.size();) {
      if (is_space_cp(cps_[i])) {
        ++i;
        continue;
      }
      const std::size_t s = i;
      while (i < cps_.size() && !is_space_cp(cps_[i]))
        ++i;
      out.emplace_back(s, i);
    }
    return out;
  }

  void find_fragments(const std::vector<std::string>& values) {
    // 1. Substituted values that read left to right, longest first ("en" is also inside
    //    "English (en)").
    std::vector<std::string> by_length = values;
    std::stable_sort(
        by_length.begin(), by_length.end(),
        [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
    for (const auto& v : by_length) {
      const std::u32string u = text::decode(v);
      if (u.empty() || std::any_of(u.begin(), u.end(), is_strong_rtl)) continue;
      for (std::size_t at = std::u32string_view(cps_).find(u); at != std::u32string::npos;
           at = std::u32string_view(cps_).find(u, at + 1))
        add({at, at + u.size()});
    }
    const auto toks = tokens();
    // 2. Commands with their arguments.
    for (std::size_t t = 0; t < toks.size(); ++t) {
      for (std::size_t i = toks[t].first; i + 1 < toks[t].second; ++i) {
        const bool starts = i == toks[t].first || leading_punct(cps_[i - 1]);
        if (!starts || cps_[i] != '/' || !is_ascii_alnum(cps_[i + 1])) continue;
        int depth = 0;
        std::size_t end = i;
        std::size_t u = t;
        for (; u < toks.size(); ++u) {
          const std::size_t from = u == t ? i : toks[u].first;
          bool rtl_outside = false;
          int d = depth;
          for (std::size_t k = from; k < toks[u].second; ++k) {
            const char32_t c = cps_[k];
            if (c == '[' || c == '<') ++d;
            if ((c == ']' || c == '>') && d > 0) --d;
            if (d == 0 && is_strong_rtl(c)) rtl_outside = true;
          }
          const bool separator = toks[u].second - toks[u].first == 1 &&
                                 (cps_[toks[u].first] == 0x2014 || cps_[toks[u].first] == 0x2013 ||
                                  cps_[toks[u].first] == 0xB7 || cps_[toks[u].first] == 0x2022);
          if (u > t && (rtl_outside || separator)) break;
          if (u == t && rtl_outside) {
            // "/stt" glued to a Persian word: the command ends where the letters change.
            std::size_t k = from;
            while (k < toks[u].second && !is_strong_rtl(cps_[k]))
              ++k;
            end = k;
            u = toks.size();
            break;
          }
          depth = d;
          end = toks[u].second;
          // A token ending in an Arabic comma or a sentence stop ends the command.
          const char32_t last = cps_[toks[u].second - 1];
          if (last == 0x060C || last == 0x061B || last == '.') {
            ++u;
            break;
          }
        }
        add({i, end});
        break;
      }
    }
    // 3. Latin words and identifiers: runs of tokens without right-to-left letters, broken after
    //    a token ending in an Arabic comma or semicolon.
    std::size_t run_start = 0;
    std::size_t run_end = 0;
    bool in_run = false;
    for (const auto& tk : toks) {
      bool latin = false;
      bool rtl = false;
      for (std::size_t k = tk.first; k < tk.second; ++k) {
        latin = latin || is_ascii_alnum(cps_[k]);
        rtl = rtl || is_strong_rtl(cps_[k]);
      }
      // A parenthetical is a unit of its own: "OpenAI (docs/VOICE.md)" is two.
      if (latin && !rtl && in_run && (cps_[tk.first] == '(' || cps_[tk.first] == 0xAB)) {
        add({run_start, run_end});
        in_run = false;
      }
      if (latin && !rtl) {
        if (!in_run) run_start = tk.first;
        in_run = true;
        run_end = tk.second;
        const char32_t last = cps_[tk.second - 1];
        if (last == 0x060C || last == 0x061B) {
          add({run_start, run_end});
          in_run = false;
        }
      } else {
        if (in_run) add({run_start, run_end});
        in_run = false;
      }
    }
    if (in_run) add({run_start, run_end});
    // 4. Numbers in any digits, with separators between digits.
    for (std::size_t i = 0; i < cps_.size();) {
      if (!is_digit_cp(cps_[i])) {
        ++i;
        continue;
      }
      const std::size_t s = i;
      while (i < cps_.size() &&
             (is_digit_cp(cps_[i]) ||
              (i + 1 < cps_.size() && is_digit_cp(cps_[i + 1]) &&
               std::u32string_view(U".,٫٬:/-−").find(cps_[i]) != std::u32string_view::npos)))
        ++i;
      add({s, i});
    }
    std::sort(fragments_.begin(), fragments_.end());
  }

  static bool leading_punct(char32_t c) {
    return std::u32string_view(U"([«\"“'").find(c) != std::u32string_view::npos;
  }

  // Fragments and right-to-left words (trimmed to their letters), in logical order.
  [[nodiscard]] std::vector<Span> sentence_units() const {
    std::vector<Span> units = fragments_;
    std::vector<bool> in_fragment(cps_.size(), false);
    for (const auto& [a, b] : fragments_)
      for (std::size_t i = a; i < b; ++i)
        in_fragment[i] = true;
    for (std::size_t i = 0; i < cps_.size();) {
      if (in_fragment[i] || !is_strong_rtl(cps_[i])) {
        ++i;
        continue;
      }
      const std::size_t s = i;
      std::size_t last = i;
      while (i < cps_.size() && !in_fragment[i] && !is_space_cp(cps_[i])) {
        if (is_strong_rtl(cps_[i]) || joins_word(cps_[i])) last = i;
        ++i;
      }
      units.emplace_back(s, last + 1);
    }
    std::sort(units.begin(), units.end());
    return units;
  }

  std::string line_;
  std::u32string cps_;             // the line without bidi controls
  std::vector<std::size_t> orig_;  // index of each of cps_ in the full line
  std::vector<int> vis_;           // visual rank of each of cps_
  std::vector<Span> fragments_;
  bool ok_ = false;
  bool has_rtl_letter_ = false;
  bool auto_rtl_ = false;
};

// problems() of every line of `text`, each prefixed with the line.
inline std::vector<std::string> rtl_problems(const std::string& text,
                                             const std::vector<std::string>& values) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(start, end - start);
    if (!line.empty()) {
      for (auto& p : RtlLine(line, values).problems())
        out.push_back(std::move(p));
    }
    start = end + 1;
  }
  return out;
}

}  // namespace sakai::testing
