#include "ai/llm/openai_provider.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "unit/ai/llm_harness.h"
#include "unit/ai/wire_fixtures.h"

namespace sakai::ai {
namespace {

using nlohmann::json;
using testing::Harness;
using testing::respond;
using testing::sse;

std::unique_ptr<OpenAiCompatibleProvider> make(Harness& h, ProviderSettings s) {
  const OpenAiFlavor flavor = openai_flavor_for(s.name, s.base_url);
  return std::make_unique<OpenAiCompatibleProvider>(h.http, h.clock, std::move(s), flavor);
}

ProviderSettings openrouter() {
  return testing::openai_settings("openrouter", "https://openrouter.ai/api/v1",
                                  {"sk-or-v1-test-key"});
}

ProviderSettings llama_cpp() {
  return testing::openai_settings("openai", "http://127.0.0.1:8080/v1", {});
}

TEST(OpenAiProvider, StreamsTheDocumentedAnswerWithDoneAndUsage) {
  const std::string body(testing::wire::kOpenAiStream);
  for (const std::string& framed : {body, testing::to_crlf(body), testing::to_cr(body)}) {
    for (const std::size_t n : {0, 1, 2, 5, 17, 100}) {
      Harness h;
      auto provider = make(h, testing::openai_settings());
      h.http.push(sse(framed, n));
      const auto c = h.run(*provider, testing::hello_request());
      SCOPED_TRACE("chunk size " + std::to_string(n));
      ASSERT_TRUE(c.ok()) << c.error().describe();
      EXPECT_EQ(c.streamed_text(), "Hello");
      EXPECT_EQ(c.result().text, "Hello");
      EXPECT_EQ(c.result().finish_reason, "stop");
      EXPECT_EQ(c.result().model, "gpt-4o-mini");
      EXPECT_EQ(c.result().usage.input_tokens, 9);
      EXPECT_EQ(c.result().usage.output_tokens, 12);
      EXPECT_EQ(c.result().usage.total, 21);
    }
  }
}

TEST(OpenAiProvider, SendsTheDocumentedStreamingRequest) {
  Harness h;
  auto provider = make(h, testing::openai_settings());
  h.http.push(sse(std::string(testing::wire::kOpenAiStream)));
  ChatRequest request;
  request.system_instruction = "You are terse.";
  request.messages = {
      {ChatRole::kUser, "Hello!"}, {ChatRole::kAssistant, "Hi."}, {ChatRole::kUser, "And?"}};
  request.max_output_tokens = 1024;
  request.temperature = 0.7;
  request.think = true;
  ASSERT_TRUE(h.run(*provider, request).ok());

  const auto& sent = h.http.requests().at(0);
  EXPECT_EQ(sent.request.url, "https://api.openai.com/v1/chat/completions");
  EXPECT_EQ(sent.header("authorization"), "Bearer sk-test-key-1");
  EXPECT_EQ(sent.header("accept"), "text/event-stream");
  EXPECT_FALSE(sent.header("x-title"));
  const json body = json::parse(sent.request.body);
  EXPECT_EQ(body["model"], "gpt-4o-mini");
  EXPECT_EQ(body["stream"], true);
  EXPECT_EQ(body["stream_options"]["include_usage"], true);
  EXPECT_EQ(body["max_completion_tokens"], 1024);
  EXPECT_FALSE(body.contains("max_tokens"));
  EXPECT_EQ(body["temperature"], 0.7);
  EXPECT_EQ(body["reasoning_effort"], "medium");
  ASSERT_EQ(body["messages"].size(), 4u);
  EXPECT_EQ(body["messages"][0], json::parse(R"({"role":"system","content":"You are terse."})"));
  EXPECT_EQ(body["messages"][2], json::parse(R"({"role":"assistant","content":"Hi."})"));
}

TEST(OpenAiProvider, NonStreamingAnswer) {
  Harness h;
  auto provider = make(h, testing::openai_settings());
  h.http.push(respond(200, std::string(testing::wire::kOpenAiAnswer)));
  const auto c = h.run(*provider, testing::hello_request(), /*stream=*/false);
  ASSERT_TRUE(c.ok()) << c.error().describe();
  EXPECT_EQ(c.result().text, "Hello! How can I assist you today?");
  EXPECT_EQ(c.result().model, "gpt-5.4");
  EXPECT_EQ(c.result().usage.input_tokens, 19);
  EXPECT_EQ(c.result().usage.output_tokens, 10);
  EXPECT_EQ(c.result().usage.total, 29);
  const json body = json::parse(h.http.requests().at(0).request.body);
  EXPECT_EQ(body["stream"], false);
  EXPECT_FALSE(body.contains("stream_options"));
}

TEST(OpenAiProvider, OpenRouterCommentsAndMidStreamError) {
  for (const std::size_t n : {0, 1, 3, 8}) {
    Harness h;
    auto provider = make(h, openrouter());
    h.http.push(sse(testing::to_crlf(testing::wire::kOpenRouterMidStreamError), n));
    const auto c = h.run(*provider, testing::hello_request());
    EXPECT_EQ(c.streamed_text(), "Hello");
    ASSERT_FALSE(c.ok());
    EXPECT_EQ(c.error().kind, LlmErrorKind::kUnavailable);
    EXPECT_EQ(c.error().provider, "openrouter");
    EXPECT_EQ(c.error().provider_code, "server_error");
    EXPECT_EQ(c.error().message, "Provider disconnected unexpectedly");
    EXPECT_TRUE(c.error().after_output);

    const auto& sent = h.http.requests().at(0);
    EXPECT_EQ(sent.request.url, "https://openrouter.ai/api/v1/chat/completions");
    EXPECT_FALSE(sent.header("http-referer").has_value()) << "no made-up referer is sent";
    EXPECT_EQ(sent.header("x-title"), "SakaiBot");
    EXPECT_EQ(sent.header("authorization"), "Bearer sk-or-v1-test-key");
  }
}

TEST(OpenAiProvider, OpenRouterReasoningIsThinking) {
  Harness h;
  auto provider = make(h, openrouter());
  h.http.push(sse(std::string(testing::wire::kOpenRouterReasoningStream), 6));
  ChatRequest request = testing::hello_request();
  request.think = true;
  request.max_output_tokens = 300;
  const auto c = h.run(*provider, request);
  ASSERT_TRUE(c.ok()) << c.error().describe();
  EXPECT_EQ(c.result().thinking, "The user says hi. Greet back.");
  EXPECT_EQ(c.result().text, "Hi!");
  EXPECT_EQ(c.streamed_thinking(), c.result().thinking);
  EXPECT_EQ(c.streamed_text(), "Hi!");
  for (const auto& d : c.deltas)
    EXPECT_TRUE(d.text.empty() || d.thinking.empty());
  EXPECT_EQ(c.result().usage.thinking_tokens, 7);
  EXPECT_EQ(c.result().usage.output_tokens, 2);
  EXPECT_EQ(c.result().usage.total, 203);
  const json body = json::parse(h.http.requests().at(0).request.body);
  EXPECT_EQ(body["reasoning"], json::parse(R"({"effort":"medium"})"));
  EXPECT_FALSE(body.contains("reasoning_effort"));
  EXPECT_EQ(body["max_tokens"], 300);
}

TEST(OpenAiProvider, LlamaCppReasoningContentAndNoKey) {
  Harness h;
  auto provider = make(h, llama_cpp());
  h.http.push(sse(std::string(testing::wire::kLlamaCppReasoningStream), 4));
  const auto c = h.run(*provider, testing::hello_request());
  ASSERT_TRUE(c.ok()) << c.error().describe();
  EXPECT_EQ(c.result().thinking, "Two plus two.");
  EXPECT_EQ(c.result().text, "4");
  EXPECT_EQ(c.result().usage.total, 18);
  EXPECT_FALSE(h.http.requests().at(0).header("authorization"));
}

TEST(OpenAiProvider, LlamaCppErrorFieldIsAnError) {
  Harness h;
  auto provider = make(h, llama_cpp());
  h.http.push(sse(std::string(testing::wire::kLlamaCppErrorField), 7));
  const auto c = h.run(*provider, testing::hello_request());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().kind, LlmErrorKind::kBadRequest);
  EXPECT_EQ(c.error().provider_code, "exceed_context_size_error");
  EXPECT_EQ(c.error().message, "the request exceeds the available context size, try increasing it");
  EXPECT_FALSE(c.error().after_output);
}

TEST(OpenAiProvider, RateLimitHonoursRetryAfter) {
  Harness h;
  auto provider = make(h, testing::openai_settings());
  h.http.push(respond(429, std::string(testing::wire::kOpenAiRateLimited),
                      {{"Retry-After", "7"}, {"x-ratelimit-remaining-requests", "0"}}, 10));
  const auto c = h.run(*provider, testing::hello_request());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().kind, LlmErrorKind::kRateLimited);
  EXPECT_EQ(c.error().retry_after, std::chrono::milliseconds(7000));
  EXPECT_TRUE(c.error().retryable());

  h.http.push(respond(429, std::string(testing::wire::kOpenAiRateLimited),
                      {{"retry-after-ms", "1500"}, {"Retry-After", "2"}}));
  const auto ms = h.run(*provider, testing::hello_request(), /*stream=*/false);
  ASSERT_FALSE(ms.ok());
  EXPECT_EQ(ms.error().retry_after, std::chrono::milliseconds(1500));
}

TEST(OpenAiProvider, InsufficientQuotaIsNotRetryable) {
  Harness h;
  auto provider = make(h, testing::openai_settings());
  h.http.push(respond(429, std::string(testing::wire::kOpenAiInsufficientQuota)));
  const auto c = h.run(*provider, testing::hello_request());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().kind, LlmErrorKind::kQuotaExhausted);
  EXPECT_EQ(c.error().provider_code, "insufficient_quota");
  EXPECT_FALSE(c.error().retryable());
  EXPECT_EQ(h.http.requests().size(), 1u);
}

TEST(OpenAiProvider, AuthAndOpenRouterAccountErrors) {
  Harness h;
  auto provider = make(h, testing::openai_settings());
  h.http.push(respond(401, std::string(testing::wire::kOpenAiBadKey)));
  const auto bad = h.run(*provider, testing::hello_request());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind, LlmErrorKind::kAuth);
  EXPECT_NE(bad.error().describe().find("OpenAI refused the key: check openai.api_keys"),
            std::string::npos);

  auto router = make(h, openrouter());
  h.http.push(respond(402, std::string(testing::wire::kOpenRouter402)));
  const auto credits = h.run(*router, testing::hello_request());
  ASSERT_FALSE(credits.ok());
  EXPECT_EQ(credits.error().kind, LlmErrorKind::kQuotaExhausted);

  h.http.push(respond(403, std::string(testing::wire::kOpenRouter403Moderation)));
  const auto flagged = h.run(*router, testing::hello_request());
  ASSERT_FALSE(flagged.ok());
  EXPECT_EQ(flagged.error().kind, LlmErrorKind::kSafetyBlocked);
  EXPECT_EQ(flagged.error().block_reason, "moderation: harassment");

  auto ollama = make(h, testing::openai_settings("openai", "http://localhost:11434/v1", {}));
  h.http.push(respond(404, std::string(testing::wire::kOllamaNotFound)));
  const auto missing = h.run(*ollama, testing::hello_request());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, LlmErrorKind::kBadRequest);
  EXPECT_EQ(missing.error().http_status, 404);
}

TEST(OpenAiProvider, AKeyEchoedByTheServerNeverReachesTheError) {
  Harness h;
  auto provider = make(h, testing::openai_settings("openai", "https://api.groq.com/openai/v1",
                                                   {"gsk_live_secret_value"}));
  h.http.push(respond(
      401,
      R"({"error":{"message":"Invalid API Key gsk_live_secret_value","type":"invalid_request_error","code":"invalid_api_key"}})"));
  const auto c = h.run(*provider, testing::hello_request());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().message, "Invalid API Key ***");
  EXPECT_EQ(c.error().describe().find("gsk_live_secret_value"), std::string::npos);
}

TEST(OpenAiProvider, AStreamCutShortIsUnavailable) {
  Harness h;
  auto provider = make(h, testing::openai_settings());
  const std::string body(testing::wire::kOpenAiStream);
  h.http.push(sse(body.substr(0, body.find("data: {", 10)), 3));  // role chunk only
  const auto c = h.run(*provider, testing::hello_request());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().kind, LlmErrorKind::kUnavailable);
}

TEST(OpenAiProvider, MalformedChunksAndContentFilter) {
  Harness h;
  auto provider = make(h, testing::openai_settings());
  h.http.push(sse("data: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\ndata: {oops}\n\n"));
  const auto broken = h.run(*provider, testing::hello_request());
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.error().kind, LlmErrorKind::kMalformed);
  EXPECT_TRUE(broken.error().after_output);

  h.http.push(respond(200, "not json at all"));
  const auto garbage = h.run(*provider, testing::hello_request(), /*stream=*/false);
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.error().kind, LlmErrorKind::kMalformed);

  h.http.push(respond(200, std::string(testing::wire::kOpenAiContentFilter)));
  const auto filtered = h.run(*provider, testing::hello_request(), /*stream=*/false);
  ASSERT_FALSE(filtered.ok());
  EXPECT_EQ(filtered.error().kind, LlmErrorKind::kSafetyBlocked);
  EXPECT_EQ(filtered.error().block_reason, "content_filter");
}

TEST(OpenAiProvider, AServerThatIgnoresStreamTrueStillAnswers) {
  Harness h;
  auto provider = make(h, testing::openai_settings("openai", "http://127.0.0.1:9931/v1", {}));
  h.http.push(respond(200, std::string(testing::wire::kOpenAiAnswer),
                      {{"Content-Type", "application/json"}}, 16));
  const auto c = h.run(*provider, testing::hello_request());
  ASSERT_TRUE(c.ok()) << c.error().describe();
  EXPECT_EQ(c.result().text, "Hello! How can I assist you today?");
  EXPECT_EQ(c.streamed_text(), c.result().text);
  const json body = json::parse(h.http.requests().at(0).request.body);
  EXPECT_FALSE(body.contains("max_completion_tokens"));
}

TEST(OpenAiProvider, OpenRouterWebSearchSendsThePluginAndListsCitations) {
  // OpenRouter's documented shape: the pages used arrive as url_citation annotations (here in
  // the stream's deltas, once twice for the same URL).
  const std::string stream =
      "data: {\"id\":\"gen-1\",\"object\":\"chat.completion.chunk\",\"model\":\"openai/gpt-4o\","
      "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Rain \"},"
      "\"finish_reason\":null}]}\n\n"
      "data: {\"id\":\"gen-1\",\"object\":\"chat.completion.chunk\",\"model\":\"openai/gpt-4o\","
      "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"today.\",\"annotations\":["
      "{\"type\":\"url_citation\",\"url_citation\":{\"url\":\"https://weather.example/tehran\","
      "\"title\":\"Tehran weather\",\"content\":\"Showers\",\"start_index\":0,\"end_index\":5}},"
      "{\"type\":\"url_citation\",\"url_citation\":{\"url\":\"https://weather.example/tehran\","
      "\"title\":\"Tehran weather\"}},"
      "{\"type\":\"url_citation\",\"url_citation\":{\"url\":\"https://news.example/a\","
      "\"title\":\"News\"}}]},\"finish_reason\":\"stop\"}]}\n\n"
      "data: [DONE]\n\n";
  for (const std::size_t n : {0, 7}) {
    Harness h;
    auto provider = make(h, openrouter());
    EXPECT_TRUE(provider->caps().web_search);
    h.http.push(sse(stream, n));
    ChatRequest request = testing::hello_request();
    request.web = true;
    const auto c = h.run(*provider, request);
    ASSERT_TRUE(c.ok()) << c.error().describe();
    EXPECT_EQ(c.result().text, "Rain today.");
    ASSERT_EQ(c.result().sources.size(), 2u);
    EXPECT_EQ(c.result().sources[0].url, "https://weather.example/tehran");
    EXPECT_EQ(c.result().sources[0].title, "Tehran weather");
    EXPECT_EQ(c.result().sources[1].url, "https://news.example/a");
    const json body = json::parse(h.http.requests().at(0).request.body);
    EXPECT_EQ(body["plugins"], json::parse(R"([{"id":"web"}])"));
  }
  // Other OpenAI-compatible servers have no web search: no plugin is sent.
  Harness h;
  auto plain = make(h, testing::openai_settings());
  EXPECT_FALSE(plain->caps().web_search);
  h.http.push(sse(std::string(testing::wire::kOpenAiStream)));
  ChatRequest request = testing::hello_request();
  request.web = true;
  ASSERT_TRUE(h.run(*plain, request).ok());
  EXPECT_FALSE(json::parse(h.http.requests().at(0).request.body).contains("plugins"));
}

TEST(OpenAiProvider, FlavorFromNameAndHost) {
  EXPECT_EQ(openai_flavor_for("openai", "https://api.openai.com/v1"), OpenAiFlavor::kOpenAi);
  EXPECT_EQ(openai_flavor_for("openrouter", "https://openrouter.ai/api/v1"),
            OpenAiFlavor::kOpenRouter);
  EXPECT_EQ(openai_flavor_for("openai", "https://openrouter.ai/api/v1"), OpenAiFlavor::kOpenRouter);
  EXPECT_EQ(openai_flavor_for("openai", "http://127.0.0.1:11434/v1"), OpenAiFlavor::kGeneric);
  EXPECT_EQ(openai_flavor_for("openai", "https://api.groq.com/openai/v1"), OpenAiFlavor::kGeneric);
}

}  // namespace
}  // namespace sakai::ai
