// A streamed answer cut off mid-way is shown formatted: what was left open is closed before the
// Markdown converter runs, so the reader sees bold text, not "**B".
#include "assistant/partial_markdown.h"

#include <gtest/gtest.h>

#include "telegram/format/markdown.h"

namespace sakai::assistant {
namespace {

TEST(PartialMarkdown, ClosesWhatWasLeftOpen) {
  EXPECT_EQ(close_open_markdown("Here is **B"), "Here is **B**");
  EXPECT_EQ(close_open_markdown("an *italic and **bold"), "an *italic and **bold***");
  EXPECT_EQ(close_open_markdown("run `ls -l"), "run `ls -l`");
  EXPECT_EQ(close_open_markdown("~~gone"), "~~gone~~");
  EXPECT_EQ(close_open_markdown("```cpp\nint main() {"), "```cpp\nint main() {\n```");
  // Nothing after the marker: the marker goes.
  EXPECT_EQ(close_open_markdown("Done. **"), "Done.");
  EXPECT_EQ(close_open_markdown("Look: `"), "Look:");
}

TEST(PartialMarkdown, LeavesBalancedAndLiteralTextAlone) {
  EXPECT_EQ(close_open_markdown("**bold** and *it* and `code`"), "**bold** and *it* and `code`");
  EXPECT_EQ(close_open_markdown("2*3*4 = 24"), "2*3*4 = 24");
  EXPECT_EQ(close_open_markdown("snake_case_name"), "snake_case_name");
  EXPECT_EQ(close_open_markdown("* item one\n* item **two"), "* item one\n* item **two**");
  EXPECT_EQ(close_open_markdown("a * b"), "a * b");
  EXPECT_EQ(close_open_markdown("`**not bold`"), "`**not bold`");
  EXPECT_EQ(close_open_markdown("```\n**x\n```\nafter"), "```\n**x\n```\nafter");
  // Emphasis does not span paragraphs: an older open marker is the model's, not the cut's.
  EXPECT_EQ(close_open_markdown("**old\n\nnew *part"), "**old\n\nnew *part*");
  EXPECT_EQ(close_open_markdown("سلام **دنیا"), "سلام **دنیا**");
}

TEST(PartialMarkdown, TheConverterThenFormatsIt) {
  const auto f = telegram::markdown_to_formatted(close_open_markdown("Here is **Bold text"));
  EXPECT_EQ(f.text, "Here is Bold text");
  ASSERT_EQ(f.entities.size(), 1u);
  EXPECT_EQ(f.entities[0].type, telegram::EntityType::kBold);
  EXPECT_EQ(f.entities[0].offset, 8);
  EXPECT_EQ(f.entities[0].length, 9);
}

}  // namespace
}  // namespace sakai::assistant
