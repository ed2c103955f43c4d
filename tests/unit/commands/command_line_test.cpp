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

TEST(SplitN, KeepsTheRestInTheLastPart) {
  EXPECT_EQ(split_n("50=what is x=5?", '=', 2), (std::vector<std::string>{"50", "what is x=5?"}));
  EXPECT_EQ(split_n("a", '=', 3), (std::vector<std::string>{"a"}));
}

}  // namespace
}  // namespace sakai::commands
