#pragma once
// One TDLib client: a receive thread that polls TdJsonApi::receive(), requests matched to their
// answers by "@extra", a deadline on every request, and TDLib's own log routed to our Logger.
//
// Threads:
//   - send(), start(), stop() and the destructor are called on the event loop thread (or before
//     the loop runs / after it has finished). Never from the update sink.
//   - Every ResponseCallback runs on the event loop thread, exactly once: with the answer, with
//     an error object mapped to a Status, with kDeadlineExceeded, or with kCancelled at stop().
//   - The update sink runs on the receive thread. It must not touch bot state: it decides what
//     to post to the loop.
// Ownership: the TdJsonApi, EventLoop, Logger and Clock must outlive the client.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "core/clock.h"
#include "core/event_loop.h"
#include "core/log.h"
#include "core/result.h"
#include "telegram/tdjson/td_errors.h"
#include "telegram/tdjson/td_events.h"
#include "telegram/tdjson/td_json_api.h"

namespace sakai::telegram::tdjson {

struct TdClientOptions {
  // How long stop() waits for authorizationStateClosed after sending close (wall time).
  std::chrono::milliseconds close_timeout{10'000};
  // The receive thread's poll interval; stop() may wait this long once more to join it.
  double receive_timeout_seconds = 1.0;
};

class TdClient {
 public:
  // The full response JSON (with "@extra" and "@client_id"), or the error as a Status.
  using ResponseCallback = std::function<void(Result<std::string>)>;
  // One TDLib update (an object without "@extra"), on the receive thread.
  // `json` is the object as TDLib sent it; `event` is its decoded form (td_decode.h).
  using UpdateSink = std::function<void(std::string_view json, TdEvent&& event)>;

  TdClient(TdJsonApi& api, EventLoop& loop, Logger& logger, const Clock& clock,
           TdClientOptions options = {});
  TdClient(const TdClient&) = delete;
  TdClient& operator=(const TdClient&) = delete;
  ~TdClient();  // stop()

  // Before start(); ignored (with an error log) afterwards.
  void set_update_sink(UpdateSink sink);

  // Creates the TDLib client id, routes TDLib's log to the Logger and starts the receive
  // thread. TDLib creates the client on the first request (usually setTdlibParameters, after
  // the updateAuthorizationState{authorizationStateWaitTdlibParameters} update). Once only.
  void start();

  // Sends {"@type":"close"}, waits up to close_timeout for authorizationStateClosed, joins the
  // receive thread, and fails every request still waiting with kCancelled. Safe to call twice.
  void stop();

  // Sends one TDLib request (a JSON object with "@type"). "@extra" is set to the returned id (a
  // JSON number), replacing any the caller put there. If no answer arrives within `deadline`
  // (on the loop's clock), `cb` gets kDeadlineExceeded and a late answer is dropped.
  // A request that is not a JSON object with "@type" gets kInvalidArgument; before start()
  // kFailedPrecondition; after stop() or authorizationStateClosed kUnavailable — always through
  // the loop, never synchronously.
  std::uint64_t send(std::string request_json, Clock::Duration deadline, ResponseCallback cb);

  // True once authorizationStateClosed has been seen for this client.
  [[nodiscard]] bool closed() const;
  [[nodiscard]] int client_id() const { return client_id_; }
  // Requests sent and neither answered nor expired yet.
  [[nodiscard]] std::size_t pending_requests() const;
  // Answers that came after their deadline (or for no request of ours) and were dropped.
  [[nodiscard]] std::uint64_t dropped_responses() const;

  // What the receive thread does with each object td_receive returns: decode it once, match an
  // answer to its request, hand an update to the sink. Public so bench_ingest can push recorded
  // objects through exactly this path without a live TDLib.
  void dispatch(const std::string& object);

 private:
  struct Core;  // state shared with the deadline timers posted to the loop

  void receive_loop();
  void fail_later(ResponseCallback cb, Status status);

  TdJsonApi& api_;
  EventLoop& loop_;
  Logger& logger_;
  const Clock& clock_;
  TdClientOptions options_;
  std::shared_ptr<Core> core_;
  UpdateSink sink_;

  int client_id_ = 0;
  std::thread thread_;
  std::atomic<bool> started_{false};
  std::atomic<bool> stopped_{false};
  std::atomic<bool> stopping_{false};
  std::atomic<bool> quit_{false};
  bool log_routed_ = false;

  mutable std::mutex state_mu_;
  std::condition_variable state_cv_;
  bool closed_ = false;
};

}  // namespace sakai::telegram::tdjson
