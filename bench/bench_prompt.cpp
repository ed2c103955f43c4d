// What SakaiBot adds to a /prompt beyond the provider's own time: a loopback Gemini server that
// answers at once (three streamed chunks), and the whole path the bot runs — router → provider
// chain → libcurl HTTP → SSE stream → StreamingAnswer → transport (MemoryTransport) → command
// log in SQLite. The same chain called directly (no router, no Telegram side) gives the
// provider's own time. Prints both, and last "p99_ms: N": the whole command's p99 minus the
// provider's p50, an upper bound on what SakaiBot adds (target < 2 ms).
//
//   bench_prompt [iterations]   (default 500, after 20 warm-up commands)
// Designated initialisers leave the trailing fields of test scripts at their defaults.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "app/bot_core.h"
#include "bench_support.h"
#include "support/loopback_server.h"
#include "telegram/memory/memory_transport.h"

namespace {

using namespace sakai;

std::string chunk(const std::string& text, bool last) {
  std::string s = R"(data: {"candidates":[{"content":{"parts":[{"text":")" + text +
                  R"("}],"role":"model"},"index":0)";
  if (last) s += R"(,"finishReason":"STOP")";
  s += "}]";
  if (last) s += R"(,"usageMetadata":{"promptTokenCount":5,"candidatesTokenCount":4})";
  s += "}\r\n\r\n";
  return s;
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  const auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1));
  return v[i];
}

}  // namespace

int main(int argc, char** argv) {
  const int iterations = argc > 1 ? std::atoi(argv[1]) : 500;
  test::LoopbackServer srv;
  // The three events go out in one write: several small writes would wait for the client's
  // delayed ACKs (40 ms), which measures the kernel, not SakaiBot.
  srv.stream(
      "POST", R"(/v1beta/models/[^/]+:streamGenerateContent)",
      {.chunks = {chunk("Hello ", false), chunk("from ", false), chunk("**Gemini**", true)}});

  bench::BenchCore core("prompt", {{"gemini.api_keys", "test-key"},
                                   {"gemini.base_url", srv.url("")},
                                   {"storage.path", ":memory:"},
                                   {"log.level", "warn"},
                                   {"ratelimit.max_commands", "0"}});
  if (!core.ok()) {
    std::cerr << "bench_prompt: " << core.status().to_string() << "\n";
    return 1;
  }
  telegram::MemoryTransport transport(core->loop());
  core->attach(transport, "memory");
  const ChatId chat = transport.saved_messages();

  auto one = [&](int i) {
    const auto t0 = std::chrono::steady_clock::now();
    transport.receive(chat, transport.self_id(), "/prompt=hello " + std::to_string(i));
    core->loop().run_until_idle();
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  };
  // The provider's own time: the same chain, HTTP client and server, called directly.
  auto provider_only = [&](int i) {
    const auto t0 = std::chrono::steady_clock::now();
    ai::ChatRequest req;
    req.messages.push_back({ai::ChatRole::kUser, "hello " + std::to_string(i)});
    std::string text;
    core->llm().chat(
        std::move(req), [&](const ai::ChatDelta& d) { text += d.text; },
        [&](const ai::ChatOutcome&) {});
    core->loop().run_until_idle();
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  };
  for (int i = 0; i < 20; ++i) {
    one(i);
    provider_only(i);
  }
  std::vector<double> ms;
  std::vector<double> base;
  ms.reserve(static_cast<std::size_t>(iterations));
  base.reserve(static_cast<std::size_t>(iterations));
  for (int i = 0; i < iterations; ++i) {
    ms.push_back(one(i));
    base.push_back(provider_only(i));
  }
  const std::size_t edits = static_cast<std::size_t>(
      std::count_if(transport.actions().begin(), transport.actions().end(),
                    [](const telegram::TransportAction& a) { return a.kind == "edit"; }));
  std::printf("commands: %d (loopback Gemini, 3 streamed events, %zu edits)\n", iterations, edits);
  std::printf("provider alone   p50_ms: %.3f  p99_ms: %.3f\n", percentile(base, 0.50),
              percentile(base, 0.99));
  std::printf("whole /prompt    p50_ms: %.3f  p99_ms: %.3f  max_ms: %.3f\n", percentile(ms, 0.50),
              percentile(ms, 0.99), *std::max_element(ms.begin(), ms.end()));
  // Separate runs cannot be paired command by command, and a difference of two p99s can come out
  // negative; so the p99 added is the whole command's p99 minus the provider's typical (p50)
  // time — an upper bound on SakaiBot's own share.
  std::printf("added by SakaiBot p50_ms: %.3f\n", percentile(ms, 0.50) - percentile(base, 0.50));
  std::printf("p99_ms: %.3f\n", percentile(ms, 0.99) - percentile(base, 0.50));
  return 0;
}
