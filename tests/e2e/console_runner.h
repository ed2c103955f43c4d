#pragma once
// Runs the real `sakaibot` binary (SAKAIBOT_BINARY) in a throw-away directory and collects what a
// user would see: the exit code, stdout parsed as JSON lines, and stderr.
//
// The child gets a clean environment (PATH, HOME=<dir>, SAKAIBOT_DATA_DIR=<dir>/data plus what a
// test adds), runs in <dir> so no sakaibot.toml or .env of the developer is picked up, and is
// killed after a timeout. Input is written through a pipe, optionally in parts with a pause in
// between (the console finishes each line before it reads the next, so a pause is "time passing"
// between two messages).
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/text.h"

namespace sakai::e2e {

using nlohmann::json;

struct RunResult {
  int exit_code = -1;  // -1 when killed (by the timeout or a signal)
  bool timed_out = false;
  std::string out;
  std::string err;
  std::vector<json> lines;             // every stdout line, parsed
  std::vector<std::string> bad_lines;  // stdout lines that are not JSON objects

  [[nodiscard]] std::vector<json> with_action(std::string_view action) const {
    std::vector<json> found;
    for (const auto& l : lines) {
      if (l.value("action", "") == action) found.push_back(l);
    }
    return found;
  }
  [[nodiscard]] std::vector<json> sends() const { return with_action("send"); }
  [[nodiscard]] std::vector<json> sends_in(std::int64_t chat) const {
    std::vector<json> found;
    for (const auto& l : sends()) {
      if (l["chat"] == chat) found.push_back(l);
    }
    return found;
  }
  // Sends that answer message `id`.
  [[nodiscard]] std::vector<json> replies_to(std::int64_t id) const {
    std::vector<json> found;
    for (const auto& l : sends()) {
      if (l.contains("reply_to") && l["reply_to"] == id) found.push_back(l);
    }
    return found;
  }
  // The text of the one answer to message `id` ("" and a test failure when there is not exactly
  // one).
  [[nodiscard]] std::string answer_to(std::int64_t id) const {
    const auto r = replies_to(id);
    EXPECT_EQ(r.size(), 1u) << "answers to #" << id << " in:\n" << out;
    return r.size() == 1 ? r[0]["text"].get<std::string>() : std::string();
  }
  [[nodiscard]] std::optional<json> receive(std::int64_t id) const {
    for (const auto& l : with_action("receive")) {
      if (l["message_id"] == id) return l;
    }
    return std::nullopt;
  }
  [[nodiscard]] std::string receive_text(std::int64_t id) const {
    const auto r = receive(id);
    return r ? (*r)["text"].get<std::string>()
             : std::string("<no message #" + std::to_string(id) + ">");
  }
};

// Splits `text` on '\n' (a trailing newline does not make an extra empty line).
inline std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line))
    out.push_back(line);
  return out;
}

inline std::string script(std::initializer_list<std::string_view> lines) {
  std::string s;
  for (auto l : lines) {
    s += l;
    s += '\n';
  }
  return s;
}

// UTF-8 <-> UTF-16, for checking Telegram entity offsets (UTF-16 code units).
inline std::u16string to_utf16(std::string_view s) {
  std::u16string out;
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    char32_t cp = b0;
    std::size_t n = 1;
    if (b0 >= 0xF0) {
      cp = b0 & 0x07, n = 4;
    } else if (b0 >= 0xE0) {
      cp = b0 & 0x0F, n = 3;
    } else if (b0 >= 0xC0) {
      cp = b0 & 0x1F, n = 2;
    }
    for (std::size_t k = 1; k < n && i + k < s.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    }
    i += n;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out.push_back(static_cast<char16_t>(0xD800 + (cp >> 10)));
      out.push_back(static_cast<char16_t>(0xDC00 + (cp & 0x3FF)));
    } else {
      out.push_back(static_cast<char16_t>(cp));
    }
  }
  return out;
}

inline std::string from_utf16(std::u16string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char32_t cp = s[i];
    if (cp >= 0xD800 && cp <= 0xDBFF && i + 1 < s.size()) {
      cp = 0x10000 + ((cp - 0xD800) << 10) + (s[i + 1] - 0xDC00);
      ++i;
    }
    out += text::encode(cp);
  }
  return out;
}

// The text each entity of a send/edit line covers, as (type, text) pairs; fails the test when an
// entity reaches outside the text.
inline std::vector<std::pair<std::string, std::string>> entity_slices(const json& action) {
  std::vector<std::pair<std::string, std::string>> out;
  const std::u16string text = to_utf16(action["text"].get<std::string>());
  for (const auto& e : action["entities"]) {
    const auto offset = e["offset"].get<std::int64_t>();
    const auto length = e["length"].get<std::int64_t>();
    EXPECT_GE(offset, 0);
    EXPECT_GT(length, 0);
    EXPECT_LE(offset + length, static_cast<std::int64_t>(text.size())) << action.dump();
    if (offset < 0 || offset + length > static_cast<std::int64_t>(text.size())) continue;
    out.emplace_back(e["type"].get<std::string>(),
                     from_utf16(std::u16string_view(text).substr(
                         static_cast<std::size_t>(offset), static_cast<std::size_t>(length))));
  }
  return out;
}

inline constexpr const char* kGeminiKey = "AIzaSyTESTKEY1234567890123456789012345";

inline bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// True when `s` has a letter of the Arabic script (Persian and Arabic answers).
inline bool has_arabic_letter(const std::string& s) {
  for (char16_t c : to_utf16(s)) {
    if (c >= 0x0620 && c <= 0x06FF) return true;
  }
  return false;
}

// The run ended normally and wrote nothing but JSON objects to stdout.
inline void expect_clean(const RunResult& r) {
  EXPECT_EQ(r.exit_code, 0) << "stderr:\n" << r.err;
  EXPECT_TRUE(r.bad_lines.empty()) << "not JSON: " << (r.bad_lines.empty() ? "" : r.bad_lines[0]);
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void write_file(const std::string& path, const std::string& content) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
}

class Sandbox {
 public:
  Sandbox() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "sakaibot-e2e-XXXXXX").string();
    const char* made = ::mkdtemp(tmpl.data());
    EXPECT_NE(made, nullptr);
    dir_ = tmpl;
    env_["PATH"] = "/usr/local/bin:/usr/bin:/bin";
    env_["HOME"] = dir_;
    env_["SAKAIBOT_DATA_DIR"] = dir_ + "/data";
  }
  ~Sandbox() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;

  [[nodiscard]] const std::string& dir() const { return dir_; }
  [[nodiscard]] std::string file(const std::string& name) const { return dir_ + "/" + name; }
  void set_env(const std::string& name, const std::string& value) { env_[name] = value; }
  void unset_env(const std::string& name) { env_.erase(name); }

  // `sakaibot console --jsonl` with `input` on stdin.
  RunResult console(const std::string& input, std::vector<std::string> global_args = {}) {
    global_args.push_back("console");
    global_args.push_back("--jsonl");
    return run(global_args, {input});
  }

  // Runs the binary with `args`; stdin receives `parts` one after the other with `pause` between.
  RunResult run(const std::vector<std::string>& args, const std::vector<std::string>& parts = {},
                std::chrono::milliseconds pause = std::chrono::milliseconds(0),
                std::chrono::seconds timeout = std::chrono::seconds(60)) {
    return run_impl(args, parts, pause, timeout, {});
  }

  // Runs the binary with `args` and `input` on stdin (left open) until `ready` (asked every few
  // milliseconds with its stdout so far) says yes, then kills it with SIGKILL, as a crash or
  // `kill -9` would; what it wrote until then. A test failure when `ready` never said yes.
  RunResult run_until_killed(const std::vector<std::string>& args, const std::string& input,
                             const std::function<bool(const std::string& out)>& ready,
                             std::chrono::seconds timeout = std::chrono::seconds(60)) {
    return run_impl(args, {input}, std::chrono::milliseconds(0), timeout, ready);
  }

 private:
  RunResult run_impl(const std::vector<std::string>& args, const std::vector<std::string>& parts,
                     std::chrono::milliseconds pause, std::chrono::seconds timeout,
                     const std::function<bool(const std::string&)>& kill_at) {
    ::signal(SIGPIPE, SIG_IGN);  // the child may exit before reading all of its input
    RunResult r;
    const std::string out_path = file("stdout.txt");
    const std::string err_path = file("stderr.txt");
    std::vector<std::string> argv_s{SAKAIBOT_BINARY};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<std::string> env_s;
    for (const auto& [k, v] : env_)
      env_s.push_back(k + "=" + v);
    std::vector<char*> argv;
    for (auto& a : argv_s)
      argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<char*> envp;
    for (auto& e : env_s)
      envp.push_back(e.data());
    envp.push_back(nullptr);

    int in_pipe[2];
    if (::pipe(in_pipe) != 0) {
      ADD_FAILURE() << "pipe failed";
      return r;
    }
    const int out_fd = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    const int err_fd = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    const pid_t pid = ::fork();
    if (pid == 0) {
      ::dup2(in_pipe[0], STDIN_FILENO);
      ::dup2(out_fd, STDOUT_FILENO);
      ::dup2(err_fd, STDERR_FILENO);
      ::close(in_pipe[0]);
      ::close(in_pipe[1]);
      if (::chdir(dir_.c_str()) != 0) ::_exit(127);
      ::execve(argv[0], argv.data(), envp.data());
      ::_exit(127);
    }
    ::close(in_pipe[0]);
    ::close(out_fd);
    ::close(err_fd);
    for (std::size_t i = 0; i < parts.size(); ++i) {
      if (i > 0) std::this_thread::sleep_for(pause);
      write_all(in_pipe[1], parts[i]);
    }
    // A run that is to be killed keeps its input open: the end of input would end it first.
    if (!kill_at) ::close(in_pipe[1]);

    const auto deadline = std::chrono::steady_clock::now() + timeout;
    int status = 0;
    bool killed = false;
    while (true) {
      const pid_t done = ::waitpid(pid, &status, WNOHANG);
      if (done == pid) break;
      if (kill_at && kill_at(read_file(out_path))) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, &status, 0);
        killed = true;
        break;
      }
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, &status, 0);
        r.timed_out = true;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (kill_at) {
      ::close(in_pipe[1]);
      EXPECT_TRUE(killed) << "sakaibot never got where it was to be killed (within "
                          << timeout.count() << " s, or it exited first)";
    }
    EXPECT_FALSE(r.timed_out) << "sakaibot did not finish within " << timeout.count() << " s";
    r.exit_code = (!r.timed_out && !killed && WIFEXITED(status)) ? WEXITSTATUS(status) : -1;
    r.out = read_file(out_path);
    r.err = read_file(err_path);
    for (const auto& line : split_lines(r.out)) {
      auto j = json::parse(line, nullptr, /*allow_exceptions=*/false);
      if (j.is_discarded() || !j.is_object()) {
        r.bad_lines.push_back(line);
      } else {
        r.lines.push_back(std::move(j));
      }
    }
    return r;
  }

  static void write_all(int fd, std::string_view data) {
    while (!data.empty()) {
      const ssize_t n = ::write(fd, data.data(), data.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return;  // EPIPE: the child is gone
      data.remove_prefix(static_cast<std::size_t>(n));
    }
  }

  std::string dir_;
  std::map<std::string, std::string> env_;
};

}  // namespace sakai::e2e
