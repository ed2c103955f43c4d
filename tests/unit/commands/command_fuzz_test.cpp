// Bad input never takes the engine down: thousands of generated command lines — every registered
// command and alias, in both syntaxes, with random arguments, key=value parameters, Persian and
// Arabic-Indic digits, huge numbers, stray '=' signs, emoji, control characters, invalid UTF-8
// and over-long text — sent by the owner and by friends, as replies and not. Each command
// message that names a known command gets exactly one outcome in the command log (the Reply
// guarantee), nothing throws out of the loop, and no answer the bot sends is empty.
#include <gtest/gtest.h>

#include <cctype>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "commands/registry.h"
#include "core/text.h"
#include "unit/commands/text_ai_fixture.h"

namespace sakai::testing {
namespace {

class CommandFuzzTest : public TextAiTest {
 protected:
  // Everything the loop has, including throttled edits and retries a few seconds out.
  void drive() {
    for (int i = 0; i < 40; ++i) {
      loop_.run_ready();
      clock_.advance(std::chrono::milliseconds(500));
    }
    loop_.run_ready();
  }
};

const std::vector<std::string> kPieces = {
    "10",        "0",        "-5",         "99999999999999999999",
    "۱۲۳",       "٤٥",       "=",          "==",
    "fun",       "general",  "romance",    "en",
    "fa",        "ar,en",    "src=fa",     "voice=kal16",
    "rate=9",    "rate=abc", "for=7d",     "for=-1",
    "direct",    "confirm",  "@ali",       "@nobody",
    "*",         "all",      "reset",      "list",
    "add",       "remove",   "refresh",    "groups",
    "سلام دنیا", "مرحبا",    "😍🔥",         "think",
    "web",       "lang=xx",  "prompt,tts", "\t",
    "  ",        "/nested"};

std::string random_line(std::mt19937& rng, const std::vector<std::string>& names) {
  auto pick = [&](const auto& v) -> const auto& {
    return v[std::uniform_int_distribution<std::size_t>(0, v.size() - 1)(rng)];
  };
  std::string line = "/" + pick(names);
  const int form = std::uniform_int_distribution<int>(0, 9)(rng);
  const int n = std::uniform_int_distribution<int>(0, 5)(rng);
  for (int i = 0; i < n; ++i)
    line += (form < 5 ? "=" : " ") + pick(kPieces);
  switch (std::uniform_int_distribution<int>(0, 19)(rng)) {
    case 0:
      line += std::string("\x01\x02", 2);  // control characters
      break;
    case 1:
      line += std::string("\xC3\x28\xFF", 3);  // invalid UTF-8
      break;
    case 2:
      line += " " + std::string(5000, 'x');  // over the length cap
      break;
    case 3:
      line += "\n" + pick(kPieces) + "\n" + pick(kPieces);
      break;
    default:
      break;
  }
  return line;
}

TEST_F(CommandFuzzTest, EveryKnownCommandIsAnsweredExactlyOnceAndNothingThrows) {
  std::vector<std::string> names;
  for (const auto* spec : registry_.all()) {
    names.push_back(spec->name);
    for (const auto& a : spec->aliases)
      names.push_back(a);
    std::string upper = spec->name;  // names are case-insensitive
    upper[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(upper[0])));
    names.push_back(upper);
  }
  names.push_back("NOSUCHCOMMAND");
  grant(ali_, "*", storage::GrantMode::kDirect);
  llm_.answer = [](const ai::ChatRequest&, std::size_t i) {
    return i % 7 == 0 ? std::string("{\"broken json") : std::string("**ok** answer");
  };

  std::mt19937 rng(20261125);
  const ChatId ali_chat(ali_.value());
  std::vector<MessageId> earlier;
  std::size_t known_commands = 0, owners_known = 0;
  constexpr int kMessages = 1500;
  for (int i = 0; i < kMessages; ++i) {
    const std::string line = random_line(rng, names);
    const bool by_owner = i % 3 != 0;
    const ChatId chat = i % 2 == 0 ? ali_chat : owner_chat_;
    std::optional<MessageId> reply_to;
    if (!earlier.empty() && i % 4 == 0) reply_to = earlier[rng() % earlier.size()];
    if (i % 50 == 0) llm_.error = ai::LlmError{};  // now and then the provider fails
    if (i % 50 == 5) llm_.error.reset();
    if (!by_owner && chat != ali_chat) continue;  // friends speak in their private chat
    const auto id = transport_->receive(chat, by_owner ? transport_->self_id() : ali_, line,
                                        chat == ali_chat ? reply_to : std::nullopt);
    earlier.push_back(id);
    const std::string name = line.substr(1, line.find_first_of("= \n\t\x01", 1) - 1);
    if (registry_.find(text::ascii_lower(name)) != nullptr) {
      ++known_commands;
      if (by_owner) ++owners_known;
    }
    ASSERT_NO_THROW(drive()) << line;
  }
  for (int i = 0; i < 20; ++i)
    drive();

  auto log = store_->command_log().recent(100000);
  ASSERT_TRUE(log.is_ok());
  // At most one outcome per known command. Every one of the owner's is logged (bad input
  // included: it is answered with an error); a friend's may be dropped by the rate limit, which
  // sends one notice per window instead.
  EXPECT_LE(log->size(), known_commands);
  EXPECT_GE(log->size(), owners_known);
  for (const auto& t : sent_texts())
    EXPECT_FALSE(t.empty());
  std::printf("%d lines, %zu naming a known command, %zu logged outcomes, %zu messages sent\n",
              kMessages, known_commands, log->size(), sends());
  // Still answering afterwards.
  const auto before = sends();
  owner_says(owner_chat_, "/ping");
  drive();
  const auto texts = sent_texts();
  bool pong = false;
  for (std::size_t i = before; i < texts.size(); ++i)
    pong = pong || texts[i].find("Pong") != std::string::npos;
  EXPECT_TRUE(pong) << last_sent();
}

}  // namespace
}  // namespace sakai::testing
