#pragma once
// The one receiver of TDLib objects in a process. TDLib's JSON interface has one td_receive for
// every client: with two accounts, two threads polling it would take each other's updates. The
// hub owns that thread and TDLib's log callback, and hands each object to the client it belongs
// to, read from the "@client_id" TDLib appends at the end of every object (only those few bytes
// are read here; the client decodes the object once, itself).
//
//   TdJsonHub hub(api, logger);            // sets TDLib's log callback
//   int id = hub.add_client(route_to_a);   // creates the TDLib client, starts the thread
//   ...                                    // route_to_a(object) runs on the hub's thread
//   hub.remove_client(id);                 // after this returns, route_to_a is never called
//
// Threads:
//   - One receive thread, started by the first add_client() and joined by the destructor. Every
//     Route runs on it, one object at a time, in the order TDLib returned them.
//   - add_client(), remove_client() and the counters may be called from any thread;
//     remove_client() from inside a Route too (it then does not wait for itself).
//   - TDLib's log callback runs on TDLib's threads and writes to the Logger (which is
//     thread-safe).
// Ownership: the TdJsonApi and the Logger must outlive the hub. The hub must outlive every
// client registered on it (TdClient::stop() unregisters).
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/log.h"
#include "telegram/tdjson/td_json_api.h"

namespace sakai::telegram::tdjson {

struct TdJsonHubOptions {
  // How long one td_receive call may block. The destructor may wait this long once more to join
  // the thread (TDLib has no way to interrupt td_receive).
  double receive_timeout_seconds = 1.0;
};

class TdJsonHub {
 public:
  // Receives the objects of one client id, on the hub's thread. `object` is TDLib's own buffer
  // (TdJsonApi::receive_view): valid during the call only, never copied by the hub.
  using Route = std::function<void(std::string_view object)>;

  // Routes TDLib's log to `logger` (component "tdlib"), once for the life of the hub.
  TdJsonHub(TdJsonApi& api, Logger& logger, TdJsonHubOptions options = {});
  TdJsonHub(const TdJsonHub&) = delete;
  TdJsonHub& operator=(const TdJsonHub&) = delete;
  // Joins the receive thread, then clears TDLib's log callback. Clients still registered are
  // dropped with an error log (they should have been stopped first).
  ~TdJsonHub();

  // Creates a TDLib client id and routes its objects to `route` from now on. Starts the receive
  // thread the first time.
  int add_client(Route route);
  // Stops routing `client_id`; waits for a Route of it still running on the hub's thread (unless
  // called from that Route). Objects that arrive for it later are dropped (logged at debug).
  void remove_client(int client_id);

  [[nodiscard]] TdJsonApi& api() { return api_; }
  [[nodiscard]] std::size_t clients() const;
  // Objects for no registered client (an unknown or already removed id, or none at all).
  [[nodiscard]] std::uint64_t dropped_objects() const { return dropped_.load(); }

  // The value of the "@client_id" TDLib appends at the end of `object`, read backwards from the
  // end; nullopt when there is none.
  static std::optional<int> client_id_of(std::string_view object);

 private:
  void receive_loop();
  void route(std::string_view object);

  TdJsonApi& api_;
  Logger& logger_;
  TdJsonHubOptions options_;

  // Routing without a lock per object: the hub's thread keeps a snapshot of the routes (a few
  // accounts: a short vector) and uses it while generation_ is unchanged. add_client() and
  // remove_client() bump generation_; remove_client() then waits while busy_ names its client;
  // the hub's thread sets busy_ before it checks generation_. Both sequentially consistent, so
  // either the hub sees the new generation (and looks the client up under the lock, where it is
  // gone) or the remover sees busy_ (and waits for the call to end). Routes live on the heap so
  // that erasing a map entry never moves one that is running.
  mutable std::mutex mu_;
  std::unordered_map<int, std::unique_ptr<Route>> routes_;  // guarded by mu_
  std::atomic<std::uint64_t> generation_{1};  // bumped under mu_ by every add and removal
  std::atomic<int> busy_{0};                  // the client whose Route runs now (0: none)
  // The hub's thread only:
  std::vector<std::pair<int, Route*>> snapshot_;
  std::uint64_t snapshot_generation_ = 0;
  std::unique_ptr<Route> doomed_;  // a Route that removed its own client, freed once it returns
  std::thread thread_;
  std::atomic<bool> quit_{false};
  std::atomic<std::uint64_t> dropped_{0};
};

}  // namespace sakai::telegram::tdjson
