#pragma once
// Loopback servers for tests. They listen on 127.0.0.1 only, on a free port, so tests never
// touch the network and can run in parallel.
//
// LoopbackServer wraps httplib::Server (Debian's libcpp-httplib-dev; link the CMake target
// sakaibot_test_loopback from tests/support/loopback_server.cmake). It serves on its own thread
// and stops in its destructor, first waking every handler that still hangs or sleeps, so a test
// never waits for a "hanging" server. Register handlers before sending requests:
//
//   sakai::test::LoopbackServer srv;
//   srv.reply("GET", "/v1/models", 200, R"({"data":[]})");
//   srv.reply("POST", "/busy", 429, R"({"error":{}})", "application/json", {{"Retry-After", "7"}});
//   srv.stream("POST", "/v1/chat/completions",
//              {.chunks = {"data: {\"a\":1}\n\n", "data: [DONE]\n\n"},
//               .delay = std::chrono::milliseconds(5)});
//   srv.stream("POST", "/stall", {.chunks = {"data: x\n\n"}, .end = StreamEnd::kHang});
//   srv.hang("GET", "/slow");  // never answers
//   srv.on("POST", "/echo", [](const httplib::Request& req, httplib::Response& res) {
//     res.set_content(req.body, "text/plain");
//   });
//   ... request srv.url("/v1/models") ...
//   EXPECT_EQ(srv.requests().size(), 1u);
//
// Paths are httplib patterns (std::regex: escape '.', '(', '+' and the like). Requests through
// on(), reply(), stream() and hang() are recorded: requests(), request_count() and
// connection_count() (distinct client ports, i.e. TCP connections; a client that reuses
// connections shows fewer connections than requests).
//
// RawTcpServer answers every connection with fixed bytes and then closes it, optionally with a
// TCP reset: for what httplib cannot produce (an RST mid-body, a malformed status line).
// closed_loopback_port() gives a port nobody listens on (connection refused).
#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace sakai::test {

struct RecordedRequest {
  std::string method;
  std::string path;  // without the query
  httplib::Headers headers;
  httplib::Params params;  // query parameters
  std::string body;
  std::string remote_addr;
  int remote_port = 0;
};

// How a streamed body ends.
enum class StreamEnd {
  kComplete,  // the terminating chunk is sent: a normal end
  kHang,      // the server goes quiet after the chunks until it is destroyed
  kDrop,      // the server closes the connection without finishing the body
};

struct StreamSpec {
  std::vector<std::string> chunks;     // each is sent as one HTTP chunk, unchanged
  std::chrono::milliseconds delay{0};  // before every chunk
  int status = 200;
  std::string content_type = "text/event-stream";
  httplib::Headers headers;
  StreamEnd end = StreamEnd::kComplete;
};

struct LoopbackServerOptions {
  std::size_t threads = 16;           // concurrent connections served
  std::size_t keep_alive_max = 1000;  // requests per connection before the server closes it
  time_t keep_alive_timeout_s = 1;    // also bounds how long destruction waits for idle clients
};

class LoopbackServer {
 public:
  explicit LoopbackServer(LoopbackServerOptions options = {}) {
    const std::size_t threads = options.threads;
    server_.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    server_.set_keep_alive_max_count(options.keep_alive_max);
    server_.set_keep_alive_timeout(options.keep_alive_timeout_s);
    // As Go's net/http (Ollama) does by default: without it the response body waits for
    // the client's delayed ACK of the headers, about 40 ms per request.
    server_.set_tcp_nodelay(true);
    port_ = server_.bind_to_any_port("127.0.0.1");
    if (port_ <= 0) throw std::runtime_error("loopback server: bind failed");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // stop() is ignored before the accept loop runs, so wait for it.
    for (int i = 0; !server_.is_running(); ++i) {
      if (i == 5000) {
        server_.stop();
        thread_.join();
        throw std::runtime_error("loopback server: did not start");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }

  ~LoopbackServer() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    server_.stop();
    thread_.join();
  }

  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  [[nodiscard]] int port() const { return port_; }
  // "http://127.0.0.1:<port>" + path (path may carry a query).
  [[nodiscard]] std::string url(const std::string& path = "") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  // The underlying server, for settings the helpers do not cover. Handlers registered here
  // directly are not recorded.
  httplib::Server& server() { return server_; }

  // Registers `handler` for `method` (GET, POST, PUT, PATCH, DELETE, OPTIONS) and `path`.
  void on(const std::string& method, const std::string& path, httplib::Server::Handler handler) {
    auto wrapped = [this, handler = std::move(handler)](const httplib::Request& req,
                                                        httplib::Response& res) {
      record(req);
      handler(req, res);
    };
    if (method == "GET") {
      server_.Get(path, wrapped);
    } else if (method == "POST") {
      server_.Post(path, wrapped);
    } else if (method == "PUT") {
      server_.Put(path, wrapped);
    } else if (method == "PATCH") {
      server_.Patch(path, wrapped);
    } else if (method == "DELETE") {
      server_.Delete(path, wrapped);
    } else if (method == "OPTIONS") {
      server_.Options(path, wrapped);
    } else {
      throw std::invalid_argument("loopback server: unsupported method " + method);
    }
  }

  // A whole response: status, body, content type and extra headers.
  void reply(const std::string& method, const std::string& path, int status, std::string body,
             std::string content_type = "application/json", httplib::Headers headers = {}) {
    on(method, path,
       [status, body = std::move(body), type = std::move(content_type),
        headers = std::move(headers)](const httplib::Request&, httplib::Response& res) {
         res.status = status;
         for (const auto& [name, value] : headers)
           res.set_header(name, value);
         res.set_content(body, type);
       });
  }

  // A body sent with chunked transfer encoding, chunk by chunk (see StreamSpec).
  void stream(const std::string& method, const std::string& path, StreamSpec spec) {
    on(method, path, [this, spec](const httplib::Request&, httplib::Response& res) {
      res.status = spec.status;
      for (const auto& [name, value] : spec.headers)
        res.set_header(name, value);
      res.set_chunked_content_provider(
          spec.content_type,
          [this, spec](size_t, httplib::DataSink& sink) { return send_chunks(spec, sink); });
    });
  }

  // Never answers: the handler waits until the server is destroyed.
  void hang(const std::string& method, const std::string& path) {
    on(method, path, [this](const httplib::Request&, httplib::Response& res) {
      wait_until_stopped();
      res.status = 503;
    });
  }

  // For custom handlers: sleeps for `d`, or less when the server is being destroyed. Returns
  // false when it is (the handler should return at once).
  bool sleep_for(std::chrono::milliseconds d) {
    std::unique_lock lock(mu_);
    return !cv_.wait_for(lock, d, [this] { return stopping_; });
  }
  void wait_until_stopped() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [this] { return stopping_; });
  }

  [[nodiscard]] std::vector<RecordedRequest> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }
  [[nodiscard]] std::size_t request_count() const {
    std::lock_guard lock(mu_);
    return requests_.size();
  }
  [[nodiscard]] std::size_t connection_count() const {
    std::lock_guard lock(mu_);
    return connections_.size();
  }

 private:
  bool send_chunks(const StreamSpec& spec, httplib::DataSink& sink) {
    for (const std::string& chunk : spec.chunks) {
      if (spec.delay.count() > 0 && !sleep_for(spec.delay)) return false;
      if (!sink.write(chunk.data(), chunk.size())) return false;
    }
    switch (spec.end) {
      case StreamEnd::kComplete:
        sink.done();
        return true;
      case StreamEnd::kHang:
        wait_until_stopped();
        return false;
      case StreamEnd::kDrop:
        return false;  // httplib closes the connection without the last chunk
    }
    return false;
  }

  void record(const httplib::Request& req) {
    std::lock_guard lock(mu_);
    requests_.push_back(RecordedRequest{req.method, req.path, req.headers, req.params, req.body,
                                        req.remote_addr, req.remote_port});
    connections_.emplace(req.remote_addr, req.remote_port);
  }

  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::vector<RecordedRequest> requests_;
  std::set<std::pair<std::string, int>> connections_;
};

// A port on 127.0.0.1 that nothing listens on (bound once, then released).
inline int closed_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    if (fd >= 0) ::close(fd);
    throw std::runtime_error("closed_loopback_port: bind failed");
  }
  const int port = ntohs(addr.sin_port);
  ::close(fd);
  return port;
}

// Answers each connection, after reading the request head, with `response` verbatim, then
// closes it: with `reset`, as a TCP reset (SO_LINGER 0), else normally. One connection at a
// time; the request body is not read.
class RawTcpServer {
 public:
  RawTcpServer(std::string response, bool reset) : response_(std::move(response)), reset_(reset) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
        ::listen(fd_, 16) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      if (fd_ >= 0) ::close(fd_);
      throw std::runtime_error("raw tcp server: bind failed");
    }
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~RawTcpServer() {
    stop_ = true;
    thread_.join();
    ::close(fd_);
  }
  RawTcpServer(const RawTcpServer&) = delete;
  RawTcpServer& operator=(const RawTcpServer&) = delete;

  [[nodiscard]] int port() const { return port_; }
  [[nodiscard]] std::string url(const std::string& path = "") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  [[nodiscard]] int connections() const { return connections_.load(); }

 private:
  static bool readable(int fd, int timeout_ms) {
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, timeout_ms) > 0;
  }

  void serve() {
    while (!stop_) {
      if (!readable(fd_, 20)) continue;
      const int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) continue;
      ++connections_;
      std::string head;
      char buf[4096];
      while (head.find("\r\n\r\n") == std::string::npos && !stop_ && readable(c, 2000)) {
        const ssize_t n = ::recv(c, buf, sizeof(buf), 0);
        if (n <= 0) break;
        head.append(buf, static_cast<std::size_t>(n));
      }
      for (std::size_t sent = 0; sent < response_.size();) {
        const ssize_t n = ::send(c, response_.data() + sent, response_.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) break;
        sent += static_cast<std::size_t>(n);
      }
      if (reset_) {
        // Let the client read what was sent first, so the reset lands mid-body.
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        linger l{1, 0};
        ::setsockopt(c, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
      }
      ::close(c);
    }
  }

  std::string response_;
  bool reset_;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  std::thread thread_;
};

}  // namespace sakai::test
