#include "telegram/format/splitter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/text.h"
#include "telegram/format/markdown.h"
#include "unit/telegram/entity_check.h"

namespace sakai::telegram {
namespace {

using testing::of_type;
using testing::slice;
using testing::validate;

std::size_t units(std::string_view s) {
  return text::utf16_length(s);
}

// Removes the " (i/n)" marker, checking it is the expected one.
std::string strip_marker(const std::string& s, std::size_t i, std::size_t n) {
  const std::string marker = " (" + std::to_string(i + 1) + "/" + std::to_string(n) + ")";
  EXPECT_GE(s.size(), marker.size());
  EXPECT_EQ(s.substr(s.size() - marker.size()), marker);
  return s.substr(0, s.size() - marker.size());
}

std::string without_whitespace(std::string_view s) {
  std::string out;
  for (const char c : s) {
    if (c != ' ' && c != '\n' && c != '\t') out += c;
  }
  return out;
}

// Checks the invariants every split must satisfy and returns the bodies (markers removed).
std::vector<std::string> check_split(const FormattedText& original,
                                     const std::vector<FormattedText>& parts, int limit,
                                     bool markers = true) {
  std::vector<std::string> bodies;
  std::string joined;
  std::size_t search_from = 0;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const auto& p = parts[i];
    EXPECT_LE(units(p.text), static_cast<std::size_t>(limit)) << "part " << i;
    EXPECT_EQ(validate(p), "") << "part " << i;
    std::string body = markers && parts.size() > 1 ? strip_marker(p.text, i, parts.size()) : p.text;
    EXPECT_FALSE(body.empty());
    for (const auto& e : p.entities)
      EXPECT_LE(e.offset + e.length, static_cast<std::int32_t>(units(body))) << "marker styled";
    // Each part is a piece of the original, in order.
    const std::size_t at = original.text.find(body, search_from);
    EXPECT_NE(at, std::string::npos) << "part " << i << " is not from the original: " << body;
    if (at != std::string::npos) search_from = at + body.size();
    joined += body;
    bodies.push_back(std::move(body));
  }
  EXPECT_EQ(without_whitespace(joined), without_whitespace(original.text));
  return bodies;
}

std::vector<std::string> split_paragraphs(const std::string& s) {
  std::vector<std::string> out;
  std::size_t from = 0;
  for (std::size_t at = s.find("\n\n"); at != std::string::npos; at = s.find("\n\n", from)) {
    out.push_back(s.substr(from, at - from));
    from = at + 2;
  }
  out.push_back(s.substr(from));
  return out;
}

std::string repeat_sentences(int n) {
  std::string s;
  for (int i = 0; i < n; ++i)
    s += "Sentence number " + std::to_string(i) + " says something. ";
  return s;
}

TEST(Splitter, TextWithinLimitIsOnePartUnchanged) {
  FormattedText t("short **text**");
  t.entities = {{6, 4, EntityType::kBold, ""}};
  const auto parts = split_formatted(t, 4096);
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].text, t.text);
  ASSERT_EQ(parts[0].entities.size(), 1u);
  EXPECT_EQ(parts[0].entities[0].offset, 6);
  EXPECT_EQ(split_formatted(t, static_cast<int>(units(t.text))).size(), 1u);
}

TEST(Splitter, EveryPartFitsWithItsMarker) {
  const FormattedText t(repeat_sentences(40));
  for (const int limit : {60, 100, 257, 1000}) {
    const auto parts = split_formatted(t, limit);
    ASSERT_GT(parts.size(), 1u) << limit;
    check_split(t, parts, limit);
  }
}

TEST(Splitter, MarkerReserveGrowsWithTheNumberOfParts) {
  const FormattedText t(repeat_sentences(60));  // ~2500 units: dozens of parts at 60
  const auto parts = split_formatted(t, 60);
  ASSERT_GE(parts.size(), 10u);
  check_split(t, parts, 60);
  EXPECT_NE(parts.back().text.find(" (" + std::to_string(parts.size()) + "/"), std::string::npos);
}

TEST(Splitter, WithoutMarkersPartsUseTheWholeLimit) {
  const FormattedText t(repeat_sentences(20));
  const auto parts = split_formatted(t, 100, false);
  ASSERT_GT(parts.size(), 1u);
  check_split(t, parts, 100, false);
  for (const auto& p : parts)
    EXPECT_EQ(p.text.find(" ("), std::string::npos) << p.text;
}

TEST(Splitter, PrefersParagraphBoundaries) {
  std::vector<std::string> paragraphs;
  std::string all;
  for (int i = 0; i < 12; ++i) {
    paragraphs.push_back("Paragraph " + std::to_string(i) + ". It has two lines.\nSecond line" +
                         std::string(static_cast<std::size_t>(i % 3) * 5, '!'));
    all += (i > 0 ? "\n\n" : "") + paragraphs.back();
  }
  const FormattedText t(all);
  const auto bodies = check_split(t, split_formatted(t, 160), 160);
  for (const auto& body : bodies) {
    // Every part is a run of whole paragraphs.
    for (const auto& piece : split_paragraphs(body)) {
      EXPECT_NE(std::find(paragraphs.begin(), paragraphs.end(), piece), paragraphs.end())
          << "cut inside a paragraph: " << piece;
    }
  }
}

TEST(Splitter, FallsBackToLinesSentencesThenWords) {
  const FormattedText lines("alpha beta gamma\ndelta epsilon zeta\neta theta iota");
  auto bodies = check_split(lines, split_formatted(lines, 45), 45);
  EXPECT_EQ(bodies[0], "alpha beta gamma\ndelta epsilon zeta");

  const FormattedText sentences("First one is here. Second one؟ Third one follows here now");
  bodies = check_split(sentences, split_formatted(sentences, 40), 40);
  EXPECT_EQ(bodies[0], "First one is here. Second one؟");

  const FormattedText words("one two three four five six seven eight nine ten");
  bodies = check_split(words, split_formatted(words, 30), 30);
  for (const auto& b : bodies) {
    EXPECT_NE(b.front(), ' ');
    EXPECT_NE(b.back(), ' ');
  }
}

TEST(Splitter, NeverCutsZwnjWordsSurrogatePairsOrClusters) {
  const std::string word = "می‌خواهم";  // joined with U+200C
  std::string s;
  for (int i = 0; i < 30; ++i)
    s += word + " 😀👍🏽 ";
  const FormattedText t(s);
  for (const int limit : {20, 27, 33}) {
    const auto bodies = check_split(t, split_formatted(t, limit), limit);
    for (const auto& b : bodies) {
      for (const auto& token : text::split_whitespace(b))
        EXPECT_TRUE(token == word || token == "😀👍🏽") << "broken token: " << token;
    }
  }
  // No spaces at all: cuts fall between clusters, never inside one.
  std::string dense;
  for (int i = 0; i < 50; ++i)
    dense += "😀e\u0301👍🏽";
  const FormattedText d(dense);
  for (const int limit : {9, 10, 11}) {  // markers would not fit: none
    for (const auto& b : check_split(d, split_formatted(d, limit), limit, false)) {
      const std::u32string cps = text::decode(b);
      EXPECT_NE(cps.front(), U'\u0301');
      EXPECT_NE(cps.front(), U'\U0001F3FD');
      EXPECT_EQ(b.find("\xEF\xBF\xBD"), std::string::npos);
    }
  }
  // A long ZWNJ word is cut, if it must be, not next to the ZWNJ.
  const FormattedText zw(std::string(60, 'a') + "\u200C" + std::string(60, 'b'));
  for (const auto& b : check_split(zw, split_formatted(zw, 61, false), 61, false)) {
    EXPECT_NE(b.rfind("\u200C"), b.size() - 3);
    EXPECT_NE(b.find("\u200C"), 0u);
  }
}

TEST(Splitter, LongCodeBlockIsCarriedIntoEveryPart) {
  std::string md = "Here is the code:\n\n```python\n";
  for (int i = 0; i < 80; ++i)
    md += "print('line " + std::to_string(i) + "')\n";
  md += "```\n\nDone.";
  const FormattedText t = markdown_to_formatted(md);
  ASSERT_EQ(validate(t), "");
  const auto parts = split_formatted(t, 300);
  const auto bodies = check_split(t, parts, 300);
  ASSERT_GE(parts.size(), 5u);
  EXPECT_EQ(bodies.front(), "Here is the code:");  // the cut outside the block comes first
  EXPECT_EQ(bodies.back().substr(bodies.back().size() - 5), "Done.");
  const std::string code = slice(t, of_type(t, EntityType::kPre).at(0));
  std::string rebuilt;
  for (std::size_t i = 1; i < parts.size(); ++i) {
    const auto pre = of_type(parts[i], EntityType::kPre);
    if (pre.empty() && i + 1 == parts.size()) break;  // "Done." alone
    ASSERT_EQ(pre.size(), 1u) << "part " << i;
    EXPECT_EQ(pre[0].argument, "python");
    EXPECT_EQ(pre[0].offset, 0);
    const std::string piece = slice(parts[i], pre[0]);
    EXPECT_EQ(piece.rfind("print('line ", 0), 0u) << piece;  // whole lines of code
    EXPECT_EQ(piece.back(), ')');
    rebuilt += (rebuilt.empty() ? "" : "\n") + piece;
  }
  EXPECT_EQ(rebuilt, code);
}

TEST(Splitter, AvoidsCuttingInsideEntitiesWhenPossible) {
  // The best word cut would fall inside the bold run; a cut before it is available.
  const std::string plain = "plain words before ";
  const std::string bold = "bold words that must stay together";
  FormattedText t(plain + bold + " tail");
  t.entities = {{static_cast<std::int32_t>(plain.size()), static_cast<std::int32_t>(bold.size()),
                 EntityType::kBold, ""}};
  const auto parts = split_formatted(t, 50);
  check_split(t, parts, 50);
  int bold_parts = 0;
  for (const auto& p : parts) {
    for (const auto& e : of_type(p, EntityType::kBold)) {
      ++bold_parts;
      EXPECT_EQ(slice(p, e), bold);
    }
  }
  EXPECT_EQ(bold_parts, 1);
}

TEST(Splitter, EntityLongerThanTheLimitIsSplitAndReopened) {
  std::string quote;
  for (int i = 0; i < 40; ++i)
    quote += "word" + std::to_string(i) + " ";
  quote.pop_back();
  FormattedText t("Intro. " + quote);
  t.entities = {{7, static_cast<std::int32_t>(units(quote)), EntityType::kBlockQuote, ""},
                {12, 30, EntityType::kTextUrl, "https://example.com"}};
  const auto parts = split_formatted(t, 64);
  const auto bodies = check_split(t, parts, 64);
  std::string rebuilt;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    for (const auto& e : of_type(parts[i], EntityType::kBlockQuote)) {
      if (!rebuilt.empty()) rebuilt += ' ';
      rebuilt += slice(parts[i], e);
    }
    for (const auto& e : of_type(parts[i], EntityType::kTextUrl))
      EXPECT_EQ(e.argument, "https://example.com");
  }
  EXPECT_EQ(rebuilt, quote);  // the quote continues in every part after the intro
  EXPECT_GE(of_type(parts[0], EntityType::kTextUrl).size() +
                of_type(parts[1], EntityType::kTextUrl).size(),
            1u);
}

TEST(Splitter, EntityOffsetsAreRebasedInUtf16) {
  std::string s;
  for (int i = 0; i < 20; ++i)
    s += "😀 سلام دنیا. ";
  s += "**end**";
  FormattedText t = markdown_to_formatted(s);
  const auto bold = of_type(t, EntityType::kBold);
  ASSERT_EQ(bold.size(), 1u);
  const auto parts = split_formatted(t, 50);
  check_split(t, parts, 50);
  const auto last_bold = of_type(parts.back(), EntityType::kBold);
  ASSERT_EQ(last_bold.size(), 1u);
  EXPECT_EQ(slice(parts.back(), last_bold[0]), "end");
}

TEST(Splitter, DegenerateLimits) {
  const FormattedText t("abc def ghi");
  EXPECT_EQ(split_formatted(t, 0).size(), 1u);
  // Too small for markers: parts come without them.
  const auto tiny = split_formatted(t, 4);
  for (const auto& p : tiny)
    EXPECT_LE(units(p.text), 4u);
  check_split(t, tiny, 4, false);
  const FormattedText emoji("😀😀😀");
  const auto one = split_formatted(emoji, 1, false);
  EXPECT_EQ(one.size(), 3u);  // a surrogate pair is never cut, even at a limit of 1
  const FormattedText spaces("abc" + std::string(50, ' '));
  const auto trimmed = split_formatted(spaces, 10);
  ASSERT_EQ(trimmed.size(), 1u);
  EXPECT_EQ(trimmed[0].text, "abc");
}

}  // namespace
}  // namespace sakai::telegram
