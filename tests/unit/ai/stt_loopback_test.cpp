// The cloud speech-to-text engines over real sockets: Gemini generateContent with inline audio
// (AI-APIS.md §1.7) and OpenAI-compatible /audio/transcriptions (multipart/form-data, §2.5),
// against loopback servers. Failures end in a localisable LlmError (ai.error.*).
#include <gtest/gtest.h>

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "ai/speech/stt.h"
#include "core/base64.h"
#include "core/config.h"
#include "support/run_loop.h"
#include "unit/ai/loopback_llm.h"

namespace sakai::ai::speech {
namespace {

using namespace std::chrono_literals;

// A 0.5 s, 8 kHz, 16-bit mono WAV of silence: enough for the engines, which only pass it on.
std::string tiny_wav() {
  const std::uint32_t rate = 8000, frames = 4000, data = frames * 2;
  std::string b = "RIFF";
  auto u32 = [&b](std::uint32_t v) {
    for (int i = 0; i < 4; ++i)
      b += static_cast<char>((v >> (8 * i)) & 0xFF);
  };
  auto u16 = [&b](std::uint16_t v) {
    b += static_cast<char>(v & 0xFF);
    b += static_cast<char>(v >> 8);
  };
  u32(36 + data);
  b += "WAVEfmt ";
  u32(16);
  u16(1);
  u16(1);
  u32(rate);
  u32(rate * 2);
  u16(2);
  u16(16);
  b += "data";
  u32(data);
  b.append(data, '\0');
  return b;
}

AudioClip clip_of(std::string bytes) {
  auto prepared = prepare_clip(std::move(bytes), DecodeLimits{});
  EXPECT_TRUE(std::holds_alternative<AudioClip>(prepared));
  return std::get<AudioClip>(std::move(prepared));
}

class SttLoopbackTest : public testing::LoopbackLlmTest {
 protected:
  SttOutcome run_stt(SttEngine& engine, AudioClip clip, std::string lang) {
    std::optional<SttOutcome> got;
    int calls = 0;
    engine.transcribe(std::move(clip), std::move(lang), [&](SttOutcome o) {
      ++calls;
      got.emplace(std::move(o));
    });
    sakai::testing::run_until_idle_or_timeout(loop_, 5000ms);
    EXPECT_EQ(calls, 1);
    return got.value_or(SttOutcome::failure(SttErrorKind::kUnavailable, "no answer"));
  }

  HttpSttSettings settings(const std::string& base, std::string model) {
    return HttpSttSettings{base, {"stt-loopback-secret"}, std::move(model), 3000ms};
  }
};

TEST_F(SttLoopbackTest, GeminiSendsInlineAudioAndReadsTheText) {
  auto& srv = server();
  srv.reply("POST", R"(/v1beta/models/[^/]+:generateContent)", 200,
            R"({"candidates":[{"content":{"role":"model","parts":[{"text":"  سلام دنیا \n"}]},)"
            R"("finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":20}})");
  auto engine = make_gemini_stt_engine(http_, clock_, settings(srv.url(""), "gemini-2.5-flash"));
  const std::string wav = tiny_wav();
  const SttOutcome out = run_stt(*engine, clip_of(wav), "fa");
  ASSERT_TRUE(out.ok()) << out.error.detail;
  EXPECT_EQ(out.transcript->text, "سلام دنیا");
  EXPECT_EQ(out.transcript->engine, "gemini");

  const auto requests = srv.requests();
  ASSERT_EQ(requests.size(), 1u);
  const auto& req = requests[0];
  EXPECT_EQ(req.path, "/v1beta/models/gemini-2.5-flash:generateContent");
  EXPECT_EQ(testing::header_of(req, "x-goog-api-key"), "stt-loopback-secret");
  const auto body = nlohmann::json::parse(req.body);
  const auto& parts = body["contents"][0]["parts"];
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_NE(parts[0]["text"].get<std::string>().find("'fa'"), std::string::npos);
  EXPECT_EQ(parts[1]["inline_data"]["mime_type"], "audio/wav");
  EXPECT_EQ(base64_decode(parts[1]["inline_data"]["data"].get<std::string>()).value(), wav);
}

TEST_F(SttLoopbackTest, GeminiErrorBodyBecomesALocalisedMessage) {
  auto& srv = server();
  srv.reply("POST", R"(/v1beta/models/[^/]+:generateContent)", 400,
            R"({"error":{"code":400,"message":"API key not valid. Please pass a valid API key.",)"
            R"("status":"INVALID_ARGUMENT","details":[{"@type":"type.googleapis.com/)"
            R"(google.rpc.ErrorInfo","reason":"API_KEY_INVALID","domain":"googleapis.com"}]}})");
  auto engine = make_gemini_stt_engine(http_, clock_, settings(srv.url(""), "gemini-2.5-flash"));
  const SttOutcome out = run_stt(*engine, clip_of(tiny_wav()), "");
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error.kind, SttErrorKind::kProvider);
  ASSERT_TRUE(out.error.provider.has_value());
  expect_clear_message(*out.error.provider, "ai.error.auth", "stt-loopback-secret");
}

TEST_F(SttLoopbackTest, GeminiRateLimitCarriesTheRetryDelay) {
  auto& srv = server();
  srv.reply("POST", R"(/v1beta/models/[^/]+:generateContent)", 429,
            R"({"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).",)"
            R"("status":"RESOURCE_EXHAUSTED","details":[{"@type":)"
            R"("type.googleapis.com/google.rpc.RetryInfo","retryDelay":"26s"}]}})");
  auto engine = make_gemini_stt_engine(http_, clock_, settings(srv.url(""), "gemini-2.5-flash"));
  const SttOutcome out = run_stt(*engine, clip_of(tiny_wav()), "en");
  ASSERT_FALSE(out.ok());
  ASSERT_TRUE(out.error.provider.has_value());
  expect_clear_message(*out.error.provider, "ai.error.rate_limited");
  const auto m = llm_error_message(*out.error.provider);
  EXPECT_NE(i18n_.tr("en", m.key, m.tr_args()).find("26"), std::string::npos);
  // The engine's circuit (for /health) counted the failure.
  const auto health = engine->health();
  ASSERT_TRUE(health.has_value());
  EXPECT_EQ(health->kind, "stt");
  EXPECT_EQ(health->name, "gemini");
  EXPECT_EQ(health->consecutive_failures, 1);
}

TEST_F(SttLoopbackTest, OpenAiSendsMultipartAndReadsJsonText) {
  auto& srv = server();
  // httplib parses the multipart body into its parts; keep them for the checks below.
  struct Seen {
    std::mutex mu;
    std::string type, auth;
    std::map<std::string, httplib::MultipartFormData> parts;
  };
  auto seen = std::make_shared<Seen>();
  srv.on("POST", "/v1/audio/transcriptions",
         [seen](const httplib::Request& req, httplib::Response& res) {
           const std::lock_guard<std::mutex> lock(seen->mu);
           seen->type = req.get_header_value("Content-Type");
           seen->auth = req.get_header_value("Authorization");
           for (const auto& [name, part] : req.files)
             seen->parts[name] = part;
           res.set_content(R"({"text":"Imagine the wildest idea.","usage":{"type":"tokens",)"
                           R"("input_tokens":14,"output_tokens":45,"total_tokens":59}})",
                           "application/json");
         });
  auto engine = make_openai_stt_engine(http_, clock_, settings(srv.url("/v1"), "whisper-1"));
  const std::string wav = tiny_wav();
  const SttOutcome out = run_stt(*engine, clip_of(wav), "en");
  ASSERT_TRUE(out.ok()) << out.error.detail;
  EXPECT_EQ(out.transcript->text, "Imagine the wildest idea.");
  EXPECT_EQ(out.transcript->engine, "openai");

  const std::lock_guard<std::mutex> lock(seen->mu);
  EXPECT_EQ(seen->auth, "Bearer stt-loopback-secret");
  EXPECT_EQ(seen->type.rfind("multipart/form-data; boundary=", 0), 0u) << seen->type;
  ASSERT_EQ(seen->parts.count("model"), 1u);
  EXPECT_EQ(seen->parts["model"].content, "whisper-1");
  EXPECT_EQ(seen->parts["language"].content, "en");
  EXPECT_EQ(seen->parts["response_format"].content, "json");
  ASSERT_EQ(seen->parts.count("file"), 1u);
  EXPECT_EQ(seen->parts["file"].filename, "audio.wav");
  EXPECT_EQ(seen->parts["file"].content_type, "audio/wav");
  EXPECT_EQ(seen->parts["file"].content, wav);
}

TEST_F(SttLoopbackTest, OpenAi429WithRetryAfterIsALocalisedRateLimit) {
  auto& srv = server();
  srv.reply("POST", "/v1/audio/transcriptions", 429,
            R"({"error":{"message":"Rate limit reached for whisper-1 in organization org-x on )"
            R"(requests per min (RPM): Limit 3, Used 3, Requested 1.","type":"requests",)"
            R"("param":null,"code":"rate_limit_exceeded"}})",
            "application/json", {{"Retry-After", "7"}});
  auto engine = make_openai_stt_engine(http_, clock_, settings(srv.url("/v1"), "whisper-1"));
  const SttOutcome out = run_stt(*engine, clip_of(tiny_wav()), "");
  ASSERT_FALSE(out.ok());
  ASSERT_TRUE(out.error.provider.has_value());
  EXPECT_EQ(out.error.provider->kind, LlmErrorKind::kRateLimited);
  expect_clear_message(*out.error.provider, "ai.error.rate_limited", "stt-loopback-secret");
}

TEST_F(SttLoopbackTest, OpenAiAnswerWithoutTextIsMalformed) {
  auto& srv = server();
  srv.reply("POST", "/v1/audio/transcriptions", 200, R"({"transcript":"wrong field"})");
  auto engine = make_openai_stt_engine(http_, clock_, settings(srv.url("/v1"), "whisper-1"));
  const SttOutcome out = run_stt(*engine, clip_of(tiny_wav()), "");
  ASSERT_FALSE(out.ok());
  ASSERT_TRUE(out.error.provider.has_value());
  expect_clear_message(*out.error.provider, "ai.error.malformed");
}

// --- Key rotation (ai/http/keyed_http.h, shared with the LLM providers) -----------------------

// A Gemini server that refuses some keys (429, 401 or 403 by key) and transcribes for the rest;
// it records the key of every request, in order.
struct KeyedGemini {
  std::mutex mu;
  std::vector<std::string> keys_seen;
  std::map<std::string, int> refuse;  // key → HTTP status
};

std::shared_ptr<KeyedGemini> serve_keyed_gemini(test::LoopbackServer& srv,
                                                std::map<std::string, int> refuse) {
  auto state = std::make_shared<KeyedGemini>();
  state->refuse = std::move(refuse);
  srv.on("POST", R"(/v1beta/models/[^/]+:generateContent)",
         [state](const httplib::Request& req, httplib::Response& res) {
           const std::string key = req.get_header_value("x-goog-api-key");
           const std::lock_guard<std::mutex> lock(state->mu);
           state->keys_seen.push_back(key);
           const auto refused = state->refuse.find(key);
           if (refused == state->refuse.end()) {
             res.set_content(R"({"candidates":[{"content":{"role":"model","parts":[{"text":)"
                             R"("heard with )" +
                                 key + R"("}]},"finishReason":"STOP"}]})",
                             "application/json");
             return;
           }
           res.status = refused->second;
           const char* status = refused->second == 429   ? "RESOURCE_EXHAUSTED"
                                : refused->second == 401 ? "UNAUTHENTICATED"
                                                         : "PERMISSION_DENIED";
           res.set_content(std::string(R"({"error":{"code":)") + std::to_string(refused->second) +
                               R"(,"message":"refused","status":")" + status + R"("}})",
                           "application/json");
         });
  return state;
}

TEST_F(SttLoopbackTest, GeminiRotatesAcrossEveryConfiguredKey) {
  auto& srv = server();
  auto seen = serve_keyed_gemini(srv, {{"key-a", 429}, {"key-b", 401}});
  // The engine as the bot builds it: [stt] engine = auto with three Gemini keys.
  Config config;
  config.set("gemini.base_url", srv.url(""), "test");
  config.set("gemini.api_keys", "key-a\nkey-b\nkey-c", "test");
  auto engine = make_stt_engine(config, &http_, loop_, workers_);
  ASSERT_EQ(engine->name(), "gemini");

  const SttOutcome first = run_stt(*engine, clip_of(tiny_wav()), "en");
  ASSERT_TRUE(first.ok()) << first.error.detail;
  EXPECT_EQ(first.transcript->text, "heard with key-c");
  {
    const std::lock_guard<std::mutex> lock(seen->mu);
    EXPECT_EQ(seen->keys_seen, (std::vector<std::string>{"key-a", "key-b", "key-c"}));
  }
  // The next transcription starts from the key that worked.
  const SttOutcome second = run_stt(*engine, clip_of(tiny_wav()), "en");
  ASSERT_TRUE(second.ok()) << second.error.detail;
  const std::lock_guard<std::mutex> lock(seen->mu);
  ASSERT_EQ(seen->keys_seen.size(), 4u);
  EXPECT_EQ(seen->keys_seen[3], "key-c");
}

TEST_F(SttLoopbackTest, GeminiForbiddenKeyMovesOnAndEveryKeyRefusedIsTheLastError) {
  auto& srv = server();
  auto seen = serve_keyed_gemini(srv, {{"key-a", 403}, {"key-b", 429}});
  HttpSttSettings s = settings(srv.url(""), "gemini-2.5-flash");
  s.api_keys = {"key-a", "key-b"};
  auto engine = make_gemini_stt_engine(http_, clock_, s);
  const SttOutcome out = run_stt(*engine, clip_of(tiny_wav()), "");
  ASSERT_FALSE(out.ok());
  ASSERT_TRUE(out.error.provider.has_value());
  EXPECT_EQ(out.error.provider->kind, LlmErrorKind::kRateLimited);  // key-b's answer
  const std::lock_guard<std::mutex> lock(seen->mu);
  EXPECT_EQ(seen->keys_seen, (std::vector<std::string>{"key-a", "key-b"}));  // each once
}

TEST_F(SttLoopbackTest, GeminiOtherErrorsDoNotRotate) {
  auto& srv = server();
  srv.reply("POST", R"(/v1beta/models/[^/]+:generateContent)", 500,
            R"({"error":{"code":500,"message":"internal","status":"INTERNAL"}})");
  HttpSttSettings s = settings(srv.url(""), "gemini-2.5-flash");
  s.api_keys = {"key-a", "key-b"};
  auto engine = make_gemini_stt_engine(http_, clock_, s);
  const SttOutcome out = run_stt(*engine, clip_of(tiny_wav()), "");
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(srv.requests().size(), 1u);
}

}  // namespace
}  // namespace sakai::ai::speech
