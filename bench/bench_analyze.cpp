// Preparing 10,000 messages for /analyze: formatting the transcript ("[HH:MM] Name: text",
// skipping commands, media and status lines) and cutting it into chunks for map-reduce at the
// default budget (100,000 tokens) and at a small one. Plain main(); target: under 50 ms.
// Results are recorded in docs/PERFORMANCE.md.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <vector>

#include "bench_support.h"
#include "features/ai/chat_digest.h"

namespace {

using namespace sakai;

std::vector<Message> make_history(int n) {
  // The first six of the shared sample chat, then a two-line message, a command, a longer
  // question and an empty text (a photo).
  static const char* const kMore[] = {
      "هوا امروز خیلی سرده، لباس گرم بپوش\nو چتر هم بیار",
      "/analyze=500",
      "can you send me the document from yesterday's meeting please? I need it before noon",
      "",
  };
  static const std::vector<const char*> kTexts = bench::chat_phrases(6, kMore);
  static const char* kNames[] = {"Ali", "سارا", "Reza", "Mina"};
  std::mt19937 rng(7);
  std::vector<Message> out;
  out.reserve(static_cast<std::size_t>(n));
  for (int i = n; i > 0; --i) {  // newest first
    Message m;
    m.id = MessageId(i);
    m.sender = UserId(2000 + static_cast<int>(rng() % 4));
    m.sender_name = kNames[rng() % 4];
    m.text = kTexts[rng() % 10];
    m.media = m.text.empty() ? MediaKind::kPhoto : MediaKind::kNone;
    m.date_unix = 1'700'000'000 + i * 37;
    out.push_back(std::move(m));
  }
  return out;
}

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main() {
  const auto history = make_history(10'000);
  constexpr int kRuns = 30;
  for (const long long budget : {100'000LL, 2'000LL}) {
    std::vector<double> runs;
    std::size_t lines = 0, chunks = 0, tokens = 0;
    for (int r = 0; r < kRuns; ++r) {
      const auto t0 = std::chrono::steady_clock::now();
      const auto transcript = features::format_transcript(history);
      std::size_t total = 0;
      for (const auto& l : transcript)
        total += features::estimate_tokens(l) + 1;
      const auto parts =
          features::chunk_lines(transcript, features::transcript_budget_tokens(budget));
      runs.push_back(ms_since(t0));
      lines = transcript.size();
      chunks = parts.size();
      tokens = total;
    }
    std::sort(runs.begin(), runs.end());
    std::printf(
        "analyze_prepare 10000 msgs, budget %lld: %zu lines, ~%zu tokens, %zu chunks; "
        "p50 %.2f ms, p99 %.2f ms\n",
        budget, lines, tokens, chunks, runs[runs.size() / 2], runs.back());
  }
  return 0;
}
