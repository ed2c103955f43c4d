// The cloud speech-to-text engines: Gemini (inline audio in generateContent, AI-APIS.md §1.7)
// and OpenAI-compatible /audio/transcriptions (multipart/form-data, AI-APIS.md §2.5). Both go
// through the keyed-HTTP layer (ai/http/keyed_http.h), which rotates across their keys like the
// LLM providers' and maps the wire errors.
#include <nlohmann/json.hpp>

#include "ai/http/json_fields.h"
#include "ai/http/keyed_http.h"
#include "ai/http/multipart.h"
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

SttOutcome provider_failure(ApiError e) {
  SttOutcome out;
  out.error = SttError{SttErrorKind::kProvider, e.describe(), std::move(e)};
  return out;
}

ApiError malformed(std::string_view provider, std::string detail) {
  ApiError e;
  e.kind = ApiErrorKind::kMalformed;
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
      : s_(std::move(s)),
        keyed_(http, clock,
               KeyedHttpOptions{.provider = "gemini",
                                .api_keys = s_.api_keys,
                                .map_error = gemini_error_mapper()}) {}
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
    json body = {
        {"contents",
         json::array({{{"role", "user"},
                       {"parts", json::array({{{"text", instruction(language)}},
                                              {{"inline_data",
                                                {{"mime_type", audio_mime_type(clip.format)},
                                                 {"data", base64_encode(clip.bytes)}}}}})}}})},
        {"generationConfig", {{"temperature", 0}}}};
    req.body = body.dump();
    keyed_.send(std::move(req), KeyHeader::goog_api_key(),
                [done = std::move(done)](ApiOutcome<net::HttpResponse> r) {
                  if (!r.ok()) {
                    done(provider_failure(std::move(r.error())));
                    return;
                  }
                  done(parse(r.value().body));
                });
  }

  [[nodiscard]] std::optional<ServiceHealth> health() const override {
    return keyed_.health("stt");
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
      ApiError e = malformed("gemini", "no candidates");
      if (const json* fb = member(j, "promptFeedback")) {
        e.kind = ApiErrorKind::kSafetyBlocked;
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

  HttpSttSettings s_;
  KeyedHttp keyed_;
};

class OpenAiSttEngine final : public SttEngine {
 public:
  OpenAiSttEngine(net::HttpClient& http, const Clock& clock, HttpSttSettings s)
      : s_(std::move(s)),
        keyed_(http, clock,
               KeyedHttpOptions{.provider = "openai",
                                .api_keys = s_.api_keys,
                                .map_error = openai_error_mapper("openai")}) {}
  [[nodiscard]] std::string name() const override { return "openai"; }

  void transcribe(AudioClip clip, std::string language, SttDone done) override {
    MultipartForm form;
    form.add_field("model", s_.model);
    if (!language.empty()) form.add_field("language", language);
    form.add_field("response_format", "json");
    form.add_file("file", audio_file_name(clip.format), audio_mime_type(clip.format), clip.bytes);
    net::HttpRequest req;
    req.url = trimmed_base(s_.base_url) + "/audio/transcriptions";
    req.timeout = s_.timeout;
    req.headers.emplace_back("Content-Type", form.content_type());
    req.body = std::move(form).finish();
    keyed_.send(std::move(req), KeyHeader::bearer(),
                [done = std::move(done)](ApiOutcome<net::HttpResponse> r) {
                  if (!r.ok()) {
                    done(provider_failure(std::move(r.error())));
                    return;
                  }
                  const json j = json::parse(r.value().body, nullptr, false);
                  if (j.is_discarded() || !j.is_object() || !j.contains("text")) {
                    done(provider_failure(malformed("openai", "no \"text\" in the answer")));
                    return;
                  }
                  done(SttOutcome::success(
                      Transcript{std::string(text::trim(string_field(j, "text"))), "openai"}));
                });
  }

  [[nodiscard]] std::optional<ServiceHealth> health() const override {
    return keyed_.health("stt");
  }

 private:
  HttpSttSettings s_;
  KeyedHttp keyed_;
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
