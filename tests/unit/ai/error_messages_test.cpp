#include "ai/llm/error_messages.h"

#include <gtest/gtest.h>

#include <map>

#include "ai/http/wire_errors.h"
#include "ai/provider_catalog.h"
#include "core/config.h"

namespace sakai::ai {
namespace {

using namespace std::chrono_literals;

LlmError error(LlmErrorKind kind, std::string provider = "gemini") {
  LlmError e;
  e.kind = kind;
  e.provider = std::move(provider);
  return e;
}

std::map<std::string, std::string> args_of(const LlmErrorMessage& m) {
  return {m.args.begin(), m.args.end()};
}

TEST(LlmErrorMessages, EachKindHasAnActionableKey) {
  auto auth = llm_error_message(error(LlmErrorKind::kAuth));
  EXPECT_EQ(auth.key, "ai.error.auth");
  EXPECT_EQ(args_of(auth), (std::map<std::string, std::string>{
                               {"provider", "Gemini"}, {"key_setting", "gemini.api_keys"}}));

  auto limited = error(LlmErrorKind::kRateLimited, "openai");
  limited.retry_after = 25465ms;
  const auto rl = llm_error_message(limited);
  EXPECT_EQ(rl.key, "ai.error.rate_limited");
  EXPECT_EQ(args_of(rl).at("seconds"), "26");
  EXPECT_EQ(args_of(rl).at("provider"), "OpenAI");
  EXPECT_EQ(llm_error_message(error(LlmErrorKind::kRateLimited)).key,
            "ai.error.rate_limited_later");

  auto safety = error(LlmErrorKind::kSafetyBlocked);
  safety.block_reason = "PROHIBITED_CONTENT";
  const auto sm = llm_error_message(safety);
  EXPECT_EQ(sm.key, "ai.error.safety");
  EXPECT_EQ(args_of(sm).at("reason"), "prohibited content");
  safety.block_reason = "RECITATION";
  EXPECT_EQ(llm_error_message(safety).key, "ai.error.recitation");

  EXPECT_EQ(llm_error_message(error(LlmErrorKind::kQuotaExhausted, "openrouter")).key,
            "ai.error.quota");
  EXPECT_EQ(llm_error_message(error(LlmErrorKind::kUnavailable)).key, "ai.error.unavailable");
  EXPECT_EQ(llm_error_message(error(LlmErrorKind::kTimeout)).key, "ai.error.timeout");
  EXPECT_EQ(llm_error_message(error(LlmErrorKind::kMalformed)).key, "ai.error.malformed");
  EXPECT_EQ(llm_error_message(error(LlmErrorKind::kCancelled)).key, "ai.error.cancelled");
  EXPECT_EQ(llm_error_message(error(LlmErrorKind::kAuth, "llm")).key, "ai.error.no_provider");

  auto cut = error(LlmErrorKind::kUnavailable);
  cut.after_output = true;
  EXPECT_EQ(llm_error_message(cut).key, "ai.error.interrupted");

  auto missing_model = error(LlmErrorKind::kBadRequest, "openai");
  missing_model.http_status = 404;
  const auto mm = llm_error_message(missing_model);
  EXPECT_EQ(mm.key, "ai.error.model");
  EXPECT_EQ(args_of(mm).at("model_setting"), "openai.model");

  auto bad = error(LlmErrorKind::kBadRequest);
  bad.http_status = 400;
  bad.message = "Invalid JSON payload received.\nUnknown name \"foo\"";
  const auto bm = llm_error_message(bad);
  EXPECT_EQ(bm.key, "ai.error.bad_request");
  EXPECT_EQ(args_of(bm).at("detail"), "Invalid JSON payload received. Unknown name \"foo\"");
}

// What the user reads for each failure, rendered from the real catalogs.
class RenderedErrors : public ::testing::Test {
 protected:
  void SetUp() override {
    auto i18n = I18n::from_embedded();
    ASSERT_TRUE(i18n.is_ok());
    i18n_ = std::move(i18n).value();
  }
  std::string text(const LlmError& e, const LlmErrorContext& c, const std::string& lang = "en") {
    const auto m = llm_error_message(e, c);
    return i18n_.tr(lang, m.key, m.tr_args());
  }
  // As assistant::error_context() builds it, from `config`.
  static LlmErrorContext context(const Config& config, bool owner = true) {
    LlmErrorContext c;
    c.for_owner = owner;
    c.label = [&config](std::string_view p) { return provider_label(config, p); };
    c.host = [&config](std::string_view p) { return provider_host(config, p); };
    c.deadline = 90s;
    return c;
  }
  I18n i18n_;
};

TEST_F(RenderedErrors, RefusedConnectionNamesTheHostAndTheSettingNot500) {
  Config config;
  config.set("openai.base_url", "http://127.0.0.1:11434/v1", "test");
  auto refused = error(LlmErrorKind::kUnavailable, "openai");
  refused.cause = ApiCause::kConnectionRefused;
  EXPECT_EQ(text(refused, context(config)),
            "Cannot reach the AI server at 127.0.0.1:11434. Is it running? Check openai.base_url "
            "and the proxy (http.proxy).");
  const std::string fa = text(refused, context(config), "fa");
  EXPECT_NE(fa.find("\u2068127.0.0.1:11434\u2069"), std::string::npos) << fa;
  EXPECT_NE(fa.find("\u2068openai.base_url\u2069"), std::string::npos) << fa;
  // Named in the configuration: the name, then where.
  config.set("openai.name", "Ollama", "test");
  EXPECT_EQ(text(refused, context(config)),
            "Cannot reach Ollama at 127.0.0.1:11434. Is the server running? Check "
            "openai.base_url and the proxy (http.proxy).");
  // A friend is not told about settings.
  EXPECT_EQ(text(refused, context(config, false)),
            "Ollama cannot be reached right now. Try again later.");

  auto broken = error(LlmErrorKind::kUnavailable, "gemini");
  broken.cause = ApiCause::kServerError;
  broken.http_status = 500;
  EXPECT_EQ(text(broken, context(config)),
            "Gemini is having trouble on its side (HTTP 500). Try again in a little while.");
  broken.http_status = 503;
  EXPECT_EQ(text(broken, context(config)),
            "Gemini is busy or overloaded right now. Try again in a little while.");
  auto dropped = error(LlmErrorKind::kUnavailable, "gemini");
  dropped.cause = ApiCause::kConnectionLost;
  EXPECT_EQ(text(dropped, context(config)),
            "The connection to Gemini broke before it answered. Try again.");
}

TEST_F(RenderedErrors, ALocalServerIsNotCalledOpenAi) {
  Config config;
  EXPECT_EQ(provider_label(config, "openai"), "OpenAI");  // api.openai.com
  EXPECT_EQ(provider_label(config, "gemini"), "Gemini");
  config.set("openai.base_url", "http://192.168.1.20:8080/v1", "test");
  EXPECT_EQ(provider_label(config, "openai"), "192.168.1.20:8080");
  config.set("openai.base_url", "https://api.groq.com/openai/v1", "test");
  EXPECT_EQ(provider_label(config, "openai"), "api.groq.com");
  config.set("openai.name", "Groq", "test");
  EXPECT_EQ(provider_label(config, "openai"), "Groq");
  auto limited = error(LlmErrorKind::kRateLimited, "openai");
  EXPECT_EQ(text(limited, context(config)), "Groq is limiting requests. Try again in a minute.");
}

TEST_F(RenderedErrors, TimeoutsSuggestShorterOnlyForLongRequests) {
  Config config;
  auto slow = error(LlmErrorKind::kTimeout);
  slow.cause = ApiCause::kTimedOut;
  auto c = context(config);
  EXPECT_EQ(text(slow, c), "Gemini did not answer in time. Try again in a little while.");
  c.long_request = true;
  EXPECT_EQ(text(slow, c),
            "Gemini did not answer in time. Your request was long: try a shorter one, or try "
            "again later.");
  auto deadline = slow;
  deadline.provider_code = std::string(kDeadlineCode);
  c.long_request = false;
  EXPECT_EQ(text(deadline, c),
            "Gemini did not answer within 1 minute, 30 seconds, so SakaiBot stopped waiting. Try "
            "again in a little while.");
  const std::string fa = text(deadline, c, "fa");
  EXPECT_NE(fa.find("۱ دقیقه"), std::string::npos) << fa;
  EXPECT_NE(fa.find("۳۰ ثانیه"), std::string::npos) << fa;
}

TEST_F(RenderedErrors, AnythingAfterPartOfTheAnswerIsOneNote) {
  Config config;
  for (auto kind : {LlmErrorKind::kUnavailable, LlmErrorKind::kTimeout, LlmErrorKind::kMalformed}) {
    for (const char* provider : {"gemini", "openrouter"}) {
      auto e = error(kind, provider);
      e.after_output = true;
      EXPECT_EQ(llm_error_message(e, context(config)).key, "ai.error.interrupted");
    }
  }
  auto cut = error(LlmErrorKind::kUnavailable, "openrouter");
  cut.after_output = true;
  EXPECT_EQ(text(cut, context(config)),
            "The answer was cut off before it finished (OpenRouter stopped sending). What arrived "
            "is above; ask again for the rest.");
  auto blocked = error(LlmErrorKind::kSafetyBlocked);
  blocked.after_output = true;
  blocked.block_reason = "SAFETY";
  EXPECT_EQ(llm_error_message(blocked, context(config)).key, "ai.error.safety");
}

TEST_F(RenderedErrors, FriendsGetNoConfigurationHints) {
  Config config;
  for (auto kind : {LlmErrorKind::kAuth, LlmErrorKind::kQuotaExhausted, LlmErrorKind::kMalformed}) {
    const auto e = error(kind);
    for (const std::string lang : {"en", "fa", "ar"}) {
      const std::string owner = text(e, context(config, true), lang);
      const std::string friend_text = text(e, context(config, false), lang);
      EXPECT_NE(owner, friend_text);
      EXPECT_EQ(friend_text.find("api_keys"), std::string::npos) << friend_text;
      EXPECT_EQ(friend_text.find("log"), std::string::npos) << friend_text;
    }
  }
  EXPECT_NE(text(error(LlmErrorKind::kAuth), context(config, true)).find("gemini.api_keys"),
            std::string::npos);
  EXPECT_EQ(text(error(LlmErrorKind::kAuth, "llm"), context(config, false)),
            "AI answers are not available here: the bot's owner has not set up an AI provider "
            "yet.");
  auto missing_model = error(LlmErrorKind::kBadRequest);
  missing_model.http_status = 404;
  EXPECT_EQ(text(missing_model, context(config, false)),
            "Gemini does not know the AI model set up for this chat. Ask the bot's owner to "
            "check it.");
}

TEST(LlmErrorMessages, TrArgsPointAtTheMessage) {
  const auto m = llm_error_message(error(LlmErrorKind::kAuth));
  const auto args = m.tr_args();
  ASSERT_EQ(args.size(), 2u);
  EXPECT_EQ(args[0].name, "provider");
  EXPECT_EQ(args[0].value, "Gemini");
}

TEST(LlmError, RetryableAndStatus) {
  EXPECT_TRUE(error(LlmErrorKind::kRateLimited).retryable());
  EXPECT_TRUE(error(LlmErrorKind::kUnavailable).retryable());
  EXPECT_TRUE(error(LlmErrorKind::kTimeout).retryable());
  for (auto k :
       {LlmErrorKind::kAuth, LlmErrorKind::kBadRequest, LlmErrorKind::kQuotaExhausted,
        LlmErrorKind::kSafetyBlocked, LlmErrorKind::kMalformed, LlmErrorKind::kCancelled}) {
    EXPECT_FALSE(error(k).retryable()) << llm_error_kind_name(k);
  }
  EXPECT_EQ(error(LlmErrorKind::kTimeout).to_status().code(), ErrorCode::kDeadlineExceeded);
  EXPECT_EQ(error(LlmErrorKind::kMalformed).to_status().code(), ErrorCode::kCorrupt);
  EXPECT_EQ(error(LlmErrorKind::kCancelled).to_status().code(), ErrorCode::kCancelled);
}

TEST(WireErrors, ClipKeepsOneValidLine) {
  EXPECT_EQ(clip_provider_text("  a\n\n b\tc  "), "a b c");
  EXPECT_EQ(clip_provider_text("\xff\xfe ok"), "\xEF\xBF\xBD\xEF\xBF\xBD ok");
  const std::string long_text(500, 'x');
  EXPECT_LE(clip_provider_text(long_text, 50).size(), 53u);
}

TEST(WireErrors, HttpStatusFallbacks) {
  EXPECT_EQ(kind_for_http_status(401), LlmErrorKind::kAuth);
  EXPECT_EQ(kind_for_http_status(408), LlmErrorKind::kTimeout);
  EXPECT_EQ(kind_for_http_status(504), LlmErrorKind::kTimeout);
  EXPECT_EQ(kind_for_http_status(502), LlmErrorKind::kUnavailable);
  EXPECT_EQ(kind_for_http_status(422), LlmErrorKind::kBadRequest);
  const auto e = gemini_http_error(504, "upstream timed out");
  EXPECT_EQ(e.kind, LlmErrorKind::kTimeout);
  EXPECT_EQ(e.message, "upstream timed out");
}

}  // namespace
}  // namespace sakai::ai
