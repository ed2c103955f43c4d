#include "ai/llm/provider_chain.h"

#include <gtest/gtest.h>

#include <sstream>

#include "unit/ai/llm_harness.h"
#include "unit/ai/wire_fixtures.h"

namespace sakai::ai {
namespace {

using namespace std::chrono_literals;
using testing::Harness;
using testing::respond;
using testing::sse;

ChainOptions fixed_seed() {
  ChainOptions o;
  o.seed = 42;
  return o;
}

std::unique_ptr<ProviderChain> chain_of(Harness& h, std::vector<ProviderSettings> settings,
                                        ChainOptions options = fixed_seed()) {
  std::vector<std::unique_ptr<LlmProvider>> providers;
  for (auto& s : settings) {
    if (s.name == "gemini") {
      providers.push_back(std::make_unique<GeminiProvider>(h.http, h.clock, std::move(s)));
    } else {
      const auto flavor = openai_flavor_for(s.name, s.base_url);
      providers.push_back(
          std::make_unique<OpenAiCompatibleProvider>(h.http, h.clock, std::move(s), flavor));
    }
  }
  return std::make_unique<ProviderChain>(std::move(providers), h.loop, options);
}

ProviderSettings local_openai() {
  return testing::openai_settings("openai", "http://127.0.0.1:11434/v1", {});
}

TEST(ProviderChain, A500IsRetriedAfterABackoffAndThenAnswers) {
  Harness h;
  auto chain = chain_of(h, {testing::gemini_settings()});
  h.http.push(respond(500, std::string(testing::wire::kGemini500)));
  h.http.push(sse(std::string(testing::wire::kGeminiStream), 5));
  const auto c = h.run(*chain, testing::hello_request());
  ASSERT_TRUE(c.ok()) << c.error().describe();
  EXPECT_EQ(c.result().text, "Okay");
  EXPECT_EQ(c.result().provider, "gemini");
  EXPECT_EQ(h.http.requests().size(), 2u);
  EXPECT_EQ(c.done_calls, 1);
}

// "The details are in the log": every failed attempt is there at warn, with what the service
// said, and never the key.
TEST(ProviderChain, EveryFailedAttemptIsLoggedWithStatusCauseRequestIdAndBody) {
  Harness h;
  std::ostringstream sink;
  Logger log(LogLevel::kWarn, LogFormat::kHuman, sink, h.clock);
  ChainOptions options = fixed_seed();
  options.log = &log;
  auto chain = chain_of(h, {testing::gemini_settings({"AIzaSyLEAKCHECK-key-0123456789"})}, options);
  h.http.push(respond(500, std::string(testing::wire::kGemini500), {{"x-request-id", "req-7f3a"}}));
  h.http.push(sse(std::string(testing::wire::kGeminiStream), 5));
  ChatRequest request = testing::hello_request();
  request.model = "gemini-2.5-pro";
  const auto c = h.run(*chain, request);
  ASSERT_TRUE(c.ok());
  const std::string out = sink.str();
  EXPECT_NE(out.find("warn"), std::string::npos) << out;
  EXPECT_NE(out.find("provider=gemini"), std::string::npos) << out;
  EXPECT_NE(out.find("model=gemini-2.5-pro"), std::string::npos) << out;
  EXPECT_NE(out.find("attempt=1"), std::string::npos) << out;
  EXPECT_NE(out.find("status=500"), std::string::npos) << out;
  EXPECT_NE(out.find("cause=server error"), std::string::npos) << out;
  EXPECT_NE(out.find("code=INTERNAL"), std::string::npos) << out;
  EXPECT_NE(out.find("request_id=req-7f3a"), std::string::npos) << out;
  EXPECT_NE(out.find("An internal error has occurred"), std::string::npos) << out;
  EXPECT_EQ(out.find("AIzaSyLEAKCHECK"), std::string::npos) << out;
  EXPECT_EQ(out.find("attempt=2"), std::string::npos) << "the second attempt answered: " << out;
}

// A refused connection and then an HTTP 500 on the same provider: the user hears about the 500.
TEST(ProviderChain, ThePrimarysLastErrorIsReported) {
  Harness h;
  auto chain = chain_of(h, {testing::gemini_settings()});
  testing::ScriptedResponse refused;
  refused.chunks = {};
  refused.transport_error =
      Status(ErrorCode::kUnavailable, "POST https://x/: could not connect to x (refused)");
  h.http.push(refused);
  h.http.push(respond(500, std::string(testing::wire::kGemini500)));
  h.http.push(respond(500, std::string(testing::wire::kGemini500)));
  const auto c = h.run(*chain, testing::hello_request());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().http_status, 500);
  EXPECT_EQ(c.error().cause, ApiCause::kServerError);
}

TEST(ProviderChain, ABadGeminiKeyFallsBackToAWorkingOpenAiCompatibleServer) {
  Harness h;
  auto chain = chain_of(h, {testing::gemini_settings({"AIzaSy-dead-key"}), local_openai()});
  EXPECT_EQ(chain->name(), "gemini>openai");
  EXPECT_EQ(chain->primary_name(), "gemini");
  h.http.push(respond(400, std::string(testing::wire::kGeminiBadKey)));
  h.http.push(sse(std::string(testing::wire::kOpenAiStream), 11));
  ChatRequest request = testing::hello_request();
  request.model = "gemini-2.5-pro";  // the primary's model: not sent to the fallback
  const auto c = h.run(*chain, request);
  ASSERT_TRUE(c.ok()) << c.error().describe();
  EXPECT_EQ(c.result().provider, "openai");
  EXPECT_EQ(c.result().text, "Hello");
  ASSERT_EQ(h.http.requests().size(), 2u);
  EXPECT_NE(h.http.requests()[0].request.url.find("gemini-2.5-pro"), std::string::npos);
  EXPECT_NE(h.http.requests()[1].request.body.find("\"model\":\"gpt-4o-mini\""), std::string::npos);
  EXPECT_LT(c.took, 1s);  // no backoff before a fallback
}

TEST(ProviderChain, InsufficientQuotaIsNotRetried) {
  Harness h;
  auto chain = chain_of(h, {testing::openai_settings()});
  h.http.push(respond(429, std::string(testing::wire::kOpenAiInsufficientQuota)));
  const auto c = h.run(*chain, testing::hello_request());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().kind, LlmErrorKind::kQuotaExhausted);
  EXPECT_EQ(h.http.requests().size(), 1u);
}

TEST(ProviderChain, ARetryHintIsHonoured) {
  Harness h;
  auto chain = chain_of(h, {testing::openai_settings()});
  h.http.push(respond(429, std::string(testing::wire::kOpenAiRateLimited), {{"Retry-After", "3"}}));
  h.http.push(sse(std::string(testing::wire::kOpenAiStream)));
  const auto c = h.run(*chain, testing::hello_request());
  ASSERT_TRUE(c.ok()) << c.error().describe();
  EXPECT_GE(c.took, 3s);
  EXPECT_LT(c.took, 4s);
}

TEST(ProviderChain, AHintLongerThanTheCapIsNotWaitedFor) {
  Harness h;
  auto chain = chain_of(h, {testing::gemini_settings()});
  h.http.push(respond(429, std::string(testing::wire::kGemini429)));  // retryDelay 26s > 20s
  const auto c = h.run(*chain, testing::hello_request());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().kind, LlmErrorKind::kRateLimited);
  EXPECT_EQ(c.error().retry_after, 26s);
  EXPECT_EQ(h.http.requests().size(), 1u);
  EXPECT_LT(c.took, 1s);

  // With a fallback, the fallback answers at once.
  Harness h2;
  auto both = chain_of(h2, {testing::gemini_settings(), testing::openai_settings()});
  h2.http.push(respond(429, std::string(testing::wire::kGemini429)));
  h2.http.push(sse(std::string(testing::wire::kOpenAiStream)));
  const auto c2 = h2.run(*both, testing::hello_request());
  ASSERT_TRUE(c2.ok()) << c2.error().describe();
  EXPECT_EQ(c2.result().provider, "openai");
  EXPECT_LT(c2.took, 1s);
}

TEST(ProviderChain, RetriesRunOutThenTheFallbackAnswers) {
  Harness h;
  auto chain = chain_of(h, {testing::gemini_settings(), testing::openai_settings()});
  for (int i = 0; i < 3; ++i)
    h.http.push(respond(503, std::string(testing::wire::kGemini503)));
  h.http.push(sse(std::string(testing::wire::kOpenAiStream)));
  const auto c = h.run(*chain, testing::hello_request());
  ASSERT_TRUE(c.ok()) << c.error().describe();
  EXPECT_EQ(c.result().provider, "openai");
  EXPECT_EQ(h.http.requests().size(), 4u);  // max_attempts 3 on gemini, then openai
}

TEST(ProviderChain, NothingIsRetriedAfterPartOfTheAnswerWasStreamed) {
  Harness h;
  auto chain = chain_of(h, {testing::gemini_settings(), testing::openai_settings()});
  h.http.push(sse(std::string(testing::wire::kGeminiErrorAfter200), 7));
  h.http.push(sse(std::string(testing::wire::kOpenAiStream)));
  const auto c = h.run(*chain, testing::hello_request());
  EXPECT_EQ(c.streamed_text(), "The first");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().kind, LlmErrorKind::kUnavailable);
  EXPECT_TRUE(c.error().after_output);
  EXPECT_EQ(h.http.requests().size(), 1u);
  EXPECT_EQ(h.http.unused_responses(), 1u);
}

TEST(ProviderChain, ASafetyBlockIsNotSentElsewhere) {
  Harness h;
  auto chain = chain_of(h, {testing::gemini_settings(), testing::openai_settings()});
  h.http.push(respond(200, std::string(testing::wire::kGeminiPromptBlocked)));
  const auto c = h.run(*chain, testing::hello_request(), /*stream=*/false);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().kind, LlmErrorKind::kSafetyBlocked);
  EXPECT_EQ(h.http.requests().size(), 1u);
}

TEST(ProviderChain, WhenEveryProviderFailsThePrimarysErrorIsReported) {
  Harness h;
  auto chain = chain_of(h, {testing::gemini_settings(), testing::openai_settings()});
  h.http.push(respond(400, std::string(testing::wire::kGeminiBadKey)));
  h.http.push(respond(429, std::string(testing::wire::kOpenAiInsufficientQuota)));
  const auto c = h.run(*chain, testing::hello_request());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().kind, LlmErrorKind::kAuth);
  EXPECT_EQ(c.error().provider, "gemini");
}

TEST(ProviderChain, CancelDuringABackoffEndsTheCall) {
  Harness h;
  auto chain = chain_of(h, {testing::openai_settings()});
  h.http.push(
      respond(429, std::string(testing::wire::kOpenAiRateLimited), {{"Retry-After", "10"}}));
  std::optional<ChatOutcome> outcome;
  int calls = 0;
  const ChatHandle handle = chain->chat(testing::hello_request(), nullptr, [&](ChatOutcome o) {
    ++calls;
    outcome.emplace(std::move(o));
  });
  h.loop.run_ready();  // the 429 arrives; a 10 s timer is pending
  ASSERT_FALSE(outcome);
  handle.cancel();
  EXPECT_FALSE(outcome);  // never from inside cancel()
  h.loop.run_ready();
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->error().kind, LlmErrorKind::kCancelled);
  h.clock.advance(20s);
  h.loop.run_ready();
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(h.http.requests().size(), 1u);
}

TEST(ProviderChain, ABreakerSkipsAProviderThatKeepsFailing) {
  Harness h;
  ChainOptions options = fixed_seed();
  options.backoff.max_attempts = 1;
  options.breaker.failure_threshold = 2;
  auto chain = chain_of(h, {testing::gemini_settings(), testing::openai_settings()}, options);
  for (int i = 0; i < 2; ++i) {
    h.http.push(respond(503, std::string(testing::wire::kGemini503)));
    h.http.push(sse(std::string(testing::wire::kOpenAiStream)));
    ASSERT_TRUE(h.run(*chain, testing::hello_request()).ok());
  }
  EXPECT_EQ(chain->breaker_state(0), net::CircuitBreaker::State::kOpen);
  h.http.push(sse(std::string(testing::wire::kOpenAiStream)));
  const auto c = h.run(*chain, testing::hello_request());
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(h.http.requests().size(), 5u);  // the third call went straight to openai
  EXPECT_NE(h.http.requests()[4].request.url.find("api.openai.com"), std::string::npos);
}

// A local server that is down: once the breaker pauses it, the next call still says the server
// cannot be reached (not "busy"), with no request sent and the pause as the retry hint.
TEST(ProviderChain, APausedProviderReportsTheFailureItWasPausedFor) {
  Harness h;
  ChainOptions options = fixed_seed();
  options.backoff.max_attempts = 1;
  options.breaker.failure_threshold = 2;
  options.breaker.cool_down = 30s;
  auto chain = chain_of(h, {local_openai()}, options);
  testing::ScriptedResponse refused;
  refused.transport_error = Status(ErrorCode::kUnavailable,
                                   "POST http://127.0.0.1:11434/v1/chat/completions: could not "
                                   "connect to 127.0.0.1 (refused)");
  for (int i = 0; i < 2; ++i) {
    h.http.push(refused);
    const auto c = h.run(*chain, testing::hello_request());
    ASSERT_FALSE(c.ok());
    EXPECT_EQ(c.error().cause, ApiCause::kConnectionRefused);
  }
  ASSERT_EQ(chain->breaker_state(0), net::CircuitBreaker::State::kOpen);
  const auto paused = h.run(*chain, testing::hello_request());
  ASSERT_FALSE(paused.ok());
  EXPECT_EQ(h.http.requests().size(), 2u);  // the paused server was not asked
  EXPECT_EQ(paused.error().kind, LlmErrorKind::kUnavailable);
  EXPECT_EQ(paused.error().cause, ApiCause::kConnectionRefused);
  EXPECT_EQ(paused.error().provider, "openai");
  EXPECT_FALSE(paused.error().after_output);
  ASSERT_TRUE(paused.error().retry_after.has_value());
  EXPECT_GT(*paused.error().retry_after, 0ms);
  EXPECT_LE(*paused.error().retry_after, 30s);
}

TEST(ProviderChain, AnEmptyChainSaysNothingIsConfigured) {
  Harness h;
  ProviderChain chain({}, h.loop);
  EXPECT_EQ(chain.name(), "none");
  EXPECT_EQ(chain.primary_name(), "none");
  const auto c = h.run(chain, testing::hello_request());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().kind, LlmErrorKind::kAuth);
  EXPECT_EQ(c.error().provider, "llm");
}

TEST(ProviderChain, BuiltFromConfig) {
  Config config;
  config.set("llm.provider", "gemini", "test");
  config.set("llm.fallback", "openrouter\nopenai", "test");
  config.set("openai.base_url", "http://127.0.0.1:11434/v1", "test");
  // gemini and openrouter have no keys; the keyless local server is usable.
  EXPECT_EQ(chain_provider_names(config), std::vector<std::string>{"openai"});

  config.set("gemini.api_keys", "g-key-1\ng-key-2", "test");
  EXPECT_EQ(chain_provider_names(config), (std::vector<std::string>{"gemini", "openai"}));

  config.set("llm.fallback", "none\nopenai", "test");
  EXPECT_EQ(chain_provider_names(config), std::vector<std::string>{"gemini"});

  config.set("llm.fallback", "openai", "test");
  config.set("openai.base_url", "https://api.openai.com/v1", "test");
  EXPECT_EQ(chain_provider_names(config), std::vector<std::string>{"gemini"});

  Harness h;
  config.set("gemini.base_url", "http://127.0.0.1:9/", "test");
  config.set("http.timeout", "30s", "test");
  auto chain = make_provider_chain(config, h.http, h.loop, fixed_seed());
  EXPECT_EQ(chain->name(), "gemini");
  EXPECT_EQ(chain->default_model(), "gemini-2.5-flash");
  h.http.push(respond(429, std::string(testing::wire::kGemini429PerDay)));
  h.http.push(sse(std::string(testing::wire::kGeminiStream)));
  const auto c = h.run(*chain, testing::hello_request());
  ASSERT_TRUE(c.ok()) << c.error().describe();
  ASSERT_EQ(h.http.requests().size(), 2u);
  EXPECT_EQ(h.http.requests()[0].header("x-goog-api-key"), "g-key-1");
  EXPECT_EQ(h.http.requests()[1].header("x-goog-api-key"), "g-key-2");  // rotated, not retried
  EXPECT_EQ(h.http.requests()[0].request.url,
            "http://127.0.0.1:9/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
  EXPECT_EQ(h.http.requests()[0].request.timeout, 30s);

  EXPECT_EQ(make_provider(config, "anthropic", h.http, h.clock), nullptr);
}

}  // namespace
}  // namespace sakai::ai
