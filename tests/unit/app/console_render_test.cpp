// The console's terminal formatting (app/console_render.h) as a pure function over FormattedText:
// what a person at a terminal sees of bold, italic, code, links, quotes and overlapping entities,
// and when the console draws them at all.
#include "app/console_render.h"

#include <gtest/gtest.h>

namespace sakai::app {
namespace {

TextEntity entity(EntityType type, int offset, int length, std::string argument = {}) {
  return TextEntity{offset, length, type, std::move(argument)};
}

FormattedText with(std::string text, std::vector<TextEntity> entities) {
  FormattedText t(std::move(text));
  t.entities = std::move(entities);
  return t;
}

TEST(ConsoleRender, PlainTextIsUnchanged) {
  EXPECT_EQ(render_ansi(FormattedText("Pong — 3 ms")), "Pong — 3 ms");
  EXPECT_EQ(render_ansi(FormattedText("")), "");
}

TEST(ConsoleRender, EachEntityHasItsAttribute) {
  EXPECT_EQ(render_ansi(with("a bold word", {entity(EntityType::kBold, 2, 4)})),
            "a \x1b[1mbold\x1b[0m word");
  EXPECT_EQ(render_ansi(with("it is so", {entity(EntityType::kItalic, 6, 2)})),
            "it is \x1b[3mso\x1b[0m");
  EXPECT_EQ(render_ansi(with("run /help now", {entity(EntityType::kCode, 4, 5)})),
            "run \x1b[36m/help\x1b[0m now");
  EXPECT_EQ(render_ansi(with("old", {entity(EntityType::kStrikethrough, 0, 3)})),
            "\x1b[9mold\x1b[0m");
  EXPECT_EQ(render_ansi(with("see u", {entity(EntityType::kUnderline, 4, 1)})),
            "see \x1b[4mu\x1b[0m");
  EXPECT_EQ(render_ansi(with("hidden", {entity(EntityType::kSpoiler, 0, 6)})),
            "\x1b[2mhidden\x1b[0m");
  EXPECT_EQ(render_ansi(with("@ali hi", {entity(EntityType::kMention, 0, 4)})),
            "\x1b[34;4m@ali\x1b[0m hi");
}

TEST(ConsoleRender, ALinkBehindTextShowsWhereItGoes) {
  EXPECT_EQ(render_ansi(with("read the docs.",
                             {entity(EntityType::kTextUrl, 9, 4, "https://example.org/docs")})),
            "read the \x1b[34;4mdocs\x1b[0m \x1b[2m(https://example.org/docs)\x1b[0m.");
  // A link whose text is its URL is not repeated.
  EXPECT_EQ(render_ansi(with("https://a.b", {entity(EntityType::kTextUrl, 0, 11, "https://a.b")})),
            "\x1b[34;4mhttps://a.b\x1b[0m");
}

TEST(ConsoleRender, OverlappingEntitiesCombineAndEndSeparately) {
  // "bold and italic": bold over all of it, italic over "italic".
  EXPECT_EQ(render_ansi(with("bold and italic", {entity(EntityType::kBold, 0, 15),
                                                 entity(EntityType::kItalic, 9, 6)})),
            "\x1b[1mbold and \x1b[0m\x1b[1;3mitalic\x1b[0m");
  // Italic ends before bold does: bold is set again on its own.
  EXPECT_EQ(
      render_ansi(with("ab", {entity(EntityType::kItalic, 0, 1), entity(EntityType::kBold, 0, 2)})),
      "\x1b[3;1ma\x1b[0m\x1b[1mb\x1b[0m");
}

TEST(ConsoleRender, OffsetsAreUtf16AndNonLatinTextKeepsItsCharacters) {
  // "😀" is two UTF-16 units; "سلام" after it is bold.
  EXPECT_EQ(render_ansi(with("😀 سلام", {entity(EntityType::kBold, 3, 4)})), "😀 \x1b[1mسلام\x1b[0m");
  // An entity outside the text, or splitting the emoji, is ignored rather than garbling it.
  EXPECT_EQ(render_ansi(
                with("😀 x", {entity(EntityType::kBold, 1, 2), entity(EntityType::kItalic, 2, 40)})),
            "😀 x");
}

TEST(ConsoleRender, QuoteLinesStartWithABar) {
  EXPECT_EQ(
      render_ansi(with("He said:\nfirst\nsecond\nafter", {entity(EntityType::kBlockQuote, 9, 13)})),
      "He said:\n│ first\n│ second\nafter");
  // A bold word inside the quote keeps its attribute after the bar.
  EXPECT_EQ(render_ansi(with(
                "q\nxy", {entity(EntityType::kBlockQuote, 0, 4), entity(EntityType::kBold, 0, 4)})),
            "│ \x1b[1mq\n\x1b[0m│ \x1b[1mxy\x1b[0m");
}

TEST(ConsoleRender, OnlyOnATerminalAndNotWithNoColor) {
  EXPECT_TRUE(console_wants_ansi(false, true, std::nullopt));
  EXPECT_FALSE(console_wants_ansi(true, true, std::nullopt)) << "--jsonl";
  EXPECT_FALSE(console_wants_ansi(false, false, std::nullopt)) << "piped";
  EXPECT_FALSE(console_wants_ansi(false, true, std::string("1"))) << "NO_COLOR=1";
  EXPECT_TRUE(console_wants_ansi(false, true, std::string(""))) << "NO_COLOR set but empty";
}

}  // namespace
}  // namespace sakai::app
