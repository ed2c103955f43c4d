// /prompt and its streamed answer, conversation memory, /model, /persona, /clearcontext and
// /summary, against a scripted LLM that emits its deltas on the event loop.
// Designated initialisers leave the trailing fields of test scripts at their defaults.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#include <deque>
#include <set>

#include "ai/llm/provider.h"
#include "assistant/live_answers.h"
#include "core/prompt_templates.h"
#include "core/text.h"
#include "features/ai/ai_commands.h"
#include "unit/commands/engine_fixture.h"

namespace sakai::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// An LlmProvider double: each call plays the next script (deltas `step` apart, then the end).
class ScriptedLlm final : public ai::LlmProvider {
 public:
  struct Script {
    std::vector<std::string> deltas{"Hello ", "**world**"};
    Clock::Duration step = milliseconds(100);
    std::optional<ai::LlmError> error;  // after the deltas
    std::vector<ai::Source> sources;
  };
  explicit ScriptedLlm(EventLoop& loop) : loop_(loop) {}

  std::string name() const override { return "scripted"; }
  std::string default_model() const override { return "scripted-default"; }
  ai::ProviderCaps caps() const override { return {.web_search = web}; }
  bool web = true;
  ai::ChatHandle chat(ai::ChatRequest request, ai::ChatDeltaCallback on_delta,
                      ai::ChatDoneCallback on_done) override {
    requests.push_back(request);
    Script sc;
    if (!scripts.empty()) {
      sc = scripts.front();
      scripts.pop_front();
    }
    // Cancellable as a real provider is: nothing more is delivered, and the call ends with
    // kCancelled on the loop.
    auto control = std::make_shared<ai::CallControl>();
    control->set_canceller([this, on_done] {
      loop_.post([on_done] {
        ai::LlmError e;
        e.kind = ai::LlmErrorKind::kCancelled;
        e.provider = "scripted";
        on_done(ai::ChatOutcome(e));
      });
    });
    std::string full;
    Clock::Duration at{};
    for (const auto& d : sc.deltas) {
      full += d;
      at += sc.step;
      loop_.post_after(at, [on_delta, d, control] {
        if (on_delta && !control->cancelled()) on_delta(ai::ChatDelta{d, ""});
      });
    }
    at += sc.step;
    loop_.post_after(at, [sc, full, on_done, control] {
      if (control->cancelled()) return;
      control->clear_canceller();
      if (sc.error) {
        on_done(ai::ChatOutcome(*sc.error));
        return;
      }
      ai::ChatResult r;
      r.text = full;
      r.sources = sc.sources;
      r.usage.output_tokens = 7;
      on_done(ai::ChatOutcome(std::move(r)));
    });
    return ai::ChatHandle(control);
  }

  std::deque<Script> scripts;
  std::vector<ai::ChatRequest> requests;

 private:
  EventLoop& loop_;
};

class PromptTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    services_->llm = &llm_;
    services_->answers = &answers_;
    config_.set("ai.stream_edit_interval", "2s", "test");
  }

  // Runs the loop for `span` of simulated time in 100 ms steps.
  void drive(Clock::Duration span = seconds(30)) {
    const auto end = clock_.now() + span;
    while (clock_.now() < end) {
      loop_.run_ready();
      clock_.advance(milliseconds(100));
    }
    loop_.run_ready();
  }
  MessageId ask(const std::string& text, std::optional<MessageId> reply_to = {}) {
    const auto id = owner_says(owner_chat_, text, reply_to);
    drive();
    return id;
  }
  std::vector<telegram::TransportAction> actions_of(std::string_view kind) const {
    std::vector<telegram::TransportAction> out;
    for (const auto& a : transport_->actions())
      if (a.kind == kind) out.push_back(a);
    return out;
  }
  // The message that answered `command` (the status message, edited into the answer).
  MessageId answer_to(MessageId command) const {
    for (const auto& a : transport_->actions())
      if (a.kind == "send" && a.reply_to == command) return a.message;
    return MessageId();
  }
  std::string shown(MessageId id) const {
    const auto m = transport_->message(owner_chat_, id);
    return m ? m->text : std::string();
  }
  std::string last_outcome() const {
    auto recent = store_->command_log().recent(1);
    return recent.is_ok() && !recent->empty() ? recent->front().outcome : std::string();
  }
  std::string last_command() const {
    auto recent = store_->command_log().recent(1);
    return recent.is_ok() && !recent->empty() ? recent->front().command : std::string();
  }

  ScriptedLlm llm_{loop_};
  assistant::LiveAnswers answers_;
};

TEST_F(PromptTest, StatusThenGrowingEditsThenFormattedFinal) {
  llm_.scripts.push_back({.deltas = {"Hello ", "**big** ", "world"}, .step = seconds(2)});
  const auto cmd = ask("/prompt=say hello");
  const auto& acts = transport_->actions();
  ASSERT_GE(acts.size(), 3u);
  EXPECT_EQ(acts[0].kind, "send");
  EXPECT_EQ(acts[0].text.text, i18n_.tr("en", "ai.stream.thinking"));
  EXPECT_EQ(acts[0].reply_to, cmd);
  EXPECT_EQ(acts[1].kind, "chat_action");
  const auto edits = actions_of("edit");
  ASSERT_GE(edits.size(), 2u);
  EXPECT_TRUE(edits.front().text.entities.empty());  // intermediate: plain text
  EXPECT_NE(edits.front().text.text.find("Hello"), std::string::npos);
  const auto& final_edit = edits.back();
  EXPECT_EQ(final_edit.text.text, "Hello big world");
  ASSERT_EQ(final_edit.text.entities.size(), 1u);
  EXPECT_EQ(final_edit.text.entities[0].type, telegram::EntityType::kBold);
  EXPECT_EQ(sends(), 1u);
  EXPECT_EQ(last_command(), "prompt");
  EXPECT_EQ(last_outcome(), "ok");
  ASSERT_EQ(llm_.requests.size(), 1u);
  EXPECT_EQ(llm_.requests[0].messages.back().text, "say hello");
  EXPECT_FALSE(llm_.requests[0].system_instruction.empty());
}

TEST_F(PromptTest, EditsAreThrottled) {
  ScriptedLlm::Script sc;
  sc.deltas.assign(60, "word ");
  sc.step = milliseconds(100);  // 6 s of streaming
  llm_.scripts.push_back(sc);
  ask("/prompt=count");
  const auto edits = actions_of("edit");
  // One edit per 2 s at most while streaming (3 in 6 s), plus the final one.
  EXPECT_LE(edits.size(), 5u);
  EXPECT_GE(edits.size(), 2u);
  std::string expected;
  for (int i = 0; i < 60; ++i)
    expected += i == 0 ? "word" : " word";
  EXPECT_EQ(edits.back().text.text, expected);
  EXPECT_EQ(last_outcome(), "ok");
}

TEST_F(PromptTest, LongAnswerContinuesInNewMessages) {
  transport_->set_message_text_limit(120);
  ScriptedLlm::Script sc;
  for (int i = 0; i < 20; ++i)
    sc.deltas.push_back("Sentence number " + std::to_string(i) + " is here. ");
  sc.deltas.erase(sc.deltas.begin(), sc.deltas.begin() + 2);  // drop the default two
  sc.step = milliseconds(300);
  llm_.scripts.push_back(sc);
  ask("/prompt=long");
  EXPECT_GE(sends(), 4u);  // status + continuations (~560 characters in 120-unit messages)
  for (const auto& a : transport_->actions()) {
    if (a.kind == "send" || a.kind == "edit") {
      EXPECT_LE(text::utf16_length(a.text.text), 120u) << a.text.text;
    }
  }
  std::string all;
  std::set<MessageId> ids;
  for (const auto& a : transport_->actions())
    if (a.kind == "send") ids.insert(a.message);
  for (auto id : ids)
    all += shown(id) + " ";
  for (int i = 2; i < 20; ++i)
    EXPECT_NE(all.find("Sentence number " + std::to_string(i) + " is here."), std::string::npos)
        << i << " missing from: " << all;
  EXPECT_EQ(all.find("…"), std::string::npos) << all;  // no message left "in progress"
  EXPECT_EQ(last_outcome(), "ok");
}

TEST_F(PromptTest, ErrorReplacesTheStatusMessage) {
  ai::LlmError err;
  err.kind = ai::LlmErrorKind::kRateLimited;
  err.provider = "gemini";
  err.http_status = 429;
  err.retry_after = seconds(26);
  llm_.scripts.push_back({.deltas = {}, .error = err});
  const auto cmd = ask("/prompt=hi");
  const auto status = answer_to(cmd);
  ASSERT_TRUE(status.valid());
  const std::string text = shown(status);
  EXPECT_NE(text.find("26"), std::string::npos) << text;
  EXPECT_NE(text.find("Gemini"), std::string::npos) << text;
  EXPECT_EQ(text.find(i18n_.tr("en", "ai.stream.thinking")), std::string::npos);
  EXPECT_EQ(sends(), 1u);
  EXPECT_EQ(last_outcome(), "error");
}

TEST_F(PromptTest, ErrorAfterOutputKeepsThePartialAnswer) {
  ai::LlmError err;
  err.kind = ai::LlmErrorKind::kUnavailable;
  err.provider = "gemini";
  err.after_output = true;
  llm_.scripts.push_back({.deltas = {"Partial ", "answer"}, .step = seconds(1), .error = err});
  const auto cmd = ask("/prompt=hi");
  EXPECT_EQ(shown(answer_to(cmd)), "Partial answer");
  EXPECT_EQ(sends(), 2u);
  EXPECT_NE(last_sent().find("⚠️"), std::string::npos);
  EXPECT_EQ(last_outcome(), "error");
}

TEST_F(PromptTest, FlagsReachTheRequestAndSourcesAreListed) {
  llm_.scripts.push_back(
      {.deltas = {"Answer."}, .sources = {{"Example page", "https://example.com/a"}}});
  const auto cmd = ask("/prompt=what is X=think=web");
  ASSERT_EQ(llm_.requests.size(), 1u);
  EXPECT_TRUE(llm_.requests[0].think);
  EXPECT_TRUE(llm_.requests[0].web);
  EXPECT_EQ(llm_.requests[0].messages.back().text, "what is X");
  const std::string text = shown(answer_to(cmd));
  EXPECT_NE(text.find("Sources"), std::string::npos) << text;
  EXPECT_NE(text.find("Example page"), std::string::npos) << text;
  bool link = false;
  for (const auto& a : actions_of("edit"))
    for (const auto& e : a.text.entities)
      link = link ||
             (e.type == telegram::EntityType::kTextUrl && e.argument == "https://example.com/a");
  EXPECT_TRUE(link);
}

TEST_F(PromptTest, WebWithAProviderThatCannotSearchSaysSo) {
  llm_.web = false;
  llm_.scripts.push_back({.deltas = {"Answer."}});
  const auto cmd = ask("/prompt=news today=web");
  ASSERT_EQ(llm_.requests.size(), 1u);
  const std::string text = shown(answer_to(cmd));
  EXPECT_NE(text.find("Answer."), std::string::npos) << text;
  EXPECT_NE(text.find("Web search is not available with scripted"), std::string::npos) << text;
  // Without =web, no such line.
  llm_.scripts.push_back({.deltas = {"Plain."}});
  const auto plain = ask("/prompt=hello");
  EXPECT_EQ(shown(answer_to(plain)).find("Web search"), std::string::npos);
}

TEST_F(PromptTest, ParsePromptFlagsAnywhere) {
  auto parse = [](const std::string& s) {
    return features::parse_prompt(*commands::parse_command_line(s, "/"));
  };
  auto p = parse("/prompt=think=why is the sky blue?");
  EXPECT_TRUE(p.think);
  EXPECT_FALSE(p.web);
  EXPECT_EQ(p.text, "why is the sky blue?");
  p = parse("/prompt=is 2+2=4 true=WEB");
  EXPECT_TRUE(p.web);
  EXPECT_EQ(p.text, "is 2+2=4 true");
  p = parse("/prompt what is =think");
  EXPECT_FALSE(p.think);
  EXPECT_EQ(p.text, "what is =think");
}

TEST_F(PromptTest, ReplyToAMessageGivesContext) {
  const auto other = transport_->receive(owner_chat_, ali_, "The meeting moved to Friday.");
  loop_.run_ready();
  ask("/prompt=when is it?", other);
  ASSERT_EQ(llm_.requests.size(), 1u);
  const std::string q = llm_.requests[0].messages.back().text;
  EXPECT_NE(q.find("The meeting moved to Friday."), std::string::npos) << q;
  EXPECT_NE(q.find("when is it?"), std::string::npos) << q;
}

TEST_F(PromptTest, PlainReplyToAnAnswerContinuesTheConversation) {
  const auto first = ask("/prompt=my name is Sara");
  const auto answer = answer_to(first);
  ASSERT_TRUE(answer.valid());
  const auto follow = ask("what is my name?", answer);
  ASSERT_EQ(llm_.requests.size(), 2u);
  const auto& msgs = llm_.requests[1].messages;
  ASSERT_EQ(msgs.size(), 3u);
  EXPECT_EQ(msgs[0].text, "my name is Sara");
  EXPECT_EQ(msgs[1].role, ai::ChatRole::kAssistant);
  EXPECT_EQ(msgs[1].text, "Hello **world**");
  EXPECT_EQ(msgs[2].text, "what is my name?");
  EXPECT_TRUE(answer_to(follow).valid());
  // A /prompt replying to the second answer continues the same thread.
  ask("/prompt=and again", answer_to(follow));
  ASSERT_EQ(llm_.requests.size(), 3u);
  EXPECT_EQ(llm_.requests[2].messages.size(), 5u);
  // A fresh /prompt starts a new conversation.
  ask("/prompt=new topic");
  EXPECT_EQ(llm_.requests[3].messages.size(), 1u);
}

TEST_F(PromptTest, ReplyingToAnyPartOfALongAnswerContinuesIt) {
  transport_->set_message_text_limit(120);
  ScriptedLlm::Script sc;
  sc.deltas.clear();
  for (int i = 0; i < 12; ++i)
    sc.deltas.push_back("Sentence number " + std::to_string(i) + " is here. ");
  llm_.scripts.push_back(sc);
  const auto cmd = ask("/prompt=long");
  std::vector<MessageId> parts;
  for (const auto& a : transport_->actions())
    if (a.kind == "send" && a.message != cmd) parts.push_back(a.message);
  ASSERT_GE(parts.size(), 3u);
  // A plain reply to the first part (not the last) continues the conversation.
  ask("and the first one?", parts.front());
  ASSERT_EQ(llm_.requests.size(), 2u);
  const auto& msgs = llm_.requests[1].messages;
  ASSERT_EQ(msgs.size(), 3u);
  EXPECT_EQ(msgs[0].text, "long");
  EXPECT_EQ(msgs[1].role, ai::ChatRole::kAssistant);
  EXPECT_NE(msgs[1].text.find("Sentence number 0"), std::string::npos);
  EXPECT_NE(msgs[1].text.find("Sentence number 11"), std::string::npos);
}

TEST_F(PromptTest, PlainRepliesToOtherMessagesAreIgnored) {
  const auto m = transport_->receive(owner_chat_, ali_, "hello");
  loop_.run_ready();
  ask("just chatting", m);
  EXPECT_TRUE(llm_.requests.empty());
  EXPECT_EQ(sends(), 0u);
}

TEST_F(PromptTest, MemoryIsBoundedByMessages) {
  config_.set("ai.memory_messages", "4", "test");
  auto last = answer_to(ask("/prompt=one"));
  for (int i = 0; i < 4; ++i)
    last = answer_to(ask("more " + std::to_string(i), last));
  // 4 stored messages at most: the request holds them plus the new question.
  EXPECT_LE(llm_.requests.back().messages.size(), 5u);
  EXPECT_EQ(llm_.requests.back().messages.front().role, ai::ChatRole::kUser);
}

TEST_F(PromptTest, FriendWithGrantContinuesInPrivate) {
  grant(ali_, "prompt", storage::GrantMode::kDirect);
  const ChatId chat(ali_.value());
  transport_->receive(chat, ali_, "/prompt=hi there");
  drive();
  MessageId answer;
  for (const auto& a : transport_->actions())
    if (a.kind == "send" && a.chat == chat) answer = a.message;
  ASSERT_TRUE(answer.valid());
  transport_->receive(chat, ali_, "tell me more", answer);
  drive();
  ASSERT_EQ(llm_.requests.size(), 2u);
  EXPECT_EQ(llm_.requests[1].messages.size(), 3u);
}

TEST_F(PromptTest, ClearContextForgetsTheChat) {
  const auto answer = answer_to(ask("/prompt=remember this"));
  ask("/clearcontext");
  EXPECT_NE(last_sent().find("Forgot"), std::string::npos) << last_sent();
  ask("continue?", answer);
  EXPECT_EQ(llm_.requests.size(), 1u);  // the reply no longer continues anything
}

TEST_F(PromptTest, SummaryAsksForASummaryOfTheConversation) {
  ask("/prompt=what is rust");
  llm_.scripts.push_back({.deltas = {"- You asked about Rust."}});
  const auto cmd = ask("/summary");
  ASSERT_EQ(llm_.requests.size(), 2u);
  const auto& req = llm_.requests[1];
  EXPECT_EQ(req.system_instruction,
            PromptTemplates::embedded().render("en", "summary.instruction"));
  EXPECT_NE(req.messages.back().text.find("User: what is rust"), std::string::npos);
  EXPECT_NE(req.messages.back().text.find("Assistant: Hello **world**"), std::string::npos);
  EXPECT_EQ(shown(answer_to(cmd)), "• You asked about Rust.");
}

TEST_F(PromptTest, SummaryWithoutConversationSaysSo) {
  ask("/summary");
  EXPECT_TRUE(llm_.requests.empty());
  EXPECT_NE(last_sent().find("no AI conversation"), std::string::npos) << last_sent();
}

TEST_F(PromptTest, ModelAndPersonaArePerChatAndPersist) {
  ask("/model gemini-2.5-pro");
  EXPECT_NE(last_sent().find("gemini-2.5-pro"), std::string::npos);
  ask("/persona=a pirate who loves tea");
  ask("/prompt=hello");
  ASSERT_EQ(llm_.requests.size(), 1u);
  EXPECT_EQ(llm_.requests[0].model, "gemini-2.5-pro");
  EXPECT_NE(llm_.requests[0].system_instruction.find("a pirate who loves tea"), std::string::npos);
  // Another chat is untouched.
  const ChatId group = transport_->add_group("Friends");
  owner_says(group, "/prompt=hi");
  drive();
  EXPECT_EQ(llm_.requests[1].model, "");
  EXPECT_EQ(llm_.requests[1].system_instruction,
            PromptTemplates::embedded().render("en", "prompt.system"));
  // Survives a rebuilt engine (same store).
  build();
  services_->llm = &llm_;
  ask("/model");
  EXPECT_NE(last_sent().find("gemini-2.5-pro"), std::string::npos);
  ask("/model reset");
  ask("/persona reset");
  ask("/prompt=again");
  EXPECT_EQ(llm_.requests.back().model, "");
  EXPECT_EQ(llm_.requests.back().system_instruction,
            PromptTemplates::embedded().render("en", "prompt.system"));
}

TEST_F(PromptTest, WithoutStreamingOneFinalSend) {
  config_.set("ai.stream", "false", "test");
  ask("/prompt=hi");
  EXPECT_EQ(sends(), 1u);
  EXPECT_EQ(last_sent(), "Hello world");
  EXPECT_TRUE(actions_of("edit").empty());
  EXPECT_EQ(last_outcome(), "ok");
}

TEST_F(PromptTest, PromptWithoutTextShowsUsage) {
  ask("/prompt");
  EXPECT_TRUE(llm_.requests.empty());
  EXPECT_EQ(last_outcome(), "invalid");
}

TEST(PromptTemplates, EveryLanguageHasTheSameKeys) {
  const auto& t = PromptTemplates::embedded();
  const auto en = t.keys("en");
  ASSERT_FALSE(en.empty());
  for (const char* lang : {"fa", "ar"})
    EXPECT_EQ(t.keys(lang), en) << lang;
  EXPECT_NE(t.render("fa", "prompt.system").find("SakaiBot"), std::string::npos);
  EXPECT_EQ(t.render("xx", "summary.user_label"), "User");  // falls back to English
  EXPECT_NE(t.render("en", "prompt.persona", {{"persona", "P"}}).find("P"), std::string::npos);
}

TEST_F(PromptTest, StopAsAReplyKeepsWhatWasWrittenAndSaysStopped) {
  llm_.scripts.push_back({.deltas = {"One ", "two ", "three ", "four"}, .step = seconds(3)});
  const auto cmd = owner_says(owner_chat_, "/prompt=count slowly");
  drive(seconds(7));  // "One two " has arrived and been shown
  const auto answer = answer_to(cmd);
  ASSERT_TRUE(answer.valid());
  const auto stop = owner_says(owner_chat_, "/stop", answer);
  drive();
  EXPECT_EQ(shown(answer), "One two");
  EXPECT_NE(last_sent().find("Stopped."), std::string::npos) << last_sent();
  EXPECT_EQ(shown(answer).find("three"), std::string::npos);
  EXPECT_FALSE(transport_->message(owner_chat_, stop).has_value()) << "the /stop is cleaned up";
  // Nothing more is running: a second /stop says so.
  owner_says(owner_chat_, "/stop");
  drive(seconds(1));
  EXPECT_NE(last_sent().find("Nothing is being answered"), std::string::npos) << last_sent();
}

TEST_F(PromptTest, StopAloneAndDeletingTheCommandStopTheNewestAnswer) {
  llm_.scripts.push_back({.deltas = {"slow"}, .step = seconds(20)});
  const auto first = owner_says(owner_chat_, "/prompt=first");
  drive(seconds(1));
  owner_says(owner_chat_, "/stop");
  drive(seconds(1));
  EXPECT_NE(shown(answer_to(first)).find("Stopped."), std::string::npos) << shown(answer_to(first));

  llm_.scripts.push_back({.deltas = {"slow"}, .step = seconds(20)});
  const auto second = owner_says(owner_chat_, "/prompt=second");
  drive(seconds(1));
  transport_->delete_messages(owner_chat_, {second}, [](Status) {});
  router_->on_messages_deleted(owner_chat_, {second});
  drive(seconds(1));
  EXPECT_NE(shown(answer_to(second)).find("Stopped."), std::string::npos)
      << shown(answer_to(second));
  EXPECT_EQ(llm_.requests.size(), 2u);
}

TEST_F(PromptTest, AFriendStopsOnlyTheirOwnAnswer) {
  grant(ali_, "*", storage::GrantMode::kDirect);
  const ChatId ali_chat(ali_.value());
  llm_.scripts.push_back({.deltas = {"slow"}, .step = seconds(20)});
  const auto owners = owner_says(ali_chat, "/prompt=owner's question");
  drive(seconds(1));
  const auto owners_answer = [&] {
    for (const auto& a : transport_->actions())
      if (a.kind == "send" && a.reply_to == owners) return a.message;
    return MessageId();
  }();
  transport_->receive(ali_chat, ali_, "/stop", owners_answer);
  drive(seconds(1));
  EXPECT_NE(last_sent().find("Nothing is being answered"), std::string::npos) << last_sent();
  drive(seconds(60));
  const auto m = transport_->message(ali_chat, owners_answer);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->text, "slow");  // the owner's answer finished
}

}  // namespace
}  // namespace sakai::testing
