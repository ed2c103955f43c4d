// /translate, /analyze, /tellme, budgets and /usage through the whole engine.
#include <gmock/gmock.h>

#include "unit/commands/text_ai_fixture.h"

namespace sakai::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kTwoTargets =
    R"({"source_language": "fa", "translations": [
      {"language": "en", "text": "Hello friend", "pronunciation": "هِلو فِرِند"},
      {"language": "fa", "text": "سلام دوست", "pronunciation": "should not show"}]})";

TEST_F(TextAiTest, TranslateSeveralTargetsWithPronunciation) {
  llm_.answer = [](const ai::ChatRequest&, std::size_t) { return std::string(kTwoTargets); };
  owner_says(owner_chat_, "/translate=en,fa سلام دوست");
  settle();
  ASSERT_EQ(llm_.requests.size(), 1u);
  const auto& req = llm_.requests[0];
  EXPECT_THAT(req.system_instruction, HasSubstr("en (English), fa (Persian)"));
  EXPECT_THAT(req.system_instruction, HasSubstr("JSON"));
  ASSERT_EQ(req.messages.size(), 1u);
  EXPECT_EQ(req.messages[0].text, "سلام دوست");
  const std::string out = last_sent();
  EXPECT_THAT(out, HasSubstr("English\nHello friend\n🗣 Pronunciation: هِلو فِرِند"));
  EXPECT_THAT(out, HasSubstr("سلام دوست"));
  EXPECT_THAT(out, Not(HasSubstr("should not show")));
  EXPECT_THAT(out, HasSubstr("From Persian"));
}

TEST_F(TextAiTest, TranslateShowsOnlyTheLanguagesAsked) {
  llm_.answer = [](const ai::ChatRequest&, std::size_t) {
    return std::string(R"({"source_language": "en", "translations": [
      {"language": "fa", "text": "سلام"}, {"language": "ar", "text": "مرحبا"},
      {"language": "de", "text": "Hallo"}]})");
  };
  owner_says(owner_chat_, "/translate=de hello");
  settle();
  const std::string out = last_sent();
  EXPECT_THAT(out, HasSubstr("German\nHallo"));
  EXPECT_THAT(out, Not(HasSubstr("مرحبا")));
  EXPECT_THAT(out, Not(HasSubstr("سلام")));
}

TEST_F(TextAiTest, ATranslationThatCannotBeReadIsAClearErrorNotJson) {
  for (const std::string& answer :
       {std::string(R"({"source_language":"en","translations":[]})"),
        std::string(
            R"({"source_language":"en","translations":[{"language":"de","text":"Hallo"})")}) {
    llm_.answer = [answer](const ai::ChatRequest&, std::size_t) { return answer; };
    owner_says(owner_chat_, "/translate=de hi");
    settle();
    const std::string out = last_sent();
    EXPECT_THAT(out, HasSubstr("its translation could not be read")) << answer;
    EXPECT_THAT(out, Not(HasSubstr("source_language"))) << answer;
  }
}

TEST_F(TextAiTest, ArabicReadersSeeLanguageNamesInArabic) {
  ASSERT_TRUE(store_->preferences().set(transport_->self_id(), "language", "ar").is_ok());
  llm_.answer = [](const ai::ChatRequest&, std::size_t) {
    return std::string(R"({"source_language": "en", "translations": [
      {"language": "de", "text": "Guten Morgen"}]})");
  };
  owner_says(owner_chat_, "/translate=de good morning");
  settle();
  const std::string out = last_sent();
  EXPECT_THAT(out, HasSubstr("الألمانية")) << out;   // German, from ICU's Arabic names
  EXPECT_THAT(out, HasSubstr("الإنجليزية")) << out;  // "from English"
  EXPECT_THAT(out, Not(HasSubstr("Deutsch"))) << out;
}

TEST_F(TextAiTest, TranslateTheRepliedMessageWithAGivenSource) {
  llm_.answer = [](const ai::ChatRequest&, std::size_t) {
    return std::string(
        "```json\n{\"translations\":[{\"language\":\"de\",\"text\":\"Hallo\","
        "\"pronunciation\":\"هالو\"}]}\n```");
  };
  const ChatId chat(ali_.value());
  const auto original = transport_->receive(chat, ali_, "hello");
  loop_.run_ready();
  owner_says(chat, "/tr=de,src=en", original);
  settle();
  ASSERT_EQ(llm_.requests.size(), 1u);
  EXPECT_EQ(llm_.requests[0].messages[0].text, "hello");
  EXPECT_THAT(llm_.requests[0].system_instruction, HasSubstr("written in English"));
  EXPECT_THAT(last_sent(), HasSubstr("Hallo\n🗣 Pronunciation: هالو"));
}

TEST_F(TextAiTest, TranslateFallsBackToPlainText) {
  llm_.answer = [](const ai::ChatRequest&, std::size_t) { return std::string("Just **Hello**"); };
  config_.set("ai.model_translate", "gemini-2.5-flash-lite", "test");
  owner_says(owner_chat_, "/tr=en سلام");
  settle();
  EXPECT_EQ(last_sent(), "Just Hello");
  ASSERT_EQ(llm_.requests.size(), 1u);
  EXPECT_EQ(llm_.requests[0].model, "gemini-2.5-flash-lite");
}

TEST_F(TextAiTest, TranslateBadInputNeverCallsTheLlm) {
  owner_says(owner_chat_, "/translate=xx hi");
  EXPECT_THAT(last_sent(), HasSubstr("“xx”"));
  EXPECT_THAT(last_sent(), HasSubstr("en, fa, ar"));
  owner_says(owner_chat_, "/translate=en");
  EXPECT_THAT(last_sent(), HasSubstr("/translate=<lang>"));
  owner_says(owner_chat_, "/translate");
  EXPECT_THAT(last_sent(), HasSubstr("Usage:"));
  settle();
  EXPECT_TRUE(llm_.requests.empty());
}

TEST_F(TextAiTest, TranslateErrorsInPersian) {
  ASSERT_TRUE(store_->preferences().set(transport_->self_id(), "language", "fa").is_ok());
  owner_says(owner_chat_, "/translate=klingon سلام");
  EXPECT_THAT(last_sent(), HasSubstr("klingon"));
  EXPECT_THAT(last_sent(), HasSubstr("نمی‌شناسم"));
}

// ---------------------------------------------------------------------------------------------
// /analyze and /tellme

class DigestTest : public TextAiTest {
 protected:
  // `n` messages from Ali in his private chat.
  ChatId chat_with_history(int n) {
    const ChatId chat(ali_.value());
    for (int i = 0; i < n; ++i)
      transport_->receive(chat, ali_, "message number " + std::to_string(i) + " about the trip");
    loop_.run_ready();
    return chat;
  }
};

TEST_F(DigestTest, AnalyzeReadsHistoryShowsProgressAndEditsTheAnswerIn) {
  const ChatId chat = chat_with_history(250);
  const auto cmd = owner_says(chat, "/analyze=200");
  settle();
  ASSERT_EQ(llm_.requests.size(), 1u);
  const auto& req = llm_.requests[0];
  EXPECT_THAT(req.system_instruction, HasSubstr("Who said what"));
  const std::string& transcript = req.messages[0].text;
  EXPECT_THAT(transcript, HasSubstr("Ali: message number 249 about the trip"));
  EXPECT_THAT(transcript, HasSubstr("Ali: message number 50 about"));
  EXPECT_THAT(transcript, Not(HasSubstr("number 49 ")));
  EXPECT_THAT(transcript, Not(HasSubstr("/analyze")));
  // The progress message answers the command and is edited: reading, then the answer.
  const auto sends = actions_of("send");
  ASSERT_EQ(sends.size(), 1u);
  EXPECT_EQ(sends[0].reply_to, cmd);
  EXPECT_THAT(sends[0].text.text, HasSubstr("Reading messages… 0/200"));
  const auto edits = actions_of("edit");
  ASSERT_GE(edits.size(), 2u);
  EXPECT_THAT(edits[0].text.text, HasSubstr("Reading messages… 100/200"));
  EXPECT_THAT(edits.back().text.text, HasSubstr("Analysis of the last 200 messages"));
  EXPECT_THAT(edits.back().text.text, HasSubstr("Answer text"));
  EXPECT_EQ(text_of(chat, sends[0].message), edits.back().text.text);
  // Markdown became entities.
  EXPECT_GE(edits.back().text.entities.size(), 2u);
}

TEST_F(DigestTest, SmallBudgetTriggersMapReduceWithTwoCallsInFlight) {
  config_.set("ai.context_budget_tokens", "200", "test");  // 150 tokens of transcript per call
  const ChatId chat = chat_with_history(60);
  llm_.answer = [](const ai::ChatRequest& r, std::size_t i) {
    if (r.system_instruction.starts_with("You condense part")) {
      return "SUMMARY-" + std::to_string(i);
    }
    return std::string("Final analysis");
  };
  owner_says(chat, "/analyze=fun=60");
  settle();
  // 60 lines of ~45 characters: ~700 tokens, so about five chunks, then one final call.
  ASSERT_GE(llm_.requests.size(), 5u);
  const std::size_t maps = llm_.requests.size() - 1;
  EXPECT_EQ(llm_.max_in_flight, 2u);
  for (std::size_t i = 0; i < maps; ++i) {
    EXPECT_THAT(llm_.requests[i].system_instruction,
                HasSubstr("part " + std::to_string(i + 1) + " of " + std::to_string(maps)));
  }
  const auto& final_req = llm_.requests.back();
  EXPECT_THAT(final_req.system_instruction, HasSubstr("comedian"));
  for (std::size_t i = 0; i < maps; ++i)
    EXPECT_THAT(final_req.messages[0].text, HasSubstr("SUMMARY-" + std::to_string(i)));
  EXPECT_THAT(final_req.messages[0].text, HasSubstr("Notes taken from"));
  EXPECT_THAT(actions_of("edit").back().text.text, HasSubstr("Final analysis"));
  // Every call was recorded.
  auto totals = store_->usage().totals(std::nullopt, 0);
  ASSERT_TRUE(totals.is_ok());
  EXPECT_EQ(totals->calls, static_cast<std::int64_t>(llm_.requests.size()));
}

TEST_F(DigestTest, TellmePutsTheQuestionInTheInstruction) {
  const ChatId chat = chat_with_history(30);
  owner_says(chat, "/tellme=20=where are we going?");
  settle();
  ASSERT_EQ(llm_.requests.size(), 1u);
  EXPECT_THAT(llm_.requests[0].system_instruction, HasSubstr("\"where are we going?\""));
  EXPECT_THAT(actions_of("edit").back().text.text, HasSubstr("From the last 20 messages"));
}

TEST_F(DigestTest, TellmeMapDropsIrrelevantParts) {
  config_.set("ai.context_budget_tokens", "200", "test");
  const ChatId chat = chat_with_history(40);
  llm_.answer = [](const ai::ChatRequest& r, std::size_t i) {
    if (r.system_instruction.starts_with("You read part")) {
      return i == 0 ? std::string("Ali mentioned Paris") : std::string("NOTHING RELEVANT");
    }
    return std::string("Paris");
  };
  owner_says(chat, "/tellme 40 where?");
  settle();
  ASSERT_GE(llm_.requests.size(), 3u);
  const auto& final_text = llm_.requests.back().messages[0].text;
  EXPECT_THAT(final_text, HasSubstr("Ali mentioned Paris"));
  EXPECT_THAT(final_text, Not(HasSubstr("NOTHING RELEVANT")));
}

TEST_F(DigestTest, BadArgumentsAndLimits) {
  const ChatId chat = chat_with_history(3);
  owner_says(chat, "/analyze=lots");
  EXPECT_THAT(last_sent(), HasSubstr("“lots” is not a number"));
  EXPECT_THAT(last_sent(), HasSubstr("Usage:"));
  owner_says(chat, "/analyze=20000");
  EXPECT_THAT(last_sent(), HasSubstr("at most 10,000 messages"));
  owner_says(chat, "/analyze=sad=10");
  EXPECT_THAT(last_sent(), HasSubstr("general, fun, romance"));
  owner_says(chat, "/tellme=10");
  EXPECT_THAT(last_sent(), HasSubstr("Write your question"));
  settle();
  EXPECT_TRUE(llm_.requests.empty());
}

TEST_F(DigestTest, EmptyChatAndLlmErrorsRemoveTheProgressMessage) {
  const ChatId chat(transport_->add_user("Empty", "empty").value());
  owner_says(chat, "/analyze=10");
  settle();
  EXPECT_THAT(last_sent(), HasSubstr("no text messages"));
  EXPECT_EQ(actions_of("delete").size(), 1u);

  const ChatId busy = chat_with_history(5);
  ai::LlmError err;
  err.kind = ai::LlmErrorKind::kRateLimited;
  err.provider = "gemini";
  err.retry_after = std::chrono::seconds(20);
  llm_.error = err;
  owner_says(busy, "/analyze=5");
  settle();
  EXPECT_THAT(last_sent(), HasSubstr("⚠️"));
  EXPECT_EQ(actions_of("delete").size(), 2u);
}

// ---------------------------------------------------------------------------------------------
// Budgets and /usage

TEST_F(TextAiTest, BudgetRefusesFriendsButNotTheOwner) {
  config_.set("budget.daily_tokens_per_user", "1000", "test");
  grant(ali_, "*", storage::GrantMode::kDirect);
  storage::UsageRecord r;
  r.ts_ms = to_unix_ms(clock_.wall_now());
  r.user = ali_;
  r.chat = ChatId(ali_.value());
  r.command = "translate";
  r.model = "gemini-2.5-flash";
  r.input_tokens = 1200;
  ASSERT_TRUE(store_->usage().append(r).is_ok());
  user_says(ali_, "/tr=en سلام");
  settle();
  EXPECT_TRUE(llm_.requests.empty());
  EXPECT_THAT(last_sent(), HasSubstr("used your AI budget for today (1,200 of 1,000 tokens)"));
  owner_says(owner_chat_, "/tr=en سلام");
  settle();
  EXPECT_EQ(llm_.requests.size(), 1u);
}

TEST_F(TextAiTest, UsageShowsTokensAndCost) {
  owner_says(owner_chat_, "/tr=en سلام");
  settle();
  owner_says(owner_chat_, "/tr=de سلام");
  settle();
  owner_says(owner_chat_, "/usage");
  const std::string out = last_sent();
  // Two calls of 1,000 input + 200 output tokens at 0.30/2.50 USD per 1M.
  EXPECT_THAT(out, HasSubstr("AI usage today"));
  EXPECT_THAT(out, HasSubstr("Tokens: 2,400 in 2 calls"));
  EXPECT_THAT(out, HasSubstr("Input 2,000 · output 400 · thinking 0"));
  EXPECT_THAT(out, HasSubstr("Estimated cost: $0.0016"));
  EXPECT_THAT(out, HasSubstr("gemini-2.5-flash — 2,400 tokens, $0.0016"));
  owner_says(owner_chat_, "/usage=year");
  EXPECT_THAT(last_sent(), HasSubstr("Unknown period"));
}

TEST_F(TextAiTest, OwnerSeesEveryoneFriendsSeeThemselves) {
  grant(ali_, "*", storage::GrantMode::kDirect);
  user_says(ali_, "/tr=en سلام");
  settle();
  owner_says(owner_chat_, "/tr=en سلام");
  settle();
  user_says(ali_, "/usage week");
  EXPECT_THAT(last_sent(), HasSubstr("Tokens: 1,200 in 1 call"));
  EXPECT_THAT(last_sent(), Not(HasSubstr("Everyone")));
  owner_says(owner_chat_, "/usage=month");
  EXPECT_THAT(last_sent(), HasSubstr("Everyone"));
  EXPECT_THAT(last_sent(), HasSubstr("Tokens: 2,400 in 2 calls"));
  // Names come from the users table when SakaiBot has seen the user, else the id.
  EXPECT_THAT(last_sent(), HasSubstr(ali_.str() + " — 1,200 tokens"));
}

}  // namespace
}  // namespace sakai::testing
