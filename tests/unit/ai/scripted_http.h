#pragma once
// Scripted HTTP for the LLM adapter tests.
//
// A ScriptedResponse is what a server sends, byte for byte, and how the body is cut into the
// pieces the client sees. FakeHttpClient plays them back through net::HttpClient on an
// EventLoop, in order, one response per request, and records every request.
//
// To run the same scenarios against real loopback HTTP servers: serve each ScriptedResponse
// (status, headers, then every chunk written and flushed separately), point the providers'
// base_url at the server, swap FakeHttpClient for net::CurlHttpClient, and read the recorded
// requests from the server. Tests only use push(), requests() and the EventLoop.
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/event_loop.h"
#include "core/result.h"
#include "net/http_client.h"

namespace sakai::ai::testing {

struct ScriptedResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::vector<std::string> chunks;        // the body, in delivery order
  std::optional<Status> transport_error;  // fail with this after the chunks
  bool hang = false;                      // after the chunks, wait until cancelled
};

// Cuts `body` into pieces of `n` bytes (the last may be shorter); n == 0: one piece.
inline std::vector<std::string> split_every(std::string_view body, std::size_t n) {
  if (n == 0 || body.empty()) return {std::string(body)};
  std::vector<std::string> out;
  for (std::size_t i = 0; i < body.size(); i += n)
    out.emplace_back(body.substr(i, n));
  return out;
}

// Cuts `body` before each offset (ascending).
inline std::vector<std::string> split_at(std::string_view body, std::vector<std::size_t> cuts) {
  std::vector<std::string> out;
  std::size_t from = 0;
  for (const std::size_t cut : cuts) {
    if (cut <= from || cut >= body.size()) continue;
    out.emplace_back(body.substr(from, cut - from));
    from = cut;
  }
  out.emplace_back(body.substr(from));
  return out;
}

// LF line ends to CRLF / CR.
inline std::string to_crlf(std::string_view s) {
  std::string out;
  for (const char c : s) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}
inline std::string to_cr(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c == '\n') c = '\r';
  }
  return out;
}

inline ScriptedResponse respond(int status, std::string body,
                                std::vector<std::pair<std::string, std::string>> headers = {},
                                std::size_t chunk_size = 0) {
  ScriptedResponse r;
  r.status = status;
  r.headers = std::move(headers);
  r.chunks = split_every(body, chunk_size);
  return r;
}

inline ScriptedResponse sse(std::string body, std::size_t chunk_size = 0) {
  return respond(200, std::move(body), {{"Content-Type", "text/event-stream"}}, chunk_size);
}

struct RecordedRequest {
  net::HttpRequest request;
  bool streamed = false;  // on_chunk was set

  [[nodiscard]] std::optional<std::string> header(std::string_view name) const;
};

class FakeHttpClient final : public net::HttpClient {
 public:
  explicit FakeHttpClient(EventLoop& loop) : loop_(loop) {}

  void push(ScriptedResponse response) { script_.push_back(std::move(response)); }
  [[nodiscard]] const std::vector<RecordedRequest>& requests() const { return requests_; }
  [[nodiscard]] std::size_t unused_responses() const { return script_.size(); }
  [[nodiscard]] int cancels() const { return cancels_; }

  net::HttpRequestId start(
      net::HttpRequest request,
      std::function<void(const net::HttpResponse& head, std::string_view chunk)> on_chunk,
      std::function<void(Result<net::HttpResponse>)> on_done) override;
  void cancel(net::HttpRequestId id) override;

 private:
  struct Flight;
  void step(const std::shared_ptr<Flight>& flight);
  void complete(const std::shared_ptr<Flight>& flight, Result<net::HttpResponse> result);

  EventLoop& loop_;
  std::deque<ScriptedResponse> script_;
  std::vector<RecordedRequest> requests_;
  std::vector<std::shared_ptr<Flight>> flights_;
  net::HttpRequestId next_id_ = 1;
  int cancels_ = 0;
};

}  // namespace sakai::ai::testing
