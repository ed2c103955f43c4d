// Gemini TTS (generateContent → inlineData base64 PCM) and OpenAI-compatible /audio/speech, both
// through the keyed-HTTP layer (ai/http/keyed_http.h: key rotation, wire errors, cancellation).
#include <memory>
#include <nlohmann/json.hpp>
#include <utility>

#include "ai/http/keyed_http.h"
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

// The keyed layer's error as the Status codes tts.h promises. The message is for the log (the
// user reads a catalog message chosen by the code): the HTTP status, the service's code, request
// id and words (or the start of its body), never a key (the layer removed them).
Status tts_status(std::string_view display, const ApiError& e) {
  ErrorCode code = ErrorCode::kUnavailable;
  switch (e.kind) {
    case ApiErrorKind::kRateLimited:
    case ApiErrorKind::kQuotaExhausted:
      code = ErrorCode::kRateLimited;
      break;
    case ApiErrorKind::kAuth:
      code = ErrorCode::kPermissionDenied;
      break;
    case ApiErrorKind::kBadRequest:
    case ApiErrorKind::kSafetyBlocked:
      code = ErrorCode::kInvalidArgument;
      break;
    case ApiErrorKind::kTimeout:
      code = ErrorCode::kDeadlineExceeded;
      break;
    case ApiErrorKind::kCancelled:
      return make_error(ErrorCode::kCancelled, std::string(display) + " TTS: cancelled");
    case ApiErrorKind::kMalformed:
      code = ErrorCode::kCorrupt;
      break;
    case ApiErrorKind::kUnavailable:
      break;
  }
  std::string message = std::string(display) + " TTS: " + e.describe();
  if (e.message.empty() && !e.body_excerpt.empty()) message += ": " + e.body_excerpt;
  return make_error(code, std::move(message));
}

// One synthesis through `keyed`: `request` for each key (placed by `where`), the 2xx body
// turned into PCM by `decode`. A raised `cancel` aborts the request in flight and `done` hears
// kCancelled.
void send(KeyedHttp& keyed, net::HttpRequest request, KeyHeader where, std::string display,
          std::function<Result<Pcm>(const net::HttpResponse&)> decode, TtsDone done,
          const CancelToken& cancel) {
  const KeyedCall call = keyed.send(std::move(request), std::move(where),
                                    [display = std::move(display), decode = std::move(decode),
                                     done = std::move(done)](ApiOutcome<net::HttpResponse> r) {
                                      if (!r.ok()) {
                                        done(tts_status(display, r.error()));
                                        return;
                                      }
                                      done(decode(r.value()));
                                    });
  if (cancel) cancel->on_cancel([call] { call.cancel(); });
}

class GeminiTtsEngine final : public TtsEngine {
 public:
  GeminiTtsEngine(net::HttpClient& http, const Clock& clock, HttpTtsSettings s)
      : s_(std::move(s)),
        keyed_(http, clock,
               KeyedHttpOptions{.provider = "gemini",
                                .api_keys = s_.api_keys,
                                .map_error = gemini_error_mapper()}) {}
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
    send(keyed_, std::move(req), KeyHeader::goog_api_key(), "Gemini", decode, std::move(done),
         cancel);
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

  [[nodiscard]] std::optional<ServiceHealth> health() const override {
    return keyed_.health("tts");
  }

 private:
  HttpTtsSettings s_;
  KeyedHttp keyed_;  // its calls outlive it safely
};

class OpenAiTtsEngine final : public TtsEngine {
 public:
  OpenAiTtsEngine(net::HttpClient& http, const Clock& clock, HttpTtsSettings s)
      : s_(std::move(s)),
        keyed_(http, clock,
               KeyedHttpOptions{.provider = "openai",
                                .api_keys = s_.api_keys,
                                .map_error = openai_error_mapper("openai")}) {}
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
    const std::string format = s_.format == "wav" ? "wav" : "opus";
    json body = {{"model", s_.model},
                 {"input", text},
                 {"voice", voice.empty() ? default_voice(text) : voice},
                 {"response_format", format},
                 {"speed", rate < 0.25 ? 0.25 : (rate > 4.0 ? 4.0 : rate)}};
    req.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
    send(keyed_, std::move(req), KeyHeader::bearer(), "OpenAI", decode, std::move(done), cancel);
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

  [[nodiscard]] std::optional<ServiceHealth> health() const override {
    return keyed_.health("tts");
  }

 private:
  HttpTtsSettings s_;
  KeyedHttp keyed_;  // its calls outlive it safely
};

}  // namespace

std::string gemini_pacing_instruction(double rate) {
  if (rate <= 0.7) return "Say very slowly: ";
  if (rate <= 0.9) return "Say slowly: ";
  if (rate < 1.1) return "";
  if (rate < 1.5) return "Say quickly: ";
  return "Say very quickly: ";
}

std::unique_ptr<TtsEngine> make_gemini_tts_engine(net::HttpClient& http, const Clock& clock,
                                                  HttpTtsSettings settings) {
  return std::make_unique<GeminiTtsEngine>(http, clock, std::move(settings));
}
std::unique_ptr<TtsEngine> make_openai_tts_engine(net::HttpClient& http, const Clock& clock,
                                                  HttpTtsSettings settings) {
  return std::make_unique<OpenAiTtsEngine>(http, clock, std::move(settings));
}

}  // namespace sakai::ai::speech
