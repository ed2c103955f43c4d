// Gemini TTS (generateContent → inlineData base64 PCM) and OpenAI-compatible /audio/speech.
#include <memory>
#include <nlohmann/json.hpp>
#include <utility>

#include "ai/llm/key_rotation.h"
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

// One synthesis request with key rotation (ai/llm/key_rotation.h): the request is built for a
// key; a 429, 401 or 403 tries the next key until every key was tried. Transport errors and other
// non-2xx statuses become Status; `decode` turns a 2xx body into PCM. A raised `cancel` aborts the
// request in flight (net::HttpClient::cancel) and `done` hears kCancelled.
struct TtsCall {
  net::HttpClient* http = nullptr;
  std::shared_ptr<KeyRotation> keys;
  KeyRotation::Cursor cursor;
  std::function<net::HttpRequest(const std::string& key)> build;
  std::string provider;
  std::function<Result<Pcm>(const net::HttpResponse&)> decode;
  TtsDone done;
  CancelToken cancel;
  net::HttpRequestId current = 0;
};

LlmErrorKind key_problem_kind(ErrorCode code) {
  if (code == ErrorCode::kRateLimited) return LlmErrorKind::kRateLimited;
  if (code == ErrorCode::kPermissionDenied) return LlmErrorKind::kAuth;
  return LlmErrorKind::kUnavailable;
}

void attempt(const std::shared_ptr<TtsCall>& call) {
  const std::string key = call->keys->take(call->cursor);
  call->current = call->http->start(call->build(key), nullptr, [call](Result<net::HttpResponse> r) {
    // A request cancelled after its answer arrived is still cancelled for the caller.
    if (call->cancel && call->cancel->cancelled()) {
      call->done(make_error(ErrorCode::kCancelled, call->provider + " TTS: cancelled"));
      return;
    }
    if (!r.is_ok()) {
      const ErrorCode got = r.status().code();
      const ErrorCode code = got == ErrorCode::kDeadlineExceeded || got == ErrorCode::kCancelled
                                 ? got
                                 : ErrorCode::kUnavailable;
      call->done(make_error(code, call->provider + " TTS: " + r.status().message()));
      return;
    }
    const net::HttpResponse& resp = r.value();
    if (resp.status < 200 || resp.status >= 300) {
      Status st = http_status_error(call->provider, resp.status, resp.body);
      if (call->keys->advance(call->cursor, key_problem_kind(st.code()))) {
        attempt(call);
        return;
      }
      call->done(std::move(st));
      return;
    }
    call->done(call->decode(resp));
  });
}

// Builds `request` for a key: the key goes in `header` after `prefix`; a keyless server gets no
// header at all.
std::function<net::HttpRequest(const std::string&)> with_key(net::HttpRequest request,
                                                             std::string header,
                                                             std::string prefix) {
  return [request = std::move(request), header = std::move(header),
          prefix = std::move(prefix)](const std::string& key) {
    net::HttpRequest r = request;
    if (!key.empty()) r.headers.emplace_back(header, prefix + key);
    return r;
  };
}

void send(net::HttpClient& http, std::shared_ptr<KeyRotation> keys,
          std::function<net::HttpRequest(const std::string& key)> build, std::string provider,
          std::function<Result<Pcm>(const net::HttpResponse&)> decode, TtsDone done,
          const CancelToken& cancel) {
  auto call = std::make_shared<TtsCall>();
  call->http = &http;
  call->keys = std::move(keys);
  call->cursor = call->keys->start();
  call->build = std::move(build);
  call->provider = std::move(provider);
  call->decode = std::move(decode);
  call->done = std::move(done);
  call->cancel = cancel;
  attempt(call);
  if (cancel) {
    std::weak_ptr<TtsCall> weak = call;
    cancel->on_cancel([weak] {
      if (auto c = weak.lock()) c->http->cancel(c->current);
    });
  }
}

class GeminiTtsEngine final : public TtsEngine {
 public:
  GeminiTtsEngine(net::HttpClient& http, HttpTtsSettings s)
      : http_(http), s_(std::move(s)), keys_(std::make_shared<KeyRotation>(s_.api_keys)) {}
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
    send(http_, keys_, with_key(std::move(req), "x-goog-api-key", ""), "Gemini", decode,
         std::move(done), cancel);
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
  std::shared_ptr<KeyRotation> keys_;  // shared with the calls in flight
};

class OpenAiTtsEngine final : public TtsEngine {
 public:
  OpenAiTtsEngine(net::HttpClient& http, HttpTtsSettings s)
      : http_(http), s_(std::move(s)), keys_(std::make_shared<KeyRotation>(s_.api_keys)) {}
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
    send(http_, keys_, with_key(std::move(req), "Authorization", "Bearer "), "OpenAI", decode,
         std::move(done), cancel);
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
  std::shared_ptr<KeyRotation> keys_;  // shared with the calls in flight
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
