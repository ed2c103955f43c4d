// Gemini TTS and OpenAI-compatible /audio/speech over real sockets (AI-APIS.md §1.8, §2.6).
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "ai/speech/tts.h"
#include "core/base64.h"
#include "core/config.h"
#include "core/worker_pool.h"
#include "unit/ai/loopback_llm.h"

namespace sakai::ai::speech {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

const std::string kGeminiTtsPath =
    R"(/v1beta/models/gemini-2\.5-flash-preview-tts:generateContent)";

Pcm tone(int rate, double seconds) {
  Pcm pcm;
  pcm.sample_rate = rate;
  const auto n = static_cast<std::size_t>(rate * seconds);
  for (std::size_t i = 0; i < n; ++i)
    pcm.samples.push_back(static_cast<int16_t>(8000 * std::sin(2 * M_PI * 440.0 * i / rate)));
  return pcm;
}

std::string s16le(const Pcm& pcm) {
  std::string out;
  for (int16_t s : pcm.samples) {
    out.push_back(static_cast<char>(s & 0xff));
    out.push_back(static_cast<char>((s >> 8) & 0xff));
  }
  return out;
}

std::string wav(const Pcm& pcm) {
  const std::string data = s16le(pcm);
  auto u32 = [](std::uint32_t v) {
    std::string b(4, '\0');
    for (int i = 0; i < 4; ++i)
      b[i] = static_cast<char>((v >> (8 * i)) & 0xff);
    return b;
  };
  auto u16 = [](std::uint16_t v) {
    return std::string{static_cast<char>(v & 0xff), static_cast<char>(v >> 8)};
  };
  const auto rate = static_cast<std::uint32_t>(pcm.sample_rate);
  return "RIFF" + u32(36 + static_cast<std::uint32_t>(data.size())) + "WAVE" + "fmt " + u32(16) +
         u16(1) + u16(1) + u32(rate) + u32(rate * 2) + u16(2) + u16(16) + "data" +
         u32(static_cast<std::uint32_t>(data.size())) + data;
}

std::string gemini_body(const std::string& bytes, const std::string& mime) {
  const json j = {
      {"candidates",
       {{{"content",
          {{"parts", {{{"inlineData", {{"mimeType", mime}, {"data", base64_encode(bytes)}}}}}},
           {"role", "model"}}},
         {"finishReason", "STOP"},
         {"index", 0}}}},
      {"usageMetadata",
       {{"promptTokenCount", 8},
        {"candidatesTokenCount", 48},
        {"totalTokenCount", 56},
        {"candidatesTokensDetails", {{{"modality", "AUDIO"}, {"tokenCount", 48}}}}}},
      {"modelVersion", "gemini-2.5-flash-preview-tts"}};
  return j.dump();
}

class TtsHttpTest : public testing::LoopbackLlmTest {
 protected:
  Result<Pcm> speak(TtsEngine& engine, const std::string& text, const std::string& voice = "",
                    double rate = 1.0, CancelToken cancel = nullptr) {
    std::optional<Result<Pcm>> out;
    engine.synthesize(
        text, voice, rate, [&](Result<Pcm> r) { out.emplace(std::move(r)); }, std::move(cancel));
    loop_.run_until_idle();
    EXPECT_TRUE(out.has_value());
    return out ? std::move(*out) : Result<Pcm>(make_error(ErrorCode::kInternal, "no answer"));
  }
  std::unique_ptr<TtsEngine> gemini(const test::LoopbackServer& srv) {
    return make_gemini_tts_engine(
        http_, clock_,
        HttpTtsSettings{
            srv.url(""), {"tts-key"}, "gemini-2.5-flash-preview-tts", "Orus", "", 3000ms});
  }
  std::unique_ptr<TtsEngine> openai(const test::LoopbackServer& srv, std::string format) {
    return make_openai_tts_engine(
        http_, clock_,
        HttpTtsSettings{
            srv.url("/v1"), {"sk-test"}, "gpt-4o-mini-tts", "coral", std::move(format), 3000ms});
  }
};

TEST_F(TtsHttpTest, GeminiPcmBecomesAVoiceNote) {
  auto& srv = server();
  const Pcm sent = tone(24000, 1.0);
  srv.reply("POST", kGeminiTtsPath, 200,
            gemini_body(s16le(sent), "audio/L16;codec=pcm;rate=24000"));
  auto engine = gemini(srv);
  auto pcm = speak(*engine, "Say cheerfully: hello");
  ASSERT_TRUE(pcm.is_ok()) << pcm.status().to_string();
  EXPECT_EQ(pcm.value().sample_rate, 24000);
  EXPECT_EQ(pcm.value().samples, sent.samples);
  auto note = encode_voice_note(pcm.value());
  ASSERT_TRUE(note.is_ok());
  EXPECT_EQ(note.value().duration_seconds, 1);
  EXPECT_EQ(note.value().ogg.substr(0, 4), "OggS");

  ASSERT_EQ(srv.requests().size(), 1u);
  const auto requests = srv.requests();
  const auto& req = requests[0];
  EXPECT_EQ(req.headers.find("x-goog-api-key")->second, "tts-key");
  const json body = json::parse(req.body);
  EXPECT_EQ(body["contents"][0]["parts"][0]["text"], "Say cheerfully: hello");
  EXPECT_EQ(body["generationConfig"]["responseModalities"][0], "AUDIO");
  EXPECT_EQ(
      body["generationConfig"]["speechConfig"]["voiceConfig"]["prebuiltVoiceConfig"]["voiceName"],
      "Orus");
}

// gemini.api_key_tts (SakaiBot 2.0's GEMINI_API_KEY_TTS) is the key the Gemini voice uses, in
// place of the chat keys. (It was once read through a view of a destroyed string.)
TEST_F(TtsHttpTest, TheTtsKeyFromTheConfigIsTheOneSent) {
  auto& srv = server();
  srv.reply("POST", kGeminiTtsPath, 200,
            gemini_body(s16le(tone(24000, 0.5)), "audio/L16;codec=pcm;rate=24000"));
  Config config;
  config.set("gemini.base_url", srv.url(""), "test");
  config.set("gemini.api_keys", "chat-key-not-for-speech", "test");
  config.set("gemini.api_key_tts", "  tts-key-longer-than-a-short-string  ", "test");
  WorkerPool workers(1);
  auto engines = make_tts_engines(config, &http_, loop_, workers);
  TtsEngine* engine = nullptr;
  for (auto& e : engines) {
    if (e->name() == "gemini") engine = e.get();
  }
  ASSERT_NE(engine, nullptr);
  ASSERT_TRUE(speak(*engine, "hello").is_ok());
  ASSERT_EQ(srv.requests().size(), 1u);
  EXPECT_EQ(srv.requests()[0].headers.find("x-goog-api-key")->second,
            "tts-key-longer-than-a-short-string");
}

TEST_F(TtsHttpTest, GeminiRateFromMimeAndWavSniffing) {
  auto& srv = server();
  srv.reply("POST", kGeminiTtsPath, 200,
            gemini_body(s16le(tone(16000, 0.5)), "audio/l16; rate=16000; channels=1"));
  auto engine = gemini(srv);
  auto pcm = speak(*engine, "hi", "Kore");
  ASSERT_TRUE(pcm.is_ok());
  EXPECT_EQ(pcm.value().sample_rate, 16000);
  EXPECT_EQ(pcm.value().samples.size(), 8000u);

  auto& srv2 = server();
  srv2.reply("POST", kGeminiTtsPath, 200, gemini_body(wav(tone(22050, 0.5)), "audio/wav"));
  auto engine2 = gemini(srv2);
  auto pcm2 = speak(*engine2, "hi");
  ASSERT_TRUE(pcm2.is_ok()) << pcm2.status().to_string();
  EXPECT_EQ(pcm2.value().sample_rate, 22050);
}

TEST_F(TtsHttpTest, GeminiErrorsKeepTheirKind) {
  auto& srv = server();
  srv.reply(
      "POST", kGeminiTtsPath, 429,
      R"({"error": {"code": 429, "message": "Resource has been exhausted (e.g. check quota).", "status": "RESOURCE_EXHAUSTED"}})");
  auto engine = gemini(srv);
  auto r = speak(*engine, "hello");
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kRateLimited);

  auto& bad = server();
  bad.reply(
      "POST", kGeminiTtsPath, 400,
      R"({"error": {"code": 400, "message": "API key not valid. Please pass a valid API key.", "status": "INVALID_ARGUMENT"}})");
  auto r2 = speak(*gemini(bad), "hello");
  ASSERT_FALSE(r2.is_ok());
  EXPECT_NE(r2.status().message().find("API key not valid"), std::string::npos);

  auto& empty = server();
  empty.reply(
      "POST", kGeminiTtsPath, 200,
      R"({"candidates": [{"content": {"parts": [], "role": "model"}, "finishReason": "OTHER", "index": 0}]})");
  auto r3 = speak(*gemini(empty), "hello");
  ASSERT_FALSE(r3.is_ok());
  EXPECT_EQ(r3.status().code(), ErrorCode::kCorrupt);
}

TEST_F(TtsHttpTest, KeysRotateOn429And403AndTheNextCallStartsFromTheOneThatWorked) {
  auto& srv = server();
  const Pcm sent = tone(24000, 0.5);
  const std::string ok_body = gemini_body(s16le(sent), "audio/L16;codec=pcm;rate=24000");
  // key-a is rate-limited, key-b refused, key-c works.
  srv.on("POST", kGeminiTtsPath, [ok_body](const httplib::Request& req, httplib::Response& res) {
    const std::string key = req.get_header_value("x-goog-api-key");
    if (key == "key-a") {
      res.status = 429;
      res.set_content(
          R"({"error": {"code": 429, "message": "quota", "status": "RESOURCE_EXHAUSTED"}})",
          "application/json");
    } else if (key == "key-b") {
      res.status = 403;
      res.set_content(
          R"({"error": {"code": 403, "message": "denied", "status": "PERMISSION_DENIED"}})",
          "application/json");
    } else {
      res.set_content(ok_body, "application/json");
    }
  });
  auto engine = make_gemini_tts_engine(http_, clock_,
                                       HttpTtsSettings{srv.url(""),
                                                       {"key-a", "key-b", "key-c"},
                                                       "gemini-2.5-flash-preview-tts",
                                                       "Orus",
                                                       "",
                                                       3000ms});
  auto r = speak(*engine, "hello");
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  ASSERT_EQ(srv.requests().size(), 3u);
  EXPECT_EQ(srv.requests()[0].headers.find("x-goog-api-key")->second, "key-a");
  EXPECT_EQ(srv.requests()[1].headers.find("x-goog-api-key")->second, "key-b");
  EXPECT_EQ(srv.requests()[2].headers.find("x-goog-api-key")->second, "key-c");
  // The next voice note goes to key-c at once.
  ASSERT_TRUE(speak(*engine, "again").is_ok());
  ASSERT_EQ(srv.requests().size(), 4u);
  EXPECT_EQ(srv.requests()[3].headers.find("x-goog-api-key")->second, "key-c");
}

TEST_F(TtsHttpTest, EveryKeyRefusedGivesTheLastErrorAndOtherErrorsDoNotRotate) {
  auto& limited = server();
  limited.reply("POST", kGeminiTtsPath, 429,
                R"({"error": {"code": 429, "message": "quota", "status": "RESOURCE_EXHAUSTED"}})");
  auto engine = make_gemini_tts_engine(
      http_, clock_,
      HttpTtsSettings{
          limited.url(""), {"key-a", "key-b"}, "gemini-2.5-flash-preview-tts", "Orus", "", 3000ms});
  auto r = speak(*engine, "hello");
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kRateLimited);
  EXPECT_EQ(limited.requests().size(), 2u);

  auto& broken = server();
  broken.reply("POST", kGeminiTtsPath, 500,
               R"({"error": {"code": 500, "message": "internal", "status": "INTERNAL"}})");
  auto other = make_gemini_tts_engine(
      http_, clock_,
      HttpTtsSettings{
          broken.url(""), {"key-a", "key-b"}, "gemini-2.5-flash-preview-tts", "Orus", "", 3000ms});
  EXPECT_FALSE(speak(*other, "hello").is_ok());
  EXPECT_EQ(broken.requests().size(), 1u);
}

TEST_F(TtsHttpTest, OpenAiOpusAndWav) {
  auto& srv = server();
  auto ogg = encode_voice_note(tone(48000, 1.0));
  ASSERT_TRUE(ogg.is_ok());
  srv.reply("POST", "/v1/audio/speech", 200, ogg.value().ogg, "audio/ogg");
  auto pcm = speak(*openai(srv, "opus"), "Hello world");
  ASSERT_TRUE(pcm.is_ok()) << pcm.status().to_string();
  EXPECT_EQ(pcm.value().sample_rate, 48000);
  EXPECT_NEAR(pcm.value().seconds(), 1.0, 0.05);
  ASSERT_EQ(srv.requests().size(), 1u);
  EXPECT_EQ(srv.requests()[0].headers.find("Authorization")->second, "Bearer sk-test");
  const json body = json::parse(srv.requests()[0].body);
  EXPECT_EQ(body["model"], "gpt-4o-mini-tts");
  EXPECT_EQ(body["input"], "Hello world");
  EXPECT_EQ(body["voice"], "coral");
  EXPECT_EQ(body["response_format"], "opus");
  EXPECT_DOUBLE_EQ(body["speed"].get<double>(), 1.0);

  auto& srv2 = server();
  srv2.reply("POST", "/v1/audio/speech", 200, wav(tone(24000, 0.5)), "audio/wav");
  auto pcm2 = speak(*openai(srv2, "wav"), "Hello", "nova");
  ASSERT_TRUE(pcm2.is_ok());
  EXPECT_EQ(pcm2.value().sample_rate, 24000);
  EXPECT_EQ(json::parse(srv2.requests()[0].body)["response_format"], "wav");
}

TEST_F(TtsHttpTest, OpenAiErrors) {
  auto& srv = server();
  srv.reply(
      "POST", "/v1/audio/speech", 429,
      R"({"error": {"message": "Rate limit reached for requests", "type": "requests", "param": null, "code": "rate_limit_exceeded"}})");
  auto r = speak(*openai(srv, "opus"), "Hello");
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kRateLimited);

  // The engine's circuit (for /health) counted the failure.
  auto limited = openai(srv, "opus");
  ASSERT_FALSE(speak(*limited, "Hello").is_ok());
  auto health = limited->health();
  ASSERT_TRUE(health.has_value());
  EXPECT_EQ(health->kind, "tts");
  EXPECT_EQ(health->name, "openai");
  EXPECT_EQ(health->consecutive_failures, 1);

  auto& auth = server();
  auth.reply(
      "POST", "/v1/audio/speech", 401,
      R"({"error": {"message": "Incorrect API key provided: sk-test.", "type": "invalid_request_error", "param": null, "code": "invalid_api_key"}})");
  auto r2 = speak(*openai(auth, "opus"), "Hello");
  ASSERT_FALSE(r2.is_ok());
  EXPECT_EQ(r2.status().code(), ErrorCode::kPermissionDenied);

  auto& junk = server();
  junk.reply("POST", "/v1/audio/speech", 200, "ID3 not what we asked for", "audio/mpeg");
  auto r3 = speak(*openai(junk, "opus"), "Hello");
  ASSERT_FALSE(r3.is_ok());
  EXPECT_EQ(r3.status().code(), ErrorCode::kCorrupt);
}

// Gemini TTS has no speed field: rate= becomes a pacing instruction ahead of the text, and the
// text itself is sent unchanged.
TEST_F(TtsHttpTest, GeminiRateIsAPacingInstructionInThePrompt) {
  auto& srv = server();
  srv.reply("POST", kGeminiTtsPath, 200,
            gemini_body(s16le(tone(24000, 0.2)), "audio/L16;codec=pcm;rate=24000"));
  auto engine = gemini(srv);
  for (const double rate : {0.5, 0.8, 1.0, 1.3, 2.0})
    ASSERT_TRUE(speak(*engine, "Good morning, Sara.", "", rate).is_ok());
  const auto requests = srv.requests();
  ASSERT_EQ(requests.size(), 5u);
  std::vector<std::string> prompts;
  for (const auto& r : requests) {
    const json body = json::parse(r.body);
    prompts.push_back(body["contents"][0]["parts"][0]["text"].get<std::string>());
    EXPECT_FALSE(body["generationConfig"].contains("speed"));
  }
  EXPECT_EQ(prompts, (std::vector<std::string>{
                         "Say very slowly: Good morning, Sara.", "Say slowly: Good morning, Sara.",
                         "Good morning, Sara.", "Say quickly: Good morning, Sara.",
                         "Say very quickly: Good morning, Sara."}));
}

TEST_F(TtsHttpTest, OpenAiRateIsTheSpeedField) {
  auto& srv = server();
  srv.reply("POST", "/v1/audio/speech", 200, wav(tone(24000, 0.2)), "audio/wav");
  ASSERT_TRUE(speak(*openai(srv, "wav"), "Hello", "", 1.5).is_ok());
  ASSERT_TRUE(speak(*openai(srv, "wav"), "Hello", "", 0.5).is_ok());
  const auto requests = srv.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_DOUBLE_EQ(json::parse(requests[0].body)["speed"].get<double>(), 1.5);
  EXPECT_DOUBLE_EQ(json::parse(requests[1].body)["speed"].get<double>(), 0.5);
  EXPECT_EQ(json::parse(requests[0].body)["input"], "Hello");
}

// Cancelling aborts the HTTP request at once (the server never answers) and the engine answers
// kCancelled, long before the request's own deadline.
TEST_F(TtsHttpTest, CancelAbortsTheRequest) {
  for (const bool use_gemini : {true, false}) {
    auto& srv = server();
    srv.hang("POST", use_gemini ? kGeminiTtsPath : std::string("/v1/audio/speech"));
    auto engine = use_gemini ? gemini(srv) : openai(srv, "opus");
    auto cancel = std::make_shared<SynthesisCancel>();
    loop_.post_after(std::chrono::milliseconds(100), [cancel] { cancel->cancel(); });
    const auto started = std::chrono::steady_clock::now();
    auto r = speak(*engine, "Hello", "", 1.0, cancel);
    const auto took = std::chrono::steady_clock::now() - started;
    ASSERT_FALSE(r.is_ok());
    EXPECT_EQ(r.status().code(), ErrorCode::kCancelled) << r.status().to_string();
    EXPECT_LT(took, 2500ms);  // the request's own timeout is 3 s
  }
}

TEST(TtsLanguage, ScriptDecidesTheLocalVoice) {
  EXPECT_EQ(detect_tts_language("hello world"), "en");
  EXPECT_EQ(detect_tts_language("سلام دنیا، چطوری؟"), "fa");
  EXPECT_EQ(detect_tts_language("مرحبا كيف حالك يا صديقي"), "ar");
  EXPECT_EQ(rate_from_mime("audio/L16;codec=pcm;rate=24000"), 24000);
  EXPECT_EQ(rate_from_mime("audio/l16; rate=16000; channels=1"), 16000);
  EXPECT_EQ(rate_from_mime("audio/L16"), 24000);
}

}  // namespace
}  // namespace sakai::ai::speech
