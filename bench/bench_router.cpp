// Command parse and routing throughput over a realistic message stream: mostly ordinary chat
// (English and Persian), a few commands — ours from the owner, ours from strangers, and other
// bots' commands such as /start — through the same router the bot runs, with real SQLite.
// Results are recorded in docs/PERFORMANCE.md.
#include <benchmark/benchmark.h>

#include <random>

#include "app/bot_core.h"
#include "bench_support.h"
#include "commands/command_line.h"
#include "telegram/memory/memory_transport.h"

namespace {

using namespace sakai;

struct Stream {
  std::vector<Message> messages;
};

// 1000 messages: 96% chat, 4% command-looking (1% ours from the owner, 1% ours from a
// stranger, 2% other bots' commands).
Stream make_stream(ChatId owner_chat, ChatId stranger_chat, UserId stranger) {
  const auto& kChat = bench::kChatPhrases;
  static const char* kOurs[] = {"/ping", "/help", "/lang", "/help=auth", "/PING"};
  static const char* kOthers[] = {"/start", "/settings", "/start@somebot"};
  std::mt19937 rng(42);
  Stream s;
  std::int64_t id = 1;
  for (int i = 0; i < 1000; ++i) {
    Message m;
    m.id = MessageId(id++);
    m.chat_kind = ChatKind::kPrivate;
    const int r = static_cast<int>(rng() % 100);
    if (r < 1) {
      m.chat = owner_chat;
      m.sender = UserId(telegram::MemoryTransport::kOwnerId);
      m.outgoing = true;
      m.text = kOurs[rng() % 5];
    } else if (r < 2) {
      m.chat = stranger_chat;
      m.sender = stranger;
      m.text = kOurs[rng() % 5];
    } else if (r < 4) {
      m.chat = stranger_chat;
      m.sender = stranger;
      m.text = kOthers[rng() % 3];
    } else {
      m.chat = stranger_chat;
      m.sender = stranger;
      m.text = kChat[rng() % 10];
    }
    s.messages.push_back(std::move(m));
  }
  return s;
}

void BM_ParseOnly(benchmark::State& state) {
  const auto stream = make_stream(ChatId(1000), ChatId(2001), UserId(2001));
  std::size_t commands = 0;
  for (auto _ : state) {
    for (const auto& m : stream.messages) {
      if (auto name = commands::command_name(m.text, "/")) {
        auto line = commands::parse_command_line(m.text, "/");
        benchmark::DoNotOptimize(line);
        ++commands;
      }
    }
  }
  benchmark::DoNotOptimize(commands);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(stream.messages.size()));
}
BENCHMARK(BM_ParseOnly);

void BM_RouteMixedStream(benchmark::State& state) {
  bench::BenchCore core("bench", {{"ratelimit.max_commands", "0"}});
  if (!core.ok()) {
    state.SkipWithError(core.status().to_string().c_str());
    return;
  }
  telegram::MemoryTransport transport(core->loop());
  core->attach(transport, "memory");
  const UserId stranger = transport.add_user("Stranger");
  const auto stream = make_stream(transport.saved_messages(), ChatId(stranger.value()), stranger);
  auto* router = core->router();
  std::int64_t id_base = 0;
  Message m;
  for (auto _ : state) {
    // Fresh message ids each round: the router runs a given message only once.
    id_base += static_cast<std::int64_t>(stream.messages.size());
    for (const auto& original : stream.messages) {
      m = original;
      m.id = MessageId(original.id.value() + id_base);
      router->on_new_message(m);
      core->loop().run_ready();
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(stream.messages.size()));
  state.counters["commands_run"] = static_cast<double>(router->counters().commands);
  core.reset();
}
BENCHMARK(BM_RouteMixedStream)->Unit(benchmark::kMicrosecond);

// Ordinary chat only: the cost every message in every chat pays.
void BM_RouteChatText(benchmark::State& state) {
  bench::BenchCore core("bench2");
  if (!core.ok()) {
    state.SkipWithError(core.status().to_string().c_str());
    return;
  }
  telegram::MemoryTransport transport(core->loop());
  core->attach(transport, "memory");
  Message m;
  m.chat = ChatId(2001);
  m.sender = UserId(2001);
  m.text = "سلام، امشب می‌آیی؟ ساعت ۸ خوبه؟";
  auto* router = core->router();
  for (auto _ : state) {
    router->on_new_message(m);
  }
  state.SetItemsProcessed(state.iterations());
  core.reset();
}
BENCHMARK(BM_RouteChatText);

}  // namespace

BENCHMARK_MAIN();
