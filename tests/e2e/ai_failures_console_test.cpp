// End-to-end: what a user reads when the AI provider fails, through the real binary
// (`sakaibot console --jsonl`) against loopback servers speaking the documented wire formats
// (AI-APIS.md §1.5 Gemini SSE, §2.3 OpenAI-compatible SSE): nothing configured, a refused
// connection, HTTP 500, a stalled server (the answer deadline), a stream cut short; and what the
// log says about it. In English, Persian and Arabic.
// Designated initialisers leave the trailing fields of test scripts at their defaults.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#include <gtest/gtest.h>

#include "e2e/console_runner.h"
#include "support/loopback_server.h"

namespace sakai::e2e {
namespace {

using std::chrono::milliseconds;

constexpr const char* kGeminiPath = R"(/v1beta/models/[^/]+:streamGenerateContent)";
constexpr const char* kCompletions = "/v1/chat/completions";
constexpr const char* kOpenAiKey = "sk-e2e-SECRET-0123456789abcdef";

std::string gemini_chunk(const std::string& text, bool last = false) {
  json j = {{"candidates",
             {{{"content", {{"parts", {{{"text", text}}}}, {"role", "model"}}}, {"index", 0}}}},
            {"modelVersion", "gemini-2.5-flash"}};
  if (last) j["candidates"][0]["finishReason"] = "STOP";
  return "data: " + j.dump() + "\r\n\r\n";
}

std::string openai_chunk(const std::string& text) {
  const json j = {
      {"id", "chatcmpl-1"},
      {"object", "chat.completion.chunk"},
      {"created", 1},
      {"model", "llama3.2"},
      {"choices", {{{"index", 0}, {"delta", {{"content", text}}}, {"finish_reason", nullptr}}}}};
  return "data: " + j.dump() + "\n\n";
}

// The OpenAI-compatible slot pointed at `base` (a local server).
void use_local(Sandbox& box, const std::string& base) {
  box.set_env("SAKAIBOT_LLM_PROVIDER", "openai");
  box.set_env("OPENAI_BASE_URL", base);
  box.set_env("OPENAI_API_KEY", kOpenAiKey);
  box.set_env("SAKAIBOT_LOG_LEVEL", "warn");
  box.set_env("SAKAIBOT_AI_STREAM_EDIT_INTERVAL", "1s");
}

std::vector<std::string> edit_texts(const RunResult& r) {
  std::vector<std::string> out;
  for (const auto& e : r.with_action("edit"))
    out.push_back(e["text"]);
  return out;
}

TEST(ConsoleAiFailures, NothingConfiguredInEveryLanguage) {
  Sandbox box;
  // #1 /model, #2 its answer, #3 /analyze, #4 its answer, then the same in fa and ar.
  const auto r = box.console(script({"/model", "/analyze=20", "/lang fa", "/model", "/analyze=20",
                                     "/lang ar", "/model", "/analyze=20"}));
  expect_clean(r);
  EXPECT_EQ(r.answer_to(1),
            "No AI provider is set up, so there is no model to use yet. Add a key to "
            "gemini.api_keys, openrouter.api_keys or openai.api_keys (or point openai.base_url at "
            "a local server).");
  // /analyze says so at once: no "Reading messages…" first.
  EXPECT_EQ(r.replies_to(3).size(), 1u) << r.out;
  EXPECT_TRUE(contains(r.answer_to(3), "No AI provider is set up.")) << r.out;
  const std::string fa_model = r.answer_to(7);
  EXPECT_TRUE(contains(fa_model, "هیچ سرویس هوش مصنوعی تنظیم نشده است")) << fa_model;
  EXPECT_FALSE(contains(fa_model, "، .")) << fa_model;
  EXPECT_EQ(r.replies_to(9).size(), 1u) << r.out;
  EXPECT_TRUE(contains(r.answer_to(13), "لا يوجد نموذج لاستخدامه")) << r.out;
  EXPECT_EQ(r.replies_to(15).size(), 1u) << r.out;
  EXPECT_TRUE(has_arabic_letter(r.answer_to(15)));
}

TEST(ConsoleAiFailures, ARefusedConnectionNamesTheServerAndTheSetting) {
  const int port = test::closed_loopback_port();
  const std::string host = "127.0.0.1:" + std::to_string(port);
  Sandbox box;
  use_local(box, "http://" + host + "/v1");
  const auto r = box.console(script({"/prompt=hi", "/lang fa", "/tr=en سلام", "/model"}));
  expect_clean(r);
  const auto edits = edit_texts(r);
  ASSERT_FALSE(edits.empty()) << r.out;
  EXPECT_EQ(edits.back(), "⚠️ Cannot reach the AI server at " + host +
                              ". Is it running? Check openai.base_url and the proxy (http.proxy).");
  const std::string fa = r.answer_to(5);
  EXPECT_TRUE(contains(fa, "\u2068" + host + "\u2069")) << fa;
  EXPECT_TRUE(contains(fa, "\u2068openai.base_url\u2069")) << fa;
  EXPECT_TRUE(contains(fa, "دسترسی به سرور هوش مصنوعی")) << fa;
  EXPECT_FALSE(contains(fa, "OpenAI")) << fa;
  // /model names the server by its host and suggests no Gemini model.
  const std::string model = r.answer_to(7);
  EXPECT_TRUE(contains(model, "\u2068" + host + "\u2069")) << model;
  EXPECT_FALSE(contains(model, "gemini")) << model;
  EXPECT_FALSE(contains(r.err, kOpenAiKey));
}

TEST(ConsoleAiFailures, Http500SaysTheServiceHasTroubleAndTheLogHasTheDetails) {
  test::LoopbackServer srv;
  srv.reply("POST", kCompletions, 500,
            R"({"error":{"message":"model runner crashed","type":"server_error","code":null}})",
            "application/json", {{"x-request-id", "req-e2e-500"}});
  Sandbox box;
  use_local(box, srv.url("/v1"));
  box.set_env("OPENAI_NAME", "Ollama");
  const auto r = box.console(script({"/prompt=hi"}));
  expect_clean(r);
  const auto edits = edit_texts(r);
  ASSERT_FALSE(edits.empty()) << r.out;
  EXPECT_EQ(edits.back(),
            "⚠️ Ollama is having trouble on its side (HTTP 500). Try again in a little while.");
  // "The details are in the log": status, cause, request id and the body, never the key.
  EXPECT_TRUE(contains(r.err, "provider call failed")) << r.err;
  EXPECT_TRUE(contains(r.err, "status=500")) << r.err;
  EXPECT_TRUE(contains(r.err, "cause=server error")) << r.err;
  EXPECT_TRUE(contains(r.err, "request_id=req-e2e-500")) << r.err;
  EXPECT_TRUE(contains(r.err, "model runner crashed")) << r.err;
  EXPECT_TRUE(contains(r.err, "model=gpt-4o-mini")) << r.err;
  EXPECT_FALSE(contains(r.err, kOpenAiKey)) << r.err;
}

TEST(ConsoleAiFailures, AStalledServerShowsTheWaitAndEndsAtTheDeadline) {
  test::LoopbackServer srv;
  srv.hang("POST", kCompletions);
  Sandbox box;
  use_local(box, srv.url("/v1"));
  box.set_env("OPENAI_NAME", "Ollama");
  box.set_env("SAKAIBOT_AI_ANSWER_DEADLINE", "3s");
  const auto start = std::chrono::steady_clock::now();
  const auto r = box.console(script({"/prompt=hi", "/lang fa", "/prompt=سلام"}));
  const auto took = std::chrono::steady_clock::now() - start;
  expect_clean(r);
  EXPECT_LT(took, std::chrono::seconds(20));
  const auto edits = edit_texts(r);
  ASSERT_GE(edits.size(), 4u) << r.out;
  EXPECT_EQ(edits[0], "🤔 Still waiting for Ollama… 1 second");
  EXPECT_EQ(edits[1], "🤔 Still waiting for Ollama… 2 seconds");
  EXPECT_EQ(
      edits[2],
      "⚠️ Ollama did not answer within 3 seconds, so SakaiBot stopped waiting. Try again in "
      "a little while.");
  EXPECT_EQ(edits[3], "🤔 هنوز منتظر \u2068Ollama\u2069… ۱ ثانیه");
  EXPECT_TRUE(contains(edits.back(), "در ۳ ثانیه پاسخی نداد")) << edits.back();
  EXPECT_TRUE(contains(r.err, "answer deadline passed")) << r.err;
}

// The same cut, from Gemini and from an OpenAI-compatible server: what arrived, formatted, and
// one note worded the same way.
TEST(ConsoleAiFailures, ACutStreamKeepsWhatArrivedFormattedWithOneNote) {
  test::LoopbackServer gemini;
  gemini.stream("POST", kGeminiPath,
                {.chunks = {gemini_chunk("Here is **B"), gemini_chunk("old text")},
                 .delay = milliseconds(300),
                 .end = test::StreamEnd::kDrop});
  test::LoopbackServer local;
  local.stream("POST", kCompletions,
               {.chunks = {openai_chunk("Here is **B"), openai_chunk("old text")},
                .delay = milliseconds(300),
                .end = test::StreamEnd::kDrop});
  // A Gemini stream that ends cleanly but without finishReason was cut too.
  test::LoopbackServer quiet;
  quiet.stream("POST", kGeminiPath,
               {.chunks = {gemini_chunk("Here is **B"), gemini_chunk("old text")},
                .delay = milliseconds(300)});

  std::vector<std::string> notes;
  for (int i = 0; i < 3; ++i) {
    Sandbox box;
    if (i == 1) {
      use_local(box, local.url("/v1"));
      box.set_env("OPENAI_NAME", "Ollama");
    } else {
      box.set_env("GEMINI_API_KEY", "test-key");
      box.set_env("GEMINI_BASE_URL", (i == 0 ? gemini : quiet).url(""));
      box.set_env("SAKAIBOT_AI_STREAM_EDIT_INTERVAL", "1s");
    }
    const auto r = box.console(script({"/prompt=hi"}));
    expect_clean(r);
    const auto edits = r.with_action("edit");
    ASSERT_FALSE(edits.empty()) << r.out;
    EXPECT_EQ(edits.back()["text"], "Here is Bold text") << i << r.out;
    const auto slices = entity_slices(edits.back());
    ASSERT_EQ(slices.size(), 1u) << edits.back().dump();
    EXPECT_EQ(slices[0], (std::pair<std::string, std::string>{"bold", "Bold text"}));
    const auto answers = r.replies_to(1);
    ASSERT_EQ(answers.size(), 2u) << r.out;
    notes.push_back(answers[1]["text"]);
  }
  EXPECT_EQ(
      notes[0],
      "⚠️ The answer was cut off before it finished (Gemini stopped sending). What arrived "
      "is above; ask again for the rest.");
  EXPECT_EQ(
      notes[1],
      "⚠️ The answer was cut off before it finished (Ollama stopped sending). What arrived "
      "is above; ask again for the rest.");
  EXPECT_EQ(notes[2], notes[0]);
}

TEST(ConsoleAiFailures, AFriendIsNotToldAboutTheConfiguration) {
  test::LoopbackServer srv;
  srv.reply("POST", kCompletions, 401,
            R"({"error":{"message":"Incorrect API key provided","type":"invalid_request_error",)"
            R"("param":null,"code":"invalid_api_key"}})");
  Sandbox box;
  use_local(box, srv.url("/v1"));
  box.set_env("OPENAI_NAME", "Groq");
  // #1 /auth, #2 its answer, #3 ali's prompt, #4 "waits", #5 the owner's confirm.
  const auto r =
      box.console(script({":chat ali", ":chat me", "/auth add @ali",
                          "@ali: /prompt=capital of France?", ">3 confirm", "/prompt=hi"}));
  expect_clean(r);
  // The "waits" notice (#4) marked confirmed, Ali's answer (#6, the status message of his
  // confirmed prompt), then the owner's (#8), all in Ali's chat.
  const auto edits = r.with_action("edit");
  ASSERT_EQ(edits.size(), 3u) << r.out;
  EXPECT_EQ(edits[0]["message_id"], 4);
  EXPECT_EQ(edits[1]["message_id"], 6);
  EXPECT_EQ(
      edits[1]["text"],
      "⚠️ Groq refused this bot's API key. The bot's owner needs to fix it; try again later.")
      << r.out;
  EXPECT_EQ(edits[2]["message_id"], 8);
  EXPECT_EQ(edits[2]["text"],
            "⚠️ Groq refused the API key. Check openai.api_keys in the configuration.");
}

}  // namespace
}  // namespace sakai::e2e
