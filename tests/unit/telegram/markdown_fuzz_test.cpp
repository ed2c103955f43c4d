// Property test in the spirit of libFuzzer: random Markdown-ish inputs (fixed seed, so failures
// reproduce) must convert without throwing into text whose entities pass the validator, and
// every split of the result must pass it too and fit the limit.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "core/text.h"
#include "telegram/format/markdown.h"
#include "telegram/format/splitter.h"
#include "unit/telegram/entity_check.h"

namespace sakai::telegram {
namespace {

std::string random_markdown(std::mt19937& rng) {
  static const char* const kTokens[] = {"**",
                                        "*",
                                        "_",
                                        "__",
                                        "`",
                                        "```",
                                        "```py\n",
                                        "~~",
                                        "~",
                                        "[",
                                        "]",
                                        "(",
                                        ")",
                                        "](",
                                        "](http://x.y)",
                                        "![",
                                        "<",
                                        ">",
                                        "> ",
                                        "\n> ",
                                        "- ",
                                        "\n- ",
                                        "\n  - ",
                                        "1. ",
                                        "\n2. ",
                                        "#",
                                        "\n## ",
                                        "|",
                                        "\n|---|---|\n",
                                        "| a | b |",
                                        "\n",
                                        "\n\n",
                                        " ",
                                        "  ",
                                        "    ",
                                        "\t",
                                        "\\",
                                        "---",
                                        "***",
                                        "&amp;",
                                        "&#x1F600;",
                                        "&#0;",
                                        "<u>",
                                        "</u>",
                                        "<div>\n",
                                        "https://example.com",
                                        "www.a.b",
                                        "a@b.c",
                                        "سلام",
                                        "می‌خواهم",
                                        "😀",
                                        "👍🏽",
                                        "🇮🇷",
                                        "e\u0301",
                                        "\u200C",
                                        "\u200D",
                                        "word",
                                        "text",
                                        ".",
                                        "؟",
                                        "!",
                                        "[ ] ",
                                        "[x] ",
                                        "\r\n",
                                        "\xff",
                                        "\xc3",
                                        "\x01",
                                        "\0"};
  constexpr std::size_t kCount = sizeof(kTokens) / sizeof(kTokens[0]);
  std::uniform_int_distribution<std::size_t> token(0, kCount - 1);
  std::uniform_int_distribution<int> length(0, 120);
  std::uniform_int_distribution<int> coin(0, 19);
  std::uniform_int_distribution<int> byte(0, 255);
  std::string out;
  const int n = length(rng);
  for (int i = 0; i < n; ++i) {
    const std::size_t k = token(rng);
    if (coin(rng) == 0) {
      out += static_cast<char>(byte(rng));
    } else if (kTokens[k][0] == '\0') {
      out += '\0';
    } else {
      out += kTokens[k];
    }
  }
  return out;
}

TEST(MarkdownProperty, RandomInputsYieldValidEntitiesAndSplits) {
  std::mt19937 rng(20240607);
  std::uniform_int_distribution<int> limit(16, 200);
  std::size_t entities = 0;
  std::size_t split_texts = 0;
  for (int iteration = 0; iteration < 3000; ++iteration) {
    const std::string input = random_markdown(rng);
    FormattedText t;
    ASSERT_NO_THROW(t = markdown_to_formatted(input)) << "iteration " << iteration;
    ASSERT_EQ(testing::validate(t), "") << "iteration " << iteration << " input: " << input;
    if (!t.text.empty()) {
      const char last = t.text.back();
      ASSERT_TRUE(last != ' ' && last != '\n' && last != '\t') << "iteration " << iteration;
    }
    entities += t.entities.size();
    const int max = limit(rng);
    std::vector<FormattedText> parts;
    ASSERT_NO_THROW(parts = split_formatted(t, max)) << "iteration " << iteration;
    if (parts.size() > 1) ++split_texts;
    for (const auto& p : parts) {
      ASSERT_EQ(testing::validate(p), "") << "iteration " << iteration << " limit " << max;
      ASSERT_LE(text::utf16_length(p.text), static_cast<std::size_t>(max))
          << "iteration " << iteration;
    }
  }
  // The generator must actually exercise the converter and the splitter.
  EXPECT_GT(entities, 3000u);
  EXPECT_GT(split_texts, 300u);
}

}  // namespace
}  // namespace sakai::telegram
