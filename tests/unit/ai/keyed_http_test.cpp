// The keyed-HTTP layer (ai/http/keyed_http.h) itself, over real sockets: key rotation across
// calls, no other key after streamed output, cancellation mid-request, retry hints, request ids,
// transport causes, and no key in any error text.
#include "ai/http/keyed_http.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "ai/http/multipart.h"
#include "support/run_loop.h"
#include "unit/ai/loopback_llm.h"

namespace sakai::ai {
namespace {

using namespace std::chrono_literals;

// What a call ended with.
struct Ended {
  int done_calls = 0;
  bool inside_start = false;  // done ran before start()/send() returned (it must not)
  std::optional<ApiError> error;
  std::string body;  // a send()'s 2xx body
  [[nodiscard]] bool ok() const { return done_calls == 1 && !error; }
};

// A server that answers by key: a key in `refuse` gets that status and an OpenAI-style error,
// every other key a 200. Records the key of every request, in order.
struct ByKey {
  std::mutex mu;
  std::map<std::string, int> refuse;
  std::vector<std::string> seen;

  void set(std::map<std::string, int> r) {
    const std::lock_guard<std::mutex> lock(mu);
    refuse = std::move(r);
  }
  std::vector<std::string> keys() {
    const std::lock_guard<std::mutex> lock(mu);
    return seen;
  }
};

std::shared_ptr<ByKey> serve_by_key(test::LoopbackServer& srv, const std::string& path) {
  auto state = std::make_shared<ByKey>();
  srv.on("POST", path, [state](const httplib::Request& req, httplib::Response& res) {
    std::string key = req.get_header_value("Authorization");
    if (key.rfind("Bearer ", 0) == 0) key.erase(0, 7);
    const std::lock_guard<std::mutex> lock(state->mu);
    state->seen.push_back(key);
    const auto refused = state->refuse.find(key);
    if (refused == state->refuse.end()) {
      res.set_content(R"({"answer":"from )" + key + R"("})", "application/json");
      return;
    }
    res.status = refused->second;
    res.set_content(R"({"error":{"message":"refused","type":"x","param":null,"code":null}})",
                    "application/json");
  });
  return state;
}

class KeyedHttpTest : public testing::LoopbackLlmTest {
 protected:
  KeyedHttpOptions openai_options(std::vector<std::string> keys) {
    return KeyedHttpOptions{.provider = "openai",
                            .api_keys = std::move(keys),
                            .map_error = openai_error_mapper("openai")};
  }

  static net::HttpRequest post(const std::string& url, std::chrono::milliseconds timeout = 3000ms) {
    net::HttpRequest r;
    r.url = url;
    r.body = R"({"q":1})";
    r.headers.emplace_back("Content-Type", "application/json");
    r.timeout = timeout;
    return r;
  }

  Ended send(KeyedHttp& keyed, net::HttpRequest request, KeyHeader where = KeyHeader::bearer()) {
    auto ended = std::make_shared<Ended>();
    auto returned = std::make_shared<bool>(false);
    keyed.send(std::move(request), std::move(where),
               [ended, returned](ApiOutcome<net::HttpResponse> r) {
                 ++ended->done_calls;
                 ended->inside_start = !*returned;
                 if (r.ok()) {
                   ended->body = r.value().body;
                 } else {
                   ended->error = std::move(r.error());
                 }
               });
    *returned = true;
    sakai::testing::run_until_idle_or_timeout(loop_, 5000ms);
    EXPECT_EQ(ended->done_calls, 1);
    EXPECT_FALSE(ended->inside_start);
    return *ended;
  }
};

// --- Rotation --------------------------------------------------------------------------------

TEST_F(KeyedHttpTest, RotatesOnLimitedOrRefusedKeysAndLaterCallsStartFromTheOneThatWorked) {
  auto& srv = server();
  auto by_key = serve_by_key(srv, "/v1/thing");
  KeyedHttp keyed(http_, clock_, openai_options({"key-a", "key-b", "key-c"}));

  by_key->set({{"key-a", 429}, {"key-b", 401}});
  Ended first = send(keyed, post(srv.url("/v1/thing")));
  ASSERT_TRUE(first.ok()) << first.error->describe();
  EXPECT_EQ(first.body, R"({"answer":"from key-c"})");
  EXPECT_EQ(by_key->keys(), (std::vector<std::string>{"key-a", "key-b", "key-c"}));

  // The next call goes to key-c at once.
  ASSERT_TRUE(send(keyed, post(srv.url("/v1/thing"))).ok());
  EXPECT_EQ(by_key->keys().back(), "key-c");
  EXPECT_EQ(by_key->keys().size(), 4u);

  // key-c is refused now (403): the walk wraps around to key-a, and stays there.
  by_key->set({{"key-c", 403}});
  ASSERT_TRUE(send(keyed, post(srv.url("/v1/thing"))).ok());
  ASSERT_TRUE(send(keyed, post(srv.url("/v1/thing"))).ok());
  EXPECT_EQ(by_key->keys(), (std::vector<std::string>{"key-a", "key-b", "key-c", "key-c", "key-c",
                                                      "key-a", "key-a"}));
}

TEST_F(KeyedHttpTest, EveryKeyRefusedTriesEachOnceAndOtherErrorsDoNotRotate) {
  auto& srv = server();
  auto by_key = serve_by_key(srv, "/v1/thing");
  KeyedHttp keyed(http_, clock_, openai_options({"key-a", "key-b", "key-c"}));

  by_key->set({{"key-a", 429}, {"key-b", 429}, {"key-c", 429}});
  const Ended all = send(keyed, post(srv.url("/v1/thing")));
  ASSERT_TRUE(all.error.has_value());
  EXPECT_EQ(all.error->kind, ApiErrorKind::kRateLimited);
  EXPECT_EQ(all.error->http_status, 429);
  EXPECT_EQ(by_key->keys().size(), 3u);

  // A 500 or a 400 is not the key's fault: one request, no other key.
  for (const int status : {500, 400}) {
    const std::size_t before = by_key->keys().size();
    by_key->set({{"key-a", status}, {"key-b", status}, {"key-c", status}});
    const Ended e = send(keyed, post(srv.url("/v1/thing")));
    ASSERT_TRUE(e.error.has_value());
    EXPECT_EQ(e.error->kind,
              status == 500 ? ApiErrorKind::kUnavailable : ApiErrorKind::kBadRequest);
    EXPECT_EQ(e.error->cause, status == 500 ? ApiCause::kServerError : ApiCause::kService);
    EXPECT_EQ(by_key->keys().size(), before + 1) << status;
  }
}

// --- Circuit (for /health) --------------------------------------------------------------------

TEST_F(KeyedHttpTest, EveryCallsEndFeedsTheCircuitThatHealthReports) {
  auto& srv = server();
  auto by_key = serve_by_key(srv, "/v1/thing");
  KeyedHttp keyed(http_, clock_, openai_options({"key-a"}));
  auto health = keyed.health("tts");
  EXPECT_EQ(health.kind, "tts");
  EXPECT_EQ(health.name, "openai");
  EXPECT_EQ(health.circuit, ServiceHealth::Circuit::kClosed);
  EXPECT_EQ(health.consecutive_failures, 0);
  EXPECT_FALSE(health.skips_calls);  // it reports; it does not skip calls

  // The service fails (5xx): counted; five in a row open the circuit.
  by_key->set({{"key-a", 503}});
  for (int i = 1; i <= 5; ++i) {
    ASSERT_FALSE(send(keyed, post(srv.url("/v1/thing"))).ok());
    EXPECT_EQ(keyed.health("tts").consecutive_failures, i);
  }
  health = keyed.health("tts");
  EXPECT_EQ(health.circuit, ServiceHealth::Circuit::kOpen);
  EXPECT_GT(health.cool_down_left, std::chrono::seconds(25));
  // The calls still go out (nothing else could answer them) and still count.
  ASSERT_FALSE(send(keyed, post(srv.url("/v1/thing"))).ok());
  EXPECT_EQ(keyed.health("tts").consecutive_failures, 6);
  EXPECT_EQ(by_key->keys().size(), 6u);

  // A refusal of this one request (400) is an answer: the service is up again.
  by_key->set({{"key-a", 400}});
  ASSERT_FALSE(send(keyed, post(srv.url("/v1/thing"))).ok());
  health = keyed.health("tts");
  EXPECT_EQ(health.circuit, ServiceHealth::Circuit::kClosed);
  EXPECT_EQ(health.consecutive_failures, 0);

  // A refused key counts; a success resets.
  by_key->set({{"key-a", 401}});
  ASSERT_FALSE(send(keyed, post(srv.url("/v1/thing"))).ok());
  EXPECT_EQ(keyed.health("tts").consecutive_failures, 1);
  by_key->set({});
  ASSERT_TRUE(send(keyed, post(srv.url("/v1/thing"))).ok());
  EXPECT_EQ(keyed.health("tts").consecutive_failures, 0);
  EXPECT_EQ(keyed.health("tts").circuit, ServiceHealth::Circuit::kClosed);
}

TEST_F(KeyedHttpTest, AKeylessServerGetsNoAuthHeader) {
  auto& srv = server();
  srv.reply("GET", "/models", 200, R"({"data":[]})");
  KeyedHttp keyed(http_, clock_, openai_options({}));
  net::HttpRequest get;
  get.method = "GET";
  get.url = srv.url("/models");
  const Ended e = send(keyed, get);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e.body, R"({"data":[]})");
  ASSERT_EQ(srv.requests().size(), 1u);
  EXPECT_EQ(srv.requests()[0].headers.count("Authorization"), 0u);
  EXPECT_EQ(srv.requests()[0].headers.count("x-goog-api-key"), 0u);
}

// --- Streaming ---------------------------------------------------------------------------------

// A streamed attempt whose answer turns out to be a key problem (an error inside HTTP 200, like
// Gemini's {"error":...} in the stream): the next key is tried only if nothing reached the user.
TEST_F(KeyedHttpTest, NoOtherKeyOnceStreamedOutputReachedTheUser) {
  for (const bool deliver : {true, false}) {
    auto& srv = server();
    test::StreamSpec two_parts;
    two_parts.chunks = {"part one|", "part two"};
    two_parts.delay = 5ms;
    two_parts.headers = {{"X-Request-Id", "r-1"}};
    srv.stream("POST", "/v1/stream", two_parts);
    KeyedHttp keyed(http_, clock_, openai_options({"key-a", "key-b"}));
    std::string got;
    std::optional<ApiError> result;
    int done_calls = 0;
    keyed.start(
        [&](const std::string& key) {
          KeyedHttp::Attempt a;
          a.request = post(srv.url("/v1/stream"));
          KeyHeader::bearer().apply(a.request, key);
          a.on_chunk = [&got](std::string_view bytes) { got += bytes; };
          a.on_response = [](net::HttpResponse&) -> std::optional<ApiError> {
            ApiError e;
            e.kind = ApiErrorKind::kRateLimited;
            e.message = "quota exceeded mid-answer";
            return e;
          };
          a.delivered = [&got, deliver] { return deliver && !got.empty(); };
          return a;
        },
        [&](std::optional<ApiError> e) {
          ++done_calls;
          result = std::move(e);
        });
    sakai::testing::run_until_idle_or_timeout(loop_, 5000ms);
    ASSERT_EQ(done_calls, 1);
    ASSERT_TRUE(result.has_value());
    EXPECT_EQ(result->kind, ApiErrorKind::kRateLimited);
    EXPECT_EQ(result->request_id, "r-1");
    if (deliver) {
      EXPECT_EQ(srv.request_count(), 1u) << "no second key after output";
      EXPECT_TRUE(result->after_output);
      EXPECT_EQ(got, "part one|part two");
    } else {
      EXPECT_EQ(srv.request_count(), 2u) << "nothing shown yet: the next key is tried";
      EXPECT_FALSE(result->after_output);
    }
  }
}

// A non-2xx answer that arrives streamed never reaches on_chunk: it is kept and mapped, and the
// key problem it names moves the call on to the next key.
TEST_F(KeyedHttpTest, AStreamedErrorBodyIsMappedAndRotates) {
  auto& srv = server();
  srv.on("POST", "/v1/stream", [](const httplib::Request& req, httplib::Response& res) {
    const bool limited = req.get_header_value("Authorization") == "Bearer key-a";
    res.status = limited ? 429 : 200;
    res.set_chunked_content_provider(
        limited ? "application/json" : "text/event-stream",
        [limited](size_t, httplib::DataSink& sink) {
          const std::vector<std::string> chunks =
              limited ? std::vector<std::string>{R"({"error":{"message":"Rate limit )",
                                                 R"(reached","type":"requests","param":null,)",
                                                 R"("code":"rate_limit_exceeded"}})"}
                      : std::vector<std::string>{"hel", "lo"};
          for (const auto& c : chunks)
            sink.write(c.data(), c.size());
          sink.done();
          return true;
        });
  });
  KeyedHttp keyed(http_, clock_, openai_options({"key-a", "key-b"}));
  std::string got;
  std::optional<ApiError> result;
  bool done = false;
  keyed.start(
      [&](const std::string& key) {
        KeyedHttp::Attempt a;
        a.request = post(srv.url("/v1/stream"));
        KeyHeader::bearer().apply(a.request, key);
        a.on_chunk = [&got](std::string_view bytes) { got += bytes; };
        return a;
      },
      [&](std::optional<ApiError> e) {
        done = true;
        result = std::move(e);
      });
  sakai::testing::run_until_idle_or_timeout(loop_, 5000ms);
  ASSERT_TRUE(done);
  EXPECT_FALSE(result.has_value()) << result->describe();
  EXPECT_EQ(got, "hello") << "the 429 body is not output";
  EXPECT_EQ(srv.request_count(), 2u);
}

// --- Cancellation ------------------------------------------------------------------------------

TEST_F(KeyedHttpTest, CancelMidStreamEndsTheCallAtOnceWithCancelled) {
  auto& srv = server();
  test::StreamSpec hang_after_first;
  hang_after_first.chunks = {"first"};
  hang_after_first.end = test::StreamEnd::kHang;
  srv.stream("POST", "/v1/stream", hang_after_first);
  KeyedHttp keyed(http_, clock_, openai_options({"key-a", "key-b"}));
  auto handle = std::make_shared<KeyedCall>();
  std::string got;
  std::optional<ApiError> result;
  int done_calls = 0;
  const auto started = std::chrono::steady_clock::now();
  *handle = keyed.start(
      [&](const std::string&) {
        KeyedHttp::Attempt a;
        a.request = post(srv.url("/v1/stream"), 4000ms);
        a.on_chunk = [&got, handle](std::string_view bytes) {
          got += bytes;
          handle->cancel();  // the user pressed stop after the first piece
        };
        return a;
      },
      [&](std::optional<ApiError> e) {
        ++done_calls;
        result = std::move(e);
      });
  sakai::testing::run_until_idle_or_timeout(loop_, 5000ms);
  const auto took = std::chrono::steady_clock::now() - started;
  ASSERT_EQ(done_calls, 1);
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->kind, ApiErrorKind::kCancelled);
  EXPECT_EQ(result->cause, ApiCause::kCancelled);
  EXPECT_EQ(result->provider, "openai");
  EXPECT_EQ(got, "first");
  EXPECT_LT(took, 2500ms) << "the request's own deadline is 4 s";
  EXPECT_EQ(srv.request_count(), 1u);
  EXPECT_EQ(handle->attempts(), 1);
  EXPECT_TRUE(handle->finished());
  handle->cancel();  // after the end: nothing happens
  loop_.run_until_idle();
  EXPECT_EQ(done_calls, 1);
}

TEST_F(KeyedHttpTest, CancelBeforeAnyAnswerAbortsTheRequest) {
  auto& srv = server();
  srv.hang("POST", "/v1/thing");
  KeyedHttp keyed(http_, clock_, openai_options({"key-a"}));
  std::optional<ApiOutcome<net::HttpResponse>> out;
  const KeyedCall call =
      keyed.send(post(srv.url("/v1/thing"), 4000ms), KeyHeader::bearer(),
                 [&](ApiOutcome<net::HttpResponse> r) { out.emplace(std::move(r)); });
  loop_.post_after(50ms, [call] { call.cancel(); });
  const auto started = std::chrono::steady_clock::now();
  sakai::testing::run_until_idle_or_timeout(loop_, 5000ms);
  ASSERT_TRUE(out.has_value());
  ASSERT_FALSE(out->ok());
  EXPECT_EQ(out->error().kind, ApiErrorKind::kCancelled);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2500ms);
}

// --- Retry hints and request ids ---------------------------------------------------------------

TEST_F(KeyedHttpTest, RetryAfterSecondsDateMillisecondsAndGeminiBody) {
  // The date form is measured from this clock's wall time: 2023-11-14T22:13:20Z.
  ManualClock wall;
  auto& srv = server();
  srv.reply("POST", "/seconds", 429, R"({"error":{"message":"slow down"}})", "application/json",
            {{"Retry-After", "7"}});
  srv.reply("POST", "/date", 503, "overloaded", "text/plain",
            {{"Retry-After", "Tue, 14 Nov 2023 22:14:00 GMT"}});
  srv.reply("POST", "/ms", 429, R"({"error":{"message":"slow down"}})", "application/json",
            {{"retry-after-ms", "1500"}, {"Retry-After", "9"}});
  srv.reply("POST", "/none", 429, R"({"error":{"message":"slow down"}})");
  KeyedHttp keyed(http_, wall, openai_options({"key-a"}));

  const Ended seconds = send(keyed, post(srv.url("/seconds")));
  ASSERT_TRUE(seconds.error.has_value());
  EXPECT_EQ(seconds.error->retry_after, 7000ms);
  EXPECT_NE(seconds.error->describe().find("retry after 7 s"), std::string::npos);

  const Ended date = send(keyed, post(srv.url("/date")));
  ASSERT_TRUE(date.error.has_value());
  EXPECT_EQ(date.error->retry_after, 40000ms);
  EXPECT_EQ(date.error->kind, ApiErrorKind::kUnavailable);
  EXPECT_EQ(date.error->message, "overloaded");

  const Ended ms = send(keyed, post(srv.url("/ms")));
  ASSERT_TRUE(ms.error.has_value());
  EXPECT_EQ(ms.error->retry_after, 1500ms);

  const Ended none = send(keyed, post(srv.url("/none")));
  ASSERT_TRUE(none.error.has_value());
  EXPECT_FALSE(none.error->retry_after.has_value());

  // Gemini's hint is in the body (RetryInfo.retryDelay); it wins over a header.
  auto& gemini = server();
  gemini.reply("POST", "/v1beta/models/m:generateContent", 429,
               R"({"error":{"code":429,"message":"quota","status":"RESOURCE_EXHAUSTED",)"
               R"("details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo",)"
               R"("retryDelay":"26s"}]}})",
               "application/json", {{"Retry-After", "3"}});
  KeyedHttp g(
      http_, wall,
      KeyedHttpOptions{
          .provider = "gemini", .api_keys = {"AIza-key"}, .map_error = gemini_error_mapper()});
  const Ended body =
      send(g, post(gemini.url("/v1beta/models/m:generateContent")), KeyHeader::goog_api_key());
  ASSERT_TRUE(body.error.has_value());
  EXPECT_EQ(body.error->retry_after, 26000ms);
  EXPECT_EQ(body.error->provider, "gemini");
  EXPECT_EQ(gemini.requests()[0].headers.find("x-goog-api-key")->second, "AIza-key");
}

TEST_F(KeyedHttpTest, TheServicesRequestIdAndABodyExcerptAreOnTheError) {
  auto& srv = server();
  srv.reply("POST", "/openai", 500, R"({"error":{"message":"The server had an error"}})",
            "application/json", {{"X-Request-Id", "req_7f3a"}});
  srv.reply("POST", "/openrouter", 402,
            R"({"error":{"code":402,"message":"Insufficient credits"}})", "application/json",
            {{"X-Generation-Id", "gen-1234"}});
  srv.reply("POST", "/plain", 502, "<html>\n  <body>Bad gateway</body>\n</html>", "text/html");
  KeyedHttp keyed(http_, clock_, openai_options({"key-a"}));

  const Ended openai = send(keyed, post(srv.url("/openai")));
  ASSERT_TRUE(openai.error.has_value());
  EXPECT_EQ(openai.error->request_id, "req_7f3a");
  EXPECT_EQ(openai.error->kind, ApiErrorKind::kUnavailable);
  EXPECT_EQ(openai.error->cause, ApiCause::kServerError);
  EXPECT_NE(openai.error->describe().find("request id req_7f3a"), std::string::npos);
  EXPECT_EQ(openai.error->body_excerpt, R"({"error":{"message":"The server had an error"}})");

  const Ended openrouter = send(keyed, post(srv.url("/openrouter")));
  ASSERT_TRUE(openrouter.error.has_value());
  EXPECT_EQ(openrouter.error->request_id, "gen-1234");
  EXPECT_EQ(openrouter.error->kind, ApiErrorKind::kQuotaExhausted);

  const Ended plain = send(keyed, post(srv.url("/plain")));
  ASSERT_TRUE(plain.error.has_value());
  EXPECT_EQ(plain.error->request_id, "");
  EXPECT_EQ(plain.error->body_excerpt, "<html> <body>Bad gateway</body> </html>") << "one line";
}

// --- Secrets -----------------------------------------------------------------------------------

// A service that echoes the key everywhere it can: in the message, the code, the body and a
// header. None of it survives into anything a log or a user could see.
TEST_F(KeyedHttpTest, NoKeyInAnyErrorText) {
  const std::string key_a = "sk-live-SECRETa-0123456789";
  const std::string key_b = "sk-live-SECRETb-9876543210";
  auto& srv = server();
  srv.on("POST", "/v1/thing", [](const httplib::Request& req, httplib::Response& res) {
    const std::string key = req.get_header_value("Authorization").substr(7);
    res.status = 401;
    res.set_header("X-Request-Id", "req-for-" + key);
    res.set_content(R"({"error":{"message":"Incorrect API key provided: )" + key +
                        R"(.","type":")" + key + R"(","param":null,"code":null}})",
                    "application/json");
  });
  KeyedHttp keyed(http_, clock_, openai_options({key_a, key_b}));
  const Ended e = send(keyed, post(srv.url("/v1/thing")));
  ASSERT_TRUE(e.error.has_value());
  EXPECT_EQ(e.error->kind, ApiErrorKind::kAuth);
  EXPECT_EQ(srv.request_count(), 2u) << "both keys tried";
  EXPECT_NE(e.error->message.find("Incorrect API key provided: ***"), std::string::npos)
      << e.error->message;
  for (const std::string& key : {key_a, key_b}) {
    for (const std::string& text :
         {e.error->message, e.error->provider_code, e.error->body_excerpt, e.error->request_id,
          e.error->describe(), e.error->to_status().message()}) {
      EXPECT_EQ(text.find(key), std::string::npos) << text;
      EXPECT_EQ(text.find("SECRET"), std::string::npos) << text;
    }
  }
}

// --- Transport failures -------------------------------------------------------------------------

TEST_F(KeyedHttpTest, TransportFailuresHaveAKindAndACauseAndDoNotRotate) {
  const std::string dead = "http://127.0.0.1:" + std::to_string(test::closed_loopback_port());
  KeyedHttp keyed(http_, clock_, openai_options({"key-a", "key-b"}));
  const Ended refused = send(keyed, post(dead + "/v1/thing"));
  ASSERT_TRUE(refused.error.has_value());
  EXPECT_EQ(refused.error->kind, ApiErrorKind::kUnavailable);
  EXPECT_EQ(refused.error->cause, ApiCause::kConnectionRefused) << refused.error->describe();
  EXPECT_EQ(refused.error->http_status, 0);
  EXPECT_NE(refused.error->describe().find("connection refused"), std::string::npos);

  auto& srv = server();
  srv.hang("POST", "/v1/slow");
  const Ended slow = send(keyed, post(srv.url("/v1/slow"), 300ms));
  ASSERT_TRUE(slow.error.has_value());
  EXPECT_EQ(slow.error->kind, ApiErrorKind::kTimeout);
  EXPECT_EQ(slow.error->cause, ApiCause::kTimedOut);
  EXPECT_EQ(srv.request_count(), 1u);
}

// The adapter that made the call may go first: the call still ends, once.
TEST_F(KeyedHttpTest, TheCallOutlivesItsKeyedHttp) {
  auto& srv = server();
  test::StreamSpec late;
  late.chunks = {R"({"late":true})"};
  late.delay = 100ms;
  srv.stream("POST", "/v1/thing", late);
  std::optional<ApiOutcome<net::HttpResponse>> out;
  {
    KeyedHttp keyed(http_, clock_, openai_options({"key-a"}));
    keyed.send(post(srv.url("/v1/thing")), KeyHeader::bearer(),
               [&](ApiOutcome<net::HttpResponse> r) { out.emplace(std::move(r)); });
  }
  sakai::testing::run_until_idle_or_timeout(loop_, 5000ms);
  ASSERT_TRUE(out.has_value());
  ASSERT_TRUE(out->ok());
  EXPECT_EQ(out->value().body, R"({"late":true})");
}

// --- Multipart ----------------------------------------------------------------------------------

TEST_F(KeyedHttpTest, MultipartBodiesArriveAsPartsWithBinaryFilesIntact) {
  auto& srv = server();
  struct Seen {
    std::mutex mu;
    std::map<std::string, httplib::MultipartFormData> parts;
  };
  auto seen = std::make_shared<Seen>();
  srv.on("POST", "/v1/upload", [seen](const httplib::Request& req, httplib::Response& res) {
    const std::lock_guard<std::mutex> lock(seen->mu);
    for (const auto& [name, part] : req.files)
      seen->parts[name] = part;
    res.set_content("{}", "application/json");
  });
  // Bytes that look like multipart syntax must not end the part early.
  constexpr char kAudio[] = "OggS\0\r\n--not-a-boundary\r\n\xff\xfe";
  const std::string audio(kAudio, sizeof kAudio - 1);
  MultipartForm form;
  form.add_field("model", "whisper-1");
  form.add_field("language", "fa");
  form.add_file("file", "voice \"1\".ogg", "audio/ogg", audio);
  net::HttpRequest req = post(srv.url("/v1/upload"));
  req.headers = {{"Content-Type", form.content_type()}};
  req.body = std::move(form).finish();
  KeyedHttp keyed(http_, clock_, openai_options({"key-a"}));
  ASSERT_TRUE(send(keyed, req).ok());

  const std::lock_guard<std::mutex> lock(seen->mu);
  ASSERT_EQ(seen->parts.size(), 3u);
  EXPECT_EQ(seen->parts["model"].content, "whisper-1");
  EXPECT_EQ(seen->parts["language"].content, "fa");
  EXPECT_EQ(seen->parts["file"].filename, "voice %221%22.ogg");
  EXPECT_EQ(seen->parts["file"].content_type, "audio/ogg");
  EXPECT_EQ(seen->parts["file"].content, audio);
}

// --- Transport error mapping (pure) --------------------------------------------------------------

TEST(WireTransportErrors, CausesFromTheClientsWording) {
  const auto cause = [](ErrorCode code, const char* message) {
    return transport_error("openai", Status(code, message)).cause;
  };
  EXPECT_EQ(cause(ErrorCode::kUnavailable, "http: POST x: could not connect to api.x"),
            ApiCause::kConnectionRefused);
  EXPECT_EQ(cause(ErrorCode::kUnavailable, "http: POST x: could not resolve host api.x"),
            ApiCause::kHostNotFound);
  EXPECT_EQ(cause(ErrorCode::kUnavailable, "http: POST x: could not resolve proxy p"),
            ApiCause::kHostNotFound);
  EXPECT_EQ(cause(ErrorCode::kUnavailable, "http: POST x: connection reset by api.x"),
            ApiCause::kConnectionLost);
  EXPECT_EQ(cause(ErrorCode::kUnavailable, "http: POST x: TLS with api.x failed"), ApiCause::kTls);
  EXPECT_EQ(cause(ErrorCode::kDeadlineExceeded, "timed out"), ApiCause::kTimedOut);
  EXPECT_EQ(cause(ErrorCode::kCancelled, "cancelled"), ApiCause::kCancelled);
  EXPECT_EQ(transport_error("openai", Status(ErrorCode::kDeadlineExceeded, "x")).kind,
            ApiErrorKind::kTimeout);
  EXPECT_EQ(redact("key sk-1234 and sk-1234", {"sk-1234", "abc"}), "key *** and ***");
  EXPECT_EQ(body_excerpt("a sk-12\n34", {"sk-1234"}, 300), "a sk-12 34")
      << "a key split by a line break is not the key";
}

}  // namespace
}  // namespace sakai::ai
