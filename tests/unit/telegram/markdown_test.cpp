#include "telegram/format/markdown.h"

#include <gtest/gtest.h>

#include <cctype>
#include <random>
#include <string>
#include <vector>

#include "core/text.h"
#include "telegram/format/text_table.h"
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

// The single entity of `type`, checked to cover exactly `visible`.
void expect_one(const FormattedText& t, EntityType type, std::string_view visible,
                std::string_view argument = {}) {
  const auto es = of_type(t, type);
  ASSERT_EQ(es.size(), 1u) << entity_type_name(type) << " in: " << t.text;
  EXPECT_EQ(slice(t, es[0]), visible) << entity_type_name(type);
  EXPECT_EQ(es[0].argument, argument) << entity_type_name(type);
}

std::vector<std::string> lines(const std::string& s) {
  return text::split(s, '\n');
}

TEST(Markdown, PlainTextHasNoEntities) {
  const auto t = md("hello world");
  EXPECT_EQ(t.text, "hello world");
  EXPECT_TRUE(t.entities.empty());
}

TEST(Markdown, InlineStyles) {
  const auto t = md("a **bold** b *it* c _it2_ d ~~gone~~ e `ls -la` f");
  EXPECT_EQ(t.text, "a bold b it c it2 d gone e ls -la f");
  expect_one(t, EntityType::kBold, "bold");
  expect_one(t, EntityType::kStrikethrough, "gone");
  expect_one(t, EntityType::kCode, "ls -la");
  const auto it = of_type(t, EntityType::kItalic);
  ASSERT_EQ(it.size(), 2u);
  EXPECT_EQ(slice(t, it[0]), "it");
  EXPECT_EQ(slice(t, it[1]), "it2");
}

TEST(Markdown, UnderlineTagIsNotMarkdownAndStaysLiteral) {
  const auto t = md("x <u>y</u> z");
  EXPECT_EQ(t.text, "x <u>y</u> z");
  EXPECT_TRUE(t.entities.empty());
  EXPECT_EQ(md("<div>\nraw\n</div>\n\nafter").text, "<div>\nraw\n</div>\n\nafter");
}

TEST(Markdown, BoldNestedInItalic) {
  const auto t = md("*it **bold** it*");
  EXPECT_EQ(t.text, "it bold it");
  ASSERT_EQ(t.entities.size(), 2u);
  EXPECT_EQ(t.entities[0].type, EntityType::kItalic);  // outer first
  EXPECT_EQ(slice(t, t.entities[0]), "it bold it");
  EXPECT_EQ(t.entities[1].type, EntityType::kBold);
  EXPECT_EQ(slice(t, t.entities[1]), "bold");
  const auto both = md("***both***");
  EXPECT_EQ(both.entities.size(), 2u);
  for (const auto& e : both.entities)
    EXPECT_EQ(slice(both, e), "both");
}

TEST(Markdown, PersianAndEmojiOffsetsAreUtf16) {
  const auto t = md("سلام 😀 **دنیا** 👍🏽 *x*");
  EXPECT_EQ(t.text, "سلام 😀 دنیا 👍🏽 x");
  const auto bold = of_type(t, EntityType::kBold);
  ASSERT_EQ(bold.size(), 1u);
  EXPECT_EQ(bold[0].offset, 8);  // 4 letters + space + emoji (2 units) + space
  EXPECT_EQ(bold[0].length, 4);
  EXPECT_EQ(slice(t, bold[0]), "دنیا");
  const auto it = of_type(t, EntityType::kItalic);
  ASSERT_EQ(it.size(), 1u);
  EXPECT_EQ(it[0].offset, 8 + 4 + 1 + 4 + 1);  // thumbs up + skin tone = 4 units
  EXPECT_EQ(slice(t, it[0]), "x");
  const auto zwnj = md("**می‌خواهم** 🇮🇷 `کد`");
  expect_one(zwnj, EntityType::kBold, "می‌خواهم");
  expect_one(zwnj, EntityType::kCode, "کد");
  EXPECT_EQ(of_type(zwnj, EntityType::kCode)[0].offset, 8 + 1 + 4 + 1);
}

TEST(Markdown, FencedCodeBlockKeepsLanguageAndContent) {
  const auto t = md("Intro:\n\n```cpp\nint x = 1;\n  if (x) {}\n```\n\nafter");
  EXPECT_EQ(t.text, "Intro:\n\nint x = 1;\n  if (x) {}\n\nafter");
  expect_one(t, EntityType::kPre, "int x = 1;\n  if (x) {}", "cpp");
  const auto no_lang = md("```\n**not bold** `x`\n```");
  EXPECT_EQ(no_lang.text, "**not bold** `x`");
  ASSERT_EQ(no_lang.entities.size(), 1u);
  expect_one(no_lang, EntityType::kPre, "**not bold** `x`");
}

TEST(Markdown, IndentedCodeBlockIsPreWithoutLanguage) {
  const auto t = md("para\n\n    code line\n      indented\n");
  EXPECT_EQ(t.text, "para\n\ncode line\n  indented");
  expect_one(t, EntityType::kPre, "code line\n  indented");
}

TEST(Markdown, LinksBecomeTextUrls) {
  const auto t = md("see [the docs](https://example.com/a?b=1&amp;c=2) now");
  EXPECT_EQ(t.text, "see the docs now");
  expect_one(t, EntityType::kTextUrl, "the docs", "https://example.com/a?b=1&c=2");
  const auto styled = md("[**bold** link](http://x.y)");
  expect_one(styled, EntityType::kTextUrl, "bold link", "http://x.y");
  expect_one(styled, EntityType::kBold, "bold");
  // Code cannot live inside a link on Telegram: the link wins.
  const auto code = md("[`code`](http://x.y)");
  expect_one(code, EntityType::kTextUrl, "code", "http://x.y");
  EXPECT_TRUE(of_type(code, EntityType::kCode).empty());
}

TEST(Markdown, AutolinksStayPlainText) {
  const auto t = md("see https://example.com/x and <https://a.b> and www.example.org");
  EXPECT_EQ(t.text, "see https://example.com/x and https://a.b and www.example.org");
  EXPECT_TRUE(t.entities.empty());
}

TEST(Markdown, UnusableLinkTargetsAreDropped) {
  const auto t = md("[anchor](#top) [site](/path) [ok](tg://resolve?domain=x)");
  EXPECT_EQ(t.text, "anchor site ok");
  expect_one(t, EntityType::kTextUrl, "ok", "tg://resolve?domain=x");
}

TEST(Markdown, BlockQuotes) {
  const auto t = md("> quoted **line**\n> second\n\nafter");
  EXPECT_EQ(t.text, "quoted line\nsecond\n\nafter");
  expect_one(t, EntityType::kBlockQuote, "quoted line\nsecond");
  expect_one(t, EntityType::kBold, "line");
  const auto nested = md("> outer\n>\n> > inner\n\nout");
  EXPECT_EQ(nested.text, "outer\n\ninner\n\nout");
  expect_one(nested, EntityType::kBlockQuote, "outer\n\ninner");
}

TEST(Markdown, HeadingsAreBoldLines) {
  const auto t = md("# Title\ntext\n### Sub *x*");
  EXPECT_EQ(t.text, "Title\n\ntext\n\nSub x");
  const auto bold = of_type(t, EntityType::kBold);
  ASSERT_EQ(bold.size(), 2u);
  EXPECT_EQ(slice(t, bold[0]), "Title");
  EXPECT_EQ(slice(t, bold[1]), "Sub x");
  expect_one(t, EntityType::kUnderline, "Title");  // H1/H2 only
  expect_one(t, EntityType::kItalic, "x");
}

TEST(Markdown, ListsWithNesting) {
  const auto t = md("Items:\n\n- a\n- **b**\n  - c\n    - d\n- e\n\n3. x\n4. y\n\nend");
  EXPECT_EQ(t.text, "Items:\n\n• a\n• b\n  • c\n    • d\n• e\n\n3. x\n4. y\n\nend");
  expect_one(t, EntityType::kBold, "b");
}

TEST(Markdown, LooseListsAndContinuationLines) {
  const auto t = md("1. first\n\n   more\n2. second\n   soft");
  EXPECT_EQ(t.text, "1. first\n\n   more\n\n2. second\n   soft");
  const auto task = md("- [ ] todo\n- [x] done");
  EXPECT_EQ(task.text, "☐ todo\n☑ done");
}

TEST(Markdown, QuoteAndCodeInsideListItems) {
  const auto t = md("- > quoted\n- ```sh\n  ls\n  ```");
  EXPECT_EQ(validate(t), "");
  expect_one(t, EntityType::kBlockQuote, "quoted");
  expect_one(t, EntityType::kPre, "ls", "sh");
  EXPECT_EQ(t.text.rfind("• ", 0), 0u);
}

TEST(Markdown, RulesBreaksAndParagraphs) {
  EXPECT_EQ(md("a\n\n---\n\nb").text, "a\n\n———\n\nb");
  EXPECT_EQ(md("line1\nline2").text, "line1\nline2");
  EXPECT_EQ(md("hard  \nbreak\\\nagain").text, "hard\nbreak\nagain");
  EXPECT_EQ(md("a\n\n\n\n\nb").text, "a\n\nb");
  EXPECT_EQ(md("text   \n\n\n").text, "text");
  EXPECT_EQ(md("").text, "");
  EXPECT_EQ(md("  \n\n").text, "");
}

TEST(Markdown, HtmlEntitiesAreDecoded) {
  EXPECT_EQ(md("a &amp; b &lt;c&gt; &#x1F600; &#1587; &unknown;").text, "a & b <c> 😀 س &unknown;");
}

TEST(Markdown, TableIsAlignedPreformattedText) {
  const auto t =
      md("Prices:\n\n| name | qty |\n|:-----|----:|\n| سیب | 3 |\n| موز‌ها | 12 |"
         "\n| **bold** | `7` |\n\nafter");
  ASSERT_EQ(of_type(t, EntityType::kPre).size(), 1u);
  const auto pre = of_type(t, EntityType::kPre)[0];
  EXPECT_EQ(pre.argument, "");
  EXPECT_EQ(t.entities.size(), 1u);  // no styles inside the table
  const std::string table = slice(t, pre);
  EXPECT_EQ(t.text, "Prices:\n\n" + table + "\n\nafter");
  EXPECT_EQ(table.find("**"), std::string::npos);
  const auto rows = lines(table);
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0], "name  | qty");
  EXPECT_EQ(rows[1], "------+----");
  // Every row's separator sits at the same display column and rows have equal width.
  for (const auto& row : rows) {
    const std::size_t bar = row.find(row == rows[1] ? "-+-" : " | ");
    ASSERT_NE(bar, std::string::npos) << row;
    EXPECT_EQ(display_width(row.substr(0, bar)), 5) << row;
    EXPECT_EQ(display_width(row), 11) << row;
  }
  EXPECT_EQ(rows[2], "سیب   |   3");
  EXPECT_EQ(rows[3], "موز‌ها |  12");  // ZWNJ takes no column
  EXPECT_EQ(rows[4], "bold  |   7");
}

TEST(TextTable, DisplayWidth) {
  EXPECT_EQ(display_width("abc"), 3);
  EXPECT_EQ(display_width("سلام"), 4);
  EXPECT_EQ(display_width("می‌خواهم"), 7);
  EXPECT_EQ(display_width("😀"), 2);
  EXPECT_EQ(display_width("👍🏽"), 2);
  EXPECT_EQ(display_width("👨‍👩‍👧"), 2);
  EXPECT_EQ(display_width("e\u0301"), 1);
  EXPECT_EQ(display_width("中文"), 4);
}

TEST(TextTable, RaggedRowsAndAlignments) {
  const std::string t = render_text_table({{"h1", "header2", "h3"}, {"a", "b"}, {"😀", "c", "dddd"}},
                                          {ColumnAlign::kRight, ColumnAlign::kCenter});
  EXPECT_EQ(t,
            "h1 | header2 | h3\n"
            "---+---------+-----\n"
            " a |    b\n"
            "😀 |    c    | dddd");
  EXPECT_EQ(render_text_table({}, {}), "");
  EXPECT_EQ(render_text_table({{"only"}}, {}), "only");
}

TEST(Markdown, InvalidUtf8AndControlsAreCleaned) {
  const auto t = md("a\xff**b**\xc3");
  EXPECT_EQ(t.text,
            "a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD");
  expect_one(t, EntityType::kBold, "b");
  EXPECT_EQ(md("a\x01"
               "b\r\nc\rd\x7f")
                .text,
            "ab\nc\nd");
}

TEST(Markdown, MalformedInputNeverFails) {
  const char* inputs[] = {
      "**unclosed bold",
      "*a **b* c**",
      "[link](",
      "[[[]]]((",
      "[a](b c d)",
      "```\nunclosed code",
      "> > > ",
      "|a|\n|-",
      "| a | b |\n|---|---|\n| only one |",
      "* * *",
      "<div>",
      "`",
      "~~~",
      "![](",
      "![img](http://x/y.png)",
      "- \n- \n-",
      "# ",
      "\\",
      "&#0; &#xD800; &#99999999;",
      "1. \n   2. \n      3.",
      "**a\n\nb**",
      "_a *b_ c*",
      "[**a](x)**",
  };
  for (const char* in : inputs) {
    FormattedText t;
    ASSERT_NO_THROW(t = markdown_to_formatted(in)) << in;
    EXPECT_EQ(validate(t), "") << in;
    EXPECT_TRUE(t.text.empty() || !std::isspace(static_cast<unsigned char>(t.text.back()))) << in;
  }
  EXPECT_EQ(md("**unclosed bold").text, "**unclosed bold");
  EXPECT_EQ(md("[link](").text, "[link](");
}

TEST(Markdown, DeepNestingNeverFails) {
  std::string quotes(5000, '>');
  quotes += " deep";
  auto t = md(quotes);
  EXPECT_EQ(t.text, "deep");
  expect_one(t, EntityType::kBlockQuote, "deep");

  std::string list;
  for (int i = 0; i < 300; ++i)
    list += std::string(static_cast<std::size_t>(i) * 2, ' ') + "- level\n";
  t = md(list);
  EXPECT_NE(t.text.find("• level"), std::string::npos);
  for (const auto& line : lines(t.text))
    EXPECT_LE(line.size(), 40u) << "indentation is capped";

  std::string inline_nest;
  for (int i = 0; i < 2000; ++i)
    inline_nest += (i % 2 != 0) ? "*" : "_";
  inline_nest += "x" + std::string(inline_nest.rbegin(), inline_nest.rend());
  md(inline_nest);
  md(std::string(3000, '[') + "x" + std::string(3000, ']'));
  md(std::string(2000, '-') + " " + std::string(2000, '*'));
}

TEST(Markdown, RandomBytesNeverFail) {
  std::mt19937 rng(1234);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int round = 0; round < 5; ++round) {
    std::string input(10000, '\0');
    for (auto& c : input)
      c = static_cast<char>(byte(rng));
    FormattedText t;
    ASSERT_NO_THROW(t = markdown_to_formatted(input));
    EXPECT_EQ(validate(t), "");
  }
}

TEST(NormalizeEntities, EnforcesTelegramNestingRules) {
  FormattedText t("0123456789abcdef");
  t.entities = {{0, 6, EntityType::kPre, "cpp"},        {2, 2, EntityType::kBold, ""},
                {8, 8, EntityType::kBlockQuote, ""},    {9, 2, EntityType::kBlockQuote, ""},
                {10, 20, EntityType::kItalic, ""},      {12, 0, EntityType::kBold, ""},
                {-1, 3, EntityType::kBold, ""},         {7, 3, EntityType::kUnderline, ""},
                {13, 3, EntityType::kTextUrl, "http"},  {14, 1, EntityType::kCode, ""},
                {14, 1, EntityType::kStrikethrough, ""}};
  normalize_entities(t);
  EXPECT_EQ(validate(t), "");
  ASSERT_EQ(t.entities.size(), 6u);
  EXPECT_EQ(t.entities[0].type, EntityType::kPre);
  EXPECT_EQ(t.entities[1].type, EntityType::kUnderline);
  EXPECT_EQ(t.entities[2].type, EntityType::kBlockQuote);
  EXPECT_EQ(t.entities[2].length, 2);                  // cut where the underline ends
  EXPECT_EQ(t.entities[3].type, EntityType::kItalic);  // clamped to the text
  EXPECT_EQ(t.entities[3].offset + t.entities[3].length, 16);
  EXPECT_EQ(t.entities[4].type, EntityType::kTextUrl);
  EXPECT_EQ(t.entities[5].type, EntityType::kStrikethrough);
}

}  // namespace
}  // namespace sakai::telegram
