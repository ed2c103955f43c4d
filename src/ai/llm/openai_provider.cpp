#include "ai/llm/openai_provider.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>

#include "ai/http/json_fields.h"
#include "core/text.h"
#include "net/sse_parser.h"
#include "net/url.h"

namespace sakai::ai {
namespace {

using nlohmann::json;

LlmError stream_error(std::string_view provider, LlmErrorKind kind, std::string message) {
  LlmError e;
  e.kind = kind;
  e.provider = std::string(provider);
  e.message = std::move(message);
  return e;
}

std::string role_name(ChatRole role) {
  switch (role) {
    case ChatRole::kSystem:
      return "system";
    case ChatRole::kAssistant:
      return "assistant";
    case ChatRole::kUser:
      break;
  }
  return "user";
}

// Reads a text member strictly: absent or null is "", anything but a string is malformed.
std::string text_member(const json& j, const char* key) {
  const auto* m = member(j, key);
  return m ? m->get<std::string>() : std::string();
}

class OpenAiDecoder final : public ResponseDecoder {
 public:
  explicit OpenAiDecoder(std::string provider) : provider_(std::move(provider)) {}

  void feed(std::string_view bytes, const EmitFn& emit) override {
    for (const auto& event : sse_.feed(bytes))
      on_event(event, emit);
  }

  ChatOutcome finish(const EmitFn& emit) override {
    for (const auto& event : sse_.finish())
      on_event(event, emit);
    const std::string& tail = sse_.non_sse_tail();
    if (!error_ && !text::trim(tail).empty()) on_tail(tail, emit);
    return outcome(/*streamed=*/true);
  }

  ChatOutcome decode(std::string_view body) override {
    const json j = json::parse(body, nullptr, false);
    if (j.is_discarded()) {
      error_ = malformed("not JSON: " + clip_provider_text(body, 120));
    } else {
      guarded([&] { absorb_completion(j); });
    }
    return outcome(/*streamed=*/false);
  }

 private:
  LlmError malformed(std::string message) const {
    return stream_error(provider_, LlmErrorKind::kMalformed, std::move(message));
  }

  template <class F>
  void guarded(F&& f) {
    try {
      f();
    } catch (const json::exception& e) {
      error_ = malformed(std::string("unexpected JSON: ") + e.what());
    }
  }

  void on_event(const net::SseEvent& event, const EmitFn& emit) {
    if (error_ || done_) return;
    for (const auto& [field, value] : event.fields) {
      if (field != "error") continue;
      // llama.cpp: "error: {...}" then "data: [DONE]".
      const json j = json::parse(value, nullptr, false);
      const auto* err = member(j, "error");
      error_ = openai_error(provider_, 0, err ? *err : j);
      if (error_->message.empty()) error_->message = clip_provider_text(value);
      return;
    }
    const std::string_view data = text::trim(event.data);
    if (data.empty()) return;
    if (data.substr(0, 6) == "[DONE]") {
      done_ = true;
      return;
    }
    const json j = json::parse(data, nullptr, false);
    if (j.is_discarded()) {
      error_ = malformed("not JSON: " + clip_provider_text(data, 120));
      return;
    }
    guarded([&] { absorb_chunk(j, emit); });
  }

  // What followed no "data:" prefix: a plain JSON body from a server that ignored stream:true,
  // or a bare error object.
  void on_tail(std::string_view tail, const EmitFn& emit) {
    const json j = json::parse(tail, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      error_ = malformed("not SSE: " + clip_provider_text(tail, 120));
      return;
    }
    if (saw_chunk_ && !member(j, "error")) {
      error_ = malformed("unexpected text after the stream");
      return;
    }
    guarded([&] { absorb_completion(j); });
    if (!error_) {
      emit({.text = result_.text, .thinking = result_.thinking});
      done_ = true;
    }
  }

  void absorb_common(const json& j) {
    if (!j.is_object()) throw json::type_error::create(302, "response is not an object", &j);
    if (const auto* err = member(j, "error")) {
      error_ = openai_error(provider_, 0, *err);
      return;
    }
    saw_chunk_ = true;
    const std::string model = string_field(j, "model");
    if (!model.empty()) result_.model = model;
    if (const auto* usage = member(j, "usage"); usage && usage->is_object()) {
      const long long completion = int_field(*usage, "completion_tokens");
      long long reasoning = 0;
      if (const auto* details = member(*usage, "completion_tokens_details")) {
        reasoning = int_field(*details, "reasoning_tokens");
      }
      result_.usage.input_tokens = int_field(*usage, "prompt_tokens");
      result_.usage.thinking_tokens = reasoning;
      result_.usage.output_tokens = completion >= reasoning ? completion - reasoning : completion;
      result_.usage.total = int_field(*usage, "total_tokens");
    }
  }

  // The first choice, or nullptr (the usage chunk has "choices": []).
  static const json* first_choice(const json& j) {
    const auto* choices = member(j, "choices");
    if (!choices || !choices->is_array() || choices->empty()) return nullptr;
    return &choices->front();
  }

  void absorb_finish(const json& choice) {
    const std::string finish = string_field(choice, "finish_reason");
    if (finish.empty()) return;
    raw_finish_ = finish;
    result_.finish_reason = text::ascii_lower(finish);
    if (finish == "error" && !error_) {
      error_ = stream_error(provider_, LlmErrorKind::kUnavailable,
                            "the stream ended with finish_reason \"error\"");
    }
  }

  void absorb_chunk(const json& j, const EmitFn& emit) {
    absorb_common(j);
    if (error_) return;
    const json* choice = first_choice(j);
    if (!choice) return;
    if (const auto* delta = member(*choice, "delta")) {
      // Ollama splits reasoning and content into separate chunks; others may not.
      std::string thinking = text_member(*delta, "reasoning");
      if (thinking.empty()) thinking = text_member(*delta, "reasoning_content");
      const std::string piece = text_member(*delta, "content");
      result_.thinking += thinking;
      result_.text += piece;
      absorb_annotations(*delta);
      emit({.text = piece, .thinking = thinking});
    }
    absorb_finish(*choice);
  }

  // OpenRouter's web search: message (or delta) "annotations": [{"type":"url_citation",
  // "url_citation":{"url","title","content","start_index","end_index"}}]. Each URL once.
  void absorb_annotations(const json& message) {
    const auto* list = member(message, "annotations");
    if (!list || !list->is_array()) return;
    for (const auto& a : *list) {
      if (string_field(a, "type") != "url_citation") continue;
      const auto* c = member(a, "url_citation");
      if (!c || !c->is_object()) continue;
      Source src{string_field(*c, "title"), string_field(*c, "url")};
      if (src.url.empty()) continue;
      const bool seen = std::any_of(result_.sources.begin(), result_.sources.end(),
                                    [&](const Source& x) { return x.url == src.url; });
      if (!seen) result_.sources.push_back(std::move(src));
    }
  }

  void absorb_completion(const json& j) {
    absorb_common(j);
    if (error_) return;
    const json* choice = first_choice(j);
    if (!choice) {
      error_ = malformed("no choices in the response");
      return;
    }
    if (const auto* message = member(*choice, "message")) {
      result_.text = text_member(*message, "content");
      result_.thinking = text_member(*message, "reasoning");
      if (result_.thinking.empty()) result_.thinking = text_member(*message, "reasoning_content");
      absorb_annotations(*message);
    }
    absorb_finish(*choice);
  }

  ChatOutcome outcome(bool streamed) const {
    if (error_) return *error_;
    if (!saw_chunk_) return malformed("empty response");
    if (streamed && !done_ && raw_finish_.empty()) {
      LlmError e = stream_error(provider_, LlmErrorKind::kUnavailable,
                                "the stream ended before the answer was complete");
      e.cause = ApiCause::kConnectionLost;
      return e;
    }
    if (raw_finish_ == "content_filter" && result_.text.empty()) {
      LlmError e = stream_error(provider_, LlmErrorKind::kSafetyBlocked, "the answer was blocked");
      e.block_reason = "content_filter";
      return e;
    }
    return result_;
  }

  std::string provider_;
  net::SseParser sse_{net::SseParserOptions{.keep_unknown_fields = true, .detect_json = true}};
  ChatResult result_;
  std::optional<LlmError> error_;
  bool done_ = false;
  bool saw_chunk_ = false;
  std::string raw_finish_;
};

}  // namespace

OpenAiFlavor openai_flavor_for(std::string_view provider, std::string_view base_url) {
  const auto url = net::parse_url(base_url);
  const std::string host = url ? text::ascii_lower(url->host) : std::string();
  if (provider == "openrouter" || host == "openrouter.ai") return OpenAiFlavor::kOpenRouter;
  if (host == "api.openai.com") return OpenAiFlavor::kOpenAi;
  return OpenAiFlavor::kGeneric;
}

OpenAiCompatibleProvider::OpenAiCompatibleProvider(net::HttpClient& http, const Clock& clock,
                                                   ProviderSettings settings, OpenAiFlavor flavor)
    : HttpLlmProvider(http, clock, settings, openai_error_mapper(settings.name)), flavor_(flavor) {}

net::HttpRequest OpenAiCompatibleProvider::build_request(const ChatRequest& request,
                                                         const std::string& model,
                                                         const std::string& api_key,
                                                         bool stream) const {
  json body = json::object();
  body["model"] = model;
  json messages = json::array();
  if (!request.system_instruction.empty()) {
    messages.push_back({{"role", "system"}, {"content", request.system_instruction}});
  }
  for (const auto& m : request.messages) {
    if (m.text.empty()) continue;
    messages.push_back({{"role", role_name(m.role)}, {"content", m.text}});
  }
  body["messages"] = std::move(messages);
  body["stream"] = stream;
  if (stream) body["stream_options"] = {{"include_usage", true}};
  if (request.temperature) body["temperature"] = *request.temperature;
  if (request.max_output_tokens) {
    // OpenAI deprecated max_tokens (o-series reject it); compatible servers still read it.
    body[flavor_ == OpenAiFlavor::kOpenAi ? "max_completion_tokens" : "max_tokens"] =
        *request.max_output_tokens;
  }
  // OpenRouter's web plugin (any model; results come back as url_citation annotations).
  if (request.web && flavor_ == OpenAiFlavor::kOpenRouter) {
    body["plugins"] = json::array({{{"id", "web"}}});
  }
  if (request.think) {
    if (flavor_ == OpenAiFlavor::kOpenRouter) {
      body["reasoning"] = {{"effort", "medium"}};
    } else {
      body["reasoning_effort"] = "medium";
    }
  }

  std::string base = settings().base_url;
  while (!base.empty() && base.back() == '/')
    base.pop_back();
  net::HttpRequest http_request;
  http_request.method = "POST";
  http_request.url = base + "/chat/completions";
  http_request.headers.emplace_back("Content-Type", "application/json");
  if (stream) http_request.headers.emplace_back("Accept", "text/event-stream");
  if (!api_key.empty()) http_request.headers.emplace_back("Authorization", "Bearer " + api_key);
  if (flavor_ == OpenAiFlavor::kOpenRouter) {
    http_request.headers.emplace_back("X-Title", std::string(kAppTitle));
  }
  http_request.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return http_request;
}

std::unique_ptr<ResponseDecoder> OpenAiCompatibleProvider::make_decoder(const ChatRequest&) const {
  return std::make_unique<OpenAiDecoder>(settings().name);
}

}  // namespace sakai::ai
