#include "ai/http/keyed_http.h"

#include <utility>

#include "ai/http/key_rotation.h"
#include "net/retry.h"

namespace sakai::ai {

struct KeyedHttp::Shared {
  net::HttpClient* http = nullptr;
  const Clock* clock = nullptr;
  KeyedHttpOptions options;
  KeyRotation keys;
  std::optional<net::CircuitBreaker> breaker;  // made with the clock
};

struct KeyedCall::State {
  std::shared_ptr<KeyedHttp::Shared> shared;
  KeyedHttp::MakeAttempt make;
  KeyedHttp::Done done;
  KeyRotation::Cursor cursor;
  int attempts = 0;
  bool delivered = false;  // output reached the user: no other key, errors are after_output
  bool cancelled = false;
  bool finished = false;
  // The attempt in flight:
  KeyedHttp::Attempt attempt;
  std::string error_body;  // a non-2xx body that arrived streamed
  bool in_flight = false;
  net::HttpRequestId http_id = 0;
};

namespace {

using State = KeyedCall::State;

bool is_success(int status) {
  return status >= 200 && status < 300;
}

// Whether the service failed (as opposed to refusing this one request, which it answered).
bool counts_as_service_failure(ApiErrorKind kind) {
  switch (kind) {
    case ApiErrorKind::kAuth:
    case ApiErrorKind::kRateLimited:
    case ApiErrorKind::kQuotaExhausted:
    case ApiErrorKind::kUnavailable:
    case ApiErrorKind::kTimeout:
    case ApiErrorKind::kMalformed:
      return true;
    case ApiErrorKind::kBadRequest:
    case ApiErrorKind::kSafetyBlocked:
    case ApiErrorKind::kCancelled:
      return false;
  }
  return false;
}

void finish(const std::shared_ptr<State>& call, std::optional<ApiError> error) {
  if (call->finished) return;
  call->finished = true;
  call->in_flight = false;
  if (auto& breaker = call->shared->breaker) {
    // Every call is let through, so each end counts as the trial an open breaker waits for once
    // its cool-down is over: a failure then opens it again.
    (void)breaker->allow();
    if (!error) {
      breaker->record_success();
    } else if (counts_as_service_failure(error->kind)) {
      breaker->record_failure();
    } else if (error->kind != ApiErrorKind::kCancelled) {
      breaker->record_success();
    }
  }
  const KeyedHttpOptions& options = call->shared->options;
  if (error) {
    const auto& keys = options.api_keys;
    error->provider = options.provider;
    error->after_output = error->after_output || call->delivered;
    error->message = redact(std::move(error->message), keys);
    error->provider_code = redact(std::move(error->provider_code), keys);
    error->block_reason = redact(std::move(error->block_reason), keys);
    error->body_excerpt = redact(std::move(error->body_excerpt), keys);
    error->request_id = redact(std::move(error->request_id), keys);
  }
  // Whatever the adapter's closures hold goes now, not when the last handle does.
  call->attempt = {};
  call->make = nullptr;
  call->error_body.clear();
  auto done = std::move(call->done);
  call->done = nullptr;
  done(std::move(error));
}

// A non-2xx response, mapped by the service's format and completed with what every error has.
ApiError http_error(const State& call, const net::HttpResponse& response, std::string_view body) {
  const KeyedHttpOptions& options = call.shared->options;
  const Clock::WallTime now = call.shared->clock->wall_now();
  ApiError e;
  if (options.map_error) {
    e = options.map_error(response.status, response.headers, body, now);
  } else {
    e.kind = kind_for_http_status(response.status);
    e.message = clip_provider_text(body);
  }
  e.http_status = response.status;
  if (e.cause == ApiCause::kService) e.cause = cause_for_http_status(response.status);
  if (!e.retry_after) {
    e.retry_after = to_retry_after(net::retry_hint_from_headers(response.headers, now));
  }
  if (e.request_id.empty())
    e.request_id = request_id_of(response.headers, options.request_id_headers);
  e.body_excerpt = body_excerpt(body, options.api_keys);
  return e;
}

void run_attempt(const std::shared_ptr<State>& call);

void on_http_done(const std::shared_ptr<State>& call, Result<net::HttpResponse> result) {
  if (call->finished) return;
  call->in_flight = false;
  const std::string& provider = call->shared->options.provider;
  if (call->attempt.delivered && call->attempt.delivered()) call->delivered = true;
  if (call->cancelled) {
    finish(call, transport_error(provider, Status(ErrorCode::kCancelled, "cancelled")));
    return;
  }
  if (!result.is_ok()) {
    finish(call, transport_error(provider, result.status()));
    return;
  }
  net::HttpResponse& response = result.value();
  std::optional<ApiError> error;
  if (!is_success(response.status)) {
    const std::string_view body =
        call->error_body.empty() ? std::string_view(response.body) : call->error_body;
    error = http_error(*call, response, body);
  } else if (call->attempt.on_response) {
    error = call->attempt.on_response(response);
    if (error && error->request_id.empty()) {
      error->request_id = request_id_of(response.headers, call->shared->options.request_id_headers);
    }
  }
  if (call->attempt.delivered && call->attempt.delivered()) call->delivered = true;
  if (error && call->shared->keys.advance(call->cursor, error->kind, call->delivered)) {
    run_attempt(call);
    return;
  }
  finish(call, std::move(error));
}

void run_attempt(const std::shared_ptr<State>& call) {
  const std::string& key = call->shared->keys.take(call->cursor);
  call->attempt = call->make(key);
  call->error_body.clear();
  net::HttpRequest request = std::move(call->attempt.request);
  call->attempt.request = {};

  std::function<void(const net::HttpResponse&, std::string_view)> on_chunk;
  if (call->attempt.on_chunk) {
    on_chunk = [call](const net::HttpResponse& head, std::string_view bytes) {
      if (call->finished || call->cancelled) return;
      if (!is_success(head.status)) {
        const std::size_t cap = call->shared->options.max_error_body;
        if (call->error_body.size() < cap) {
          call->error_body.append(bytes.substr(0, cap - call->error_body.size()));
        }
        return;
      }
      call->attempt.on_chunk(bytes);
    };
  }
  const int attempt = ++call->attempts;
  call->in_flight = false;
  const net::HttpRequestId id = call->shared->http->start(
      std::move(request), std::move(on_chunk),
      [call](Result<net::HttpResponse> result) { on_http_done(call, std::move(result)); });
  // A client that completed synchronously has moved the call on already.
  if (!call->finished && call->attempts == attempt) {
    call->http_id = id;
    call->in_flight = true;
  }
}

}  // namespace

void KeyHeader::apply(net::HttpRequest& request, const std::string& key) const {
  if (!key.empty()) request.headers.emplace_back(name, prefix + key);
}

WireErrorMapper gemini_error_mapper() {
  return [](int status, const HeaderMap&, std::string_view body, Clock::WallTime) {
    return gemini_http_error(status, body);
  };
}

WireErrorMapper openai_error_mapper(std::string provider) {
  return [provider = std::move(provider)](int status, const HeaderMap& headers,
                                          std::string_view body, Clock::WallTime now) {
    return openai_http_error(provider, status, headers, body, now);
  };
}

void KeyedCall::cancel() const {
  if (!state_ || state_->finished || state_->cancelled) return;
  state_->cancelled = true;
  if (state_->in_flight) state_->shared->http->cancel(state_->http_id);
}

bool KeyedCall::finished() const {
  return !state_ || state_->finished;
}

int KeyedCall::attempts() const {
  return state_ ? state_->attempts : 0;
}

KeyedHttp::KeyedHttp(net::HttpClient& http, const Clock& clock, KeyedHttpOptions options)
    : shared_(std::make_shared<Shared>()) {
  shared_->http = &http;
  shared_->clock = &clock;
  shared_->keys = KeyRotation(options.api_keys);
  shared_->options = std::move(options);
  shared_->breaker.emplace(clock);
}

ServiceHealth KeyedHttp::health(std::string kind) const {
  ServiceHealth h;
  h.kind = std::move(kind);
  h.name = shared_->options.provider;
  const net::CircuitBreaker& b = *shared_->breaker;
  switch (b.state()) {
    case net::CircuitBreaker::State::kClosed:
      h.circuit = ServiceHealth::Circuit::kClosed;
      break;
    case net::CircuitBreaker::State::kHalfOpen:
      h.circuit = ServiceHealth::Circuit::kHalfOpen;
      break;
    case net::CircuitBreaker::State::kOpen:
      h.circuit = ServiceHealth::Circuit::kOpen;
      break;
  }
  h.consecutive_failures = b.consecutive_failures();
  h.skips_calls = false;
  h.cool_down_left = b.remaining_cool_down();
  return h;
}

KeyedCall KeyedHttp::start(MakeAttempt make, Done done) {
  auto call = std::make_shared<State>();
  call->shared = shared_;
  call->make = std::move(make);
  call->done = std::move(done);
  call->cursor = shared_->keys.start();
  run_attempt(call);
  return KeyedCall(call);
}

KeyedCall KeyedHttp::send(net::HttpRequest request, KeyHeader where,
                          std::function<void(ApiOutcome<net::HttpResponse>)> done) {
  auto answer = std::make_shared<net::HttpResponse>();
  return start(
      [request = std::move(request), where = std::move(where), answer](const std::string& key) {
        Attempt attempt;
        attempt.request = request;
        where.apply(attempt.request, key);
        attempt.on_response = [answer](net::HttpResponse& response) -> std::optional<ApiError> {
          *answer = std::move(response);
          return std::nullopt;
        };
        return attempt;
      },
      [answer, done = std::move(done)](std::optional<ApiError> error) {
        if (error) {
          done(std::move(*error));
        } else {
          done(std::move(*answer));
        }
      });
}

const std::string& KeyedHttp::provider() const {
  return shared_->options.provider;
}

const std::vector<std::string>& KeyedHttp::keys() const {
  return shared_->options.api_keys;
}

std::string KeyedHttp::redact(std::string text) const {
  return ai::redact(std::move(text), shared_->options.api_keys);
}

std::string KeyedHttp::request_id(const HeaderMap& headers) const {
  return request_id_of(headers, shared_->options.request_id_headers);
}

}  // namespace sakai::ai
