#pragma once
// One TDLib client (one account): requests matched to their answers by "@extra", a deadline on
// every request, and the account's updates handed to a sink. The objects come from the process's
// TdJsonHub, which owns td_receive and TDLib's log; the client has no thread of its own.
//
// Threads:
//   - send(), start(), stop() and the destructor are called on the event loop thread (or before
//     the loop runs / after it has finished). Never from the update sink.
//   - Every ResponseCallback runs on the event loop thread, exactly once: with the answer, with
//     an error object mapped to a Status, with kDeadlineExceeded, or with kCancelled at stop().
//   - dispatch() and so the update sink run on the hub's receive thread. The sink must not touch
//     bot state: it decides what to post to the loop.
// Ownership: the TdJsonHub, EventLoop, Logger and Clock must outlive the client.
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

#include "core/clock.h"
#include "core/event_loop.h"
#include "core/log.h"
#include "core/result.h"
#include "telegram/tdjson/td_decode.h"
#include "telegram/tdjson/td_errors.h"
#include "telegram/tdjson/td_events.h"
#include "telegram/tdjson/td_json_hub.h"

namespace sakai::telegram::tdjson {

struct TdClientOptions {
  // How long stop() waits for authorizationStateClosed after sending close (wall time).
  std::chrono::milliseconds close_timeout{10'000};
};

class TdClient {
 public:
  // The full response JSON (with "@extra" and "@client_id"), or the error as a Status.
  using ResponseCallback = std::function<void(Result<std::string>)>;
  // One TDLib update (an object without "@extra"), on the hub's receive thread.
  // `json` is the object as TDLib sent it; `event` is its decoded form (td_decode.h).
  using UpdateSink = std::function<void(std::string_view json, TdEvent&& event)>;

  TdClient(TdJsonHub& hub, EventLoop& loop, Logger& logger, const Clock& clock,
           TdClientOptions options = {});
  TdClient(const TdClient&) = delete;
  TdClient& operator=(const TdClient&) = delete;
  ~TdClient();  // stop()

  // Before start(); ignored (with an error log) afterwards.
  void set_update_sink(UpdateSink sink);

  // Creates the TDLib client id on the hub, which routes its objects here from now on. TDLib
  // creates the client on the first request (usually getOption, then setTdlibParameters after
  // the updateAuthorizationState{authorizationStateWaitTdlibParameters} update). Once only.
  void start();

  // Sends {"@type":"close"}, waits up to close_timeout for authorizationStateClosed, leaves the
  // hub (objects for this client are dropped after that), and fails every request still waiting
  // with kCancelled. Safe to call twice.
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

  // What the hub's thread does with each object of this client: decode it once, match an answer
  // to its request, hand an update to the sink. Public so bench_ingest can push recorded objects
  // through exactly this path without a live TDLib.
  // `object` is only read during the call (TDLib's buffer, not copied unless it is an answer).
  void dispatch(std::string_view object);

 private:
  struct Core;  // state shared with the deadline timers posted to the loop

  void fail_later(ResponseCallback cb, Status status);

  TdJsonHub& hub_;
  EventLoop& loop_;
  Logger& logger_;
  const Clock& clock_;
  TdClientOptions options_;
  std::shared_ptr<Core> core_;
  UpdateSink sink_;
  // The chats announced as groups (updateNewChat), for the quiet scan. dispatch() only, so the
  // receive thread only.
  GroupChats groups_;

  int client_id_ = 0;
  std::atomic<bool> started_{false};
  std::atomic<bool> stopped_{false};
  std::atomic<bool> stopping_{false};

  mutable std::mutex state_mu_;
  std::condition_variable state_cv_;
  bool closed_ = false;
};

}  // namespace sakai::telegram::tdjson
