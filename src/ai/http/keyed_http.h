#pragma once
// The one keyed-HTTP layer every cloud API call goes through (LLM providers, speech-to-text,
// text-to-speech, images): one net::HttpClient request per attempt, streamed or not, with
//   - key rotation (ai/http/key_rotation.h): a call that fails with kRateLimited,
//     kQuotaExhausted or kAuth (HTTP 429, 401, 403 and their body equivalents) before any output
//     reached the caller is retried at once with the next key, until every key was tried; the
//     next call starts from the key that last worked;
//   - wire-error mapping: a non-2xx response (its body kept up to a cap, also when it arrived
//     streamed) goes through the service's mapper (ai/http/wire_errors.h) into one ApiError;
//     transport failures get a kind and a cause (refused, DNS, reset, TLS, timeout);
//   - retry hints: the body's (Gemini RetryInfo) or the Retry-After / retry-after-ms header
//     (seconds or an HTTP-date, resolved with the Clock);
//   - the service's request id (x-request-id and the like) and a redacted excerpt of the error
//     body on the error, for logs;
//   - no key in any error: every configured key is replaced by "***" in the message, the code,
//     the block reason and the excerpt;
//   - cancellation: KeyedCall::cancel() aborts the request in flight; `done` then hears
//     kCancelled (also when the answer had arrived but was not handed over yet);
//   - a circuit breaker fed with every call's end (a failure: limited, refused, unavailable,
//     timed out; a success: an answer, or a refusal of this request), for /health (health()).
//     It only reports: calls are not skipped here (the LLM chain has a breaker of its own that
//     does skip, and speech has no other engine to turn to).
// The adapter only builds the request for a key and reads a 2xx body.
//
// Threading: start(), send(), KeyedCall::cancel() and every callback run on the event loop thread
// (the thread net::HttpClient posts its completions to); callbacks never run inside start(),
// send() or cancel().
// Ownership: the net::HttpClient and the Clock must outlive every call. The KeyedHttp itself may
// go before its calls: they share its keys and options.
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ai/http/api_error.h"
#include "ai/http/wire_errors.h"
#include "core/clock.h"
#include "core/service_health.h"
#include "net/http_client.h"

namespace sakai::ai {

// Where a key goes in a request. The empty key of a keyless server adds no header at all.
struct KeyHeader {
  std::string name;    // "Authorization", "x-goog-api-key"
  std::string prefix;  // "Bearer ", ""

  static KeyHeader bearer() { return {"Authorization", "Bearer "}; }
  static KeyHeader goog_api_key() { return {"x-goog-api-key", ""}; }
  void apply(net::HttpRequest& request, const std::string& key) const;
};

// A service's error format: a non-2xx response to an ApiError (kind, message, code, retry hint
// from the body). `now` resolves a Retry-After given as an HTTP-date.
using WireErrorMapper = std::function<ApiError(int status, const HeaderMap& headers,
                                               std::string_view body, Clock::WallTime now)>;
WireErrorMapper gemini_error_mapper();
WireErrorMapper openai_error_mapper(std::string provider);

struct KeyedHttpOptions {
  std::string provider;               // names every error: "gemini", "openai", "openrouter"
  std::vector<std::string> api_keys;  // empty: a keyless server (the attempt gets "")
  WireErrorMapper map_error;          // null: the kind from the status, the body as message
  std::vector<std::string> request_id_headers = default_request_id_headers();
  std::size_t max_error_body = 64 * 1024;  // of a non-2xx body that arrives streamed
};

// A call in flight. Copyable; dropping it does not cancel the call.
class KeyedCall {
 public:
  struct State;
  KeyedCall() = default;
  explicit KeyedCall(std::shared_ptr<State> state) : state_(std::move(state)) {}
  // Idempotent; no effect once the call ended. `done` then runs with kCancelled, later.
  void cancel() const;
  [[nodiscard]] bool finished() const;
  // Requests sent so far (one per key tried).
  [[nodiscard]] int attempts() const;

 private:
  std::shared_ptr<State> state_;
};

class KeyedHttp {
 public:
  // One attempt, built for one key.
  struct Attempt {
    net::HttpRequest request;
    // Set: a 2xx body is streamed here as it arrives (split anywhere).
    std::function<void(std::string_view bytes)> on_chunk;
    // The 2xx response (its body empty when it was streamed to on_chunk). nullopt accepts it; an
    // error fails the attempt (and rotates the key like an HTTP error would). Null accepts all.
    std::function<std::optional<ApiError>(net::HttpResponse& response)> on_response;
    // Whether output of the call already reached the user; asked before another key is tried
    // and when the call fails (then the error is after_output). Null: never.
    std::function<bool()> delivered;
  };
  using MakeAttempt = std::function<Attempt(const std::string& key)>;
  // nullopt: the last attempt's on_response accepted the answer. Else the error, completed
  // (provider, request id, excerpt, retry hint, after_output) and with every key removed.
  using Done = std::function<void(std::optional<ApiError>)>;

  KeyedHttp(net::HttpClient& http, const Clock& clock, KeyedHttpOptions options);

  // Starts a call: `make` is asked for an attempt per key tried.
  KeyedCall start(MakeAttempt make, Done done);

  // A whole-body call (JSON, multipart or binary alike): `request` for every key, the key placed
  // by `where`; `done` gets the 2xx response or the error.
  KeyedCall send(net::HttpRequest request, KeyHeader where,
                 std::function<void(ApiOutcome<net::HttpResponse>)> done);

  // The breaker's state, labelled `kind` ("stt", "tts") and with the provider's name.
  [[nodiscard]] ServiceHealth health(std::string kind) const;

  [[nodiscard]] const std::string& provider() const;
  [[nodiscard]] const std::vector<std::string>& keys() const;
  // `text` with every configured key replaced by "***".
  [[nodiscard]] std::string redact(std::string text) const;
  // The request id in `headers`, by the configured header names.
  [[nodiscard]] std::string request_id(const HeaderMap& headers) const;

  struct Shared;

 private:
  std::shared_ptr<Shared> shared_;
};

}  // namespace sakai::ai
