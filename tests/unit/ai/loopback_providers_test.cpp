// GeminiProvider, OpenAiCompatibleProvider and the ProviderChain over real sockets: CurlHttpClient
// against loopback servers on random ports that answer with the wire formats documented in
// /work/shared/reference/AI-APIS.md (wire_fixtures.h). Each failure ends in a typed LlmError
// whose chat message exists in the English catalog.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "ai/llm/gemini_provider.h"
#include "ai/llm/openai_provider.h"
#include "ai/llm/provider_chain.h"
#include "core/config.h"
#include "unit/ai/loopback_llm.h"
#include "unit/ai/wire_fixtures.h"

namespace sakai::ai {
namespace {

using namespace std::chrono_literals;
using test::StreamEnd;
using test::StreamSpec;
using testing::respond;
using testing::ScriptedResponse;
using testing::sse;

constexpr const char* kGeminiKey = "AIzaSy-loopback-secret-1";
constexpr const char* kOpenAiKey = "sk-loopback-secret-1";
const std::string kGeminiStreamPath = R"(/v1beta/models/[^/]+:streamGenerateContent)";
const std::string kGeminiPath = R"(/v1beta/models/[^/]+:generateContent)";
const std::string kOpenAiPath = "/v1/chat/completions";

// 2.3 framing (role chunk, deltas, finish chunk, usage chunk, [DONE]) with a Persian answer.
const std::string kOpenAiStreamPersian =
    R"(data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}],"usage":null})"
    "\n\n"
    R"(data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"سلام، "},"finish_reason":null}],"usage":null})"
    "\n\n"
    R"(data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"دنیا 🌍"},"finish_reason":null}],"usage":null})"
    "\n\n"
    R"(data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":null})"
    "\n\n"
    R"(data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":4,"total_tokens":13}})"
    "\n\n"
    "data: [DONE]\n\n";

ProviderSettings gemini_at(const std::string& base_url) {
  auto s = testing::gemini_settings({kGeminiKey});
  s.base_url = base_url;
  s.timeout = 3000ms;
  return s;
}

ProviderSettings openai_at(const std::string& base_url, std::string name = "openai") {
  auto s = testing::openai_settings(std::move(name), base_url, {kOpenAiKey});
  s.timeout = 3000ms;
  return s;
}

std::unique_ptr<OpenAiCompatibleProvider> make_openai(net::HttpClient& http, const Clock& clock,
                                                      ProviderSettings s) {
  const auto flavor = openai_flavor_for(s.name, s.base_url);
  return std::make_unique<OpenAiCompatibleProvider>(http, clock, std::move(s), flavor);
}

// One chunk, then `end`.
StreamSpec stream_of(std::string chunk, StreamEnd end) {
  StreamSpec spec;
  spec.chunks = {std::move(chunk)};
  spec.delay = 2ms;
  spec.end = end;
  return spec;
}

bool is_continuation(unsigned char c) {
  return (c & 0xC0) == 0x80;
}

// Cuts `body` inside the first two multi-byte characters of `text` (a Persian letter and the
// 4-byte emoji), inside the "data:" of the second event and between the two LFs ending the
// first: every boundary a stream can fall on.
std::vector<std::string> cut_mid_utf8_and_event(std::string_view body) {
  const std::size_t persian = body.find("سلام");
  const std::size_t emoji = body.find("🌍");
  const bool crlf = body.find("\r\n") != std::string_view::npos;
  const std::size_t first_end = body.find(crlf ? "\r\n\r\n" : "\n\n");
  const std::size_t second = body.find("data:", first_end);
  EXPECT_NE(persian, std::string_view::npos);
  EXPECT_NE(emoji, std::string_view::npos);
  EXPECT_NE(second, std::string_view::npos);
  std::vector<std::size_t> cuts = {first_end + 1, second + 3, persian + 1, emoji + 2};
  std::sort(cuts.begin(), cuts.end());
  EXPECT_TRUE(is_continuation(static_cast<unsigned char>(body[persian + 1])));
  EXPECT_TRUE(is_continuation(static_cast<unsigned char>(body[emoji + 2])));
  auto chunks = testing::split_at(body, cuts);
  EXPECT_EQ(chunks.size(), cuts.size() + 1);
  return chunks;
}

class LoopbackProviders : public testing::LoopbackLlmTest {
 protected:
  // The chain as the bot builds it, from a Config pointing at the loopback servers; short
  // backoffs so retries stay fast.
  std::unique_ptr<ProviderChain> chain_from(const Config& config) {
    ChainOptions options;
    options.seed = 7;
    options.backoff.base_delay = 20ms;
    options.backoff.max_delay = 100ms;
    return make_provider_chain(config, http_, loop_, options);
  }

  static Config config_for(const std::string& gemini_base, const std::string& openai_base) {
    Config c;
    c.set("llm.provider", "gemini", "test");
    c.set("llm.fallback", "openai", "test");
    c.set("gemini.base_url", gemini_base, "test");
    c.set("gemini.api_keys", kGeminiKey, "test");
    c.set("openai.base_url", openai_base, "test");
    c.set("openai.api_keys", kOpenAiKey, "test");
    return c;
  }
};

// --- Streams split mid-UTF-8 and mid-event ----------------------------------------------------

TEST_F(LoopbackProviders, GeminiStreamSplitMidUtf8AndMidEventIsReassembled) {
  for (const std::string& framed : {std::string(testing::wire::kGeminiStreamPersian),
                                    testing::to_crlf(testing::wire::kGeminiStreamPersian)}) {
    auto& srv = server();
    ScriptedResponse r = sse(framed);
    r.chunks = cut_mid_utf8_and_event(framed);
    testing::serve_script(srv, "POST", kGeminiStreamPath, {r}, 10ms);
    GeminiProvider gemini(http_, clock_, gemini_at(srv.url()));
    const auto c = run(gemini, testing::hello_request());
    ASSERT_TRUE(c.ok()) << c.error().describe();
    EXPECT_EQ(c.streamed_text(), "سلام، دنیا 🌍");
    EXPECT_EQ(c.result().text, "سلام، دنیا 🌍");
    EXPECT_EQ(c.result().finish_reason, "stop");
    EXPECT_EQ(c.result().model, "gemini-2.5-flash");
    EXPECT_EQ(c.result().usage.input_tokens, 5);
    EXPECT_EQ(c.result().usage.output_tokens, 4);
    EXPECT_EQ(c.result().usage.total, 9);

    // The key travels in the x-goog-api-key header, never in the URL the server saw.
    ASSERT_EQ(srv.request_count(), 1u);
    const auto sent = srv.requests()[0];
    EXPECT_EQ(sent.method, "POST");
    EXPECT_EQ(sent.path, "/v1beta/models/gemini-2.5-flash:streamGenerateContent");
    EXPECT_EQ(testing::header_of(sent, "x-goog-api-key"), kGeminiKey);
    EXPECT_EQ(sent.path.find(kGeminiKey), std::string::npos);
    EXPECT_EQ(sent.params.count("key"), 0u);
    for (const auto& [name, value] : sent.params)
      EXPECT_EQ(value.find(kGeminiKey), std::string::npos) << name;
    const auto alt = sent.params.find("alt");
    ASSERT_NE(alt, sent.params.end());
    EXPECT_EQ(alt->second, "sse");
    const auto body = nlohmann::json::parse(sent.body);
    EXPECT_EQ(body["contents"][0]["parts"][0]["text"], "Hello");
  }
}

TEST_F(LoopbackProviders, OpenAiStreamSplitMidUtf8AndMidEventIsReassembled) {
  for (const std::string& framed : {kOpenAiStreamPersian, testing::to_crlf(kOpenAiStreamPersian)}) {
    auto& srv = server();
    ScriptedResponse r = sse(framed);
    r.chunks = cut_mid_utf8_and_event(framed);
    testing::serve_script(srv, "POST", kOpenAiPath, {r}, 10ms);
    auto openai = make_openai(http_, clock_, openai_at(srv.url("/v1")));
    const auto c = run(*openai, testing::hello_request());
    ASSERT_TRUE(c.ok()) << c.error().describe();
    EXPECT_EQ(c.streamed_text(), "سلام، دنیا 🌍");
    EXPECT_EQ(c.result().text, "سلام، دنیا 🌍");
    EXPECT_EQ(c.result().finish_reason, "stop");
    EXPECT_EQ(c.result().usage.input_tokens, 9);
    EXPECT_EQ(c.result().usage.output_tokens, 4);
    EXPECT_EQ(c.result().usage.total, 13);

    ASSERT_EQ(srv.request_count(), 1u);
    const auto sent = srv.requests()[0];
    EXPECT_EQ(testing::header_of(sent, "authorization"), std::string("Bearer ") + kOpenAiKey);
    EXPECT_EQ(sent.path.find(kOpenAiKey), std::string::npos);
    EXPECT_TRUE(sent.params.empty());
    const auto body = nlohmann::json::parse(sent.body);
    EXPECT_EQ(body["stream"], true);
    EXPECT_EQ(body["stream_options"]["include_usage"], true);
  }
}

// --- 429 with each provider's retry hint -------------------------------------------------------

TEST_F(LoopbackProviders, Gemini429CarriesRetryInfoDelay) {
  auto& srv = server();
  srv.reply("POST", kGeminiStreamPath, 429, std::string(testing::wire::kGemini429));
  GeminiProvider gemini(http_, clock_, gemini_at(srv.url()));
  const auto c = run(gemini, testing::hello_request());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().kind, LlmErrorKind::kRateLimited);
  EXPECT_EQ(c.error().http_status, 429);
  EXPECT_EQ(c.error().provider_code, "RESOURCE_EXHAUSTED");
  EXPECT_EQ(c.error().retry_after, std::chrono::milliseconds(26000));
  EXPECT_FALSE(c.error().after_output);
  EXPECT_TRUE(c.deltas.empty());
  expect_clear_message(c.error(), "ai.error.rate_limited", kGeminiKey);
  EXPECT_EQ(llm_error_message(c.error()).args[1].second, "26");
}

TEST_F(LoopbackProviders, OpenAi429CarriesRetryAfterHeader) {
  auto& srv = server();
  srv.reply("POST", kOpenAiPath, 429, std::string(testing::wire::kOpenAiRateLimited),
            "application/json", {{"Retry-After", "7"}});
  auto openai = make_openai(http_, clock_, openai_at(srv.url("/v1")));
  const auto c = run(*openai, testing::hello_request());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().kind, LlmErrorKind::kRateLimited);
  EXPECT_EQ(c.error().http_status, 429);
  EXPECT_EQ(c.error().retry_after, std::chrono::milliseconds(7000));
  expect_clear_message(c.error(), "ai.error.rate_limited", kOpenAiKey);
}

// --- Errors inside a 200 stream ----------------------------------------------------------------

TEST_F(LoopbackProviders, GeminiErrorJsonAfter200EndsTheStreamFlagged) {
  auto& srv = server();
  testing::serve_script(srv, "POST", kGeminiStreamPath,
                        {sse(std::string(testing::wire::kGeminiErrorAfter200), 17)}, 2ms);
  GeminiProvider gemini(http_, clock_, gemini_at(srv.url()));
  const auto c = run(gemini, testing::hello_request());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.streamed_text(), "The first");
  EXPECT_EQ(c.error().kind, LlmErrorKind::kUnavailable);
  EXPECT_EQ(c.error().provider_code, "UNAVAILABLE");
  EXPECT_TRUE(c.error().after_output);
  expect_clear_message(c.error(), "ai.error.interrupted", kGeminiKey);
}

TEST_F(LoopbackProviders, OpenRouterMidStreamErrorEndsTheStreamFlagged) {
  auto& srv = server();
  testing::serve_script(srv, "POST", "/api/v1/chat/completions",
                        {sse(std::string(testing::wire::kOpenRouterMidStreamError), 23)}, 2ms);
  auto openrouter = make_openai(http_, clock_, openai_at(srv.url("/api/v1"), "openrouter"));
  ASSERT_EQ(openrouter->flavor(), OpenAiFlavor::kOpenRouter);
  const auto c = run(*openrouter, testing::hello_request());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.streamed_text(), "Hello");
  EXPECT_EQ(c.error().kind, LlmErrorKind::kUnavailable);
  EXPECT_NE(c.error().message.find("Provider disconnected"), std::string::npos)
      << c.error().describe();
  EXPECT_TRUE(c.error().after_output);
  expect_clear_message(c.error(), "ai.error.interrupted", kOpenAiKey);
}

// --- 500 then success, through the chain's retry -----------------------------------------------

TEST_F(LoopbackProviders, Gemini500ThenSuccessAnswersThroughTheChain) {
  auto& srv = server();
  testing::serve_script(srv, "POST", kGeminiStreamPath,
                        {respond(500, std::string(testing::wire::kGemini500)),
                         sse(std::string(testing::wire::kGeminiStream), 9)},
                        1ms);
  Config config = config_for(srv.url(), srv.url("/v1"));
  config.set("llm.fallback", "none", "test");
  auto chain = chain_from(config);
  ASSERT_EQ(chain->name(), "gemini");
  const auto c = run(*chain, testing::hello_request());
  ASSERT_TRUE(c.ok()) << c.error().describe();
  EXPECT_EQ(c.result().text, "Okay");
  EXPECT_EQ(c.result().provider, "gemini");
  EXPECT_EQ(c.result().usage.total, 2302);
  EXPECT_EQ(srv.request_count(), 2u);
}

TEST_F(LoopbackProviders, OpenAi500ThenSuccessAnswersThroughTheChain) {
  auto& srv = server();
  testing::serve_script(
      srv, "POST", kOpenAiPath,
      {respond(500, R"({"error": {"message": "The server had an error", "type": "server_error"}})"),
       sse(std::string(testing::wire::kOpenAiStream), 13)},
      1ms);
  Config config = config_for(srv.url(), srv.url("/v1"));
  config.set("llm.provider", "openai", "test");
  config.set("llm.fallback", "none", "test");
  auto chain = chain_from(config);
  ASSERT_EQ(chain->name(), "openai");
  const auto c = run(*chain, testing::hello_request());
  ASSERT_TRUE(c.ok()) << c.error().describe();
  EXPECT_EQ(c.result().text, "Hello");
  EXPECT_EQ(c.result().provider, "openai");
  EXPECT_EQ(c.result().usage.total, 21);
  EXPECT_EQ(srv.request_count(), 2u);
}

// --- Timeouts ----------------------------------------------------------------------------------

TEST_F(LoopbackProviders, HangingServersTimeOut) {
  auto& srv = server();
  srv.hang("POST", kGeminiStreamPath);
  srv.hang("POST", kOpenAiPath);
  auto gs = gemini_at(srv.url());
  gs.timeout = 300ms;
  GeminiProvider gemini(http_, clock_, gs);
  auto os = openai_at(srv.url("/v1"));
  os.timeout = 300ms;
  auto openai = make_openai(http_, clock_, os);
  for (LlmProvider* p :
       {static_cast<LlmProvider*>(&gemini), static_cast<LlmProvider*>(openai.get())}) {
    const auto c = run(*p, testing::hello_request());
    ASSERT_FALSE(c.ok()) << p->name();
    EXPECT_EQ(c.error().kind, LlmErrorKind::kTimeout) << c.error().describe();
    EXPECT_FALSE(c.error().after_output);
    EXPECT_GE(c.took, 250ms);
    EXPECT_LT(c.took, 2000ms);
    expect_clear_message(c.error(), "ai.error.timeout",
                         p->name() == "gemini" ? kGeminiKey : kOpenAiKey);
  }
}

TEST_F(LoopbackProviders, AStreamThatStallsAfterOutputTimesOutAsInterrupted) {
  auto& srv = server();
  const std::string body(testing::wire::kGeminiStream);
  srv.stream("POST", kGeminiStreamPath,
             stream_of(body.substr(0, body.find("\n\n") + 2), StreamEnd::kHang));
  auto gs = gemini_at(srv.url());
  gs.timeout = 300ms;
  GeminiProvider gemini(http_, clock_, gs);
  const auto c = run(gemini, testing::hello_request());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.streamed_text(), "Okay");
  EXPECT_EQ(c.error().kind, LlmErrorKind::kTimeout) << c.error().describe();
  EXPECT_TRUE(c.error().after_output);
  expect_clear_message(c.error(), "ai.error.interrupted", kGeminiKey);
}

// --- Connection reset mid-stream ---------------------------------------------------------------

TEST_F(LoopbackProviders, ConnectionDroppedMidStreamIsUnavailable) {
  auto& srv = server();
  const std::string gemini_body(testing::wire::kGeminiStream);
  const std::string openai_body(testing::wire::kOpenAiStream);
  srv.stream("POST", kGeminiStreamPath,
             stream_of(gemini_body.substr(0, gemini_body.find("\n\n") + 2), StreamEnd::kDrop));
  // The role chunk and the "Hello" delta, then the connection closes mid-body.
  srv.stream(
      "POST", kOpenAiPath,
      stream_of(openai_body.substr(0, openai_body.find("data: {", openai_body.find("Hello"))),
                StreamEnd::kDrop));
  GeminiProvider gemini(http_, clock_, gemini_at(srv.url()));
  auto openai = make_openai(http_, clock_, openai_at(srv.url("/v1")));

  const auto g = run(gemini, testing::hello_request());
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.streamed_text(), "Okay");
  EXPECT_EQ(g.error().kind, LlmErrorKind::kUnavailable) << g.error().describe();
  EXPECT_TRUE(g.error().after_output);
  expect_clear_message(g.error(), "ai.error.interrupted", kGeminiKey);

  const auto o = run(*openai, testing::hello_request());
  ASSERT_FALSE(o.ok());
  EXPECT_EQ(o.streamed_text(), "Hello");
  EXPECT_EQ(o.error().kind, LlmErrorKind::kUnavailable) << o.error().describe();
  EXPECT_TRUE(o.error().after_output);
  expect_clear_message(o.error(), "ai.error.interrupted", kOpenAiKey);
}

TEST_F(LoopbackProviders, TcpResetMidStreamIsUnavailable) {
  const std::string event =
      R"(data: {"choices":[{"index":0,"delta":{"content":"Hel"},"finish_reason":null}]})"
      "\n\n";
  char size[16];
  std::snprintf(size, sizeof(size), "%zx", event.size());
  test::RawTcpServer raw(
      "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n" +
          std::string(size) + "\r\n" + event + "\r\n",
      /*reset=*/true);
  auto openai = make_openai(http_, clock_, openai_at(raw.url("/v1")));
  const auto c = run(*openai, testing::hello_request());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().kind, LlmErrorKind::kUnavailable) << c.error().describe();
  expect_clear_message(c.error(),
                       c.error().after_output ? "ai.error.interrupted" : "ai.error.unavailable",
                       kOpenAiKey);
}

// --- Safety blocks -----------------------------------------------------------------------------

TEST_F(LoopbackProviders, GeminiSafetyBlocksAreReportedWithTheReason) {
  auto& srv = server();
  srv.reply("POST", kGeminiPath, 200, std::string(testing::wire::kGeminiPromptBlocked));
  testing::serve_script(srv, "POST", kGeminiStreamPath,
                        {sse(std::string(testing::wire::kGeminiFinishSafetyStream), 31)}, 1ms);
  GeminiProvider gemini(http_, clock_, gemini_at(srv.url()));

  const auto prompt = run(gemini, testing::hello_request(), /*stream=*/false);
  ASSERT_FALSE(prompt.ok());
  EXPECT_EQ(prompt.error().kind, LlmErrorKind::kSafetyBlocked);
  EXPECT_EQ(prompt.error().block_reason, "SAFETY");
  expect_clear_message(prompt.error(), "ai.error.safety", kGeminiKey);

  const auto answer = run(gemini, testing::hello_request());
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.error().kind, LlmErrorKind::kSafetyBlocked);
  EXPECT_EQ(answer.error().block_reason, "SAFETY");
  expect_clear_message(answer.error(), "ai.error.safety", kGeminiKey);
}

// --- Malformed JSON ----------------------------------------------------------------------------

TEST_F(LoopbackProviders, MalformedJsonIsMalformed) {
  auto& srv = server();
  testing::serve_script(
      srv, "POST", kGeminiStreamPath,
      {sse("data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"Ok\n\n", 5)}, 1ms);
  srv.reply("POST", kOpenAiPath, 200, "not json at all");
  GeminiProvider gemini(http_, clock_, gemini_at(srv.url()));
  auto openai = make_openai(http_, clock_, openai_at(srv.url("/v1")));

  const auto g = run(gemini, testing::hello_request());
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.error().kind, LlmErrorKind::kMalformed) << g.error().describe();
  expect_clear_message(g.error(), "ai.error.malformed", kGeminiKey);

  const auto o = run(*openai, testing::hello_request(), /*stream=*/false);
  ASSERT_FALSE(o.ok());
  EXPECT_EQ(o.error().kind, LlmErrorKind::kMalformed) << o.error().describe();
  expect_clear_message(o.error(), "ai.error.malformed", kOpenAiKey);
}

// The user sees the one common "cut off" note under what arrived, whatever broke the stream.
TEST_F(LoopbackProviders, MalformedOpenAiChunkAfterOutputIsMalformedAndFlagged) {
  auto& srv = server();
  testing::serve_script(
      srv, "POST", kOpenAiPath,
      {sse("data: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\ndata: {oops}\n\n", 11)},
      1ms);
  auto openai = make_openai(http_, clock_, openai_at(srv.url("/v1")));
  const auto c = run(*openai, testing::hello_request());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.streamed_text(), "Hel");
  EXPECT_EQ(c.error().kind, LlmErrorKind::kMalformed);
  EXPECT_TRUE(c.error().after_output);
  expect_clear_message(c.error(), "ai.error.interrupted", kOpenAiKey);
}

// --- A dead primary with a working fallback ----------------------------------------------------

TEST_F(LoopbackProviders, ClosedGeminiPortFallsBackToOpenAiCompatibleServer) {
  auto& fallback = server();
  testing::serve_script(fallback, "POST", kOpenAiPath,
                        {sse(std::string(testing::wire::kOpenAiStream), 19)}, 1ms);
  const std::string dead = "http://127.0.0.1:" + std::to_string(test::closed_loopback_port());
  auto chain = chain_from(config_for(dead, fallback.url("/v1")));
  ASSERT_EQ(chain->name(), "gemini>openai");
  const auto c = run(*chain, testing::hello_request());
  ASSERT_TRUE(c.ok()) << c.error().describe();
  EXPECT_EQ(c.result().text, "Hello");
  EXPECT_EQ(c.streamed_text(), "Hello");
  EXPECT_EQ(c.result().provider, "openai");
  EXPECT_EQ(fallback.request_count(), 1u);
  EXPECT_EQ(testing::header_of(fallback.requests()[0], "authorization"),
            std::string("Bearer ") + kOpenAiKey);
}

TEST_F(LoopbackProviders, InvalidGeminiKeyFallsBackToOpenAiCompatibleServer) {
  auto& primary = server();
  primary.reply("POST", kGeminiStreamPath, 400, std::string(testing::wire::kGeminiBadKey));
  auto& fallback = server();
  testing::serve_script(fallback, "POST", kOpenAiPath,
                        {sse(std::string(testing::wire::kOpenAiStream), 29)}, 1ms);
  auto chain = chain_from(config_for(primary.url(), fallback.url("/v1")));
  const auto c = run(*chain, testing::hello_request());
  ASSERT_TRUE(c.ok()) << c.error().describe();
  EXPECT_EQ(c.result().text, "Hello");
  EXPECT_EQ(c.result().provider, "openai");
  EXPECT_EQ(primary.request_count(), 1u);  // a refused key is not retried
  EXPECT_EQ(fallback.request_count(), 1u);
  EXPECT_EQ(testing::header_of(primary.requests()[0], "x-goog-api-key"), kGeminiKey);
  EXPECT_EQ(primary.requests()[0].params.count("key"), 0u);
}

TEST_F(LoopbackProviders, WhenEveryProviderIsDeadThePrimarysErrorIsReported) {
  auto& primary = server();
  primary.reply("POST", kGeminiStreamPath, 400, std::string(testing::wire::kGeminiBadKey));
  const std::string dead = "http://127.0.0.1:" + std::to_string(test::closed_loopback_port());
  auto chain = chain_from(config_for(primary.url(), dead + "/v1"));
  const auto c = run(*chain, testing::hello_request());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().kind, LlmErrorKind::kAuth) << c.error().describe();
  EXPECT_EQ(c.error().provider, "gemini");
  expect_clear_message(c.error(), "ai.error.auth", kGeminiKey);
}

// --- Every error kind has a message in the catalog ---------------------------------------------

TEST_F(LoopbackProviders, EveryErrorKindMapsToAnEnglishCatalogKey) {
  for (const LlmErrorKind kind :
       {LlmErrorKind::kAuth, LlmErrorKind::kBadRequest, LlmErrorKind::kRateLimited,
        LlmErrorKind::kQuotaExhausted, LlmErrorKind::kSafetyBlocked, LlmErrorKind::kUnavailable,
        LlmErrorKind::kTimeout, LlmErrorKind::kMalformed, LlmErrorKind::kCancelled}) {
    for (const bool after_output : {false, true}) {
      for (const char* provider : {"gemini", "openrouter", "openai", "llm"}) {
        LlmError e;
        e.kind = kind;
        e.provider = provider;
        e.after_output = after_output;
        const LlmErrorMessage m = llm_error_message(e);
        EXPECT_TRUE(i18n_.has_key("en", m.key)) << m.key;
        e.retry_after = 1500ms;
        e.http_status = 404;
        e.block_reason = "RECITATION";
        EXPECT_TRUE(i18n_.has_key("en", llm_error_message(e).key)) << llm_error_message(e).key;
      }
    }
  }
}

}  // namespace
}  // namespace sakai::ai
