// libcurl (and its TLS stack) is opened by the first request, not when the client is made: a bot
// that makes no request never maps it, and without libcurl4 a request fails with kUnavailable
// naming the package. Each check runs in a fresh copy of this binary (support/fresh_process.h),
// since the other tests here load libcurl.
#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>

#include "core/event_loop.h"
#include "core/shared_library.h"
#include "net/curl_http_client.h"
#include "net/curl_library.h"
#include "support/fresh_process.h"
#include "support/loopback_server.h"
#include "support/run_loop.h"

namespace sakai::net {
namespace {

using sakai::testing::child_check;
using sakai::testing::in_fresh_process;
using sakai::testing::mapped;

HttpRequest get(std::string url) {
  HttpRequest r;
  r.method = "GET";
  r.url = std::move(url);
  r.timeout = std::chrono::milliseconds(5000);
  return r;
}

// Sends `request` and runs the loop until it is answered (or 10 s pass).
std::optional<Result<HttpResponse>> fetch(EventLoop& loop, HttpClient& client,
                                          HttpRequest request) {
  std::optional<Result<HttpResponse>> got;
  client.start(std::move(request), nullptr, [&](Result<HttpResponse> r) { got.emplace(r); });
  sakai::testing::run_until_idle_or_timeout(loop, std::chrono::milliseconds(10000));
  return got;
}

TEST(CurlLibrary, TheFirstRequestLoadsLibcurlNotTheClient) {
  in_fresh_process([] {
    test::LoopbackServer srv;
    srv.reply("GET", "/ping", 200, "pong");
    SystemClock clock;
    EventLoop loop(clock);
    {
      CurlHttpClient idle(loop);  // made and dropped without a request
    }
    CurlHttpClient client(loop);
    child_check(!curl_loaded() && !mapped("libcurl"), "libcurl is loaded before any request");
    auto got = fetch(loop, client, get(srv.url("/ping")));
    child_check(got.has_value() && got->is_ok(),
                "request: " + (got ? got->status().to_string() : std::string("no answer")));
    child_check((*got)->body == "pong", "body: " + (*got)->body);
    child_check(curl_loaded() && mapped("libcurl.so.4"), "libcurl not loaded after a request");
  });
}

TEST(CurlLibrary, WithoutLibcurlEveryRequestFailsNamingThePackage) {
  in_fresh_process([] {
    override_soname_for_testing("libcurl.so.4", "libcurl.so.missing");
    SystemClock clock;
    EventLoop loop(clock);
    CurlHttpClient client(loop);
    for (int i = 0; i < 2; ++i) {
      auto got = fetch(loop, client, get("http://127.0.0.1:9/never"));
      child_check(got.has_value(), "no answer");
      child_check(!got->is_ok() && got->status().code() == ErrorCode::kUnavailable,
                  "request: " + got->status().to_string());
      child_check(got->status().message().find("libcurl4") != std::string::npos,
                  "the error does not name the package: " + got->status().to_string());
    }
    child_check(!curl_loaded(), "reports libcurl loaded");
  });
}

}  // namespace
}  // namespace sakai::net
