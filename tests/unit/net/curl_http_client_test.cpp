// CurlHttpClient against loopback servers (tests/support/loopback_server.h). Nothing here leaves
// 127.0.0.1; every timeout is short.
#include "net/curl_http_client.h"

#include <gtest/gtest.h>

#include <sstream>
#include <thread>

#include "core/log.h"
#include "net/retry.h"
#include "net/sse_parser.h"
#include "support/loopback_server.h"
#include "support/run_loop.h"

namespace sakai::net {
namespace {

using std::chrono::milliseconds;
using test::LoopbackServer;
using test::StreamEnd;
using test::StreamSpec;

// What one request delivered to its callbacks.
struct Outcome {
  std::vector<std::string> chunks;
  std::vector<int> chunk_statuses;
  std::optional<Result<HttpResponse>> result;
  int done_calls = 0;
  bool chunk_after_done = false;

  [[nodiscard]] std::string body() const {
    std::string s;
    for (const auto& c : chunks)
      s += c;
    return s;
  }
  [[nodiscard]] ErrorCode code() const {
    return result ? result->status().code() : ErrorCode::kInternal;
  }
  [[nodiscard]] std::string message() const { return result ? result->status().message() : ""; }
};

class CurlHttpClientTest : public ::testing::Test {
 protected:
  // Runs the loop until every request has finished (the client holds it open with
  // begin_work/end_work); a watchdog stops it after `limit` so a bug cannot hang the suite.
  void run(milliseconds limit = milliseconds(10000)) {
    sakai::testing::run_until_idle_or_timeout(loop_, limit);
  }

  HttpRequestId start(HttpClient& client, HttpRequest req, Outcome& out, bool stream = false) {
    std::function<void(const HttpResponse&, std::string_view)> on_chunk;
    if (stream) {
      on_chunk = [&out](const HttpResponse& head, std::string_view chunk) {
        if (out.done_calls > 0) out.chunk_after_done = true;
        out.chunks.emplace_back(chunk);
        out.chunk_statuses.push_back(head.status);
      };
    }
    return client.start(std::move(req), std::move(on_chunk), [&out](Result<HttpResponse> r) {
      ++out.done_calls;
      out.result = std::move(r);
    });
  }

  Outcome fetch(HttpClient& client, HttpRequest req, bool stream = false) {
    Outcome out;
    start(client, std::move(req), out, stream);
    run();
    EXPECT_EQ(out.done_calls, 1);
    EXPECT_FALSE(out.chunk_after_done);
    return out;
  }

  static HttpRequest get(std::string url) {
    HttpRequest r;
    r.method = "GET";
    r.url = std::move(url);
    r.timeout = milliseconds(5000);
    return r;
  }

  SystemClock clock_;
  EventLoop loop_{clock_};
};

TEST_F(CurlHttpClientTest, GetRoundTripWithHeaders) {
  LoopbackServer srv;
  srv.reply("GET", "/hello", 200, "hi there", "text/plain",
            {{"X-Custom-Thing", "Value 1"}, {"X-Request-Id", "abc"}});
  CurlHttpClient client(loop_);
  HttpRequest req = get(srv.url("/hello?lang=en"));
  req.headers = {{"Authorization", "Bearer t0k"}, {"X-Client", "sakai"}};
  const Outcome out = fetch(client, req);
  ASSERT_TRUE(out.result->is_ok()) << out.message();
  const HttpResponse& res = out.result->value();
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body, "hi there");
  EXPECT_EQ(res.headers.at("x-custom-thing"), "Value 1");  // names lower-cased
  EXPECT_EQ(res.headers.at("content-type"), "text/plain");
  const auto seen = srv.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, "GET");
  EXPECT_EQ(seen[0].path, "/hello");
  EXPECT_EQ(seen[0].params.find("lang")->second, "en");
  EXPECT_EQ(seen[0].headers.find("Authorization")->second, "Bearer t0k");
  EXPECT_EQ(seen[0].headers.find("X-Client")->second, "sakai");
}

TEST_F(CurlHttpClientTest, PostRoundTripWithBody) {
  LoopbackServer srv;
  srv.on("POST", "/echo", [](const httplib::Request& req, httplib::Response& res) {
    res.status = 201;
    res.set_header("X-Got-Type", req.get_header_value("Content-Type"));
    res.set_content(req.body, "application/json");
  });
  CurlHttpClient client(loop_);
  HttpRequest req;
  req.url = srv.url("/echo");
  req.headers = {{"Content-Type", "application/json"}};
  req.body = std::string("{\"text\":\"Салам\",\"nul\":\"") + std::string(1, '\0') + "\"}";
  const Outcome out = fetch(client, req);
  ASSERT_TRUE(out.result->is_ok()) << out.message();
  EXPECT_EQ(out.result->value().status, 201);
  EXPECT_EQ(out.result->value().body, req.body);  // binary-safe both ways
  EXPECT_EQ(out.result->value().headers.at("x-got-type"), "application/json");
  EXPECT_EQ(srv.requests().at(0).headers.count("Expect"), 0u);
}

TEST_F(CurlHttpClientTest, PostWithoutContentTypeSendsNone) {
  LoopbackServer srv;
  srv.reply("POST", "/x", 200, "ok");
  CurlHttpClient client(loop_);
  HttpRequest req;
  req.url = srv.url("/x");
  req.body = "raw";
  ASSERT_TRUE(fetch(client, req).result->is_ok());
  EXPECT_EQ(srv.requests().at(0).headers.count("Content-Type"), 0u);
  EXPECT_EQ(srv.requests().at(0).body, "raw");
}

TEST_F(CurlHttpClientTest, LargeCompressibleBodyArrivesIntact) {
  LoopbackServer srv;
  std::string big;
  for (int i = 0; i < 5000; ++i)
    big += "{\"n\":" + std::to_string(i) + "},";
  srv.reply("GET", "/big", 200, big, "application/json");
  CurlHttpClient client(loop_);
  const Outcome out = fetch(client, get(srv.url("/big")));
  ASSERT_TRUE(out.result->is_ok()) << out.message();
  EXPECT_EQ(out.result->value().body, big);
}

TEST_F(CurlHttpClientTest, StreamedChunksArriveInOrderAndSseReassembles) {
  // Events split mid-event and inside multi-byte UTF-8 sequences ("я" = D1 8F, "😀" = F0 9F 98 80).
  const std::vector<std::string> chunks = {": comment\r\n\r\ndata: {\"t\":\"Прив",
                                           "ет, \xD1",
                                           "\x8F\"}\r\n",
                                           "\r\ndata: {\"t\":\"\xF0\x9F",
                                           "\x98\x80\"}\r\n\r\nevent: done\r\nda",
                                           "ta: [DONE]\r\n\r\n"};
  LoopbackServer srv;
  StreamSpec spec;
  spec.chunks = chunks;
  spec.delay = milliseconds(15);
  spec.headers = {{"X-Stream", "1"}};
  srv.stream("POST", "/stream", spec);
  CurlHttpClient client(loop_);

  Outcome out;
  SseParser parser;
  std::vector<SseEvent> events;
  HttpRequest req;
  req.url = srv.url("/stream");
  req.body = "{}";
  req.idle_timeout = milliseconds(2000);
  client.start(
      req,
      [&](const HttpResponse& head, std::string_view chunk) {
        EXPECT_EQ(out.done_calls, 0);
        EXPECT_EQ(head.status, 200);
        EXPECT_EQ(head.headers.at("x-stream"), "1");
        EXPECT_EQ(head.headers.at("content-type"), "text/event-stream");
        EXPECT_TRUE(head.body.empty());
        out.chunks.emplace_back(chunk);
        for (auto& e : parser.feed(chunk))
          events.push_back(std::move(e));
      },
      [&](Result<HttpResponse> r) {
        ++out.done_calls;
        for (auto& e : parser.finish())
          events.push_back(std::move(e));
        out.result = std::move(r);
      });
  run();
  ASSERT_EQ(out.done_calls, 1);
  ASSERT_TRUE(out.result->is_ok()) << out.message();
  EXPECT_EQ(out.result->value().status, 200);
  EXPECT_TRUE(out.result->value().body.empty());  // the body went to on_chunk
  EXPECT_EQ(out.result->value().headers.at("x-stream"), "1");
  std::string all;
  for (const auto& c : chunks)
    all += c;
  EXPECT_EQ(out.body(), all);
  EXPECT_GE(out.chunks.size(), 3u);  // delivered as it arrived, not at the end
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].data, "{\"t\":\"Привет, я\"}");
  EXPECT_EQ(events[1].data, "{\"t\":\"😀\"}");
  EXPECT_EQ(events[2].event, "done");
  EXPECT_EQ(events[2].data, "[DONE]");
  EXPECT_TRUE(parser.non_sse_tail().empty());
}

TEST_F(CurlHttpClientTest, ErrorStatusIsStreamedWithItsHead) {
  LoopbackServer srv;
  StreamSpec spec;
  spec.status = 503;
  spec.content_type = "application/json";
  spec.chunks = {"{\"error\":", "{\"code\":503}}"};
  srv.stream("POST", "/s", spec);
  CurlHttpClient client(loop_);
  HttpRequest req;
  req.url = srv.url("/s");
  const Outcome out = fetch(client, req, /*stream=*/true);
  ASSERT_TRUE(out.result->is_ok()) << out.message();
  EXPECT_EQ(out.result->value().status, 503);
  EXPECT_EQ(out.body(), "{\"error\":{\"code\":503}}");
  for (int s : out.chunk_statuses)
    EXPECT_EQ(s, 503);
}

TEST_F(CurlHttpClientTest, ConcurrentRequestsShareFewConnections) {
  LoopbackServer srv;
  srv.on("GET", R"(/n/(\d+))", [&srv](const httplib::Request& req, httplib::Response& res) {
    srv.sleep_for(milliseconds(10));
    res.set_content("n=" + req.matches[1].str(), "text/plain");
  });
  CurlHttpClientOptions opts;
  opts.max_host_connections = 3;
  CurlHttpClient client(loop_, opts);
  constexpr int kWaves = 2;
  constexpr int kPerWave = 15;
  for (int wave = 0; wave < kWaves; ++wave) {
    std::vector<Outcome> outs(kPerWave);
    for (int i = 0; i < kPerWave; ++i) {
      start(client, get(srv.url("/n/" + std::to_string(i))), outs[static_cast<std::size_t>(i)]);
    }
    run();
    for (int i = 0; i < kPerWave; ++i) {
      const Outcome& o = outs[static_cast<std::size_t>(i)];
      ASSERT_EQ(o.done_calls, 1);
      ASSERT_TRUE(o.result->is_ok()) << o.message();
      EXPECT_EQ(o.result->value().body, "n=" + std::to_string(i));
    }
  }
  EXPECT_EQ(srv.request_count(), static_cast<std::size_t>(kWaves * kPerWave));
  EXPECT_GE(srv.connection_count(), 1u);
  EXPECT_LE(srv.connection_count(), 3u);  // never more than max_host_connections, and reused
}

TEST_F(CurlHttpClientTest, TotalTimeoutWhenServerHangs) {
  LoopbackServer srv;
  srv.hang("GET", "/hang");
  CurlHttpClient client(loop_);
  HttpRequest req = get(srv.url("/hang?key=SECRET_TOTAL"));
  req.timeout = milliseconds(300);
  const auto t0 = std::chrono::steady_clock::now();
  const Outcome out = fetch(client, req);
  const auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_EQ(out.code(), ErrorCode::kDeadlineExceeded) << out.message();
  EXPECT_NE(out.message().find("timed out"), std::string::npos) << out.message();
  EXPECT_EQ(out.message().find("SECRET_TOTAL"), std::string::npos) << out.message();
  EXPECT_GE(took, milliseconds(250));
  EXPECT_LT(took, milliseconds(3000));
}

TEST_F(CurlHttpClientTest, IdleTimeoutWhenStreamStalls) {
  LoopbackServer srv;
  StreamSpec spec;
  spec.chunks = {"data: first\n\n"};
  spec.end = StreamEnd::kHang;
  srv.stream("POST", "/stall", spec);
  CurlHttpClient client(loop_);
  HttpRequest req;
  req.url = srv.url("/stall");
  req.timeout = milliseconds(5000);
  req.idle_timeout = milliseconds(300);
  const auto t0 = std::chrono::steady_clock::now();
  const Outcome out = fetch(client, req, /*stream=*/true);
  const auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_EQ(out.code(), ErrorCode::kDeadlineExceeded) << out.message();
  EXPECT_NE(out.message().find("idle"), std::string::npos) << out.message();
  EXPECT_EQ(out.body(), "data: first\n\n");
  EXPECT_GE(took, milliseconds(250));
  EXPECT_LT(took, milliseconds(3000));
}

TEST_F(CurlHttpClientTest, IdleTimeoutDoesNotFireWhileBytesFlow) {
  LoopbackServer srv;
  StreamSpec spec;
  spec.chunks = {"a", "b", "c", "d", "e", "f"};
  spec.delay = milliseconds(100);
  srv.stream("GET", "/slow", spec);
  CurlHttpClient client(loop_);
  HttpRequest req = get(srv.url("/slow"));
  req.idle_timeout = milliseconds(400);
  const Outcome out = fetch(client, req, /*stream=*/true);
  ASSERT_TRUE(out.result->is_ok()) << out.message();
  EXPECT_EQ(out.body(), "abcdef");
}

TEST_F(CurlHttpClientTest, ConnectionResetMidStream) {
  // A TCP reset after part of a chunked body.
  test::RawTcpServer raw(
      "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
      "d\r\ndata: part\n\n\r\n",
      /*reset=*/true);
  CurlHttpClient client(loop_);
  const Outcome out = fetch(client, get(raw.url("/reset")), /*stream=*/true);
  EXPECT_EQ(out.code(), ErrorCode::kUnavailable) << out.message();
  EXPECT_NE(out.message().find("connection reset"), std::string::npos) << out.message();
}

TEST_F(CurlHttpClientTest, ConnectionClosedMidBody) {
  LoopbackServer srv;
  StreamSpec spec;
  spec.chunks = {"data: one\n\n"};
  spec.end = StreamEnd::kDrop;
  srv.stream("GET", "/drop", spec);
  CurlHttpClient client(loop_);
  const Outcome streamed = fetch(client, get(srv.url("/drop")), /*stream=*/true);
  EXPECT_EQ(streamed.code(), ErrorCode::kUnavailable) << streamed.message();
  EXPECT_NE(streamed.message().find("connection reset"), std::string::npos) << streamed.message();
  const Outcome whole = fetch(client, get(srv.url("/drop")));
  EXPECT_EQ(whole.code(), ErrorCode::kUnavailable) << whole.message();
}

TEST_F(CurlHttpClientTest, ConnectionRefusedNamesHost) {
  const int port = test::closed_loopback_port();
  CurlHttpClient client(loop_);
  const Outcome out = fetch(client, get("http://127.0.0.1:" + std::to_string(port) + "/v1"));
  EXPECT_EQ(out.code(), ErrorCode::kUnavailable) << out.message();
  EXPECT_NE(out.message().find("127.0.0.1:" + std::to_string(port)), std::string::npos)
      << out.message();
}

TEST_F(CurlHttpClientTest, ApiKeysNeverAppearInErrorsOrLogs) {
  const int port = test::closed_loopback_port();
  std::ostringstream log_sink;
  Logger logger(LogLevel::kDebug, LogFormat::kHuman, log_sink, clock_);
  CurlHttpClientOptions opts;
  opts.logger = &logger;
  CurlHttpClient client(loop_, opts);
  const std::string base = "http://user:PASSWORD1@127.0.0.1:" + std::to_string(port);
  const Outcome a = fetch(client, get(base + "/v1beta/models/x:generateContent?key=SECRET1"));
  const Outcome b = fetch(client, get(base + "/v1?alt=sse&key=SECRET1#frag"));
  for (const Outcome* o : {&a, &b}) {
    EXPECT_EQ(o->code(), ErrorCode::kUnavailable);
    EXPECT_EQ(o->message().find("SECRET1"), std::string::npos) << o->message();
    EXPECT_EQ(o->message().find("key="), std::string::npos) << o->message();
    EXPECT_EQ(o->message().find("PASSWORD1"), std::string::npos) << o->message();
  }
  EXPECT_NE(a.message().find("/v1beta/models/x:generateContent"), std::string::npos);
  EXPECT_NE(log_sink.str().find("request failed"), std::string::npos);
  EXPECT_EQ(log_sink.str().find("SECRET1"), std::string::npos) << log_sink.str();
  EXPECT_EQ(log_sink.str().find("PASSWORD1"), std::string::npos) << log_sink.str();
}

TEST_F(CurlHttpClientTest, RateLimitIsANormalResponse) {
  LoopbackServer srv;
  srv.reply("POST", "/chat", 429, R"({"error":{"message":"slow down"}})", "application/json",
            {{"Retry-After", "7"}, {"x-ratelimit-remaining-requests", "0"}});
  CurlHttpClient client(loop_);
  HttpRequest req;
  req.url = srv.url("/chat");
  const Outcome out = fetch(client, req);
  ASSERT_TRUE(out.result->is_ok()) << out.message();
  const HttpResponse& res = out.result->value();
  EXPECT_EQ(res.status, 429);
  EXPECT_EQ(res.headers.at("retry-after"), "7");
  EXPECT_EQ(res.headers.at("x-ratelimit-remaining-requests"), "0");
  EXPECT_EQ(retry_hint_from_headers(res.headers, clock_.wall_now()),
            Clock::Duration(std::chrono::seconds(7)));
}

TEST_F(CurlHttpClientTest, CancelEndsWithCancelledOnce) {
  LoopbackServer srv;
  srv.hang("GET", "/hang");
  CurlHttpClient client(loop_);
  Outcome out;
  const HttpRequestId id = start(client, get(srv.url("/hang")), out);
  loop_.post_after(milliseconds(50), [&] {
    client.cancel(id);
    client.cancel(id);  // twice: still one on_done
  });
  run();
  EXPECT_EQ(out.done_calls, 1);
  EXPECT_EQ(out.code(), ErrorCode::kCancelled) << out.message();
  client.cancel(id);  // after the end: ignored
  client.cancel(12345);
  run();
  EXPECT_EQ(out.done_calls, 1);
}

TEST_F(CurlHttpClientTest, CancelRightAfterStart) {
  LoopbackServer srv;
  srv.reply("GET", "/x", 200, "ok");
  CurlHttpClient client(loop_);
  Outcome out;
  client.cancel(start(client, get(srv.url("/x")), out));
  run();
  EXPECT_EQ(out.done_calls, 1);
  EXPECT_EQ(out.code(), ErrorCode::kCancelled);
}

TEST_F(CurlHttpClientTest, NoChunksAfterCancel) {
  LoopbackServer srv;
  StreamSpec spec;
  for (int i = 0; i < 40; ++i)
    spec.chunks.push_back("data: " + std::to_string(i) + "\n\n");
  spec.delay = milliseconds(5);
  srv.stream("GET", "/s", spec);
  CurlHttpClient client(loop_);
  Outcome out;
  HttpRequestId id = 0;
  std::size_t chunks_at_cancel = 0;
  id = client.start(
      get(srv.url("/s")),
      [&](const HttpResponse&, std::string_view chunk) {
        out.chunks.emplace_back(chunk);
        if (out.chunks.size() == 2) {
          client.cancel(id);
          chunks_at_cancel = out.chunks.size();
        }
      },
      [&](Result<HttpResponse> r) {
        ++out.done_calls;
        out.result = std::move(r);
      });
  run();
  EXPECT_EQ(out.done_calls, 1);
  EXPECT_EQ(out.code(), ErrorCode::kCancelled);
  EXPECT_EQ(out.chunks.size(), chunks_at_cancel);
}

TEST_F(CurlHttpClientTest, DestructorCancelsPendingRequests) {
  LoopbackServer srv;
  srv.hang("GET", "/hang");
  Outcome a;
  Outcome b;
  {
    CurlHttpClient client(loop_);
    start(client, get(srv.url("/hang")), a);
    start(client, get(srv.url("/hang")), b, /*stream=*/true);
    loop_.run_ready();
    std::this_thread::sleep_for(milliseconds(50));
  }
  run();
  EXPECT_EQ(a.done_calls, 1);
  EXPECT_EQ(a.code(), ErrorCode::kCancelled) << a.message();
  EXPECT_EQ(b.done_calls, 1);
  EXPECT_EQ(b.code(), ErrorCode::kCancelled) << b.message();
}

TEST_F(CurlHttpClientTest, ProxyToClosedPortNamesTheProxy) {
  const int port = test::closed_loopback_port();
  const std::string proxy = "http://127.0.0.1:" + std::to_string(port);
  CurlHttpClientOptions opts;
  opts.proxy = "http://puser:PROXYPASS@127.0.0.1:" + std::to_string(port);
  CurlHttpClient client(loop_, opts);
  // The target is never resolved: curl only talks to the proxy.
  const Outcome out = fetch(client, get("http://sakaibot-test.invalid/v1?key=SECRET2"));
  EXPECT_EQ(out.code(), ErrorCode::kUnavailable) << out.message();
  EXPECT_NE(out.message().find("proxy " + proxy), std::string::npos) << out.message();
  EXPECT_EQ(out.message().find("SECRET2"), std::string::npos) << out.message();
  EXPECT_EQ(out.message().find("PROXYPASS"), std::string::npos) << out.message();
}

TEST_F(CurlHttpClientTest, RequestProxyOverridesClientProxy) {
  LoopbackServer srv;
  srv.reply("GET", "/direct", 200, "direct");
  const int port = test::closed_loopback_port();
  CurlHttpClientOptions opts;
  opts.proxy = "http://127.0.0.1:" + std::to_string(port);
  CurlHttpClient client(loop_, opts);
  HttpRequest req = get(srv.url("/direct"));
  req.proxy = "";  // this request goes direct
  const Outcome direct = fetch(client, req);
  ASSERT_TRUE(direct.result->is_ok()) << direct.message();
  EXPECT_EQ(direct.result->value().body, "direct");

  CurlHttpClient plain(loop_);
  HttpRequest via = get(srv.url("/direct"));
  via.proxy = "socks5h://127.0.0.1:" + std::to_string(port);
  const Outcome proxied = fetch(plain, via);
  EXPECT_EQ(proxied.code(), ErrorCode::kUnavailable) << proxied.message();
  EXPECT_NE(proxied.message().find("socks5h://127.0.0.1:" + std::to_string(port)),
            std::string::npos)
      << proxied.message();
}

TEST_F(CurlHttpClientTest, BadRequestsFailCleanly) {
  CurlHttpClient client(loop_);
  const Outcome scheme = fetch(client, get("ftp://127.0.0.1/file?key=SECRET3"));
  EXPECT_EQ(scheme.code(), ErrorCode::kInvalidArgument) << scheme.message();
  EXPECT_EQ(scheme.message().find("SECRET3"), std::string::npos);

  HttpRequest injected = get("http://127.0.0.1:1/");
  injected.headers = {{"X-Evil", "a\r\nHost: other"}};
  const Outcome header = fetch(client, injected);
  EXPECT_EQ(header.code(), ErrorCode::kInvalidArgument) << header.message();
}

TEST_F(CurlHttpClientTest, OtherMethods) {
  LoopbackServer srv;
  srv.on("DELETE", "/item",
         [](const httplib::Request&, httplib::Response& res) { res.status = 204; });
  srv.on("PUT", "/item", [](const httplib::Request& req, httplib::Response& res) {
    res.set_content("put:" + req.body, "text/plain");
  });
  CurlHttpClient client(loop_);
  HttpRequest del = get(srv.url("/item"));
  del.method = "DELETE";
  const Outcome d = fetch(client, del);
  ASSERT_TRUE(d.result->is_ok()) << d.message();
  EXPECT_EQ(d.result->value().status, 204);
  HttpRequest put = get(srv.url("/item"));
  put.method = "PUT";
  put.body = "x";
  const Outcome p = fetch(client, put);
  ASSERT_TRUE(p.result->is_ok()) << p.message();
  EXPECT_EQ(p.result->value().body, "put:x");
}

}  // namespace
}  // namespace sakai::net
