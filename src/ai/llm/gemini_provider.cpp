#include "ai/llm/gemini_provider.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <utility>

#include "ai/http/json_fields.h"
#include "core/text.h"
#include "net/sse_parser.h"

namespace sakai::ai {
namespace {

using nlohmann::json;

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// finishReason values that mean a filter stopped the answer.
bool is_filter_finish(std::string_view reason) {
  return reason == "SAFETY" || reason == "RECITATION" || reason == "BLOCKLIST" ||
         reason == "PROHIBITED_CONTENT" || reason == "SPII" || reason == "IMAGE_SAFETY" ||
         reason == "IMAGE_PROHIBITED_CONTENT" || reason == "IMAGE_RECITATION";
}

std::string normalize_finish(std::string_view reason) {
  if (reason == "STOP") return "stop";
  if (reason == "MAX_TOKENS") return "length";
  if (is_filter_finish(reason)) return "content_filter";
  return text::ascii_lower(reason);
}

LlmError malformed(std::string message) {
  LlmError e;
  e.kind = LlmErrorKind::kMalformed;
  e.provider = "gemini";
  e.message = std::move(message);
  return e;
}

json content_of(const std::string& role) {
  return {{"role", role}, {"parts", json::array()}};
}

json request_body(const ChatRequest& request) {
  json body = json::object();
  json system_parts = json::array();
  if (!request.system_instruction.empty()) {
    system_parts.push_back({{"text", request.system_instruction}});
  }
  json contents = json::array();
  for (const auto& m : request.messages) {
    if (m.text.empty()) continue;  // Gemini rejects empty parts
    if (m.role == ChatRole::kSystem) {
      system_parts.push_back({{"text", m.text}});
      continue;
    }
    const std::string role = m.role == ChatRole::kAssistant ? "model" : "user";
    // Consecutive turns of one role become one Content with several parts.
    if (contents.empty() || contents.back()["role"] != role) contents.push_back(content_of(role));
    contents.back()["parts"].push_back({{"text", m.text}});
  }
  if (!system_parts.empty()) body["systemInstruction"] = {{"parts", std::move(system_parts)}};
  body["contents"] = std::move(contents);

  json config = json::object();
  if (request.temperature) config["temperature"] = *request.temperature;
  if (request.max_output_tokens) config["maxOutputTokens"] = *request.max_output_tokens;
  if (request.think) config["thinkingConfig"] = {{"includeThoughts", true}};
  if (!config.empty()) body["generationConfig"] = std::move(config);
  if (request.web) body["tools"] = json::array({{{"google_search", json::object()}}});
  return body;
}

class GeminiDecoder final : public ResponseDecoder {
 public:
  void feed(std::string_view bytes, const EmitFn& emit) override {
    for (const auto& event : sse_.feed(bytes))
      on_data(event.data, emit);
  }

  ChatOutcome finish(const EmitFn& emit) override {
    for (const auto& event : sse_.finish())
      on_data(event.data, emit);
    // A failure after HTTP 200 is a bare JSON object without "data:" (python-genai collects
    // such lines until the braces balance; here the body has ended, so the tail is complete).
    // A body that is all JSON is an answer sent without streaming.
    const std::string& tail = sse_.non_sse_tail();
    if (!error_ && !text::trim(tail).empty()) on_data(tail, emit);
    // Streamed answers end with a chunk that carries finishReason; a stream that stops before
    // it was cut short (as an OpenAI-compatible stream without [DONE] is).
    if (!error_ && saw_response_ && raw_finish_.empty() && block_reason_.empty()) {
      LlmError e;
      e.kind = LlmErrorKind::kUnavailable;
      e.cause = ApiCause::kConnectionLost;
      e.provider = "gemini";
      e.message = "the stream ended before the answer was complete";
      return e;
    }
    return outcome();
  }

  ChatOutcome decode(std::string_view body) override {
    on_data(body, [](const ChatDelta&) {});
    return outcome();
  }

 private:
  void on_data(std::string_view data, const EmitFn& emit) {
    if (error_ || text::trim(data).empty()) return;
    const json j = json::parse(data, nullptr, false);
    if (j.is_discarded()) {
      error_ = malformed("not JSON: " + clip_provider_text(data, 120));
      return;
    }
    try {
      if (j.is_array()) {  // streamGenerateContent without alt=sse: one array of responses
        for (const auto& item : j)
          absorb(item, emit);
      } else {
        absorb(j, emit);
      }
    } catch (const json::exception& e) {
      error_ = malformed(std::string("unexpected JSON: ") + e.what());
    }
  }

  void absorb(const json& j, const EmitFn& emit) {
    if (error_) return;
    if (!j.is_object()) throw json::type_error::create(302, "response is not an object", &j);
    if (const auto* err = member(j, "error")) {
      error_ = gemini_error(0, *err);
      return;
    }
    saw_response_ = true;
    if (const auto* feedback = member(j, "promptFeedback")) {
      const std::string reason = string_field(*feedback, "blockReason");
      if (!reason.empty()) block_reason_ = reason;
    }
    if (const auto* candidates = member(j, "candidates");
        candidates && candidates->is_array() && !candidates->empty()) {
      absorb_candidate(candidates->front(), emit);
    }
    if (const auto* usage = member(j, "usageMetadata")) {
      result_.usage.input_tokens = int_field(*usage, "promptTokenCount");
      result_.usage.output_tokens = int_field(*usage, "candidatesTokenCount");
      result_.usage.thinking_tokens = int_field(*usage, "thoughtsTokenCount");
      result_.usage.total = int_field(*usage, "totalTokenCount");
    }
    const std::string model = string_field(j, "modelVersion");
    if (!model.empty()) result_.model = model;
  }

  void absorb_candidate(const json& candidate, const EmitFn& emit) {
    if (const auto* content = member(candidate, "content")) {
      if (const auto* parts = member(*content, "parts")) {
        for (const auto& part : *parts) {
          const auto* piece = member(part, "text");
          if (!piece) continue;  // inlineData, functionCall, ...: not chat text
          const std::string& t = piece->get_ref<const std::string&>();
          const auto* thought = member(part, "thought");
          if (thought && thought->get<bool>()) {
            result_.thinking += t;
            emit({.text = {}, .thinking = t});
          } else {
            result_.text += t;
            emit({.text = t, .thinking = {}});
          }
        }
      }
    }
    const std::string finish = string_field(candidate, "finishReason");
    if (!finish.empty()) {
      raw_finish_ = finish;
      result_.finish_reason = normalize_finish(finish);
    }
    if (const auto* grounding = member(candidate, "groundingMetadata")) {
      if (const auto* chunks = member(*grounding, "groundingChunks");
          chunks && chunks->is_array()) {
        for (const auto& chunk : *chunks) {
          const auto* web = member(chunk, "web");
          if (!web) continue;
          Source s{.title = string_field(*web, "title"), .url = string_field(*web, "uri")};
          if (s.url.empty()) continue;
          bool seen = false;
          for (const auto& known : result_.sources)
            seen = seen || known.url == s.url;
          if (!seen) result_.sources.push_back(std::move(s));
        }
      }
    }
  }

  ChatOutcome outcome() {
    if (error_) return *error_;
    if (!block_reason_.empty()) {
      LlmError e;
      e.kind = LlmErrorKind::kSafetyBlocked;
      e.provider = "gemini";
      e.block_reason = block_reason_;
      e.message = "the prompt was blocked";
      return e;
    }
    if (!saw_response_) return malformed("empty response");
    if (result_.text.empty() && is_filter_finish(raw_finish_)) {
      LlmError e;
      e.kind = LlmErrorKind::kSafetyBlocked;
      e.provider = "gemini";
      e.block_reason = raw_finish_;
      e.message = "the answer was blocked";
      return e;
    }
    return result_;
  }

  net::SseParser sse_;
  ChatResult result_;
  std::optional<LlmError> error_;
  bool saw_response_ = false;
  std::string raw_finish_;
  std::string block_reason_;
};

}  // namespace

GeminiProvider::GeminiProvider(net::HttpClient& http, const Clock& clock, ProviderSettings settings)
    : HttpLlmProvider(http, clock, std::move(settings), gemini_error_mapper()) {}

net::HttpRequest GeminiProvider::build_request(const ChatRequest& request, const std::string& model,
                                               const std::string& api_key, bool stream) const {
  std::string base = settings().base_url;
  while (!base.empty() && base.back() == '/')
    base.pop_back();
  if (!ends_with(base, "/v1beta") && !ends_with(base, "/v1")) base += "/v1beta";
  std::string_view id = model;
  if (id.substr(0, 7) == "models/") id.remove_prefix(7);

  net::HttpRequest http_request;
  http_request.method = "POST";
  http_request.url = base + "/models/" + std::string(id) +
                     (stream ? ":streamGenerateContent?alt=sse" : ":generateContent");
  http_request.headers.emplace_back("Content-Type", "application/json");
  if (stream) http_request.headers.emplace_back("Accept", "text/event-stream");
  if (!api_key.empty()) http_request.headers.emplace_back("x-goog-api-key", api_key);
  // Invalid UTF-8 from a chat is replaced rather than failing the whole request.
  http_request.body = request_body(request).dump(-1, ' ', false, json::error_handler_t::replace);
  return http_request;
}

std::unique_ptr<ResponseDecoder> GeminiProvider::make_decoder(const ChatRequest&) const {
  return std::make_unique<GeminiDecoder>();
}

}  // namespace sakai::ai
