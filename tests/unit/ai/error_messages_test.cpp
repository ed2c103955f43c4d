#include "ai/llm/error_messages.h"

#include <gtest/gtest.h>

#include <map>

#include "ai/http/wire_errors.h"

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
