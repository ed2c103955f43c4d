#include <gtest/gtest.h>

#include "commands/command_line.h"

namespace sakai::commands {
namespace {

TEST(CommandName, RecognisesCommandsAndRejectsChat) {
  EXPECT_EQ(command_name("/ping", "/"), "ping");
  EXPECT_EQ(command_name("/PiNg now", "/"), "ping");
  EXPECT_EQ(command_name("/prompt=hi", "/"), "prompt");
  EXPECT_EQ(command_name(".ping", "/."), "ping");
  EXPECT_FALSE(command_name("hello /ping", "/"));
  EXPECT_FALSE(command_name("/path/to/file", "/"));
  EXPECT_FALSE(command_name("/", "/"));
  EXPECT_FALSE(command_name("/1abc", "/"));
  EXPECT_FALSE(command_name("/start@somebot", "/"));
  EXPECT_FALSE(command_name(".ping", "/"));
  EXPECT_FALSE(command_name("سلام", "/"));
}

TEST(ParseCommandLine, EqualsFormSplitsArgumentsAndKeepsText) {
  auto line = parse_command_line("/analyze=fun=100", "/");
  ASSERT_TRUE(line);
  EXPECT_EQ(line->name, "analyze");
  EXPECT_EQ(line->form, CommandForm::kEquals);
  EXPECT_EQ(line->args, (std::vector<std::string>{"fun", "100"}));
  EXPECT_EQ(line->text, "");

  line = parse_command_line("/translate=en,fa hello there\nsecond line", "/");
  ASSERT_TRUE(line);
  EXPECT_EQ(line->args, (std::vector<std::string>{"en,fa"}));
  EXPECT_EQ(line->text, "hello there\nsecond line");
  EXPECT_EQ(line->raw, "en,fa hello there\nsecond line");
}

TEST(ParseCommandLine, SpaceFormAndBare) {
  auto line = parse_command_line("/Auth  add @ali direct", "/");
  ASSERT_TRUE(line);
  EXPECT_EQ(line->name, "auth");
  EXPECT_EQ(line->form, CommandForm::kSpace);
  EXPECT_EQ(line->args, (std::vector<std::string>{"add", "@ali", "direct"}));
  line = parse_command_line("/help", "/");
  ASSERT_TRUE(line);
  EXPECT_EQ(line->form, CommandForm::kBare);
  EXPECT_TRUE(line->args.empty());
  line = parse_command_line("/help   ", "/");
  ASSERT_TRUE(line);
  EXPECT_EQ(line->form, CommandForm::kBare);
}

TEST(ParseCommandLine, DeclaredParametersAreLiftedAnywhereAndTextStaysVerbatim) {
  auto line = parse_command_line("/tts voice=Orus rate=1.2 سلام  دنیا", "/", {"voice", "rate"});
  ASSERT_TRUE(line);
  EXPECT_EQ(line->params.at("voice"), "Orus");
  EXPECT_EQ(line->params.at("rate"), "1.2");
  EXPECT_EQ(line->text, "سلام  دنیا");

  line = parse_command_line("/auth add @ali prompt for=7d", "/", {"for"});
  ASSERT_TRUE(line);
  EXPECT_EQ(line->params.at("for"), "7d");
  EXPECT_EQ(line->args, (std::vector<std::string>{"add", "@ali", "prompt"}));

  // Undeclared keys stay text: "x=5" is part of a question.
  line = parse_command_line("/tts what is x=5", "/", {"voice"});
  ASSERT_TRUE(line);
  EXPECT_TRUE(line->params.empty());
  EXPECT_EQ(line->text, "what is x=5");
}

TEST(CommandName, CommandsCopiedFromPersianHelpCarryBidiMarks) {
  // Telegram copies the isolates around a command in a Persian or Arabic message.
  EXPECT_EQ(command_name("\u2068/help ping\u2069", "/"), "help");
  EXPECT_EQ(command_name("\u2068/help\u2069", "/"), "help");
  EXPECT_EQ(command_name("\u200F/ping", "/"), "ping");
  EXPECT_EQ(command_name("\u200E/ping", "/"), "ping");
  EXPECT_EQ(command_name("\u061C/ping", "/"), "ping");
  EXPECT_EQ(command_name("\u2067\u2066/ping\u2069\u2069", "/"), "ping");
  // A mark right after the name ends it, like a space would.
  EXPECT_EQ(command_name("/help\u2069 ping", "/"), "help");
  // Text that is not a command stays not a command, marks or not.
  EXPECT_FALSE(command_name("\u200Fسلام /ping", "/"));
  EXPECT_FALSE(command_name("\u2068hello\u2069", "/"));
  EXPECT_FALSE(command_name("\u2068/path/to\u2069", "/"));
  // Other invisible characters are not bidi marks.
  EXPECT_FALSE(command_name("\u200B/ping", "/"));
}

TEST(ParseCommandLine, BidiMarksAreDroppedFromTheCommandLineOnly) {
  auto line = parse_command_line("\u2068/help ping\u2069", "/");
  ASSERT_TRUE(line);
  EXPECT_EQ(line->name, "help");
  EXPECT_EQ(line->args, (std::vector<std::string>{"ping"}));
  EXPECT_EQ(line->text, "ping");

  line = parse_command_line("\u2068/tts voice=\u2067kal16\u2069\u2069 hi", "/", {"voice"});
  ASSERT_TRUE(line);
  EXPECT_EQ(line->params.at("voice"), "kal16");
  EXPECT_EQ(line->text, "hi");

  line = parse_command_line("\u2068/analyze=fun=20\u2069", "/");
  ASSERT_TRUE(line);
  EXPECT_EQ(line->args, (std::vector<std::string>{"fun", "20"}));

  // Lines after the first are the user's text and keep their marks.
  line = parse_command_line("\u200F/prompt=hi\nline \u200Ftwo", "/");
  ASSERT_TRUE(line);
  EXPECT_EQ(line->name, "prompt");
  EXPECT_EQ(line->raw, "hi\nline \u200Ftwo");
}

TEST(SplitN, KeepsTheRestInTheLastPart) {
  EXPECT_EQ(split_n("50=what is x=5?", '=', 2), (std::vector<std::string>{"50", "what is x=5?"}));
  EXPECT_EQ(split_n("a", '=', 3), (std::vector<std::string>{"a"}));
}

}  // namespace
}  // namespace sakai::commands
