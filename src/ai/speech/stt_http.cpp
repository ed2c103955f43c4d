// The cloud speech-to-text engines: Gemini (inline audio in generateContent, AI-APIS.md §1.7)
// and OpenAI-compatible /audio/transcriptions (multipart/form-data, AI-APIS.md §2.5).
#include <nlohmann/json.hpp>
#include <random>

#include "ai/llm/json_fields.h"
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

class GeminiSttEngine final : public SttEngine {
 public:
  GeminiSttEngine(net::HttpClient& http, const Clock& clock, HttpSttSettings s)
      : http_(http), clock_(clock), s_(std::move(s)) {}
  [[nodiscard]] std::string name() const override { return "gemini"; }

  void transcribe(AudioClip clip, std::string language, SttDone done) override {
    std::string base = trimmed_base(s_.base_url);
    if (!base.ends_with("/v1beta") && !base.ends_with("/v1")) base += "/v1beta";
    std::string_view model = s_.model;
    if (model.substr(0, 7) == "models/") model.remove_prefix(7);
    net::HttpRequest req;
    req.url = base + "/models/" + std::string(model) + ":generateContent";
    req.timeout = s_.timeout;
    req.headers.emplace_back("Content-Type", "application/json");
    if (!s_.api_key.empty()) req.headers.emplace_back("x-goog-api-key", s_.api_key);
    json body = {
        {"contents",
         json::array({{{"role", "user"},
                       {"parts", json::array({{{"text", instruction(language)}},
                                              {{"inline_data",
                                                {{"mime_type", audio_mime_type(clip.format)},
                                                 {"data", base64_encode(clip.bytes)}}}}})}}})},
        {"generationConfig", {{"temperature", 0}}}};
    req.body = body.dump();
    http_.start(std::move(req), nullptr, [done = std::move(done)](Result<net::HttpResponse> r) {
      if (!r.is_ok()) {
        done(provider_failure(transport_error("gemini", r.status())));
        return;
      }
      if (r->status != 200) {
        done(provider_failure(gemini_http_error(r->status, r->body)));
        return;
      }
      done(parse(r->body));
    });
  }

 private:
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
};

class OpenAiSttEngine final : public SttEngine {
 public:
  OpenAiSttEngine(net::HttpClient& http, const Clock& clock, HttpSttSettings s)
      : http_(http), clock_(clock), s_(std::move(s)) {}
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

    net::HttpRequest req;
    req.url = trimmed_base(s_.base_url) + "/audio/transcriptions";
    req.timeout = s_.timeout;
    req.headers.emplace_back("Content-Type", "multipart/form-data; boundary=" + boundary);
    if (!s_.api_key.empty()) req.headers.emplace_back("Authorization", "Bearer " + s_.api_key);
    req.body = std::move(body);
    const Clock* clock = &clock_;
    http_.start(
        std::move(req), nullptr, [clock, done = std::move(done)](Result<net::HttpResponse> r) {
          if (!r.is_ok()) {
            done(provider_failure(transport_error("openai", r.status())));
            return;
          }
          if (r->status != 200) {
            done(provider_failure(
                openai_http_error("openai", r->status, r->headers, r->body, clock->wall_now())));
            return;
          }
          const json j = json::parse(r->body, nullptr, false);
          if (j.is_discarded() || !j.is_object() || !j.contains("text")) {
            done(provider_failure(malformed("openai", "no \"text\" in the answer")));
            return;
          }
          done(SttOutcome::success(
              Transcript{std::string(text::trim(string_field(j, "text"))), "openai"}));
        });
  }

 private:
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
