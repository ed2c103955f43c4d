// End-to-end: /prompt through the real binary (`sakaibot console --jsonl`) against a loopback
// Gemini server speaking the documented wire format (AI-APIS.md §1.5: `data: {...}` events of
// GenerateContentResponse, no [DONE]).
// Designated initialisers leave the trailing fields of test scripts at their defaults.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#include <gtest/gtest.h>

#include "e2e/console_runner.h"
#include "support/loopback_server.h"

namespace sakai::e2e {
namespace {

using std::chrono::milliseconds;

constexpr const char* kGeminiPath = R"(/v1beta/models/[^/]+:streamGenerateContent)";

std::string chunk(const std::string& text, bool last = false) {
  json j = {{"candidates",
             {{{"content", {{"parts", {{{"text", text}}}}, {"role", "model"}}}, {"index", 0}}}},
            {"modelVersion", "gemini-2.5-flash"}};
  if (last) {
    j["candidates"][0]["finishReason"] = "STOP";
    j["usageMetadata"] = {
        {"promptTokenCount", 5}, {"candidatesTokenCount", 4}, {"totalTokenCount", 9}};
  }
  return "data: " + j.dump() + "\r\n\r\n";
}

void use_server(Sandbox& box, const test::LoopbackServer& srv) {
  box.set_env("GEMINI_API_KEY", "test-key");
  box.set_env("GEMINI_BASE_URL", srv.url(""));
  box.set_env("SAKAIBOT_AI_STREAM_EDIT_INTERVAL", "1s");
}

TEST(ConsoleAi, PromptStreamsStatusEditsAndFinalFormattedText) {
  test::LoopbackServer srv;
  srv.stream("POST", kGeminiPath,
             {.chunks = {chunk("Hello "), chunk("from "), chunk("**Gemini**", true)},
              .delay = milliseconds(700)});
  Sandbox box;
  use_server(box, srv);
  const auto r = box.console(script({"/prompt=hello"}));
  expect_clean(r);
  ASSERT_EQ(r.receive_text(1), "/prompt=hello");
  const auto answers = r.replies_to(1);
  ASSERT_EQ(answers.size(), 1u) << r.out;
  EXPECT_EQ(answers[0]["text"], "🤔 Thinking…");
  const auto edits = r.with_action("edit");
  ASSERT_GE(edits.size(), 2u) << r.out;  // at least one growing edit, then the final one
  EXPECT_TRUE(contains(edits.front()["text"], "Hello")) << r.out;
  EXPECT_EQ(edits.back()["text"], "Hello from Gemini");
  const auto slices = entity_slices(edits.back());
  ASSERT_EQ(slices.size(), 1u);
  EXPECT_EQ(slices[0], (std::pair<std::string, std::string>{"bold", "Gemini"}));
  ASSERT_EQ(srv.requests().size(), 1u);
  const auto body = json::parse(srv.requests()[0].body);
  EXPECT_EQ(body["contents"].back()["parts"][0]["text"], "hello");
  EXPECT_TRUE(body.contains("systemInstruction") || body.contains("system_instruction"));
}

// An answer longer than a Telegram message: the console's transport splits it as the TDLib one
// does (Transport::send_text) and shows every part, in order, each within the limit.
TEST(ConsoleAi, LongAnswerArrivesInNumberedParts) {
  std::string answer;
  for (int i = 1; i <= 60; ++i) {
    answer += "Paragraph " + std::to_string(i) +
              ": the migration finished overnight, error rates are back to normal and the "
              "dashboard looks fine.\n\n";
  }
  ASSERT_GT(answer.size(), 6000u);
  test::LoopbackServer srv;
  // Not streamed: generateContent answers once and the whole answer goes out in one send_text.
  const std::string event = chunk(answer, true);
  const std::string body = event.substr(6, event.size() - 6 - 4);  // "data: " ... "\r\n\r\n"
  srv.reply("POST", R"(/v1beta/models/[^/]+:generateContent)", 200, body);
  Sandbox box;
  use_server(box, srv);
  box.set_env("SAKAIBOT_AI_STREAM", "false");
  const auto r = box.console(script({"/prompt=write a long status report"}));
  expect_clean(r);
  const auto sends = r.sends();
  ASSERT_GE(sends.size(), 2u) << r.out;
  const std::size_t n = sends.size();
  std::string joined;
  for (std::size_t i = 0; i < n; ++i) {
    const std::string text = sends[i]["text"];
    const std::string marker = " (" + std::to_string(i + 1) + "/" + std::to_string(n) + ")";
    ASSERT_TRUE(text.ends_with(marker)) << text;
    EXPECT_LE(text.size(), 4096u);  // ASCII: bytes are UTF-16 units
    // The first part answers the command; the rest follow it.
    if (i == 0) {
      EXPECT_EQ(sends[i]["reply_to"], 1);
    } else {
      EXPECT_FALSE(sends[i].contains("reply_to")) << sends[i].dump();
    }
    joined += text.substr(0, text.size() - marker.size()) + "\n\n";
  }
  // Cut between paragraphs, nothing lost.
  for (int i = 1; i <= 60; ++i)
    EXPECT_NE(joined.find("Paragraph " + std::to_string(i) + ": the migration"), std::string::npos);
  EXPECT_EQ(joined.find("\n\nParagraph 1:"), std::string::npos);
}

TEST(ConsoleAi, ReplyToTheAnswerContinuesTheConversation) {
  test::LoopbackServer srv;
  srv.stream("POST", kGeminiPath, {.chunks = {chunk("Nice to meet you, Sara.", true)}});
  Sandbox box;
  use_server(box, srv);
  // #1 the prompt, #2 the answer, #3 the plain reply to #2, #4 its answer.
  const auto r = box.console(script({"/prompt=my name is Sara", ">2 what is my name?"}));
  expect_clean(r);
  ASSERT_EQ(r.receive_text(3), "what is my name?");
  ASSERT_EQ(r.replies_to(3).size(), 1u) << r.out;
  ASSERT_EQ(srv.requests().size(), 2u);
  const auto body = json::parse(srv.requests()[1].body);
  ASSERT_EQ(body["contents"].size(), 3u) << body.dump();
  EXPECT_EQ(body["contents"][1]["role"], "model");
}

TEST(ConsoleAi, RateLimitWithRetryInfoBecomesALocalisedMessage) {
  test::LoopbackServer srv;
  srv.reply("POST", kGeminiPath, 429, R"({"error": {"code": 429,
    "message": "You exceeded your current quota.", "status": "RESOURCE_EXHAUSTED",
    "details": [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "26s"}]}})");
  Sandbox box;
  use_server(box, srv);
  const auto r = box.console(script({"/prompt=hello", "/lang fa", "/prompt=سلام"}));
  expect_clean(r);
  ASSERT_EQ(r.replies_to(1).size(), 1u) << r.out;
  const auto edits = r.with_action("edit");
  ASSERT_EQ(edits.size(), 2u) << r.out;
  const std::string en = edits[0]["text"];
  EXPECT_TRUE(contains(en, "Gemini")) << en;
  EXPECT_TRUE(contains(en, "26")) << en;
  EXPECT_FALSE(contains(en, "Thinking")) << en;
  const std::string fa = edits[1]["text"];
  EXPECT_TRUE(has_arabic_letter(fa)) << fa;
  EXPECT_TRUE(contains(fa, "26") || contains(fa, "۲۶")) << fa;
}

TEST(ConsoleAi, BadKeySaysTheKeyWasRefused) {
  test::LoopbackServer srv;
  srv.reply("POST", kGeminiPath, 400, R"({"error": {"code": 400,
    "message": "API key not valid. Please pass a valid API key.", "status": "INVALID_ARGUMENT",
    "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID",
                 "domain": "googleapis.com"}]}})");
  Sandbox box;
  use_server(box, srv);
  const auto r = box.console(script({"/prompt=hello"}));
  expect_clean(r);
  const auto edits = r.with_action("edit");
  ASSERT_EQ(edits.size(), 1u) << r.out;
  EXPECT_TRUE(contains(edits[0]["text"], "refused the API key")) << edits[0]["text"];
  EXPECT_TRUE(contains(edits[0]["text"], "gemini.api_keys")) << edits[0]["text"];
}

TEST(ConsoleAi, FriendsPromptWaitsForConfirmThenAnswersInTheirChat) {
  test::LoopbackServer srv;
  srv.stream("POST", kGeminiPath, {.chunks = {chunk("Paris.", true)}});
  Sandbox box;
  use_server(box, srv);
  // #1 /auth, #2 its answer, #3 ali's prompt, #4 "waits", #5 the owner's confirm.
  const auto r = box.console(script({":chat ali", ":chat me", "/auth add @ali",
                                     "@ali: /prompt=capital of France?", ">3 confirm"}));
  expect_clean(r);
  ASSERT_EQ(r.receive_text(3), "/prompt=capital of France?");
  const auto to_ali = r.replies_to(3);
  ASSERT_EQ(to_ali.size(), 2u) << r.out;
  EXPECT_EQ(to_ali[0]["text"], "Your request waits for the owner's confirmation.");
  EXPECT_EQ(to_ali[1]["chat"], 2001);
  EXPECT_EQ(r.with_action("edit").back()["text"], "Paris.");
  EXPECT_EQ(srv.requests().size(), 1u);
}

}  // namespace
}  // namespace sakai::e2e
