#include "net/curl_http_client.h"

#include <algorithm>
#include <array>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/log.h"
#include "core/text.h"
#include "net/curl_library.h"
#include "net/url.h"

namespace sakai::net {
namespace {

using SteadyClock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Loop-thread side of a request: the caller's callbacks never leave the loop thread, so they
// are also destroyed there.
struct LoopEntry {
  std::function<void(const HttpResponse&, std::string_view)> on_chunk;
  std::function<void(Result<HttpResponse>)> on_done;
  bool cancelled = false;
};
using Registry = std::unordered_map<HttpRequestId, LoopEntry>;

// "host:port" of a URL for messages, or the redacted URL when it does not parse.
std::string host_of(std::string_view url) {
  const auto u = parse_url(url);
  if (!u) return redact_url(url);
  std::string host = u->host.find(':') != std::string::npos ? "[" + u->host + "]" : u->host;
  return host + ":" + std::to_string(u->effective_port());
}

bool has_crlf(std::string_view s) {
  return s.find_first_of("\r\n") != std::string_view::npos;
}

void replace_all(std::string& s, std::string_view what, std::string_view with) {
  if (what.empty()) return;
  for (auto pos = s.find(what); pos != std::string::npos; pos = s.find(what, pos + with.size())) {
    s.replace(pos, what.size(), with);
  }
}

}  // namespace

struct CurlHttpClient::Impl {
  // I/O-thread side of a request. Holds no caller callbacks.
  struct Transfer {
    Impl* impl = nullptr;
    HttpRequestId id = 0;
    HttpRequest request;
    bool streaming = false;
    std::string proxy;     // effective proxy, "" = none
    std::string what;      // "POST https://host/path" for messages, redacted
    CURL* easy = nullptr;  // owned; added to the multi handle while active
    curl_slist* header_list = nullptr;
    std::array<char, CURL_ERROR_SIZE> errbuf{};
    HttpResponse response;
    std::shared_ptr<const HttpResponse> head;  // streaming: status and headers, once known
    bool connected = false;
    SteadyClock::time_point last_activity;

    // easy and header_list exist only once libcurl is loaded (configure()).
    ~Transfer() {
      if (easy != nullptr) impl->curl->easy_cleanup(easy);
      if (header_list != nullptr) impl->curl->slist_free_all(header_list);
    }
  };

  // Nothing is loaded or started here: libcurl and the I/O thread come with the first request.
  Impl(EventLoop& event_loop, CurlHttpClientOptions opts)
      : loop(event_loop), options(std::move(opts)) {}

  ~Impl() {
    if (!thread.joinable()) return;  // no request was ever made
    {
      std::lock_guard lock(mu);
      stopping = true;
    }
    wake();
    thread.join();
    if (multi != nullptr) curl->multi_cleanup(multi);
  }

  // Loop thread: the I/O thread starts with the first request.
  void start_thread() {
    if (!thread.joinable()) thread = std::thread([this] { run(); });
  }

  // Any thread: gets the I/O thread out of curl_multi_poll(), or out of its wait while libcurl
  // is still loading or failed to load.
  void wake() {
    std::lock_guard lock(mu);
    if (multi != nullptr) {
      curl->multi_wakeup(multi);
    } else {
      wakeup.notify_one();
    }
  }

  // ---- I/O thread ----

  // libcurl (dlopen and curl_global_init on the process's first request) and the multi handle.
  Status open() {
    auto api = curl_api();
    if (!api.is_ok()) return api.status();
    curl = *api;
    CURLM* m = curl->multi_init();
    if (m == nullptr) return make_error(ErrorCode::kInternal, "curl_multi_init failed");
    curl->multi_setopt(m, CURLMOPT_MAX_HOST_CONNECTIONS, options.max_host_connections);
    curl->multi_setopt(m, CURLMOPT_MAX_TOTAL_CONNECTIONS, options.max_total_connections);
    curl->multi_setopt(m, CURLMOPT_MAXCONNECTS, options.max_total_connections);
    curl->multi_setopt(m, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
    std::lock_guard lock(mu);
    multi = m;
    return Status::ok();
  }

  // Without libcurl every request fails with `why` (naming the package to install) until the
  // client goes.
  void refuse_all(const Status& why) {
    for (;;) {
      std::vector<std::unique_ptr<Transfer>> added;
      bool stop = false;
      {
        std::unique_lock lock(mu);
        wakeup.wait(lock, [this] { return stopping || !incoming.empty(); });
        added.swap(incoming);
        cancels.clear();
        stop = stopping;
      }
      for (auto& t : added) {
        const HttpRequestId id = t->id;
        active.emplace(id, std::move(t));
        finish(id, why);
      }
      if (stop) return;
    }
  }

  void run() {
    if (Status s = open(); !s.is_ok()) {
      refuse_all(s);
      return;
    }
    while (true) {
      std::vector<std::unique_ptr<Transfer>> added;
      std::vector<HttpRequestId> cancelled;
      bool stop = false;
      {
        std::lock_guard lock(mu);
        added.swap(incoming);
        cancelled.swap(cancels);
        stop = stopping;
      }
      for (auto& t : added)
        add(std::move(t));
      for (const HttpRequestId id : cancelled) {
        if (active.count(id) != 0) finish(id, make_error(ErrorCode::kCancelled, "cancelled"));
      }
      if (stop) break;

      int running = 0;
      curl->multi_perform(multi, &running);
      int queued = 0;
      while (CURLMsg* msg = curl->multi_info_read(multi, &queued)) {
        if (msg->msg != CURLMSG_DONE) continue;
        Transfer* t = nullptr;
        curl->easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &t);
        const CURLcode code = msg->data.result;
        complete(*t, code);
      }
      const int wait_ms = check_idle();
      curl->multi_poll(multi, nullptr, 0, wait_ms, nullptr);
    }
    std::vector<HttpRequestId> left;
    left.reserve(active.size());
    for (const auto& [id, t] : active)
      left.push_back(id);
    for (const HttpRequestId id : left) {
      finish(id, make_error(ErrorCode::kCancelled, "cancelled: client shut down"));
    }
  }

  void add(std::unique_ptr<Transfer> t) {
    Transfer& ref = *t;
    const HttpRequestId id = t->id;
    active.emplace(id, std::move(t));
    if (Status s = configure(ref); !s.is_ok()) {
      finish(id, s);
      return;
    }
    ref.last_activity = SteadyClock::now();
    if (curl->multi_add_handle(multi, ref.easy) != CURLM_OK) {
      curl->easy_cleanup(ref.easy);
      ref.easy = nullptr;
      finish(id, make_error(ErrorCode::kInternal, "curl_multi_add_handle failed"));
    }
  }

  Status configure(Transfer& t) {
    const HttpRequest& r = t.request;
    t.easy = curl->easy_init();
    if (t.easy == nullptr) return make_error(ErrorCode::kInternal, "curl_easy_init failed");
    CURL* e = t.easy;
    for (const auto& [name, value] : r.headers) {
      if (name.empty() || has_crlf(name) || has_crlf(value) ||
          name.find(':') != std::string::npos) {
        return make_error(ErrorCode::kInvalidArgument, "invalid header " + name);
      }
      // curl drops a header with an empty value unless it is written "Name;".
      const std::string line = value.empty() ? name + ";" : name + ": " + value;
      t.header_list = curl->slist_append(t.header_list, line.c_str());
    }
    // No 100-continue round trip; no form content type that the caller did not ask for.
    t.header_list = curl->slist_append(t.header_list, "Expect:");
    const bool has_content_type =
        std::any_of(r.headers.begin(), r.headers.end(),
                    [](const auto& h) { return text::ascii_lower(h.first) == "content-type"; });
    if (!has_content_type) t.header_list = curl->slist_append(t.header_list, "Content-Type:");

    CURLcode rc = CURLE_OK;
    auto set = [&](CURLoption opt, auto value) {
      if (rc == CURLE_OK) rc = curl->easy_setopt(e, opt, value);
    };
    set(CURLOPT_URL, r.url.c_str());
    set(CURLOPT_PROTOCOLS_STR, "http,https");
    set(CURLOPT_PRIVATE, static_cast<void*>(&t));
    set(CURLOPT_ERRORBUFFER, t.errbuf.data());
    set(CURLOPT_NOSIGNAL, 1L);
    set(CURLOPT_SSL_VERIFYPEER, 1L);
    set(CURLOPT_SSL_VERIFYHOST, 2L);
    set(CURLOPT_PROXY_SSL_VERIFYPEER, 1L);
    set(CURLOPT_PROXY_SSL_VERIFYHOST, 2L);
    if (!options.ca_file.empty()) set(CURLOPT_CAINFO, options.ca_file.c_str());
    set(CURLOPT_TCP_KEEPALIVE, 1L);
    set(CURLOPT_PIPEWAIT, 1L);  // wait for a connection that may multiplex rather than open more
    set(CURLOPT_FOLLOWLOCATION, 0L);
    set(CURLOPT_USERAGENT, options.user_agent.c_str());
    set(CURLOPT_HTTPHEADER, t.header_list);
    // "" turns off proxies from the environment as well.
    set(CURLOPT_PROXY, t.proxy.c_str());
    set(CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
    if (r.timeout.count() > 0) set(CURLOPT_TIMEOUT_MS, static_cast<long>(r.timeout.count()));
    auto connect = options.connect_timeout;
    if (r.timeout.count() > 0) connect = std::min(connect, r.timeout);
    set(CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(connect.count()));
    // Compressed bodies for whole responses; streams stay plain so servers do not buffer them.
    if (!t.streaming) set(CURLOPT_ACCEPT_ENCODING, "");
    set(CURLOPT_WRITEFUNCTION, &Impl::on_write);
    set(CURLOPT_WRITEDATA, static_cast<void*>(&t));
    set(CURLOPT_HEADERFUNCTION, &Impl::on_header);
    set(CURLOPT_HEADERDATA, static_cast<void*>(&t));
    set(CURLOPT_PREREQFUNCTION, &Impl::on_prereq);
    set(CURLOPT_PREREQDATA, static_cast<void*>(&t));

    const std::string method = text::ascii_lower(r.method);
    if (method == "head") {
      set(CURLOPT_NOBODY, 1L);
    } else if (method == "post" || !r.body.empty()) {
      set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.size()));
      set(CURLOPT_POSTFIELDS, r.body.data());
      if (method != "post") set(CURLOPT_CUSTOMREQUEST, r.method.c_str());
    } else {
      set(CURLOPT_HTTPGET, 1L);
      if (method != "get") set(CURLOPT_CUSTOMREQUEST, r.method.c_str());
    }
    if (rc != CURLE_OK) {
      return make_error(ErrorCode::kInternal,
                        std::string("curl setup: ") + curl->easy_strerror(rc));
    }
    return Status::ok();
  }

  static size_t on_header(char* data, size_t size, size_t count, void* user) {
    auto& t = *static_cast<Transfer*>(user);
    const size_t n = size * count;
    t.last_activity = SteadyClock::now();
    std::string_view line(data, n);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r'))
      line.remove_suffix(1);
    if (line.rfind("HTTP/", 0) == 0) {
      // A new status line (after 1xx, or a proxy's CONNECT answer): start over.
      t.response.headers.clear();
      const auto sp = line.find(' ');
      if (sp != std::string_view::npos) {
        t.response.status = static_cast<int>(text::parse_int(line.substr(sp + 1, 3)).value_or(0));
      }
      return n;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return n;
    t.response.headers[text::ascii_lower(text::trim(line.substr(0, colon)))] =
        std::string(text::trim(line.substr(colon + 1)));
    return n;
  }

  static size_t on_write(char* data, size_t size, size_t count, void* user) {
    auto& t = *static_cast<Transfer*>(user);
    const size_t n = size * count;
    t.last_activity = SteadyClock::now();
    if (!t.streaming) {
      t.response.body.append(data, n);
      return n;
    }
    if (!t.head) {
      long status = 0;
      t.impl->curl->easy_getinfo(t.easy, CURLINFO_RESPONSE_CODE, &status);
      if (status != 0) t.response.status = static_cast<int>(status);
      t.head = std::make_shared<const HttpResponse>(t.response);
    }
    if (n == 0) return n;
    t.impl->loop.post(
        [reg = t.impl->registry, id = t.id, head = t.head, chunk = std::string(data, n)] {
          auto it = reg->find(id);
          if (it == reg->end() || it->second.cancelled || !it->second.on_chunk) return;
          it->second.on_chunk(*head, chunk);
        });
    return n;
  }

  static int on_prereq(void* user, char*, char*, int, int) {
    auto& t = *static_cast<Transfer*>(user);
    t.connected = true;
    t.last_activity = SteadyClock::now();
    return CURL_PREREQFUNC_OK;
  }

  // Fails streams that went quiet; returns how long curl_multi_poll may wait.
  int check_idle() {
    const auto now = SteadyClock::now();
    milliseconds wait(1000);
    std::vector<HttpRequestId> idle;
    for (const auto& [id, t] : active) {
      if (!t->streaming || !t->connected || t->request.idle_timeout.count() <= 0) continue;
      const auto deadline = t->last_activity + t->request.idle_timeout;
      if (deadline <= now) {
        idle.push_back(id);
      } else {
        wait = std::min(wait, std::chrono::ceil<milliseconds>(deadline - now));
      }
    }
    for (const HttpRequestId id : idle) {
      const auto ms = active[id]->request.idle_timeout.count();
      finish(id, make_error(ErrorCode::kDeadlineExceeded,
                            "no data for " + std::to_string(ms) + " ms (idle timeout)"));
    }
    return idle.empty() ? static_cast<int>(wait.count()) : 0;
  }

  void complete(Transfer& t, CURLcode code) {
    if (code == CURLE_OK) {
      long status = 0;
      curl->easy_getinfo(t.easy, CURLINFO_RESPONSE_CODE, &status);
      t.response.status = static_cast<int>(status);
      HttpResponse response = std::move(t.response);
      finish(t.id, std::move(response));
      return;
    }
    finish(t.id, transport_error(t, code));
  }

  // Curl's own words, with anything secret from the URL or proxy removed.
  std::string scrubbed_detail(const Transfer& t) const {
    std::string detail(t.errbuf.data());
    while (!detail.empty() && (detail.back() == '\n' || detail.back() == ' '))
      detail.pop_back();
    replace_all(detail, t.request.url, redact_url(t.request.url));
    if (!t.proxy.empty()) replace_all(detail, t.proxy, redact_url(t.proxy));
    for (const std::string& raw : {t.request.url, t.proxy}) {
      const auto q = raw.find_first_of("?#");
      if (q != std::string::npos && q + 1 < raw.size())
        replace_all(detail, raw.substr(q + 1), "***");
      if (const auto u = parse_url(raw)) {
        if (u->password.size() >= 3) replace_all(detail, u->password, "***");
        if (u->user.size() >= 3) replace_all(detail, u->user, "***");
      }
    }
    return detail;
  }

  Status transport_error(const Transfer& t, CURLcode code) const {
    const std::string detail = scrubbed_detail(t);
    const std::string host = host_of(t.request.url);
    const std::string proxy = t.proxy.empty() ? "" : redact_url(t.proxy);
    std::string msg;
    ErrorCode ec = ErrorCode::kUnavailable;
    switch (code) {
      case CURLE_OPERATION_TIMEDOUT:
        ec = ErrorCode::kDeadlineExceeded;
        msg = "timed out";
        break;
      case CURLE_COULDNT_RESOLVE_HOST:
        msg = "could not resolve host " + host;
        break;
      case CURLE_COULDNT_RESOLVE_PROXY:
        msg = "could not resolve proxy " + proxy;
        break;
      case CURLE_COULDNT_CONNECT:
        msg = proxy.empty() ? "could not connect to " + host
                            : "could not connect through proxy " + proxy + " to " + host;
        break;
      case CURLE_PROXY:
        msg = "proxy " + proxy + " failed to reach " + host;
        break;
      case CURLE_SEND_ERROR:
      case CURLE_RECV_ERROR:
      case CURLE_PARTIAL_FILE:
      case CURLE_GOT_NOTHING:
      case CURLE_HTTP2:
      case CURLE_HTTP2_STREAM:
        msg = "connection reset by " + host;
        break;
      case CURLE_SSL_CONNECT_ERROR:
      case CURLE_PEER_FAILED_VERIFICATION:
      case CURLE_SSL_CACERT_BADFILE:
      case CURLE_SSL_CERTPROBLEM:
      case CURLE_SSL_CIPHER:
        msg = "TLS with " + host + " failed";
        break;
      case CURLE_UNSUPPORTED_PROTOCOL:
      case CURLE_URL_MALFORMAT:
        ec = ErrorCode::kInvalidArgument;
        msg = "bad URL";
        break;
      default:
        ec = ErrorCode::kInternal;
        msg = curl->easy_strerror(code);
        break;
    }
    if (!detail.empty()) msg += " (" + detail + ")";
    return make_error(ec, msg);
  }

  // Ends a transfer: off the multi handle, on_done posted, end_work().
  void finish(HttpRequestId id, Result<HttpResponse> result) {
    auto node = active.extract(id);
    if (node.empty()) return;
    std::unique_ptr<Transfer> t = std::move(node.mapped());
    if (t->easy != nullptr) curl->multi_remove_handle(multi, t->easy);
    if (!result.is_ok()) {
      result = result.status().with_context("http: " + t->what);
      if (options.logger != nullptr && result.status().code() != ErrorCode::kCancelled) {
        options.logger->debug("http", "request failed", {{"error", result.status().message()}});
      }
    }
    const std::string what = t->what;
    t.reset();
    loop.post([reg = registry, id, what, result = std::move(result)]() mutable {
      auto entry = reg->extract(id);
      if (entry.empty() || !entry.mapped().on_done) return;
      if (entry.mapped().cancelled) {
        entry.mapped().on_done(make_error(ErrorCode::kCancelled, "http: " + what + ": cancelled"));
      } else {
        entry.mapped().on_done(std::move(result));
      }
    });
    loop.end_work();
  }

  EventLoop& loop;
  CurlHttpClientOptions options;
  // Loop thread only; shared with posted tasks so they stay valid after the client is gone.
  std::shared_ptr<Registry> registry = std::make_shared<Registry>();
  HttpRequestId next_id = 1;      // loop thread
  const CurlApi* curl = nullptr;  // set by the I/O thread before `multi`

  std::mutex mu;                   // guards the members below
  std::condition_variable wakeup;  // wake() before `multi` exists
  CURLM* multi = nullptr;          // written once by the I/O thread; read by it without the lock
  std::vector<std::unique_ptr<Transfer>> incoming;
  std::vector<HttpRequestId> cancels;
  bool stopping = false;

  std::unordered_map<HttpRequestId, std::unique_ptr<Transfer>> active;  // I/O thread
  std::thread thread;
};

CurlHttpClient::CurlHttpClient(EventLoop& loop, CurlHttpClientOptions options)
    : impl_(std::make_unique<Impl>(loop, std::move(options))) {}

CurlHttpClient::~CurlHttpClient() = default;

HttpRequestId CurlHttpClient::start(
    HttpRequest request, std::function<void(const HttpResponse&, std::string_view)> on_chunk,
    std::function<void(Result<HttpResponse>)> on_done) {
  Impl& impl = *impl_;
  const HttpRequestId id = impl.next_id++;
  auto t = std::make_unique<Impl::Transfer>();
  t->impl = &impl;
  t->id = id;
  t->streaming = static_cast<bool>(on_chunk);
  t->proxy = request.proxy.value_or(impl.options.proxy.value_or(""));
  t->what = request.method + " " + redact_url(request.url);
  t->request = std::move(request);
  impl.registry->emplace(id, LoopEntry{std::move(on_chunk), std::move(on_done), false});
  impl.loop.begin_work();
  {
    std::lock_guard lock(impl.mu);
    impl.incoming.push_back(std::move(t));
  }
  impl.start_thread();
  impl.wake();
  return id;
}

void CurlHttpClient::cancel(HttpRequestId id) {
  Impl& impl = *impl_;
  auto it = impl.registry->find(id);
  if (it == impl.registry->end() || it->second.cancelled) return;
  it->second.cancelled = true;
  {
    std::lock_guard lock(impl.mu);
    impl.cancels.push_back(id);
  }
  impl.wake();
}

}  // namespace sakai::net
