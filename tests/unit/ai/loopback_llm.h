#pragma once
// The LLM adapters over real sockets: net::CurlHttpClient on a real-time EventLoop, talking to
// loopback HTTP servers (tests/support/loopback_server.h) that play back ScriptedResponses.
// Nothing leaves 127.0.0.1.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "ai/llm/error_messages.h"
#include "ai/llm/provider.h"
#include "core/clock.h"
#include "core/event_loop.h"
#include "core/i18n.h"
#include "core/worker_pool.h"
#include "net/curl_http_client.h"
#include "support/loopback_server.h"
#include "support/run_loop.h"
#include "unit/ai/llm_harness.h"
#include "unit/ai/scripted_http.h"

namespace sakai::ai::testing {

inline bool text_iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// Serves `script` on `method` `path`, one response per request, in order; the last one repeats.
// Each chunk is written and flushed on its own after `delay`. A response with a transport_error
// closes the connection after its chunks (no terminating chunk); `hang` goes quiet until the
// server is destroyed. A single-chunk complete response is sent with Content-Length.
inline void serve_script(test::LoopbackServer& srv, const std::string& method,
                         const std::string& path, std::vector<ScriptedResponse> script,
                         std::chrono::milliseconds delay = std::chrono::milliseconds(0)) {
  auto served = std::make_shared<std::atomic<std::size_t>>(0);
  auto responses = std::make_shared<const std::vector<ScriptedResponse>>(std::move(script));
  srv.on(method, path,
         [&srv, served, responses, delay](const httplib::Request&, httplib::Response& res) {
           const std::size_t i = std::min(served->fetch_add(1), responses->size() - 1);
           const ScriptedResponse& r = (*responses)[i];
           res.status = r.status;
           std::string type = "application/json";
           for (const auto& [name, value] : r.headers) {
             if (text_iequals(name, "content-type")) {
               type = value;
             } else {
               res.set_header(name, value);
             }
           }
           const bool plain = r.chunks.size() <= 1 && !r.transport_error && !r.hang;
           if (plain) {
             res.set_content(r.chunks.empty() ? std::string() : r.chunks.front(), type);
             return;
           }
           res.set_chunked_content_provider(
               type, [&srv, responses, &r, delay](size_t, httplib::DataSink& sink) {
                 for (const std::string& chunk : r.chunks) {
                   if (delay.count() > 0 && !srv.sleep_for(delay)) return false;
                   if (!sink.write(chunk.data(), chunk.size())) return false;
                 }
                 if (r.hang) {
                   srv.wait_until_stopped();
                   return false;
                 }
                 if (r.transport_error) return false;  // httplib drops the connection
                 sink.done();
                 return true;
               });
         });
}

inline std::string header_of(const test::RecordedRequest& req, const std::string& name) {
  for (const auto& [k, v] : req.headers) {
    if (text_iequals(k, name)) return v;
  }
  return {};
}

class LoopbackLlmTest : public ::testing::Test {
 protected:
  // One call to its end over real sockets. A watchdog stops the loop after `limit`, so a bug
  // cannot hang the suite. `took` is wall time.
  Collected run(LlmProvider& provider, ChatRequest request, bool stream = true,
                std::chrono::milliseconds limit = std::chrono::milliseconds(5000)) {
    Collected c;
    ChatDeltaCallback on_delta;
    if (stream) on_delta = [&c](const ChatDelta& d) { c.deltas.push_back(d); };
    const auto start = std::chrono::steady_clock::now();
    provider.chat(std::move(request), on_delta, [&c, start](ChatOutcome o) {
      ++c.done_calls;
      c.took =
          std::chrono::duration_cast<Clock::Duration>(std::chrono::steady_clock::now() - start);
      c.outcome.emplace(std::move(o));
    });
    sakai::testing::run_until_idle_or_timeout(loop_, limit);
    EXPECT_EQ(c.done_calls, 1);
    return c;
  }

  // The user sees a localised message: the key exists in the English catalog, every placeholder
  // is filled and no key leaks into it.
  void expect_clear_message(const LlmError& error, std::string_view key,
                            const std::string& secret = "never-in-a-message") {
    const LlmErrorMessage m = llm_error_message(error);
    EXPECT_EQ(m.key, key) << error.describe();
    EXPECT_TRUE(i18n_.has_key("en", m.key)) << m.key;
    const std::string text = i18n_.tr("en", m.key, m.tr_args());
    EXPECT_FALSE(text.empty());
    EXPECT_NE(text, m.key);
    EXPECT_EQ(text.find('{'), std::string::npos) << text;
    EXPECT_EQ(text.find(secret), std::string::npos) << text;
    EXPECT_EQ(error.describe().find(secret), std::string::npos) << error.describe();
  }

  // A loopback server that lives until the end of the test, after the client: the client closes
  // its kept-alive connections first, so the server stops at once instead of waiting them out.
  test::LoopbackServer& server() {
    return *servers_.emplace_back(std::make_unique<test::LoopbackServer>());
  }

  std::vector<std::unique_ptr<test::LoopbackServer>> servers_;  // declared first: destroyed last
  SystemClock clock_;
  EventLoop loop_{clock_};
  WorkerPool workers_{2};  // after the loop: its jobs end before the loop goes
  net::CurlHttpClient http_{loop_};
  I18n i18n_ = I18n::from_embedded().value();
};

}  // namespace sakai::ai::testing
