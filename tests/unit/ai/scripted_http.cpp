#include "unit/ai/scripted_http.h"

#include "core/text.h"

namespace sakai::ai::testing {

std::optional<std::string> RecordedRequest::header(std::string_view name) const {
  for (const auto& [n, v] : request.headers) {
    if (text::ascii_lower(n) == text::ascii_lower(name)) return v;
  }
  return std::nullopt;
}

struct FakeHttpClient::Flight {
  net::HttpRequestId id = 0;
  ScriptedResponse response;
  net::HttpResponse head;
  std::function<void(const net::HttpResponse&, std::string_view)> on_chunk;
  std::function<void(Result<net::HttpResponse>)> on_done;
  std::size_t next_chunk = 0;
  bool cancelled = false;
  bool done = false;
};

net::HttpRequestId FakeHttpClient::start(
    net::HttpRequest request,
    std::function<void(const net::HttpResponse& head, std::string_view chunk)> on_chunk,
    std::function<void(Result<net::HttpResponse>)> on_done) {
  requests_.push_back(RecordedRequest{request, static_cast<bool>(on_chunk)});
  auto flight = std::make_shared<Flight>();
  flight->id = next_id_++;
  if (script_.empty()) {
    flight->response.transport_error = Status(ErrorCode::kUnavailable, "no scripted response");
  } else {
    flight->response = std::move(script_.front());
    script_.pop_front();
  }
  flight->head.status = flight->response.status;
  for (const auto& [n, v] : flight->response.headers)
    flight->head.headers[text::ascii_lower(n)] = v;
  flight->on_chunk = std::move(on_chunk);
  flight->on_done = std::move(on_done);
  flights_.push_back(flight);
  loop_.begin_work();  // like the real client: run_until_idle() waits for requests in flight
  loop_.post([this, flight] { step(flight); });
  return flight->id;
}

void FakeHttpClient::cancel(net::HttpRequestId id) {
  for (const auto& flight : flights_) {
    if (flight->id != id || flight->done || flight->cancelled) continue;
    ++cancels_;
    flight->cancelled = true;
    loop_.post([this, flight] { step(flight); });
  }
}

void FakeHttpClient::step(const std::shared_ptr<Flight>& flight) {
  if (flight->done) return;
  if (flight->cancelled) {
    complete(flight, Status(ErrorCode::kCancelled, "cancelled"));
    return;
  }
  auto& r = flight->response;
  if (flight->next_chunk < r.chunks.size()) {
    if (flight->on_chunk) {
      // One chunk per loop turn, as bytes would arrive.
      const std::string& chunk = r.chunks[flight->next_chunk++];
      if (!chunk.empty()) flight->on_chunk(flight->head, chunk);
      loop_.post([this, flight] { step(flight); });
      return;
    }
    for (; flight->next_chunk < r.chunks.size(); ++flight->next_chunk) {
      flight->head.body += r.chunks[flight->next_chunk];
    }
  }
  if (r.hang) return;  // until cancel()
  if (r.transport_error) {
    complete(flight, *r.transport_error);
    return;
  }
  complete(flight, flight->head);
}

void FakeHttpClient::complete(const std::shared_ptr<Flight>& flight,
                              Result<net::HttpResponse> result) {
  flight->done = true;
  auto on_done = std::move(flight->on_done);
  on_done(std::move(result));
  loop_.end_work();
}

}  // namespace sakai::ai::testing
