#pragma once
// HttpClient on libcurl's multi interface: one I/O thread runs curl_multi_poll() over every
// transfer; requests reach it through a mutex-protected queue and curl_multi_wakeup(), and
// chunks and completions come back to the EventLoop with post().
//
// - Nothing happens before the first request: it starts the I/O thread, which loads libcurl
//   (dlopen, net/curl_library.h) and its TLS stack. Without Debian's libcurl4 every request fails
//   with kUnavailable naming the package.
// - One multi handle, so connections (and HTTP/2 streams) are shared by every request; at most
//   `max_host_connections` connections per host, extra requests wait for a free one.
// - TLS peer and host verification are always on. Redirects are not followed; only http and
//   https URLs are accepted.
// - Proxy: the request's `proxy` if set ("" = none), else the client's. Proxy variables from the
//   environment (http_proxy, ALL_PROXY, ...) are never used: the config is the only source.
// - Every request has `timeout` (whole request). A streamed request (on_chunk set) also fails
//   when no byte arrives for `idle_timeout`, counted from the moment it has a connection, so
//   a request that waits for a free connection is not idle.
// - Errors never contain a URL's query string, fragment or credentials (API keys travel in
//   queries, e.g. Gemini's ?key=): messages name the method, scheme://host[:port]/path and the
//   proxy as scheme://host:port.
// - run_until_idle() on the loop waits for requests in flight: start() calls begin_work() and
//   the I/O thread calls end_work() right after it posts on_done.
//
// Thread-safety: construct, start(), cancel() and destroy on the loop thread. The EventLoop must
// outlive the client; callbacks posted before destruction run on the loop afterwards.
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "core/event_loop.h"
#include "net/http_client.h"

namespace sakai {
class Logger;
}

namespace sakai::net {

struct CurlHttpClientOptions {
  // Applies to every request that does not name its own; nullopt or "" = direct connections.
  std::optional<std::string> proxy;
  long max_host_connections = 4;    // CURLMOPT_MAX_HOST_CONNECTIONS
  long max_total_connections = 16;  // CURLMOPT_MAX_TOTAL_CONNECTIONS
  // Connecting (DNS, TCP, proxy, TLS) never takes longer than this or the request's timeout.
  std::chrono::milliseconds connect_timeout{15000};
  std::string user_agent = "SakaiBot";
  // A CA bundle file to verify servers with instead of the system store ("" = system store).
  std::string ca_file;
  // Failures are logged at debug level, redacted, when set. Not owned.
  Logger* logger = nullptr;
};

class CurlHttpClient final : public HttpClient {
 public:
  explicit CurlHttpClient(EventLoop& loop, CurlHttpClientOptions options = {});
  // Cancels every request still in flight (each gets on_done(kCancelled), posted to the loop)
  // and joins the I/O thread.
  ~CurlHttpClient() override;
  CurlHttpClient(const CurlHttpClient&) = delete;
  CurlHttpClient& operator=(const CurlHttpClient&) = delete;

  HttpRequestId start(
      HttpRequest request,
      std::function<void(const HttpResponse& head, std::string_view chunk)> on_chunk,
      std::function<void(Result<HttpResponse>)> on_done) override;
  // After cancel() returns, no on_chunk runs for `id` and on_done gets kCancelled, unless on_done
  // has already run (then it is a no-op). Unknown ids are ignored.
  void cancel(HttpRequestId id) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sakai::net
