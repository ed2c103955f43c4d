#pragma once
// What every HTTP LLM adapter shares: a chat call over the keyed-HTTP layer
// (ai/http/keyed_http.h: one request per attempt, streamed or not; key rotation on 429/401/403
// before any output; wire errors, transport failures and cancellation turned into LlmError).
// A concrete adapter (Gemini, OpenAI-compatible) only builds the request, decodes the body and
// names its error format (ai/http/wire_errors.h).
//
// An error inside a 2xx answer (Gemini's {"error":...} in the stream) rotates the key like an
// HTTP error does, as long as no delta reached the caller.
//
// Threading and ownership: see provider.h (event loop thread; outlive the calls).
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ai/http/keyed_http.h"
#include "ai/http/wire_errors.h"
#include "ai/llm/provider.h"
#include "core/clock.h"
#include "net/http_client.h"

namespace sakai::ai {

struct ProviderSettings {
  std::string name;                   // "gemini", "openrouter", "openai"
  std::string base_url;               // no trailing slash
  std::string model;                  // default model
  std::vector<std::string> api_keys;  // empty: a keyless local server
  std::chrono::milliseconds timeout{120000};
};

// Turns one response body into deltas and an outcome. One per attempt.
class ResponseDecoder {
 public:
  using EmitFn = std::function<void(const ChatDelta&)>;
  virtual ~ResponseDecoder() = default;
  // Streaming: the body as it arrives, split anywhere (even inside a UTF-8 sequence).
  virtual void feed(std::string_view bytes, const EmitFn& emit) = 0;
  // Streaming: the body ended with the connection.
  virtual ChatOutcome finish(const EmitFn& emit) = 0;
  // Not streaming: the whole body.
  virtual ChatOutcome decode(std::string_view body) = 0;
};

class HttpLlmProvider : public LlmProvider {
 public:
  // `clock` resolves Retry-After dates; it must outlive the provider. `errors` reads the
  // service's non-2xx answers.
  HttpLlmProvider(net::HttpClient& http, const Clock& clock, ProviderSettings settings,
                  WireErrorMapper errors);

  [[nodiscard]] std::string name() const override { return settings_.name; }
  [[nodiscard]] std::string default_model() const override { return settings_.model; }
  ChatHandle chat(ChatRequest request, ChatDeltaCallback on_delta,
                  ChatDoneCallback on_done) override;

  [[nodiscard]] const ProviderSettings& settings() const { return settings_; }
  [[nodiscard]] const Clock& clock() const { return clock_; }

 protected:
  // `api_key` is "" for a keyless server: then send no auth header at all.
  [[nodiscard]] virtual net::HttpRequest build_request(const ChatRequest& request,
                                                       const std::string& model,
                                                       const std::string& api_key,
                                                       bool stream) const = 0;
  [[nodiscard]] virtual std::unique_ptr<ResponseDecoder> make_decoder(
      const ChatRequest& request) const = 0;

 private:
  struct Call;
  KeyedHttp::Attempt make_attempt(const std::shared_ptr<Call>& call, const std::string& key) const;
  void finish(const std::shared_ptr<Call>& call, std::optional<LlmError> error) const;
  static ResponseDecoder::EmitFn emitter(const std::shared_ptr<Call>& call);

  const Clock& clock_;
  ProviderSettings settings_;
  KeyedHttp keyed_;
};

}  // namespace sakai::ai
