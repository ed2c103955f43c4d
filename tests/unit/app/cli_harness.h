#pragma once
// Runs `sakaibot ...` in this process (app::run_cli) over the scripted TDLib double: a temporary
// data directory, a configuration file, scripted stdin, and stdout/stderr kept for the test. A
// command that runs until stopped (`run`) goes on a thread of its own; app::request_stop() does
// what Ctrl+C would.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "app/cli.h"
#include "app/stop_signal.h"
#include "support/scripted_tdjson.h"
#include "unit/app/config_test_util.h"
#include "unit/telegram/td_json_builders.h"
#include "unit/telegram/tdjson_test_support.h"

namespace sakai::app::testing {

using nlohmann::json;
using telegram::tdjson::ScriptedTdJson;
namespace tj = telegram::tdjson::td_json;

inline constexpr const char* kApiHash = "0123456789abcdef0123456789abcdef";

struct CliResult {
  int rc = -1;
  std::string out;
  std::string err;
};

class CliHarness {
 public:
  CliHarness() {
    // TDLib creates a client on its first request (the session's getOption "version") and then
    // asks for its parameters.
    td.on("getOption", [](const json& request) -> std::vector<json> {
      if (request.value("name", "") != "version") return {};
      return {ScriptedTdJson::option_string("1.8.65"),
              ScriptedTdJson::authorization_state("authorizationStateWaitTdlibParameters")};
    });
  }
  ~CliHarness() {
    if (!thread_.joinable()) return;
    // A command a failed test left running: ask it to stop until it does.
    while (!finished_) {
      request_stop();
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    thread_.join();
  }

  // sakaibot.toml: api_id/api_hash and `telegram` under [telegram], the data directory in the
  // temporary one, log level warn, then `more`.
  std::string write_config(const std::string& more, const std::string& telegram = "") {
    config_path = dir.write("sakaibot.toml",
                            std::string("[telegram]\napi_id = 12345\napi_hash = \"") + kApiHash +
                                "\"\n" + telegram + "\n[data]\ndir = \"" + data_dir() +
                                "\"\n\n[log]\nlevel = \"warn\"\n\n" + more,
                            0600);
    return config_path;
  }
  [[nodiscard]] std::string data_dir() const { return dir.path() + "/data"; }
  [[nodiscard]] std::string session_dir(const std::string& session) const {
    return data_dir() + "/" + session;
  }
  // What a session that has logged in before leaves behind: its TDLib database directory.
  void make_session(const std::string& session) const {
    std::filesystem::create_directories(session_dir(session) + "/db");
  }

  // Runs `sakaibot --config <file> args...` (`sakaibot args...` when they hold --config) with
  // `input` on stdin, to the end.
  CliResult run(const std::vector<std::string>& args, const std::string& input = "") {
    start(args, input);
    return wait();
  }
  // Starts it on a thread; wait() joins it.
  void start(const std::vector<std::string>& args, const std::string& input = "") {
    finished_ = false;
    in_.str(input);
    in_.clear();
    argv_strings_ = {"sakaibot"};
    if (std::find(args.begin(), args.end(), "--config") == args.end()) {
      argv_strings_.push_back("--config");
      argv_strings_.push_back(config_path);
    }
    argv_strings_.insert(argv_strings_.end(), args.begin(), args.end());
    thread_ = std::thread([this] {
      std::vector<char*> argv;
      for (auto& a : argv_strings_)
        argv.push_back(a.data());
      CliContext context;
      context.in = &in_;
      context.out = &out_;
      context.err = &err_.stream();
      context.interactive = interactive;
      context.tdjson = &td;
      context.hub.receive_timeout_seconds = 0.02;
      context.env = &env_;
      context.working_dir = dir.path();
      rc_ = run_cli(static_cast<int>(argv.size()), argv.data(), context);
      finished_ = true;
    });
  }
  CliResult wait() {
    thread_.join();
    return {rc_, out_.str(), err_.text()};
  }
  // An environment variable the configuration is read with (the process's own are not).
  void set_env(const std::string& name, const std::string& value) { env_[name] = value; }
  // stderr so far, while a command runs.
  [[nodiscard]] std::string err_now() const { return err_.text(); }

  // Waits (real time) until `done`.
  static bool eventually(const std::function<bool()>& done,
                         std::chrono::milliseconds limit = std::chrono::milliseconds(5000)) {
    return telegram::tdjson::test_support::eventually(done, {}, limit);
  }

  TempDir dir;
  ScriptedTdJson td;
  std::string config_path;
  bool interactive = false;

 private:
  std::map<std::string, std::string> env_;
  std::istringstream in_;
  std::ostringstream out_;
  telegram::tdjson::test_support::LockedLog err_;
  std::vector<std::string> argv_strings_;
  std::thread thread_;
  std::atomic<bool> finished_{false};
  int rc_ = -1;
};

// Rules for one account's client: its parameters answer `state`; getMe is `self`.
inline void script_account(ScriptedTdJson& td, int client_id, const std::string& state,
                           std::int64_t self) {
  td.on(client_id, "setTdlibParameters", [state](const json&) -> std::vector<json> {
    return {ScriptedTdJson::ok(), ScriptedTdJson::authorization_state(state)};
  });
  td.on(client_id, "getMe", [self](const json&) -> std::vector<json> {
    return {tj::user(self, "Owner", std::to_string(self))};
  });
}

// sendMessage and editMessageText answered as TDLib does (a temporary message, then its real id).
inline void script_sends(ScriptedTdJson& td) {
  td.on("sendMessage", [](const json& req) -> std::vector<json> {
    static std::int64_t next = 1;
    const std::int64_t chat = req.at("chat_id");
    const std::string text = req["input_message_content"]["text"]["text"];
    const std::int64_t temp = next++;
    const std::int64_t real = (1000 + temp) * (1 << 20);
    tj::MessageSpec pending{chat, temp, chat, text, true, tj::pending_state()};
    tj::MessageSpec sent{chat, real, chat, text, true};
    return {tj::message(pending), tj::update_send_succeeded(tj::message(sent), temp)};
  });
  td.on("editMessageText", [](const json& req) -> std::vector<json> {
    const std::string text = req["input_message_content"]["text"]["text"];
    const std::int64_t chat = req.at("chat_id");
    return {tj::message({chat, req["message_id"].get<std::int64_t>(), chat, text, true})};
  });
}

}  // namespace sakai::app::testing
