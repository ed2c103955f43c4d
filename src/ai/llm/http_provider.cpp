#include "ai/llm/http_provider.h"

#include <utility>

namespace sakai::ai {

struct HttpLlmProvider::Call {
  ChatRequest request;
  std::string model;
  bool stream = false;
  ChatDeltaCallback on_delta;
  ChatDoneCallback on_done;
  std::shared_ptr<CallControl> control = std::make_shared<CallControl>();
  bool delivered = false;  // a delta reached the caller
  bool done = false;
  std::unique_ptr<ResponseDecoder> decoder;  // the attempt's
  std::optional<ChatResult> result;          // the answer the last attempt decoded
};

HttpLlmProvider::HttpLlmProvider(net::HttpClient& http, const Clock& clock,
                                 ProviderSettings settings, WireErrorMapper errors)
    : clock_(clock),
      settings_(std::move(settings)),
      keyed_(http, clock,
             KeyedHttpOptions{.provider = settings_.name,
                              .api_keys = settings_.api_keys,
                              .map_error = std::move(errors)}) {}

ChatHandle HttpLlmProvider::chat(ChatRequest request, ChatDeltaCallback on_delta,
                                 ChatDoneCallback on_done) {
  auto call = std::make_shared<Call>();
  call->model = request.model.empty() ? settings_.model : request.model;
  call->request = std::move(request);
  call->stream = static_cast<bool>(on_delta);
  call->on_delta = std::move(on_delta);
  call->on_done = std::move(on_done);
  const KeyedCall keyed =
      keyed_.start([this, call](const std::string& key) { return make_attempt(call, key); },
                   [this, call](std::optional<LlmError> error) { finish(call, std::move(error)); });
  if (!call->done) call->control->set_canceller([keyed] { keyed.cancel(); });
  return ChatHandle(call->control);
}

KeyedHttp::Attempt HttpLlmProvider::make_attempt(const std::shared_ptr<Call>& call,
                                                 const std::string& key) const {
  call->decoder = make_decoder(call->request);
  call->result.reset();
  KeyedHttp::Attempt attempt;
  attempt.request = build_request(call->request, call->model, key, call->stream);
  attempt.request.timeout = settings_.timeout;
  if (call->stream) {
    attempt.on_chunk = [call](std::string_view bytes) {
      if (call->done || call->control->cancelled()) return;
      call->decoder->feed(bytes, emitter(call));
    };
  }
  attempt.on_response = [call](net::HttpResponse& response) -> std::optional<LlmError> {
    const ResponseDecoder::EmitFn emit = emitter(call);
    std::optional<ChatOutcome> outcome;
    if (call->stream) {
      // net::HttpClient streams the whole body to on_chunk; tolerate a client that did not.
      if (!response.body.empty()) call->decoder->feed(response.body, emit);
      outcome.emplace(call->decoder->finish(emit));
    } else {
      outcome.emplace(call->decoder->decode(response.body));
    }
    if (!outcome->ok()) return std::move(outcome->error());
    call->result = std::move(outcome->result());
    return std::nullopt;
  };
  attempt.delivered = [call] { return call->delivered; };
  return attempt;
}

ResponseDecoder::EmitFn HttpLlmProvider::emitter(const std::shared_ptr<Call>& call) {
  return [call](const ChatDelta& delta) {
    if (call->done || call->control->cancelled()) return;
    if (delta.text.empty() && delta.thinking.empty()) return;
    call->delivered = true;
    call->on_delta(delta);
  };
}

void HttpLlmProvider::finish(const std::shared_ptr<Call>& call,
                             std::optional<LlmError> error) const {
  if (call->done) return;
  call->done = true;
  call->control->clear_canceller();
  call->decoder.reset();
  std::optional<ChatOutcome> outcome;
  if (error) {
    // The keyed layer named the provider, removed the keys and marked output already streamed.
    outcome.emplace(std::move(*error));
  } else {
    ChatResult result = call->result ? std::move(*call->result) : ChatResult{};
    result.provider = settings_.name;
    if (result.model.empty()) result.model = call->model;
    outcome.emplace(std::move(result));
  }
  auto on_done = std::move(call->on_done);
  call->on_delta = nullptr;
  on_done(std::move(*outcome));
}

}  // namespace sakai::ai
