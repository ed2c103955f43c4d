#pragma once
// What every HTTP LLM adapter shares: one net::HttpClient request per attempt, streamed or not;
// HTTP errors (also when the error body arrives streamed) and transport failures turned into
// LlmError; key rotation; cancellation. A concrete adapter (Gemini, OpenAI-compatible) only
// builds the request, decodes the body and reads its error format.
//
// Key rotation (ai/llm/key_rotation.h): with several keys, a call that fails with kRateLimited,
// kQuotaExhausted or kAuth before any output was streamed is retried at once with the next key,
// until every key was tried. The next call starts from the key that last worked, so a limited
// key is not hit first again.
//
// Threading and ownership: see provider.h (event loop thread; outlive the calls).
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ai/llm/key_rotation.h"
#include "ai/llm/provider.h"
#include "ai/llm/wire_errors.h"
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
  // `clock` resolves Retry-After dates; it must outlive the provider.
  HttpLlmProvider(net::HttpClient& http, const Clock& clock, ProviderSettings settings);

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
  // A non-2xx response.
  [[nodiscard]] virtual LlmError http_error(int status, const HeaderMap& headers,
                                            std::string_view body) const = 0;

 private:
  struct Call;
  void start_attempt(const std::shared_ptr<Call>& call);
  void on_http_done(const std::shared_ptr<Call>& call, Result<net::HttpResponse> response);
  void finish(const std::shared_ptr<Call>& call, ChatOutcome outcome);
  static ResponseDecoder::EmitFn emitter(const std::shared_ptr<Call>& call);
  [[nodiscard]] std::string scrub(std::string text) const;

  net::HttpClient& http_;
  const Clock& clock_;
  ProviderSettings settings_;
  KeyRotation keys_;
};

// Largest error body kept from a streamed non-2xx response.
inline constexpr std::size_t kMaxErrorBody = 64 * 1024;

}  // namespace sakai::ai
