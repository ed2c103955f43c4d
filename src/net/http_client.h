#pragma once
// Asynchronous HTTP for the AI providers (and any other HTTP service): libcurl's multi interface
// on one I/O thread, with completions and streamed chunks posted to the event loop.
//
// Guarantees:
// - Connections are reused (one multi handle, HTTP keep-alive, HTTP/2 where offered).
// - Every request has a deadline; a stalled stream fails with kDeadlineExceeded.
// - TLS is verified (never turned off); a proxy from config (socks5://, socks5h://, http://)
//   applies to every request unless the request names its own.
// - Transport failures (DNS, connect, reset, timeout) are kept apart from HTTP statuses: a
//   response with any status is a successful transport result; `Status` is for the transport.
// - Callbacks run on the event loop thread, in order: on_chunk* then on_done exactly once.
// Thread-safety: start() and cancel() from the loop thread; the I/O thread only touches libcurl.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"

namespace sakai::net {

struct HttpRequest {
  std::string method = "POST";  // GET, POST, ...
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;  // name, value
  std::string body;
  std::chrono::milliseconds timeout{120000};  // whole request, including a streamed body
  // With a stream, no byte for this long fails the request (0: only `timeout` applies).
  std::chrono::milliseconds idle_timeout{60000};
  std::optional<std::string> proxy;  // overrides the client's proxy; "" = no proxy
};

struct HttpResponse {
  int status = 0;
  // Header names are lower-cased; a repeated header keeps its last value.
  std::map<std::string, std::string> headers;
  std::string body;  // empty when the body was streamed to on_chunk
};

using HttpRequestId = std::uint64_t;

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // `on_chunk`: when set, the body is streamed to it as bytes arrive (split anywhere, even
  // inside a UTF-8 sequence) after the status line and headers are known, and the final
  // HttpResponse has an empty body. Returns an id for cancel().
  virtual HttpRequestId start(
      HttpRequest request,
      std::function<void(const HttpResponse& head, std::string_view chunk)> on_chunk,
      std::function<void(Result<HttpResponse>)> on_done) = 0;
  // The request ends with kCancelled (on_done still runs, once).
  virtual void cancel(HttpRequestId id) = 0;
};

}  // namespace sakai::net
