// bench_hub: what TdJsonHub adds per TDLib object on its receive thread — reading "@client_id"
// off the object's end, finding that account's client, calling it — against a bare loop that
// hands each object straight to one callback. A TdJsonApi stands in for td_receive and returns
// the same 860-byte updateNewMessage (the average of bench_ingest's mix) N times, handed over as
// TdJsonLibrary::receive_view hands over TDLib's buffer (a view, no copy). Plain main(); prints
// ns/object for each case.
//
//   bench_hub [objects]     (default 20,000,000)
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/log.h"
#include "telegram/tdjson/td_json_hub.h"

namespace {

using sakai::telegram::tdjson::TdJsonApi;
using sakai::telegram::tdjson::TdJsonHub;

// td_receive returning `total` objects, alternating over `lines`, then nothing.
class Feed final : public TdJsonApi {
 public:
  Feed(std::vector<std::string> lines, std::size_t total)
      : lines_(std::move(lines)), total_(total) {}
  int create_client_id() override { return ++clients_; }
  void send(int, std::string_view) override {}
  std::optional<std::string> receive(double timeout) override {
    auto view = receive_view(timeout);
    return view ? std::optional<std::string>(std::string(*view)) : std::nullopt;
  }
  std::optional<std::string_view> receive_view(double) override {
    if (next_ < total_) return std::string_view(lines_[next_++ % lines_.size()]);
    {
      std::lock_guard lock(mu_);
      drained_ = true;
    }
    cv_.notify_all();
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return std::nullopt;
  }
  std::string execute(std::string_view) override { return "{}"; }
  void set_log_callback(int, std::function<void(int, std::string_view)>) override {}
  void wait_drained() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [this] { return drained_; });
  }

 private:
  std::vector<std::string> lines_;
  std::size_t total_;
  std::size_t next_ = 0;
  int clients_ = 0;
  std::mutex mu_;
  std::condition_variable cv_;
  bool drained_ = false;
};

std::string update(int client_id) {
  const std::string text(660, 'x');
  return R"({"@type":"updateNewMessage","message":{"@type":"message","id":1048576,"chat_id":-100,)"
         R"("content":{"@type":"messageText","text":{"@type":"formattedText","text":")" +
         text + R"(","entities":[]}}},"@client_id":)" + std::to_string(client_id) + "}";
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// The bare loop: receive, call.
double bare(std::size_t total) {
  Feed feed({update(1)}, total);
  std::atomic<std::size_t> seen{0};
  std::function<void(std::string_view)> sink = [&](std::string_view o) {
    seen.fetch_add(o.size() > 0 ? 1 : 0, std::memory_order_relaxed);
  };
  const auto t0 = std::chrono::steady_clock::now();
  std::thread receiver([&] {
    while (auto object = feed.receive_view(0.01))
      sink(*object);
  });
  receiver.join();
  return seconds_since(t0) * 1e9 / static_cast<double>(seen.load());
}

// Through the hub, to `clients` clients with their objects interleaved.
double through_hub(std::size_t total, int clients) {
  std::vector<std::string> lines;
  for (int c = 1; c <= clients; ++c)
    lines.push_back(update(c));
  Feed feed(lines, total);
  sakai::SystemClock clock;
  std::ostringstream sink;
  sakai::Logger logger(sakai::LogLevel::kWarn, sakai::LogFormat::kHuman, sink, clock);
  TdJsonHub hub(feed, logger, {0.01});
  std::atomic<std::size_t> seen{0};
  std::vector<int> ids;
  const auto t0 = std::chrono::steady_clock::now();
  for (int c = 0; c < clients; ++c) {
    ids.push_back(hub.add_client([&](std::string_view o) {
      seen.fetch_add(o.size() > 0 ? 1 : 0, std::memory_order_relaxed);
    }));
  }
  feed.wait_drained();
  const double ns = seconds_since(t0) * 1e9 / static_cast<double>(seen.load());
  for (int id : ids)
    hub.remove_client(id);
  if (hub.dropped_objects() != 0) std::fprintf(stderr, "bench_hub: objects were dropped\n");
  return ns;
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t total = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 20'000'000;
  std::printf("objects: %zu of %zu bytes\n", total, update(1).size());
  std::printf("bare receive loop:        %6.1f ns/object\n", bare(total));
  std::printf("TdJsonHub, 1 client:      %6.1f ns/object\n", through_hub(total, 1));
  std::printf("TdJsonHub, 2 interleaved: %6.1f ns/object\n", through_hub(total, 2));
  return 0;
}
