#include "ai/llm/http_provider.h"

#include <utility>

namespace sakai::ai {

struct HttpLlmProvider::Call {
  ChatRequest request;
  std::string model;
  ChatDeltaCallback on_delta;
  ChatDoneCallback on_done;
  std::shared_ptr<CallControl> control = std::make_shared<CallControl>();
  KeyRotation::Cursor key;
  bool delivered = false;  // a delta reached the caller
  bool done = false;
  int attempt = 0;
  // Per attempt:
  std::unique_ptr<ResponseDecoder> decoder;
  std::string error_body;
};

namespace {
bool is_success(int status) {
  return status >= 200 && status < 300;
}
}  // namespace

HttpLlmProvider::HttpLlmProvider(net::HttpClient& http, const Clock& clock,
                                 ProviderSettings settings)
    : http_(http), clock_(clock), settings_(std::move(settings)), keys_(settings_.api_keys) {}

ChatHandle HttpLlmProvider::chat(ChatRequest request, ChatDeltaCallback on_delta,
                                 ChatDoneCallback on_done) {
  auto call = std::make_shared<Call>();
  call->model = request.model.empty() ? settings_.model : request.model;
  call->request = std::move(request);
  call->on_delta = std::move(on_delta);
  call->on_done = std::move(on_done);
  call->key = keys_.start();
  start_attempt(call);
  return ChatHandle(call->control);
}

void HttpLlmProvider::start_attempt(const std::shared_ptr<Call>& call) {
  const bool stream = static_cast<bool>(call->on_delta);
  const std::string& key = keys_.take(call->key);
  call->decoder = make_decoder(call->request);
  call->error_body.clear();

  net::HttpRequest http_request = build_request(call->request, call->model, key, stream);
  http_request.timeout = settings_.timeout;

  std::function<void(const net::HttpResponse&, std::string_view)> on_chunk;
  if (stream) {
    on_chunk = [call](const net::HttpResponse& head, std::string_view bytes) {
      if (call->done || call->control->cancelled()) return;
      if (!is_success(head.status)) {
        if (call->error_body.size() < kMaxErrorBody) {
          call->error_body.append(bytes.substr(0, kMaxErrorBody - call->error_body.size()));
        }
        return;
      }
      call->decoder->feed(bytes, emitter(call));
    };
  }
  const int attempt = ++call->attempt;
  const net::HttpRequestId id = http_.start(std::move(http_request), std::move(on_chunk),
                                            [this, call](Result<net::HttpResponse> response) {
                                              on_http_done(call, std::move(response));
                                            });
  // A client that completed synchronously has moved the call on already.
  if (!call->done && call->attempt == attempt) {
    call->control->set_canceller([this, id] { http_.cancel(id); });
  }
}

ResponseDecoder::EmitFn HttpLlmProvider::emitter(const std::shared_ptr<Call>& call) {
  return [call](const ChatDelta& delta) {
    if (call->done || call->control->cancelled()) return;
    if (delta.text.empty() && delta.thinking.empty()) return;
    call->delivered = true;
    call->on_delta(delta);
  };
}

void HttpLlmProvider::on_http_done(const std::shared_ptr<Call>& call,
                                   Result<net::HttpResponse> response) {
  if (call->done) return;
  call->control->clear_canceller();
  if (call->control->cancelled()) {
    finish(call, transport_error(settings_.name, Status(ErrorCode::kCancelled, "cancelled")));
    return;
  }
  if (!response.is_ok()) {
    finish(call, transport_error(settings_.name, response.status()));
    return;
  }
  const net::HttpResponse& http_response = response.value();
  const bool stream = static_cast<bool>(call->on_delta);
  const ResponseDecoder::EmitFn emit = emitter(call);

  std::optional<ChatOutcome> outcome;
  if (!is_success(http_response.status)) {
    const std::string_view body = call->error_body.empty() ? std::string_view(http_response.body)
                                                           : std::string_view(call->error_body);
    outcome.emplace(http_error(http_response.status, http_response.headers, body));
  } else if (stream) {
    // net::HttpClient streams the whole body to on_chunk; tolerate a client that did not.
    if (!http_response.body.empty()) call->decoder->feed(http_response.body, emit);
    outcome.emplace(call->decoder->finish(emit));
  } else {
    outcome.emplace(call->decoder->decode(http_response.body));
  }

  if (!outcome->ok() && keys_.advance(call->key, outcome->error().kind, call->delivered)) {
    start_attempt(call);
    return;
  }
  finish(call, std::move(*outcome));
}

void HttpLlmProvider::finish(const std::shared_ptr<Call>& call, ChatOutcome outcome) {
  if (call->done) return;
  call->done = true;
  call->control->clear_canceller();
  call->decoder.reset();
  if (outcome.ok()) {
    ChatResult& result = outcome.result();
    result.provider = settings_.name;
    if (result.model.empty()) result.model = call->model;
  } else {
    LlmError& error = outcome.error();
    error.provider = settings_.name;
    error.after_output = error.after_output || call->delivered;
    error.message = scrub(std::move(error.message));
    error.provider_code = scrub(std::move(error.provider_code));
  }
  auto on_done = std::move(call->on_done);
  call->on_delta = nullptr;
  on_done(std::move(outcome));
}

std::string HttpLlmProvider::scrub(std::string text) const {
  for (const auto& key : settings_.api_keys) {
    if (key.size() < 4) continue;
    for (auto pos = text.find(key); pos != std::string::npos; pos = text.find(key, pos)) {
      text.replace(pos, key.size(), "***");
    }
  }
  return text;
}

}  // namespace sakai::ai
