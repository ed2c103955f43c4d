#include "ai/llm/gemini_provider.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "unit/ai/llm_harness.h"
#include "unit/ai/wire_fixtures.h"

namespace sakai::ai {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using testing::Harness;
using testing::respond;
using testing::sse;

// Every way the stream is cut: whole, byte by byte, odd sizes, with LF and CRLF line ends.
std::vector<testing::ScriptedResponse> cuts_of(std::string_view body) {
  std::vector<testing::ScriptedResponse> out;
  for (const std::string& framed : {std::string(body), testing::to_crlf(body)}) {
    for (const std::size_t n : {0, 1, 2, 3, 7, 64})
      out.push_back(sse(framed, n));
  }
  return out;
}

TEST(GeminiProvider, StreamsTheDocumentedAnswerWithTheLastUsage) {
  for (auto& scripted : cuts_of(testing::wire::kGeminiStream)) {
    Harness h;
    GeminiProvider gemini(h.http, h.clock, testing::gemini_settings());
    const std::size_t pieces = scripted.chunks.size();
    h.http.push(std::move(scripted));
    const auto c = h.run(gemini, testing::hello_request());
    SCOPED_TRACE("pieces: " + std::to_string(pieces));
    ASSERT_TRUE(c.ok()) << c.error().describe();
    EXPECT_EQ(c.done_calls, 1);
    EXPECT_EQ(c.streamed_text(), "Okay");
    EXPECT_EQ(c.result().text, "Okay");
    EXPECT_EQ(c.result().finish_reason, "stop");
    EXPECT_EQ(c.result().model, "gemini-2.0-flash");
    EXPECT_EQ(c.result().provider, "gemini");
    // usageMetadata is cumulative: the last chunk's counts, not a sum.
    EXPECT_EQ(c.result().usage.input_tokens, 2301);
    EXPECT_EQ(c.result().usage.output_tokens, 1);
    EXPECT_EQ(c.result().usage.total, 2302);
  }
}

TEST(GeminiProvider, SendsTheKeyInAHeaderAndTheDocumentedRequest) {
  Harness h;
  GeminiProvider gemini(h.http, h.clock, testing::gemini_settings({"AIzaSy-secret-key"}));
  h.http.push(sse(std::string(testing::wire::kGeminiStream)));
  ChatRequest request;
  request.system_instruction = "You are a cat. Your name is Neko.";
  request.messages = {{ChatRole::kUser, "Hello"},
                      {ChatRole::kAssistant, "Great to meet you."},
                      {ChatRole::kUser, "What is your name?"}};
  request.temperature = 0.5;
  request.max_output_tokens = 800;
  request.think = true;
  request.web = true;
  ASSERT_TRUE(h.run(gemini, request).ok());

  ASSERT_EQ(h.http.requests().size(), 1u);
  const auto& sent = h.http.requests()[0];
  EXPECT_EQ(sent.request.method, "POST");
  EXPECT_EQ(sent.request.url,
            "https://generativelanguage.googleapis.com/v1beta/models/"
            "gemini-2.5-flash:streamGenerateContent?alt=sse");
  EXPECT_EQ(sent.request.url.find("AIzaSy"), std::string::npos);
  EXPECT_EQ(sent.header("x-goog-api-key"), "AIzaSy-secret-key");
  EXPECT_EQ(sent.header("content-type"), "application/json");

  const json body = json::parse(sent.request.body);
  EXPECT_EQ(body["systemInstruction"]["parts"][0]["text"], "You are a cat. Your name is Neko.");
  ASSERT_EQ(body["contents"].size(), 3u);
  EXPECT_EQ(body["contents"][0]["role"], "user");
  EXPECT_EQ(body["contents"][1]["role"], "model");
  EXPECT_EQ(body["contents"][1]["parts"][0]["text"], "Great to meet you.");
  EXPECT_EQ(body["generationConfig"]["temperature"], 0.5);
  EXPECT_EQ(body["generationConfig"]["maxOutputTokens"], 800);
  EXPECT_EQ(body["generationConfig"]["thinkingConfig"]["includeThoughts"], true);
  EXPECT_EQ(body["tools"], json::parse(R"([{"google_search": {}}])"));
}

TEST(GeminiProvider, NonStreamingUsesGenerateContentAndAnExplicitModel) {
  Harness h;
  GeminiProvider gemini(h.http, h.clock, testing::gemini_settings());
  h.http.push(respond(200, std::string(testing::wire::kGeminiAnswer)));
  ChatRequest request = testing::hello_request();
  request.model = "models/gemini-2.5-pro";
  const auto c = h.run(gemini, request, /*stream=*/false);
  ASSERT_TRUE(c.ok()) << c.error().describe();
  EXPECT_EQ(c.result().text, "This clip is ...");
  EXPECT_EQ(c.result().usage.input_tokens, 754);
  EXPECT_EQ(c.result().usage.output_tokens, 49);
  EXPECT_EQ(c.result().usage.total, 803);
  EXPECT_FALSE(h.http.requests()[0].streamed);
  EXPECT_EQ(h.http.requests()[0].request.url,
            "https://generativelanguage.googleapis.com/v1beta/models/"
            "gemini-2.5-pro:generateContent");
}

TEST(GeminiProvider, CutsInsideUtf8SequencesDoNotBreakText) {
  for (const std::size_t n : {1, 2, 3, 5}) {
    Harness h;
    GeminiProvider gemini(h.http, h.clock, testing::gemini_settings());
    h.http.push(sse(testing::to_crlf(testing::wire::kGeminiStreamPersian), n));
    const auto c = h.run(gemini, testing::hello_request());
    ASSERT_TRUE(c.ok()) << c.error().describe();
    EXPECT_EQ(c.result().text, "سلام، دنیا 🌍");
    EXPECT_EQ(c.streamed_text(), "سلام، دنیا 🌍");
    EXPECT_EQ(c.result().usage.total, 9);
  }
}

TEST(GeminiProvider, ThoughtsAreSeparatedFromTheAnswer) {
  for (auto& scripted : cuts_of(testing::wire::kGeminiThinkingStream)) {
    Harness h;
    GeminiProvider gemini(h.http, h.clock, testing::gemini_settings());
    h.http.push(std::move(scripted));
    ChatRequest request = testing::hello_request();
    request.think = true;
    const auto c = h.run(gemini, request);
    ASSERT_TRUE(c.ok()) << c.error().describe();
    EXPECT_EQ(c.result().text, "Hi there!");
    EXPECT_EQ(c.result().thinking, "**Weighing options** The user greets me.");
    EXPECT_EQ(c.streamed_thinking(), c.result().thinking);
    EXPECT_EQ(c.streamed_text(), "Hi there!");
    EXPECT_EQ(c.result().usage.thinking_tokens, 12);
    EXPECT_EQ(c.result().usage.output_tokens, 3);
  }
}

TEST(GeminiProvider, GroundingChunksBecomeSources) {
  Harness h;
  GeminiProvider gemini(h.http, h.clock, testing::gemini_settings());
  h.http.push(respond(200, std::string(testing::wire::kGeminiGrounded)));
  ChatRequest request = testing::hello_request();
  request.web = true;
  const auto c = h.run(gemini, request, /*stream=*/false);
  ASSERT_TRUE(c.ok()) << c.error().describe();
  ASSERT_EQ(c.result().sources.size(), 2u);
  EXPECT_EQ(c.result().sources[0].title, "tradingview.com");
  EXPECT_EQ(c.result().sources[0].url,
            "https://vertexaisearch.cloud.google.com/grounding-api-redirect/AUBnsY1");
  EXPECT_EQ(c.result().sources[1].title, "google.com");
  EXPECT_TRUE(gemini.caps().web_search);
}

TEST(GeminiProvider, APromptBlockIsASafetyErrorWithItsReason) {
  for (const bool stream : {false, true}) {
    Harness h;
    GeminiProvider gemini(h.http, h.clock, testing::gemini_settings());
    const std::string body =
        stream ? "data: " + json::parse(testing::wire::kGeminiPromptBlocked).dump() + "\r\n\r\n"
               : std::string(testing::wire::kGeminiPromptBlocked);
    h.http.push(stream ? sse(body, 5) : respond(200, body));
    const auto c = h.run(gemini, testing::hello_request(), stream);
    ASSERT_FALSE(c.ok());
    EXPECT_EQ(c.error().kind, LlmErrorKind::kSafetyBlocked);
    EXPECT_EQ(c.error().block_reason, "SAFETY");
    EXPECT_FALSE(c.error().retryable());
    EXPECT_EQ(c.error().http_status, 0);
  }
}

TEST(GeminiProvider, AFinishSafetyWithoutTextIsASafetyError) {
  Harness h;
  GeminiProvider gemini(h.http, h.clock, testing::gemini_settings());
  h.http.push(sse(std::string(testing::wire::kGeminiFinishSafetyStream), 9));
  const auto c = h.run(gemini, testing::hello_request());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().kind, LlmErrorKind::kSafetyBlocked);
  EXPECT_EQ(c.error().block_reason, "SAFETY");
  EXPECT_TRUE(c.deltas.empty());

  h.http.push(respond(200, std::string(testing::wire::kGeminiFinishRecitation)));
  const auto r = h.run(gemini, testing::hello_request(), /*stream=*/false);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, LlmErrorKind::kSafetyBlocked);
  EXPECT_EQ(r.error().block_reason, "RECITATION");
}

TEST(GeminiProvider, ARawErrorAfterHttp200EndsTheStreamWithThatError) {
  for (const std::size_t n : {0, 1, 4, 11}) {
    Harness h;
    GeminiProvider gemini(h.http, h.clock, testing::gemini_settings());
    h.http.push(sse(testing::to_crlf(testing::wire::kGeminiErrorAfter200), n));
    const auto c = h.run(gemini, testing::hello_request());
    EXPECT_EQ(c.streamed_text(), "The first");
    ASSERT_FALSE(c.ok());
    EXPECT_EQ(c.error().kind, LlmErrorKind::kUnavailable);
    EXPECT_EQ(c.error().message, "The model is overloaded. Please try again later.");
    EXPECT_EQ(c.error().provider_code, "UNAVAILABLE");
    EXPECT_TRUE(c.error().after_output);
  }
}

TEST(GeminiProvider, RateLimitCarriesRetryInfo) {
  Harness h;
  GeminiProvider gemini(h.http, h.clock, testing::gemini_settings());
  // Streamed request: the error body arrives through on_chunk, cut into pieces.
  h.http.push(respond(429, std::string(testing::wire::kGemini429),
                      {{"Content-Type", "application/json; charset=UTF-8"}}, 13));
  const auto c = h.run(gemini, testing::hello_request());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().kind, LlmErrorKind::kRateLimited);
  EXPECT_EQ(c.error().http_status, 429);
  EXPECT_EQ(c.error().retry_after, std::chrono::milliseconds(26000));
  EXPECT_TRUE(c.error().retryable());
  EXPECT_EQ(c.error().to_status().code(), ErrorCode::kRateLimited);
  EXPECT_NE(c.error().describe().find("retry after 26 s"), std::string::npos);
}

TEST(GeminiProvider, ADailyQuotaIsNotARateLimit) {
  Harness h;
  GeminiProvider gemini(h.http, h.clock, testing::gemini_settings());
  h.http.push(respond(429, std::string(testing::wire::kGemini429PerDay)));
  const auto c = h.run(gemini, testing::hello_request(), /*stream=*/false);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().kind, LlmErrorKind::kQuotaExhausted);
  EXPECT_FALSE(c.error().retryable());
  EXPECT_EQ(c.error().retry_after, std::chrono::milliseconds(25466));
}

TEST(GeminiProvider, ABadKeyIsAnAuthErrorThatNamesTheSetting) {
  Harness h;
  GeminiProvider gemini(h.http, h.clock, testing::gemini_settings({"AIzaSy-bad-key-000"}));
  h.http.push(respond(400, std::string(testing::wire::kGeminiBadKey)));
  const auto c = h.run(gemini, testing::hello_request());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().kind, LlmErrorKind::kAuth);
  EXPECT_EQ(c.error().provider_code, "API_KEY_INVALID");
  EXPECT_FALSE(c.error().retryable());
  const Status status = c.error().to_status();
  EXPECT_EQ(status.code(), ErrorCode::kPermissionDenied);
  EXPECT_NE(status.message().find("Gemini refused the key: check gemini.api_keys"),
            std::string::npos)
      << status.message();
  EXPECT_EQ(status.message().find("AIzaSy-bad-key-000"), std::string::npos);

  h.http.push(respond(403, std::string(testing::wire::kGeminiNoKey)));
  const auto missing = h.run(gemini, testing::hello_request());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, LlmErrorKind::kAuth);
}

TEST(GeminiProvider, RotatesToTheNextKeyOnARateLimitAndStartsThereNextTime) {
  Harness h;
  GeminiProvider gemini(h.http, h.clock,
                        testing::gemini_settings({"key-one-1111", "key-two-2222"}));
  h.http.push(respond(429, std::string(testing::wire::kGemini429)));
  h.http.push(sse(std::string(testing::wire::kGeminiStream)));
  const auto c = h.run(gemini, testing::hello_request());
  ASSERT_TRUE(c.ok()) << c.error().describe();
  ASSERT_EQ(h.http.requests().size(), 2u);
  EXPECT_EQ(h.http.requests()[0].header("x-goog-api-key"), "key-one-1111");
  EXPECT_EQ(h.http.requests()[1].header("x-goog-api-key"), "key-two-2222");

  h.http.push(sse(std::string(testing::wire::kGeminiStream)));
  ASSERT_TRUE(h.run(gemini, testing::hello_request()).ok());
  EXPECT_EQ(h.http.requests()[2].header("x-goog-api-key"), "key-two-2222");
}

TEST(GeminiProvider, WhenEveryKeyIsLimitedTheErrorIsReported) {
  Harness h;
  GeminiProvider gemini(h.http, h.clock,
                        testing::gemini_settings({"key-one-1111", "key-two-2222"}));
  h.http.push(respond(429, std::string(testing::wire::kGemini429)));
  h.http.push(respond(429, std::string(testing::wire::kGemini429)));
  const auto c = h.run(gemini, testing::hello_request());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().kind, LlmErrorKind::kRateLimited);
  EXPECT_EQ(h.http.requests().size(), 2u);
}

TEST(GeminiProvider, MalformedJsonIsMalformed) {
  Harness h;
  GeminiProvider gemini(h.http, h.clock, testing::gemini_settings());
  h.http.push(sse("data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"Ok\n\n"));
  const auto c = h.run(gemini, testing::hello_request());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().kind, LlmErrorKind::kMalformed);

  h.http.push(respond(200, "<html>gateway</html>"));
  const auto html = h.run(gemini, testing::hello_request(), /*stream=*/false);
  ASSERT_FALSE(html.ok());
  EXPECT_EQ(html.error().kind, LlmErrorKind::kMalformed);

  // Text of the wrong type is not silently dropped.
  h.http.push(respond(200, R"({"candidates": [{"content": {"parts": [{"text": 42}]}}]})"));
  const auto typed = h.run(gemini, testing::hello_request(), /*stream=*/false);
  ASSERT_FALSE(typed.ok());
  EXPECT_EQ(typed.error().kind, LlmErrorKind::kMalformed);

  h.http.push(sse(""));
  const auto empty = h.run(gemini, testing::hello_request());
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().kind, LlmErrorKind::kMalformed);
}

TEST(GeminiProvider, ServerErrorsAndTransportFailures) {
  Harness h;
  GeminiProvider gemini(h.http, h.clock, testing::gemini_settings());
  h.http.push(respond(503, std::string(testing::wire::kGemini503)));
  const auto overloaded = h.run(gemini, testing::hello_request());
  ASSERT_FALSE(overloaded.ok());
  EXPECT_EQ(overloaded.error().kind, LlmErrorKind::kUnavailable);
  EXPECT_TRUE(overloaded.error().retryable());

  testing::ScriptedResponse timeout;
  timeout.chunks = {
      "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"Hal\"}]}}]}\n\n"};
  timeout.transport_error =
      Status(ErrorCode::kDeadlineExceeded, "POST https://x/: no data for 60 s");
  h.http.push(timeout);
  const auto stalled = h.run(gemini, testing::hello_request());
  EXPECT_EQ(stalled.streamed_text(), "Hal");
  ASSERT_FALSE(stalled.ok());
  EXPECT_EQ(stalled.error().kind, LlmErrorKind::kTimeout);
  EXPECT_TRUE(stalled.error().after_output);

  h.http.push(respond(502, "<html><body>Bad gateway</body></html>"));
  const auto gateway = h.run(gemini, testing::hello_request(), /*stream=*/false);
  ASSERT_FALSE(gateway.ok());
  EXPECT_EQ(gateway.error().kind, LlmErrorKind::kUnavailable);
  EXPECT_EQ(gateway.error().message, "<html><body>Bad gateway</body></html>");
}

TEST(GeminiProvider, CancelEndsTheCallOnceWithCancelled) {
  Harness h;
  GeminiProvider gemini(h.http, h.clock, testing::gemini_settings());
  testing::ScriptedResponse endless = sse(std::string(testing::wire::kGeminiStream));
  endless.hang = true;
  h.http.push(endless);
  const auto c = h.run(gemini, testing::hello_request(), true,
                       [](ChatHandle& handle, testing::Collected&) { handle.cancel(); });
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().kind, LlmErrorKind::kCancelled);
  EXPECT_EQ(c.done_calls, 1);
  EXPECT_EQ(c.deltas.size(), 1u);  // nothing after cancel()
  EXPECT_EQ(h.http.cancels(), 1);
}

}  // namespace
}  // namespace sakai::ai
