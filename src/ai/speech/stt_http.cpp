// The cloud speech-to-text engines: Gemini (inline audio in generateContent, AI-APIS.md §1.7)
// and OpenAI-compatible /audio/transcriptions (multipart/form-data, AI-APIS.md §2.5). Both rotate
// across their keys like the LLM providers (ai/llm/key_rotation.h).
#include <nlohmann/json.hpp>
#include <random>

#include "ai/llm/json_fields.h"
#include "ai/llm/key_rotation.h"
#include "ai/llm/wire_errors.h"
#include "ai/speech/stt.h"
#include "core/base64.h"
#include "core/text.h"
#include "net/http_client.h"

namespace sakai::ai::speech {
namespace {

using json = nlohmann::json;

std::string trimmed_base(std::string base) {
  while (!base.empty() && base.back() == '/')
    base.pop_back();
  return base;
}

SttOutcome provider_failure(LlmError e) {
  SttOutcome out;
  out.error = SttError{SttErrorKind::kProvider, e.describe(), std::move(e)};
  return out;
}

LlmError malformed(std::string_view provider, std::string detail) {
  LlmError e;
  e.kind = LlmErrorKind::kMalformed;
  e.provider = std::string(provider);
  e.message = std::move(detail);
  return e;
}

std::string instruction(const std::string& language) {
  std::string s =
      "Transcribe this voice message verbatim, in the language it is spoken in. Answer with the "
      "transcript only: no introduction, no notes, no translation. If nothing is said, answer "
      "with nothing.";
  if (!language.empty()) s += " The speaker's language is probably '" + language + "'.";
  return s;
}

// One transcription by a cloud engine: the request without its key, and where it is in the key
// rotation. Holds what a retry needs, so no callback refers back to the engine.
struct Call {
  net::HttpClient* http = nullptr;
  const Clock* clock = nullptr;
  std::shared_ptr<KeyRotation> keys;
  net::HttpRequest request;
  KeyRotation::Cursor key;
  SttDone done;
};

class GeminiSttEngine final : public SttEngine {
 public:
  GeminiSttEngine(net::HttpClient& http, const Clock& clock, HttpSttSettings s)
      : http_(http),
        clock_(clock),
        s_(std::move(s)),
        keys_(std::make_shared<KeyRotation>(s_.api_keys)) {}
  [[nodiscard]] std::string name() const override { return "gemini"; }

  void transcribe(AudioClip clip, std::string language, SttDone done) override {
    std::string base = trimmed_base(s_.base_url);
    if (!base.ends_with("/v1beta") && !base.ends_with("/v1")) base += "/v1beta";
    std::string_view model = s_.model;
    if (model.substr(0, 7) == "models/") model.remove_prefix(7);
    auto call = std::make_shared<Call>();
    call->http = &http_;
    call->clock = &clock_;
    call->keys = keys_;
    call->key = keys_->start();
    call->done = std::move(done);
    net::HttpRequest& req = call->request;
    req.url = base + "/models/" + std::string(model) + ":generateContent";
    req.timeout = s_.timeout;
    req.headers.emplace_back("Content-Type", "application/json");
    json body = {
        {"contents",
         json::array({{{"role", "user"},
                       {"parts", json::array({{{"text", instruction(language)}},
                                              {{"inline_data",
                                                {{"mime_type", audio_mime_type(clip.format)},
                                                 {"data", base64_encode(clip.bytes)}}}}})}}})},
        {"generationConfig", {{"temperature", 0}}}};
    req.body = body.dump();
    attempt(call);
  }

 private:
  // One attempt with the cursor's key; a limited or refused key moves on to the next one.
  static void attempt(const std::shared_ptr<Call>& call) {
    net::HttpRequest req = call->request;
    const std::string& key = call->keys->take(call->key);
    if (!key.empty()) req.headers.emplace_back("x-goog-api-key", key);
    call->http->start(std::move(req), nullptr, [call](Result<net::HttpResponse> r) {
      if (!r.is_ok()) {
        call->done(provider_failure(transport_error("gemini", r.status())));
        return;
      }
      if (r->status != 200) {
        LlmError e = gemini_http_error(r->status, r->body);
        if (call->keys->advance(call->key, e.kind)) {
          attempt(call);
          return;
        }
        call->done(provider_failure(std::move(e)));
        return;
      }
      call->done(parse(r->body));
    });
  }

  static SttOutcome parse(const std::string& body) {
    const json j = json::parse(body, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      return provider_failure(malformed("gemini", "the answer is not JSON"));
    }
    if (const json* err = member(j, "error")) return provider_failure(gemini_error(200, *err));
    const json* cands = member(j, "candidates");
    if (cands == nullptr || !cands->is_array() || cands->empty()) {
      // A blocked prompt has promptFeedback and no candidates.
      LlmError e = malformed("gemini", "no candidates");
      if (const json* fb = member(j, "promptFeedback")) {
        e.kind = LlmErrorKind::kSafetyBlocked;
        e.block_reason = string_field(*fb, "blockReason");
      }
      return provider_failure(std::move(e));
    }
    std::string out;
    if (const json* content = member((*cands)[0], "content")) {
      if (const json* parts = member(*content, "parts"); parts && parts->is_array()) {
        for (const auto& p : *parts) {
          if (p.is_object() && p.value("thought", false)) continue;
          out += string_field(p, "text");
        }
      }
    }
    return SttOutcome::success(Transcript{std::string(text::trim(out)), "gemini"});
  }

  net::HttpClient& http_;
  const Clock& clock_;
  HttpSttSettings s_;
  std::shared_ptr<KeyRotation> keys_;  // shared with the calls in flight
};

class OpenAiSttEngine final : public SttEngine {
 public:
  OpenAiSttEngine(net::HttpClient& http, const Clock& clock, HttpSttSettings s)
      : http_(http),
        clock_(clock),
        s_(std::move(s)),
        keys_(std::make_shared<KeyRotation>(s_.api_keys)) {}
  [[nodiscard]] std::string name() const override { return "openai"; }

  void transcribe(AudioClip clip, std::string language, SttDone done) override {
    const std::string boundary = make_boundary();
    std::string body;
    auto field = [&](std::string_view name, std::string_view value) {
      body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + std::string(name) +
              "\"\r\n\r\n" + std::string(value) + "\r\n";
    };
    field("model", s_.model);
    if (!language.empty()) field("language", language);
    field("response_format", "json");
    body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" +
            std::string(audio_file_name(clip.format)) +
            "\"\r\nContent-Type: " + std::string(audio_mime_type(clip.format)) + "\r\n\r\n";
    body += clip.bytes;
    body += "\r\n--" + boundary + "--\r\n";

    auto call = std::make_shared<Call>();
    call->http = &http_;
    call->clock = &clock_;
    call->keys = keys_;
    call->key = keys_->start();
    call->done = std::move(done);
    net::HttpRequest& req = call->request;
    req.url = trimmed_base(s_.base_url) + "/audio/transcriptions";
    req.timeout = s_.timeout;
    req.headers.emplace_back("Content-Type", "multipart/form-data; boundary=" + boundary);
    req.body = std::move(body);
    attempt(call);
  }

 private:
  static void attempt(const std::shared_ptr<Call>& call) {
    net::HttpRequest req = call->request;
    const std::string& key = call->keys->take(call->key);
    if (!key.empty()) req.headers.emplace_back("Authorization", "Bearer " + key);
    call->http->start(std::move(req), nullptr, [call](Result<net::HttpResponse> r) {
      if (!r.is_ok()) {
        call->done(provider_failure(transport_error("openai", r.status())));
        return;
      }
      if (r->status != 200) {
        LlmError e =
            openai_http_error("openai", r->status, r->headers, r->body, call->clock->wall_now());
        if (call->keys->advance(call->key, e.kind)) {
          attempt(call);
          return;
        }
        call->done(provider_failure(std::move(e)));
        return;
      }
      const json j = json::parse(r->body, nullptr, false);
      if (j.is_discarded() || !j.is_object() || !j.contains("text")) {
        call->done(provider_failure(malformed("openai", "no \"text\" in the answer")));
        return;
      }
      call->done(SttOutcome::success(
          Transcript{std::string(text::trim(string_field(j, "text"))), "openai"}));
    });
  }

  static std::string make_boundary() {
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    static constexpr char kHex[] = "0123456789abcdef";
    std::string b = "----sakaibot";
    for (int i = 0; i < 24; ++i)
      b += kHex[rng() % 16];
    return b;
  }

  net::HttpClient& http_;
  const Clock& clock_;
  HttpSttSettings s_;
  std::shared_ptr<KeyRotation> keys_;  // shared with the calls in flight
};

}  // namespace

std::unique_ptr<SttEngine> make_gemini_stt_engine(net::HttpClient& http, const Clock& clock,
                                                  HttpSttSettings settings) {
  return std::make_unique<GeminiSttEngine>(http, clock, std::move(settings));
}

std::unique_ptr<SttEngine> make_openai_stt_engine(net::HttpClient& http, const Clock& clock,
                                                  HttpSttSettings settings) {
  return std::make_unique<OpenAiSttEngine>(http, clock, std::move(settings));
}

}  // namespace sakai::ai::speech
