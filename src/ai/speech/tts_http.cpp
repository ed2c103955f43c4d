// Gemini TTS (generateContent → inlineData base64 PCM) and OpenAI-compatible /audio/speech.
#include <nlohmann/json.hpp>
#include <utility>

#include "ai/speech/tts.h"
#include "core/base64.h"
#include "core/text.h"
#include "net/http_client.h"

namespace sakai::ai::speech {
namespace {

using nlohmann::json;

std::string trimmed_base(std::string base) {
  while (!base.empty() && base.back() == '/')
    base.pop_back();
  return base;
}

// The message of a JSON error body ({"error": {"message": ...}} in both APIs), else the body.
std::string error_message(std::string_view body) {
  const json j = json::parse(body, nullptr, false);
  if (j.is_object() && j.contains("error")) {
    const json& e = j["error"];
    if (e.is_object() && e.contains("message") && e["message"].is_string()) {
      return e["message"].get<std::string>();
    }
    if (e.is_string()) return e.get<std::string>();
  }
  return std::string(body.substr(0, 200));
}

Status http_status_error(std::string_view provider, int status, std::string_view body) {
  const std::string message =
      std::string(provider) + " TTS: HTTP " + std::to_string(status) + ": " + error_message(body);
  if (status == 429) return make_error(ErrorCode::kRateLimited, message);
  if (status == 401 || status == 403) return make_error(ErrorCode::kPermissionDenied, message);
  if (status == 400 || status == 404 || status == 413 || status == 422) {
    return make_error(ErrorCode::kInvalidArgument, message);
  }
  return make_error(ErrorCode::kUnavailable, message);
}

// Common request plumbing: transport errors and non-2xx statuses become Status; `decode` turns a
// 2xx body into PCM.
// A raised `cancel` aborts the request (net::HttpClient::cancel) and `done` hears kCancelled.
void send(net::HttpClient& http, net::HttpRequest request, std::string provider,
          std::function<Result<Pcm>(const net::HttpResponse&)> decode, TtsDone done,
          const CancelToken& cancel) {
  net::HttpClient* client = &http;
  const net::HttpRequestId id = http.start(
      std::move(request), nullptr,
      [provider = std::move(provider), decode = std::move(decode), done = std::move(done),
       cancel](Result<net::HttpResponse> r) {
        // A request cancelled after its answer arrived is still cancelled for the caller.
        if (cancel && cancel->cancelled()) {
          done(make_error(ErrorCode::kCancelled, provider + " TTS: cancelled"));
          return;
        }
        if (!r.is_ok()) {
          const ErrorCode got = r.status().code();
          const ErrorCode code = got == ErrorCode::kDeadlineExceeded || got == ErrorCode::kCancelled
                                     ? got
                                     : ErrorCode::kUnavailable;
          done(make_error(code, provider + " TTS: " + r.status().message()));
          return;
        }
        const net::HttpResponse& resp = r.value();
        if (resp.status < 200 || resp.status >= 300) {
          done(http_status_error(provider, resp.status, resp.body));
          return;
        }
        done(decode(resp));
      });
  if (cancel) cancel->on_cancel([client, id] { client->cancel(id); });
}

class GeminiTtsEngine final : public TtsEngine {
 public:
  GeminiTtsEngine(net::HttpClient& http, HttpTtsSettings s) : http_(http), s_(std::move(s)) {}
  [[nodiscard]] std::string name() const override { return "gemini"; }
  [[nodiscard]] std::vector<TtsVoice> voices() const override {
    static const char* const kVoices[] = {
        "Zephyr",    "Puck",          "Charon",       "Kore",      "Fenrir",     "Leda",
        "Orus",      "Aoede",         "Callirrhoe",   "Autonoe",   "Enceladus",  "Iapetus",
        "Umbriel",   "Algieba",       "Despina",      "Erinome",   "Algenib",    "Rasalgethi",
        "Laomedeia", "Achernar",      "Alnilam",      "Schedar",   "Gacrux",     "Pulcherrima",
        "Achird",    "Zubenelgenubi", "Vindemiatrix", "Sadachbia", "Sadaltager", "Sulafat"};
    std::vector<TtsVoice> out;
    for (const char* v : kVoices)
      out.push_back(TtsVoice{v, "", "Gemini"});
    return out;
  }
  [[nodiscard]] std::string default_voice(std::string_view /*text*/) const override {
    return s_.voice.empty() ? "Orus" : s_.voice;
  }
  void synthesize(std::string text, std::string voice, double rate, TtsDone done,
                  CancelToken cancel) override {
    std::string base = trimmed_base(s_.base_url);
    if (!base.ends_with("/v1beta") && !base.ends_with("/v1")) base += "/v1beta";
    std::string model = s_.model;
    if (model.starts_with("models/")) model.erase(0, 7);
    net::HttpRequest req;
    req.url = base + "/models/" + model + ":generateContent";
    req.timeout = s_.timeout;
    req.headers.emplace_back("Content-Type", "application/json");
    if (!s_.api_key.empty()) req.headers.emplace_back("x-goog-api-key", s_.api_key);
    // No speed parameter: the pace is an instruction ahead of the text (AI-APIS.md §1.8).
    const std::string prompt = gemini_pacing_instruction(rate) + text;
    json body = {{"contents", json::array({{{"parts", json::array({{{"text", prompt}}})}}})},
                 {"generationConfig",
                  {{"responseModalities", json::array({"AUDIO"})},
                   {"speechConfig",
                    {{"voiceConfig",
                      {{"prebuiltVoiceConfig",
                        {{"voiceName", voice.empty() ? default_voice(text) : voice}}}}}}}}}};
    req.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
    send(http_, std::move(req), "Gemini", decode, std::move(done), cancel);
  }

  static Result<Pcm> decode(const net::HttpResponse& resp) {
    const json j = json::parse(resp.body, nullptr, false);
    if (!j.is_object()) return make_error(ErrorCode::kCorrupt, "Gemini TTS: malformed JSON");
    if (j.contains("error")) return make_error(ErrorCode::kUnavailable, error_message(resp.body));
    std::string mime, data;
    std::string finish;
    if (j.contains("candidates") && j["candidates"].is_array() && !j["candidates"].empty()) {
      const json& c = j["candidates"][0];
      finish = c.value("finishReason", "");
      if (c.contains("content") && c["content"].contains("parts")) {
        for (const auto& p : c["content"]["parts"]) {
          if (p.contains("inlineData") && p["inlineData"].contains("data")) {
            mime = p["inlineData"].value("mimeType", "");
            data += p["inlineData"].value("data", "");
          }
        }
      }
    }
    if (data.empty()) {
      return make_error(ErrorCode::kCorrupt,
                        "Gemini TTS: no audio in the answer" +
                            (finish.empty() ? std::string() : " (finishReason " + finish + ")"));
    }
    auto bytes = base64_decode(data);
    if (!bytes) return make_error(ErrorCode::kCorrupt, "Gemini TTS: audio is not base64");
    if (bytes->starts_with("RIFF")) return pcm_from_wav(*bytes);
    return pcm_from_s16le(*bytes, rate_from_mime(mime));
  }

 private:
  net::HttpClient& http_;
  HttpTtsSettings s_;
};

class OpenAiTtsEngine final : public TtsEngine {
 public:
  OpenAiTtsEngine(net::HttpClient& http, HttpTtsSettings s) : http_(http), s_(std::move(s)) {}
  [[nodiscard]] std::string name() const override { return "openai"; }
  [[nodiscard]] std::vector<TtsVoice> voices() const override {
    static const char* const kVoices[] = {"alloy", "ash",   "ballad", "coral", "echo",
                                          "fable", "onyx",  "nova",   "sage",  "shimmer",
                                          "verse", "marin", "cedar"};
    std::vector<TtsVoice> out;
    for (const char* v : kVoices)
      out.push_back(TtsVoice{v, "", "OpenAI"});
    return out;
  }
  [[nodiscard]] std::string default_voice(std::string_view /*text*/) const override {
    return s_.voice.empty() ? "coral" : s_.voice;
  }
  void synthesize(std::string text, std::string voice, double rate, TtsDone done,
                  CancelToken cancel) override {
    net::HttpRequest req;
    req.url = trimmed_base(s_.base_url) + "/audio/speech";
    req.timeout = s_.timeout;
    req.headers.emplace_back("Content-Type", "application/json");
    if (!s_.api_key.empty()) req.headers.emplace_back("Authorization", "Bearer " + s_.api_key);
    const std::string format = s_.format == "wav" ? "wav" : "opus";
    json body = {{"model", s_.model},
                 {"input", text},
                 {"voice", voice.empty() ? default_voice(text) : voice},
                 {"response_format", format},
                 {"speed", rate < 0.25 ? 0.25 : (rate > 4.0 ? 4.0 : rate)}};
    req.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
    send(http_, std::move(req), "OpenAI", decode, std::move(done), cancel);
  }

  static Result<Pcm> decode(const net::HttpResponse& resp) {
    const std::string& b = resp.body;
    if (b.starts_with("OggS")) {
      auto pcm = decode_ogg_opus(b);
      if (!pcm.is_ok()) return make_error(ErrorCode::kCorrupt, pcm.status().message());
      return pcm;
    }
    if (b.starts_with("RIFF")) return pcm_from_wav(b);
    return make_error(ErrorCode::kCorrupt, "OpenAI TTS: the answer is neither OGG nor WAV");
  }

 private:
  net::HttpClient& http_;
  HttpTtsSettings s_;
};

}  // namespace

std::string gemini_pacing_instruction(double rate) {
  if (rate <= 0.7) return "Say very slowly: ";
  if (rate <= 0.9) return "Say slowly: ";
  if (rate < 1.1) return "";
  if (rate < 1.5) return "Say quickly: ";
  return "Say very quickly: ";
}

std::unique_ptr<TtsEngine> make_gemini_tts_engine(net::HttpClient& http, HttpTtsSettings settings) {
  return std::make_unique<GeminiTtsEngine>(http, std::move(settings));
}
std::unique_ptr<TtsEngine> make_openai_tts_engine(net::HttpClient& http, HttpTtsSettings settings) {
  return std::make_unique<OpenAiTtsEngine>(http, std::move(settings));
}

}  // namespace sakai::ai::speech
