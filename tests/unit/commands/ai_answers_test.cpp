// What a user reads from the AI text feature when things go right and wrong, through the whole
// engine (router, catalogs, SQLite, in-memory Telegram) with scripted LLMs: the answer deadline
// and its progress, /analyze's title and left-out messages, owner and friend error wording,
// /model without a provider or with a local server, /summary in /usage, Persian digits.
#include <gmock/gmock.h>

#include <string>

#include "ai/llm/provider_chain.h"
#include "assistant/live_answers.h"
#include "unit/commands/text_ai_fixture.h"

namespace sakai::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using ::testing::HasSubstr;
using ::testing::Not;

// An LLM that streams `deltas` at their times and then answers, or, with no `finish_after`,
// never answers. Cancellable like a real provider (kCancelled posted on the loop).
class TimedLlm final : public ai::LlmProvider {
 public:
  TimedLlm(EventLoop& loop, std::string name) : loop_(loop), name_(std::move(name)) {}
  std::string name() const override { return name_; }
  std::string default_model() const override { return model; }
  ai::ProviderCaps caps() const override { return {}; }
  ai::ChatHandle chat(ai::ChatRequest request, ai::ChatDeltaCallback on_delta,
                      ai::ChatDoneCallback on_done) override {
    requests.push_back(std::move(request));
    auto control = std::make_shared<ai::CallControl>();
    control->set_canceller([this, on_done] {
      ++cancels;
      loop_.post([on_done, n = name_] {
        ai::LlmError e;
        e.kind = ai::LlmErrorKind::kCancelled;
        e.provider = n;
        on_done(ai::ChatOutcome(e));
      });
    });
    std::string full;
    for (const auto& [at, text] : deltas) {
      full += text;
      loop_.post_after(at, [on_delta, control, t = text] {
        if (on_delta && !control->cancelled()) on_delta(ai::ChatDelta{t, ""});
      });
    }
    if (finish_after) {
      loop_.post_after(*finish_after, [control, on_done, full, n = name_] {
        if (control->cancelled()) return;
        control->clear_canceller();
        ai::ChatResult r;
        r.text = full;
        r.provider = n;
        r.usage.input_tokens = 10;
        r.usage.output_tokens = 5;
        on_done(ai::ChatOutcome(std::move(r)));
      });
    }
    return ai::ChatHandle(control);
  }

  std::vector<std::pair<Clock::Duration, std::string>> deltas;
  std::optional<Clock::Duration> finish_after;  // nullopt: never answers
  std::string model = "gemini-2.5-flash";
  std::vector<ai::ChatRequest> requests;
  int cancels = 0;

 private:
  EventLoop& loop_;
  std::string name_;
};

class AiAnswersTest : public TextAiTest {
 protected:
  void SetUp() override {
    TextAiTest::SetUp();
    services_->answers = &answers_;
  }
  void use(ai::LlmProvider& llm) { services_->llm = &llm; }
  // Runs `span` of simulated time in 500 ms steps.
  void drive(Clock::Duration span) {
    const auto end = clock_.now() + span;
    while (clock_.now() < end) {
      loop_.run_ready();
      clock_.advance(milliseconds(500));
    }
    loop_.run_ready();
  }
  void owner_language(const std::string& lang) {
    ASSERT_TRUE(store_->preferences().set(transport_->self_id(), "language", lang).is_ok());
  }
  std::vector<std::string> texts_of(const std::string& kind) const {
    std::vector<std::string> out;
    for (const auto& a : actions_of(kind))
      out.push_back(a.text.text);
    return out;
  }
  // `n` messages from Ali in his private chat.
  ChatId ali_chat_with(int n) {
    const ChatId chat(ali_.value());
    for (int i = 0; i < n; ++i)
      transport_->receive(chat, ali_, "we meet at " + std::to_string(i) + " o'clock");
    loop_.run_ready();
    return chat;
  }

  assistant::LiveAnswers answers_;
};

// --- The answer deadline ----------------------------------------------------------------------

TEST_F(AiAnswersTest, AStalledProviderSaysItIsStillWaitingThenGivesUpAtTheDeadline) {
  TimedLlm stalled(loop_, "gemini");
  use(stalled);
  const auto cmd = owner_says(owner_chat_, "/prompt=hello");
  drive(seconds(100));
  const auto sends = actions_of("send");
  ASSERT_EQ(sends.size(), 1u);
  EXPECT_EQ(sends[0].reply_to, cmd);
  EXPECT_EQ(sends[0].text.text, "🤔 Thinking…");
  EXPECT_EQ(texts_of("edit"),
            (std::vector<std::string>{
                "🤔 Still waiting for Gemini… 15 seconds",
                "🤔 Still waiting for Gemini… 30 seconds",
                "🤔 Still waiting for Gemini… 45 seconds",
                "🤔 Still waiting for Gemini… 1 minute",
                "🤔 Still waiting for Gemini… 1 minute, 15 seconds",
                "⚠️ Gemini did not answer within 1 minute, 30 seconds, so SakaiBot stopped "
                "waiting. Try again in a little while."}));
  EXPECT_EQ(stalled.cancels, 1);  // the provider call was cancelled, not left running
  EXPECT_THAT(log_sink_.str(), HasSubstr("answer deadline passed"));
}

TEST_F(AiAnswersTest, TheDeadlineInPersian) {
  TimedLlm stalled(loop_, "gemini");
  use(stalled);
  owner_language("fa");
  config_.set("ai.answer_deadline", "30s", "test");
  owner_says(owner_chat_, "/prompt=سلام");
  drive(seconds(40));
  const auto edits = texts_of("edit");
  ASSERT_EQ(edits.size(), 6u);  // every 5 s (a sixth of 30 s), then the end
  EXPECT_EQ(edits[0], "🤔 هنوز منتظر \u2068Gemini\u2069… ۵ ثانیه");
  const std::string stopped =
      "⚠️ \u2068Gemini\u2069 در ۳۰ ثانیه پاسخی نداد، "
      "برای همین \u2068SakaiBot\u2069 دیگر منتظر نماند. "
      "کمی بعد دوباره امتحان کنید.";
  EXPECT_EQ(edits.back(), stopped);
}

TEST_F(AiAnswersTest, AnAnswerThatKeepsArrivingIsNotCutAtTheDeadline) {
  TimedLlm slow(loop_, "gemini");
  for (int i = 1; i <= 12; ++i)
    slow.deltas.emplace_back(seconds(10 * i), "part " + std::to_string(i) + ". ");
  slow.finish_after = seconds(125);
  use(slow);
  owner_says(owner_chat_, "/prompt=tell me a long story");
  drive(seconds(140));
  const auto edits = texts_of("edit");
  ASSERT_FALSE(edits.empty());
  EXPECT_THAT(edits.back(), HasSubstr("part 12."));
  EXPECT_THAT(edits.back(), Not(HasSubstr("⚠️")));
  EXPECT_EQ(slow.cancels, 0);
  for (const auto& e : edits)
    EXPECT_THAT(e, Not(HasSubstr("Still waiting"))) << "text had arrived";
}

TEST_F(AiAnswersTest, AStreamThatStallsMidAnswerKeepsTheTextFormattedWithOneNote) {
  TimedLlm stall(loop_, "gemini");
  stall.deltas = {{seconds(1), "Here is **the sta"}};
  use(stall);
  config_.set("ai.answer_deadline", "20s", "test");
  const auto cmd = owner_says(owner_chat_, "/prompt=hi");
  drive(seconds(30));
  const auto sends = actions_of("send");
  ASSERT_EQ(sends.size(), 2u);
  // The answer message keeps what arrived, as bold text, and a note follows it.
  const auto edits = actions_of("edit");
  ASSERT_FALSE(edits.empty());
  const auto& answer = edits.back().text;
  EXPECT_EQ(edits.back().message, sends[0].message);
  EXPECT_EQ(answer.text, "Here is the sta");
  ASSERT_EQ(answer.entities.size(), 1u);
  EXPECT_EQ(answer.entities[0].type, telegram::EntityType::kBold);
  EXPECT_EQ(answer.entities[0].offset, 8);
  EXPECT_EQ(sends[1].reply_to, cmd);
  EXPECT_EQ(
      sends[1].text.text,
      "⚠️ The answer was cut off before it finished (Gemini stopped sending). What arrived "
      "is above; ask again for the rest.");
}

TEST_F(AiAnswersTest, TranslateSaysItIsWaitingAndRemovesThatNoteAtTheEnd) {
  TimedLlm stalled(loop_, "gemini");
  use(stalled);
  const auto cmd = owner_says(owner_chat_, "/tr=de hello");
  drive(seconds(100));
  const auto sends = actions_of("send");
  ASSERT_EQ(sends.size(), 2u);
  EXPECT_EQ(sends[0].text.text, "⏳ Still waiting for Gemini… 15 seconds");
  EXPECT_EQ(sends[0].reply_to, cmd);
  EXPECT_EQ(texts_of("edit").back(), "⏳ Still waiting for Gemini… 1 minute, 15 seconds");
  ASSERT_EQ(actions_of("delete").size(), 1u);
  EXPECT_EQ(actions_of("delete")[0].messages, std::vector<MessageId>{sends[0].message});
  EXPECT_EQ(
      sends[1].text.text,
      "⚠️ Gemini did not answer within 1 minute, 30 seconds, so SakaiBot stopped waiting. "
      "Try again in a little while.");
  EXPECT_EQ(stalled.cancels, 1);
}

TEST_F(AiAnswersTest, AnalyzeShowsTheWaitUnderItsStatusAndEndsClearly) {
  TimedLlm stalled(loop_, "gemini");
  use(stalled);
  const ChatId chat = ali_chat_with(5);
  owner_says(chat, "/analyze=5");
  drive(seconds(100));
  const auto edits = texts_of("edit");
  EXPECT_THAT(edits, ::testing::Contains("⏳ Analysing 5 messages…\nStill waiting for Gemini… 15 "
                                         "seconds"));
  EXPECT_THAT(last_sent(), HasSubstr("did not answer within 1 minute, 30 seconds"));
  EXPECT_EQ(actions_of("delete").size(), 1u);  // the progress message
  EXPECT_EQ(stalled.cancels, 1);
}

// --- /analyze and /tellme ---------------------------------------------------------------------

TEST_F(AiAnswersTest, TheTitleIsItsOwnParagraph) {
  const ChatId chat = ali_chat_with(5);
  owner_says(chat, "/analyze=5");
  settle();
  EXPECT_EQ(texts_of("edit").back(), "Analysis of the last 5 messages\n\nAnswer text");
  owner_language("fa");
  const ChatId sara(transport_->add_user("Sara", "sara").value());
  for (int i = 0; i < 5; ++i)
    transport_->receive(sara, UserId(sara.value()), "پیام " + std::to_string(i));
  owner_says(sara, "/tellme 5 when?");
  settle();
  EXPECT_EQ(texts_of("edit").back(), "از روی ۵ پیام آخر\n\nAnswer text");
}

TEST_F(AiAnswersTest, SakaiBotsOwnAnswersAreLeftOutAndTheStatusSaysWhy) {
  const ChatId chat = ali_chat_with(3);
  owner_says(chat, "/prompt=where do we meet?");  // its answer is SakaiBot's own message
  settle();
  ASSERT_EQ(llm_.requests.size(), 1u);
  owner_says(chat, "/analyze=20");
  settle();
  ASSERT_EQ(llm_.requests.size(), 2u);
  const std::string transcript = llm_.requests[1].messages[0].text;
  EXPECT_THAT(transcript, HasSubstr("we meet at 2 o'clock"));
  EXPECT_THAT(transcript, Not(HasSubstr("Answer text")));
  EXPECT_THAT(transcript, Not(HasSubstr("Thinking")));
  // 5 messages before the command: 3 of Ali's, the /prompt and its answer.
  EXPECT_THAT(texts_of("edit"),
              ::testing::Contains("⏳ Analysing 3 messages…\nThis chat has only 5 messages.\n2 were "
                                  "left out: commands, SakaiBot's own messages and media without "
                                  "text are not read."));
  EXPECT_EQ(texts_of("edit").back(),
            "Analysis of the last 5 messages\n3 messages with text read; commands, SakaiBot's own "
            "messages and media without text are left out.\n\nAnswer text");
}

TEST_F(AiAnswersTest, LeftOutMessagesInPersian) {
  owner_language("fa");
  const ChatId chat = ali_chat_with(3);
  owner_says(chat, "/prompt=کجا؟");
  settle();
  owner_says(chat, "/analyze=20");
  settle();
  const std::string header =
      "⏳ در حال تحلیل ۳ پیام…\n"
      "این گفت‌وگو فقط ۵ پیام دارد.\n"
      "۲ پیام کنار گذاشته شد: فرمان‌ها، "
      "پیام‌های خودِ \u2068SakaiBot\u2069 و "
      "رسانه‌های بی‌متن خوانده نمی‌شوند.";
  EXPECT_THAT(texts_of("edit"), ::testing::Contains(header));
}

TEST_F(AiAnswersTest, WithoutAProviderNothingIsReadFirst) {
  ai::ProviderChain none({}, loop_);
  use(none);
  const ChatId chat = ali_chat_with(30);
  owner_says(chat, "/analyze=20");
  settle();
  ASSERT_EQ(sends(), 1u) << "no 'Reading messages…' first";
  EXPECT_THAT(last_sent(), HasSubstr("⚠️ No AI provider is set up."));
  owner_language("ar");
  owner_says(chat, "/tellme 20 why?");
  settle();
  ASSERT_EQ(sends(), 2u);
  EXPECT_THAT(last_sent(), HasSubstr("لم يُضبط أي مزوّد للذكاء الاصطناعي"));
}

// --- Owner and friend wording -----------------------------------------------------------------

TEST_F(AiAnswersTest, AFriendIsNotToldAboutTheConfiguration) {
  grant(ali_, "*", storage::GrantMode::kDirect);
  ai::LlmError refused;
  refused.kind = ai::LlmErrorKind::kAuth;
  refused.provider = "gemini";
  refused.http_status = 400;
  llm_.error = refused;
  user_says(ali_, "/tr=en سلام");
  settle();
  EXPECT_EQ(last_sent(),
            "⚠️ Gemini refused this bot's API key. The bot's owner needs to fix it; try again "
            "later.");
  ASSERT_TRUE(store_->preferences().set(ali_, "language", "fa").is_ok());
  user_says(ali_, "/tr=en سلام");
  settle();
  EXPECT_THAT(last_sent(), HasSubstr("صاحب بات باید آن را درست کند"));
  EXPECT_THAT(last_sent(), Not(HasSubstr("api_keys")));
  owner_says(owner_chat_, "/tr=en سلام");
  settle();
  EXPECT_EQ(last_sent(),
            "⚠️ Gemini refused the API key. Check gemini.api_keys in the configuration.");
}

TEST_F(AiAnswersTest, AFriendAskingWithoutAProviderHearsItIsNotSetUp) {
  ai::ProviderChain none({}, loop_);
  use(none);
  grant(ali_, "*", storage::GrantMode::kDirect);
  user_says(ali_, "/prompt=hi");
  settle();
  EXPECT_EQ(
      last_sent(),
      "⚠️ AI answers are not available here: the bot's owner has not set up an AI provider "
      "yet.");
}

// --- /model -----------------------------------------------------------------------------------

TEST_F(AiAnswersTest, ModelWithoutAProviderSaysSoInEveryLanguage) {
  ai::ProviderChain none({}, loop_);
  use(none);
  owner_says(owner_chat_, "/model");
  EXPECT_EQ(last_sent(),
            "No AI provider is set up, so there is no model to use yet. Add a key to "
            "gemini.api_keys, openrouter.api_keys or openai.api_keys (or point openai.base_url at "
            "a local server).");
  owner_says(owner_chat_, "/model reset");
  EXPECT_EQ(last_sent(),
            "This chat is back to the default model. No AI provider is set up yet, so there is "
            "none to name.");
  owner_language("fa");
  owner_says(owner_chat_, "/model");
  EXPECT_THAT(last_sent(), HasSubstr("هیچ سرویس هوش مصنوعی تنظیم نشده است"));
  EXPECT_THAT(last_sent(), Not(HasSubstr("، .")));
  owner_language("ar");
  owner_says(owner_chat_, "/model");
  EXPECT_THAT(last_sent(), HasSubstr("لا يوجد نموذج لاستخدامه"));
}

TEST_F(AiAnswersTest, ModelOnALocalServerNamesItAndSuggestsNoGeminiModel) {
  std::vector<std::unique_ptr<ai::LlmProvider>> members;
  auto local = std::make_unique<TimedLlm>(loop_, "openai");
  local->model = "llama3.2";
  members.push_back(std::move(local));
  ai::ProviderChain chain(std::move(members), loop_);
  use(chain);
  config_.set("openai.base_url", "http://127.0.0.1:11434/v1", "test");
  owner_says(owner_chat_, "/model");
  EXPECT_EQ(last_sent(),
            "This chat uses the default model of 127.0.0.1:11434, llama3.2.\nChange it with "
            "/model <name>, using a model name 127.0.0.1:11434 serves; go back to the default "
            "with /model reset.");
  config_.set("openai.name", "Ollama", "test");
  owner_says(owner_chat_, "/model qwen 2");
  EXPECT_THAT(last_sent(), HasSubstr("such as llama3.2."));
  EXPECT_THAT(last_sent(), Not(HasSubstr("gemini")));
  owner_language("fa");
  owner_says(owner_chat_, "/model");
  EXPECT_THAT(
      last_sent(),
      HasSubstr("مدل پیش‌فرض \u2068Ollama\u2069، یعنی \u2068llama3.2\u2069"));
}

TEST_F(AiAnswersTest, ModelOnGeminiSuggestsAGeminiModel) {
  std::vector<std::unique_ptr<ai::LlmProvider>> members;
  members.push_back(std::make_unique<TimedLlm>(loop_, "gemini"));
  ai::ProviderChain chain(std::move(members), loop_);
  use(chain);
  owner_says(owner_chat_, "/model");
  EXPECT_EQ(last_sent(),
            "This chat uses the default model of Gemini, gemini-2.5-flash.\nChange it with "
            "/model gemini-2.5-pro; go back to the default with /model reset.");
}

// --- /usage -----------------------------------------------------------------------------------

TEST_F(AiAnswersTest, SummaryCallsAreCountedInUsage) {
  owner_says(owner_chat_, "/prompt=hello");
  settle();
  owner_says(owner_chat_, "/summary");
  settle();
  ASSERT_EQ(llm_.requests.size(), 2u);
  owner_says(owner_chat_, "/usage");
  EXPECT_THAT(last_sent(), HasSubstr("Tokens: 2,400 in 2 calls"));
}

TEST_F(AiAnswersTest, UsageInPersianUsesPersianDigits) {
  owner_language("fa");
  owner_says(owner_chat_, "/tr=en سلام");
  settle();
  owner_says(owner_chat_, "/usage");
  const std::string out = last_sent();
  EXPECT_THAT(out, HasSubstr("توکن‌ها: ۱٬۲۰۰ در ۱ درخواست"));
  EXPECT_THAT(out, HasSubstr("ورودی ۱٬۰۰۰ · خروجی ۲۰۰ · تفکر ۰"));
  EXPECT_THAT(out, HasSubstr("۰٫۰۰۰۸"));
  EXPECT_THAT(out, Not(HasSubstr("1,200")));
}

}  // namespace
}  // namespace sakai::testing
