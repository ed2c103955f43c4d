// What LLM answers in Persian and Arabic (and arithmetic in any language) look like after the
// Markdown conversion: "2*3*4" stays arithmetic, and a Persian table is not mirrored.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/text.h"
#include "support/bidi_check.h"
#include "telegram/format/markdown.h"
#include "unit/telegram/entity_check.h"

namespace sakai::telegram {
namespace {

using testing::of_type;
using testing::slice;
using testing::validate;

FormattedText md(std::string_view s) {
  FormattedText t = markdown_to_formatted(s);
  EXPECT_EQ(validate(t), "") << "input: " << s;
  return t;
}

TEST(MarkdownArithmetic, StarsBetweenDigitsAreMultiplication) {
  auto t = md("2*3*4 = 24");
  EXPECT_EQ(t.text, "2*3*4 = 24");
  EXPECT_TRUE(t.entities.empty());
  t = md("2**10 is 1024, and 3**2*2 is 18");
  EXPECT_EQ(t.text, "2**10 is 1024, and 3**2*2 is 18");
  EXPECT_TRUE(t.entities.empty());
  t = md("x = 2*y*3");
  EXPECT_EQ(t.text, "x = 2*y*3");
  EXPECT_TRUE(t.entities.empty());
  t = md("۲×۳ یعنی 2*3*4 نه ۲۳۴");
  EXPECT_EQ(t.text, "۲×۳ یعنی 2*3*4 نه ۲۳۴");
  EXPECT_TRUE(t.entities.empty());
}

TEST(MarkdownArithmetic, EmphasisAroundArithmeticStillWorks) {
  auto t = md("**2*3*4 = 24** and *six*");
  EXPECT_EQ(t.text, "2*3*4 = 24 and six");
  ASSERT_EQ(of_type(t, EntityType::kBold).size(), 1u);
  EXPECT_EQ(slice(t, of_type(t, EntityType::kBold)[0]), "2*3*4 = 24");
  ASSERT_EQ(of_type(t, EntityType::kItalic).size(), 1u);
  EXPECT_EQ(slice(t, of_type(t, EntityType::kItalic)[0]), "six");
  // Emphasis between letters is CommonMark's and stays.
  t = md("snake*case*word");
  ASSERT_EQ(of_type(t, EntityType::kItalic).size(), 1u);
  EXPECT_EQ(slice(t, of_type(t, EntityType::kItalic)[0]), "case");
}

TEST(MarkdownArithmetic, CodeAndLinksKeepTheirStars) {
  auto t = md("`2*3*4` and\n\n```\nx = 2*3*4\n```");
  EXPECT_EQ(t.text, "2*3*4 and\n\nx = 2*3*4");
  ASSERT_EQ(of_type(t, EntityType::kCode).size(), 1u);
  EXPECT_EQ(slice(t, of_type(t, EntityType::kCode)[0]), "2*3*4");
  EXPECT_EQ(slice(t, of_type(t, EntityType::kPre)[0]), "x = 2*3*4");
  t = md("[calc](https://example.com/q?e=2*3*4)");
  ASSERT_EQ(of_type(t, EntityType::kTextUrl).size(), 1u);
  EXPECT_EQ(of_type(t, EntityType::kTextUrl)[0].argument, "https://example.com/q?e=2*3*4");
  // A private-use character already in the answer is left alone (and not turned into "*").
  t = md("a\xEE\x80\x80z 2*3");
  EXPECT_EQ(t.text, "a\xEE\x80\x80z 2*3");
}

constexpr std::string_view kPersianTable =
    "مقایسه:\n\n"
    "| ویژگی | پایتون | جاوا |\n"
    "|---|---|---|\n"
    "| سرعت | کند | سریع |\n"
    "| نسخه | 3.12 | 21 |\n\n"
    "پایان";

TEST(MarkdownRtlTable, PersianTableBecomesRowsNotAMirroredBlock) {
  const auto t = md(kPersianTable);
  EXPECT_TRUE(of_type(t, EntityType::kPre).empty()) << t.text;
  const auto ls = text::split(t.text, '\n');
  ASSERT_EQ(ls.size(), 6u) << t.text;
  EXPECT_EQ(ls[0], "مقایسه:");
  EXPECT_EQ(ls[2],
            "\u200F• \u2068سرعت\u2069 — \u2068پایتون\u2069: \u2068کند\u2069 · "
            "\u2068جاوا\u2069: \u2068سریع\u2069");
  EXPECT_EQ(ls[3],
            "\u200F• \u2068نسخه\u2069 — \u2068پایتون\u2069: \u20683.12\u2069 · "
            "\u2068جاوا\u2069: \u206821\u2069");
  EXPECT_EQ(ls[5], "پایان");
  // Each row's first cell is its bold title.
  const auto bold = of_type(t, EntityType::kBold);
  ASSERT_EQ(bold.size(), 2u);
  EXPECT_EQ(slice(t, bold[0]), "\u2068سرعت\u2069");
  EXPECT_EQ(slice(t, bold[1]), "\u2068نسخه\u2069");
}

TEST(MarkdownRtlTable, RowsDisplayRightToLeftWithTheirNumbersInOrder) {
  // Laid out by the bidi algorithm: the row reads right to left (title, then each column in
  // order), and "3.12" stays "3.12" on screen.
  const auto t = md(kPersianTable);
  const auto ls = text::split(t.text, '\n');
  ASSERT_EQ(ls.size(), 6u);
  for (std::size_t i : {2u, 3u}) {
    const sakai::testing::RtlLine line(ls[i], {"3.12", "21"});
    EXPECT_TRUE(line.problems().empty()) << line.problems().front() << "\n" << ls[i];
  }
  const sakai::testing::RtlLine row(ls[3], {"3.12", "21"});
  const std::string shown = row.visual();
  // Left to right on screen: the last column first, the title last.
  const auto pos = [&](std::string_view s) { return shown.find(s); };
  EXPECT_LT(pos("21"), pos("3.12")) << shown;
  EXPECT_NE(pos("3.12"), std::string::npos) << shown;
}

TEST(MarkdownRtlTable, MostlyLatinTablesStayAlignedBlocks) {
  const auto t = md("| name | سن |\n|---|---|\n| Alice | 30 |\n| Bob | 41 |");
  EXPECT_EQ(of_type(t, EntityType::kPre).size(), 1u) << t.text;
}

TEST(MarkdownRtlTable, RaggedAndEmptyCells) {
  const auto t = md("| الف | ب |\n|---|---|\n| یک | |\n| | دو |\n| | |");
  const auto ls = text::split(t.text, '\n');
  ASSERT_EQ(ls.size(), 2u) << t.text;
  EXPECT_EQ(ls[0], "\u200F• \u2068یک\u2069");
  EXPECT_EQ(ls[1], "\u200F• \u2068ب\u2069: \u2068دو\u2069");
}

}  // namespace
}  // namespace sakai::telegram
