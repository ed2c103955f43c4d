#pragma once
// A manual clock, an event loop and scripted HTTP, plus helpers that run one chat call to its
// end and collect what the caller saw.
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "ai/llm/gemini_provider.h"
#include "ai/llm/openai_provider.h"
#include "ai/llm/provider.h"
#include "core/clock.h"
#include "core/event_loop.h"
#include "unit/ai/scripted_http.h"

namespace sakai::ai::testing {

struct Collected {
  std::vector<ChatDelta> deltas;
  std::optional<ChatOutcome> outcome;
  int done_calls = 0;
  Clock::Duration took{};  // simulated time from chat() to on_done

  [[nodiscard]] std::string streamed_text() const {
    std::string s;
    for (const auto& d : deltas)
      s += d.text;
    return s;
  }
  [[nodiscard]] std::string streamed_thinking() const {
    std::string s;
    for (const auto& d : deltas)
      s += d.thinking;
    return s;
  }
  [[nodiscard]] bool ok() const { return outcome && outcome->ok(); }
  [[nodiscard]] const ChatResult& result() const { return outcome->result(); }
  [[nodiscard]] const LlmError& error() const { return outcome->error(); }
};

struct Harness {
  ManualClock clock;
  EventLoop loop{clock};
  FakeHttpClient http{loop};

  // Runs the loop until `done()`, moving the manual clock 100 ms whenever nothing is ready
  // (so backoff timers fire). False when `limit` of simulated time passed first.
  bool drive(const std::function<bool()>& done, Clock::Duration limit = std::chrono::minutes(10)) {
    const auto start = clock.now();
    while (true) {
      loop.run_ready();
      if (done()) return true;
      if (clock.now() - start > limit) return false;
      clock.advance(std::chrono::milliseconds(100));
    }
  }

  // One call to its end. `stream` sets on_delta.
  Collected run(LlmProvider& provider, ChatRequest request, bool stream = true,
                const std::function<void(ChatHandle&, Collected&)>& on_each_delta = {}) {
    Collected c;
    ChatHandle handle;
    ChatDeltaCallback on_delta;
    if (stream) {
      on_delta = [&](const ChatDelta& d) {
        c.deltas.push_back(d);
        if (on_each_delta) on_each_delta(handle, c);
      };
    }
    const auto start = clock.now();
    handle = provider.chat(std::move(request), on_delta, [&](ChatOutcome o) {
      ++c.done_calls;
      c.took = clock.now() - start;
      c.outcome.emplace(std::move(o));
    });
    drive([&] { return c.outcome.has_value(); });
    loop.run_ready();  // anything late (a second on_done would show in done_calls)
    return c;
  }
};

inline ChatRequest hello_request() {
  ChatRequest r;
  r.messages.push_back({ChatRole::kUser, "Hello"});
  return r;
}

inline ProviderSettings gemini_settings(std::vector<std::string> keys = {"gk-test-key-1"}) {
  ProviderSettings s;
  s.name = "gemini";
  s.base_url = "https://generativelanguage.googleapis.com";
  s.model = "gemini-2.5-flash";
  s.api_keys = std::move(keys);
  return s;
}

inline ProviderSettings openai_settings(std::string name = "openai",
                                        std::string base_url = "https://api.openai.com/v1",
                                        std::vector<std::string> keys = {"sk-test-key-1"}) {
  ProviderSettings s;
  s.name = std::move(name);
  s.base_url = std::move(base_url);
  s.model = "gpt-4o-mini";
  s.api_keys = std::move(keys);
  return s;
}

}  // namespace sakai::ai::testing
