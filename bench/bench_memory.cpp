// Idle memory of the sakaibot binary (plain main, prints figures; no pass/fail):
//   login    `sakaibot login` with TDLib started, waiting at the phone prompt (offline: the
//            closest to an idle `sakaibot run` a machine without a Telegram account reaches)
//   console  `sakaibot console`, idle after its greeting
//   start    `sakaibot --version`: wall time and peak RSS of a process that only starts and exits
//            (what the dynamic loader maps and initialises before main)
// Both run with EVERYTHING configured (Telegram api_id/api_hash, Gemini, OpenRouter and
// OpenAI-compatible keys, STT and TTS engines), driven through a pseudo-terminal like a user's
// shell. Once the prompt is up and the process has settled, VmRSS and VmHWM come from
// /proc/<pid>/status and the resident set is broken down per mapped file from /proc/<pid>/smaps,
// grouped by the library family that brings each file in (ldd closures).
//
//   bench_memory [--runs N] [BINARY ...]
//
// Several binaries (e.g. this tree's and one built from an older commit) are measured side by
// side in one run. Default: the sakaibot next to this program. Nothing leaves the machine: no
// request is made, and the login stops at the phone prompt.
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// ---- library families ----------------------------------------------------------------------

struct Family {
  std::string name;
  std::vector<std::string> roots;  // sonames whose ldd closure makes the family
  std::set<std::string> files;     // real file names (libfoo.so.1.2.3)
};

std::string find_library(const std::string& soname) {
  for (const char* dir : {"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64",
                          "/usr/lib64", "/lib", "/usr/lib"}) {
    const fs::path p = fs::path(dir) / soname;
    std::error_code ec;
    if (fs::exists(p, ec)) return p.string();
  }
  return {};
}

std::string run_command(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  std::array<char, 4096> buf{};
  std::size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0)
    out.append(buf.data(), n);
  ::pclose(pipe);
  return out;
}

std::string real_name(const std::string& path) {
  std::error_code ec;
  const fs::path real = fs::canonical(path, ec);
  return (ec ? fs::path(path) : real).filename().string();
}

// The file itself and every library ldd lists for it.
std::set<std::string> closure(const std::string& path) {
  std::set<std::string> files{real_name(path)};
  std::istringstream lines(run_command("ldd '" + path + "' 2>/dev/null"));
  for (std::string line; std::getline(lines, line);) {
    const auto arrow = line.find("=> /");
    if (arrow == std::string::npos) continue;
    std::string target = line.substr(arrow + 3);
    target = target.substr(0, target.find(' '));
    files.insert(real_name(target));
  }
  return files;
}

// Shared dependencies count for the first family that lists them (the C library is "runtime").
std::vector<Family> families() {
  std::vector<Family> fams = {
      {"C/C++ runtime, SQLite, TOML, JSON, Markdown, fmt, QR",
       {"libc.so.6", "libstdc++.so.6", "libm.so.6", "libgcc_s.so.1", "libsqlite3.so.0",
        "libsimdjson.so.14", "libmd4c.so.0", "libtomlplusplus.so.3", "libfmt.so.9",
        "libqrencode.so.4", "ld-linux-x86-64.so.2", "libdl.so.2"},
       {}},
      {"Opus, soxr (voice notes)", {"libopusfile.so.0", "libopusenc.so.0", "libsoxr.so.0"}, {}},
      {"libcurl and its TLS stack (OpenSSL, GnuTLS, Kerberos, LDAP, ...)", {"libcurl.so.4"}, {}},
      {"FFmpeg and its codec libraries",
       {"libavformat.so.59", "libavcodec.so.59", "libavutil.so.57"},
       {}},
      {"flite and its voices",
       {"libflite.so.1", "libflite_cmu_us_kal16.so.1", "libflite_cmu_us_rms.so.1",
        "libflite_cmu_us_slt.so.1"},
       {}},
      {"espeak-ng", {"libespeak-ng.so.1"}, {}},
      {"pocketsphinx", {"libpocketsphinx.so.3", "libsphinxbase.so.3"}, {}},
  };
  std::set<std::string> taken;
  for (auto& f : fams) {
    for (const auto& soname : f.roots) {
      const std::string path = find_library(soname);
      if (path.empty()) continue;
      for (const auto& file : closure(path)) {
        if (taken.insert(file).second) f.files.insert(file);
      }
    }
  }
  return fams;
}

// ---- one measurement -----------------------------------------------------------------------

struct Mapping {
  std::string name;  // file name, or "" for anonymous memory
  long rss_kib = 0;
};

struct Sample {
  bool reached = false;  // the prompt appeared
  long rss_kib = 0, hwm_kib = 0, threads = 0;
  std::vector<Mapping> mappings;
  std::string output_tail;
};

long status_field(const std::string& status, const std::string& key) {
  const auto at = status.find("\n" + key + ":");
  if (at == std::string::npos) return 0;
  return std::strtol(status.c_str() + at + key.size() + 2, nullptr, 10);
}

std::vector<Mapping> read_smaps(pid_t pid) {
  std::vector<Mapping> out;
  std::ifstream in("/proc/" + std::to_string(pid) + "/smaps");
  for (std::string line; std::getline(in, line);) {
    const bool header = !line.empty() && std::isxdigit(static_cast<unsigned char>(line[0])) &&
                        line.find('-') < line.find(' ');
    if (header) {
      std::istringstream fields(line);
      std::string range, perms, offset, dev, inode, path;
      fields >> range >> perms >> offset >> dev >> inode;
      std::getline(fields, path);
      path.erase(0, path.find_first_not_of(' '));
      out.push_back({path.empty() || path[0] == '[' ? path : fs::path(path).filename().string()});
    } else if (line.rfind("Rss:", 0) == 0 && !out.empty()) {
      out.back().rss_kib = std::strtol(line.c_str() + 4, nullptr, 10);
    }
  }
  return out;
}

// Runs `argv` on a pseudo-terminal until its output shows `prompt`, lets it settle, measures.
Sample measure(const std::vector<std::string>& argv, const std::string& prompt) {
  Sample s;
  int master = -1;
  const pid_t pid = ::forkpty(&master, nullptr, nullptr, nullptr);
  if (pid < 0) return s;
  if (pid == 0) {
    std::vector<char*> args;
    for (const auto& a : argv)
      args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  std::string output;
  auto drain_until = [&](Clock::time_point until, bool stop_at_prompt) {
    while (Clock::now() < until) {
      if (stop_at_prompt && output.find(prompt) != std::string::npos) return;
      pollfd p{master, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      std::array<char, 4096> buf{};
      const ssize_t n = ::read(master, buf.data(), buf.size());
      if (n <= 0) return;
      output.append(buf.data(), static_cast<std::size_t>(n));
    }
  };
  drain_until(Clock::now() + std::chrono::seconds(60), true);
  s.reached = output.find(prompt) != std::string::npos;
  drain_until(Clock::now() + std::chrono::seconds(2), false);  // let start-up work finish
  std::ifstream st("/proc/" + std::to_string(pid) + "/status");
  std::stringstream status;
  status << "\n" << st.rdbuf();
  s.rss_kib = status_field(status.str(), "VmRSS");
  s.hwm_kib = status_field(status.str(), "VmHWM");
  s.threads = status_field(status.str(), "Threads");
  s.mappings = read_smaps(pid);
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  ::close(master);
  s.output_tail = output.substr(output.size() > 300 ? output.size() - 300 : 0);
  return s;
}

// `binary --version`, output discarded: the median wall time of `runs` and their peak RSS.
void measure_start(const std::string& binary, int runs) {
  std::vector<double> seconds;
  long peak_kib = 0;
  for (int r = 0; r < std::max(runs, 5); ++r) {
    const auto t0 = Clock::now();
    const pid_t pid = ::fork();
    if (pid == 0) {
      const int null = ::open("/dev/null", O_WRONLY);
      ::dup2(null, 1);
      ::execl(binary.c_str(), binary.c_str(), "--version", static_cast<char*>(nullptr));
      ::_exit(127);
    }
    int status = 0;
    rusage usage{};
    ::wait4(pid, &status, 0, &usage);
    seconds.push_back(std::chrono::duration<double>(Clock::now() - t0).count());
    peak_kib = std::max(peak_kib, usage.ru_maxrss);
  }
  std::sort(seconds.begin(), seconds.end());
  std::printf("  start and exit (--version): %.0f ms median of %zu, peak RSS %ld kB\n",
              seconds[seconds.size() / 2] * 1e3, seconds.size(), peak_kib);
}

// ---- report --------------------------------------------------------------------------------

double mib(long kib) {
  return static_cast<double>(kib) / 1024.0;
}

void print_breakdown(const Sample& s, const std::string& binary, const std::vector<Family>& fams) {
  std::map<std::string, long> groups;
  std::map<std::string, long> files;
  const std::string exe = real_name(binary);
  for (const auto& m : s.mappings) {
    if (m.rss_kib == 0) continue;
    std::string group;
    if (m.name.empty() || m.name == "[heap]" || m.name == "[stack]") {
      group = "anonymous: heap, thread stacks, TDLib's allocations";
    } else if (m.name[0] == '[') {
      group = "kernel ([vdso] ...)";
    } else if (m.name.find("libtdjson") != std::string::npos) {
      group = "TDLib (libtdjson.so)";
    } else if (m.name == exe) {
      group = "the sakaibot binary";
    } else {
      group = "other files";
      for (const auto& f : fams) {
        if (f.files.count(m.name) != 0) {
          group = f.name;
          break;
        }
      }
      files[m.name] += m.rss_kib;
    }
    groups[group] += m.rss_kib;
  }
  std::vector<std::pair<long, std::string>> sorted;
  for (const auto& [g, kib] : groups)
    sorted.emplace_back(kib, g);
  std::sort(sorted.rbegin(), sorted.rend());
  for (const auto& [kib, g] : sorted)
    std::printf("      %6.1f MiB  %s\n", mib(kib), g.c_str());
  std::vector<std::pair<long, std::string>> libs;
  for (const auto& [f, kib] : files)
    libs.emplace_back(kib, f);
  std::sort(libs.rbegin(), libs.rend());
  std::printf("      largest libraries:");
  for (std::size_t i = 0; i < libs.size() && i < 8; ++i)
    std::printf("%s %s %.1f", i == 0 ? "" : ",", libs[i].second.c_str(), mib(libs[i].first));
  std::printf(" (MiB)\n");
}

std::string write_config(const fs::path& dir) {
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
      << "[data]\ndir = \"" << (dir / "data").string() << "\"\n";
  out.close();
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);
  return path.string();
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 3;
  std::vector<std::string> binaries;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--runs" && i + 1 < argc) {
      runs = std::max(1, std::atoi(argv[++i]));
    } else if (a == "-h" || a == "--help") {
      std::printf("usage: bench_memory [--runs N] [SAKAIBOT_BINARY ...]\n");
      return 0;
    } else {
      binaries.push_back(fs::absolute(a).string());
    }
  }
  if (binaries.empty()) {
    binaries.push_back((fs::canonical("/proc/self/exe").parent_path() / "sakaibot").string());
  }
  const std::vector<Family> fams = families();
  const fs::path dir =
      fs::temp_directory_path() / ("sakaibot_bench_memory_" + std::to_string(::getpid()));
  int failures = 0;
  for (const auto& binary : binaries) {
    std::printf("%s\n", binary.c_str());
    measure_start(binary, runs);
    const struct {
      const char* what;
      const char* command;
      const char* prompt;
    } scenarios[] = {
        {"login, at the phone prompt (TDLib started)", "login", "Phone number"},
        {"console, idle", "console", ":quit"},
    };
    for (const auto& sc : scenarios) {
      std::vector<Sample> samples;
      for (int r = 0; r < runs; ++r) {
        fs::remove_all(dir);
        const std::string config = write_config(dir);
        samples.push_back(measure({binary, "--config", config, sc.command}, sc.prompt));
        fs::remove_all(dir);
        if (!samples.back().reached) break;
      }
      if (!samples.back().reached) {
        std::printf("  %s: the prompt never appeared; output ends:\n%s\n", sc.what,
                    samples.back().output_tail.c_str());
        ++failures;
        continue;
      }
      // The median run by VmRSS is the one reported and broken down.
      std::sort(samples.begin(), samples.end(),
                [](const Sample& a, const Sample& b) { return a.rss_kib < b.rss_kib; });
      const Sample& median = samples[samples.size() / 2];
      // kB as /proc prints them (1 kB = 1,024 bytes), and MiB.
      std::printf("  %s: VmRSS %ld kB = %.1f MiB (runs: %ld..%ld kB), VmHWM %ld kB, %ld threads\n",
                  sc.what, median.rss_kib, mib(median.rss_kib), samples.front().rss_kib,
                  samples.back().rss_kib, median.hwm_kib, median.threads);
      print_breakdown(median, binary, fams);
    }
  }
  return failures == 0 ? 0 : 1;
}
