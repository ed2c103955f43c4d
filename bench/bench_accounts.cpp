// Memory per account: one process serving N Telegram accounts, as `sakaibot run` builds them —
// one Host (event loop, logger, catalogs, worker pool, database, the real libtdjson and its
// TdJsonHub) and, per account, its bot (BotCore: store view, registry with every feature,
// router, services) attached to its TDLib client and transport (TelegramSession). Plain main(),
// prints figures; no pass/fail.
//
//   bench_accounts [--runs R] [N ...]     default: 3 runs each of N = 1 2 5 10
//
// Each measurement is a fresh process (this program re-run as `--child N`): the configuration
// is a sakaibot.toml with [telegram] and N - 1 [[accounts]] entries (fake api_id/api_hash,
// everything else configured as bench_memory configures it), loaded by the app's own loader.
// Offline, no account is logged in: each TDLib client gets its parameters and stops at
// authorizationStateWaitPhoneNumber, the state a fresh account reaches without the network
// (TDLib has then opened its databases and started its threads). Once all N are there the
// process settles for 2 s and reads VmRSS, VmHWM, RssAnon, RssFile and Threads from
// /proc/self/status. The median run (by VmRSS) is reported, with the increment per account over
// N = 1. Nothing leaves the machine.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "app/bot_core.h"
#include "app/config_loader.h"
#include "app/host.h"
#include "app/telegram_session.h"

namespace {

namespace fs = std::filesystem;
using namespace sakai;

constexpr auto kSettle = std::chrono::seconds(2);
constexpr auto kDeadline = std::chrono::seconds(90);

// ---- the child: N accounts in this process -------------------------------------------------

std::string write_config(const fs::path& dir, int accounts) {
  fs::create_directories(dir / "data");
  const fs::path path = dir / "sakaibot.toml";
  std::ofstream out(path);
  out << "[telegram]\napi_id = 12345\napi_hash = \"0123456789abcdef0123456789abcdef\"\n\n"
      << "[gemini]\napi_keys = [\"AIzaSyBENCHMARK00000000000000000000000\"]\n"
      << "api_key_tts = \"AIzaSyBENCHMARK00000000000000000000001\"\n\n"
      << "[openrouter]\napi_keys = [\"sk-or-v1-benchmark\"]\n\n"
      << "[openai]\napi_keys = [\"sk-benchmark\"]\n\n"
      << "[llm]\nprovider = \"gemini\"\nfallback = [\"openrouter\"]\n\n"
      << "[stt]\nengine = \"auto\"\n\n[tts]\nengine = \"auto\"\n\n"
      << "[data]\ndir = \"" << (dir / "data").string() << "\"\n\n"
      << "[storage]\npath = \"" << (dir / "data" / "sakaibot.db").string() << "\"\n";
  for (int i = 1; i < accounts; ++i)
    out << "\n[[accounts]]\nname = \"account" << i << "\"\n";
  out.close();
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);
  return path.string();
}

std::map<std::string, long> proc_status() {
  std::map<std::string, long> out;
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    const std::string key = line.substr(0, colon);
    if (key == "VmRSS" || key == "VmHWM" || key == "RssAnon" || key == "RssFile" ||
        key == "Threads") {
      out[key] = std::strtol(line.c_str() + colon + 1, nullptr, 10);
    }
  }
  return out;
}

int child(int n) {
  const fs::path dir =
      fs::temp_directory_path() / ("sakaibot_bench_accounts_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  app::LoadOptions options;
  options.explicit_path = write_config(dir, n);
  auto loaded = app::load_config(options);
  if (!loaded.is_ok() || app::has_errors(loaded->problems)) {
    std::fprintf(stderr, "bench_accounts: bad configuration: %s\n",
                 loaded.is_ok() ? app::render_problems(loaded->problems).c_str()
                                : loaded.status().to_string().c_str());
    return 1;
  }
  if (static_cast<int>(loaded->accounts.size()) != n) {
    std::fprintf(stderr, "bench_accounts: %zu accounts configured, wanted %d\n",
                 loaded->accounts.size(), n);
    return 1;
  }
  SystemClock clock;
  std::ofstream log_sink("/dev/null");
  auto host = app::Host::create(loaded->config, log_sink, clock);
  if (!host.is_ok()) {
    std::fprintf(stderr, "bench_accounts: %s\n", host.status().to_string().c_str());
    return 1;
  }
  auto hub = (*host)->telegram();
  if (!hub.is_ok()) {
    std::fprintf(stderr, "bench_accounts: %s\n", hub.status().to_string().c_str());
    return 1;
  }
  EventLoop& loop = (*host)->loop();

  struct Account {
    std::unique_ptr<app::BotCore> core;
    std::unique_ptr<app::TelegramSession> session;
    bool waiting = false;
  };
  std::vector<Account> accounts(static_cast<std::size_t>(n));
  int waiting = 0;
  int failed = 0;
  for (std::size_t i = 0; i < accounts.size(); ++i) {
    const auto& ac = loaded->accounts[i];
    auto core = app::BotCore::create(**host, ac.name, ac.config);
    auto session = core.is_ok()
                       ? app::TelegramSession::open(ac.config, **hub, loop, (*host)->log(), ac.name)
                       : Result<std::unique_ptr<app::TelegramSession>>(core.status());
    if (!session.is_ok()) {
      std::fprintf(stderr, "bench_accounts: %s: %s\n", ac.name.c_str(),
                   session.status().to_string().c_str());
      return 1;
    }
    Account& a = accounts[i];
    a.core = std::move(core).value();
    a.session = std::move(session).value();
    a.session->start(
        [&, i](const telegram::tdjson::AuthorizationState& st) {
          Account& acc = accounts[i];
          if (st.state != "authorizationStateWaitPhoneNumber" || acc.waiting) return;
          acc.waiting = true;
          // As a live account's bot: its router on its transport.
          acc.core->attach(acc.session->transport(), "tdlib");
          if (++waiting == n) loop.stop();
        },
        [&](Status st) {
          std::fprintf(stderr, "bench_accounts: %s\n", st.to_string().c_str());
          ++failed;
          loop.stop();
        });
  }
  const auto deadline = loop.post_after(
      kDeadline, [&] { loop.stop(); }, false);
  loop.run();
  loop.cancel(deadline);
  if (waiting != n || failed > 0) {
    std::fprintf(stderr, "bench_accounts: %d of %d accounts reached the phone prompt\n", waiting,
                 n);
    return 1;
  }
  loop.post_after(
      kSettle, [&] { loop.stop(); }, false);
  loop.run();
  const auto status = proc_status();
  std::printf("%ld %ld %ld %ld %ld\n", status.at("VmRSS"), status.at("VmHWM"), status.at("RssAnon"),
              status.at("RssFile"), status.at("Threads"));
  std::fflush(stdout);
  for (auto& a : accounts) {
    a.core->shutdown();
    a.session->stop();
  }
  accounts.clear();
  host->reset();
  fs::remove_all(dir);
  return 0;
}

// ---- the driver ------------------------------------------------------------------------------

struct Sample {
  long rss = 0, hwm = 0, anon = 0, file = 0, threads = 0;
};

bool run_child(int n, Sample& out) {
  const std::string command =
      "/proc/" + std::to_string(::getpid()) + "/exe --child " + std::to_string(n);
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return false;
  char line[256] = {};
  bool got = std::fgets(line, sizeof line, pipe) != nullptr;
  const int status = ::pclose(pipe);
  if (!got || status != 0) return false;
  return std::sscanf(line, "%ld %ld %ld %ld %ld", &out.rss, &out.hwm, &out.anon, &out.file,
                     &out.threads) == 5;
}

double mib(long kib) {
  return static_cast<double>(kib) / 1024.0;
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 3;
  std::vector<int> counts;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--child" && i + 1 < argc) return child(std::atoi(argv[i + 1]));
    if (a == "--runs" && i + 1 < argc) {
      runs = std::max(1, std::atoi(argv[++i]));
    } else if (a == "-h" || a == "--help") {
      std::printf("usage: bench_accounts [--runs R] [N ...]\n");
      return 0;
    } else if (std::atoi(a.c_str()) > 0) {
      counts.push_back(std::atoi(a.c_str()));
    }
  }
  if (counts.empty()) counts = {1, 2, 5, 10};
  std::printf(
      "accounts  VmRSS kB (MiB)        RssAnon kB  RssFile kB  VmHWM kB  threads  "
      "per account over N=1\n");
  long base = -1;
  int base_n = 0;
  int failures = 0;
  for (const int n : counts) {
    std::vector<Sample> samples;
    for (int r = 0; r < runs; ++r) {
      Sample s;
      if (!run_child(n, s)) {
        std::printf("%8d  (the run failed; see stderr)\n", n);
        ++failures;
        samples.clear();
        break;
      }
      samples.push_back(s);
    }
    if (samples.empty()) continue;
    std::sort(samples.begin(), samples.end(),
              [](const Sample& a, const Sample& b) { return a.rss < b.rss; });
    const Sample& m = samples[samples.size() / 2];
    std::string per = "";
    if (base < 0) {
      base = m.rss;
      base_n = n;
    } else if (n > base_n) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.1f MiB", mib(m.rss - base) / (n - base_n));
      per = buf;
    }
    std::printf("%8d  %7ld (%5.1f) [%ld..%ld]  %10ld  %10ld  %8ld  %7ld  %s\n", n, m.rss,
                mib(m.rss), samples.front().rss, samples.back().rss, m.anon, m.file, m.hwm,
                m.threads, per.c_str());
  }
  return failures == 0 ? 0 : 1;
}
