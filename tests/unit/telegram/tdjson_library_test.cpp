// TdJsonLibrary and TdClient against the real libtdjson.so (TDLib 1.8.65 from the npm pin): TDLib
// starts, asks for a phone number, is told there is no network (setNetworkType networkTypeNone,
// so it waits whether or not the machine is online), never answers setAuthenticationPhoneNumber,
// and closes cleanly.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/event_loop.h"
#include "core/log.h"
#include "support/temp_dir.h"
#include "telegram/tdjson/td_client.h"
#include "telegram/tdjson/tdjson_library.h"
#include "unit/telegram/tdjson_test_support.h"

namespace sakai::telegram::tdjson {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using std::chrono::seconds;
using test_support::LockedLog;

const std::string kLibrary =
    std::string(SAKAIBOT_SOURCE_DIR) + "/node_modules/@prebuilt-tdlib/linux-x64-glibc/libtdjson.so";

#define SKIP_WITHOUT_TDLIB()                            \
  if (!std::filesystem::exists(kLibrary))               \
  GTEST_SKIP() << "TDLib not installed at " << kLibrary \
               << " (run ./scripts/install-deps.sh to install the pinned npm package)"

using sakai::testing::TempDir;

// Authorization and connection states seen by the update sink (on the receive thread).
class AuthStates {
 public:
  void record(std::string_view object) {
    const auto j = json::parse(object, nullptr, false);
    if (!j.is_object()) return;
    std::string state;
    if (j.value("@type", "") == "updateAuthorizationState") {
      state = j["authorization_state"].value("@type", "");
    } else if (j.value("@type", "") == "updateConnectionState") {
      state = j["state"].value("@type", "");
    } else {
      return;
    }
    {
      std::lock_guard lock(mu_);
      states_.push_back(state);
    }
    cv_.notify_all();
  }
  // The last connection state TDLib reported ("" before the first).
  std::string connection() {
    std::lock_guard lock(mu_);
    for (auto it = states_.rbegin(); it != states_.rend(); ++it) {
      if (it->starts_with("connectionState")) return *it;
    }
    return {};
  }
  bool wait_for(const std::string& state, milliseconds limit) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, limit, [&] { return seen_locked(state); });
  }
  bool seen(const std::string& state) {
    std::lock_guard lock(mu_);
    return seen_locked(state);
  }

 private:
  bool seen_locked(const std::string& state) const {
    for (const auto& s : states_) {
      if (s == state) return true;
    }
    return false;
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> states_;
};

TEST(TdJsonLibraryTest, LoadsThePinnedVersionQuietly) {
  SKIP_WITHOUT_TDLIB();
  auto lib = TdJsonLibrary::load({"/nonexistent/libtdjson.so", kLibrary});
  ASSERT_TRUE(lib.is_ok()) << lib.status().to_string();
  EXPECT_EQ((*lib)->version(), "1.8.65");
  EXPECT_EQ((*lib)->path(), kLibrary);
  const auto version = json::parse((*lib)->execute(R"({"@type":"getOption","name":"version"})"));
  EXPECT_EQ(version["@type"], "optionValueString");
  EXPECT_EQ(version["value"], "1.8.65");
  // load() lowered TDLib's default verbosity (5) to 1.
  const auto level = json::parse((*lib)->execute(R"({"@type":"getLogVerbosityLevel"})"));
  EXPECT_EQ(level["@type"], "logVerbosityLevel");
  EXPECT_EQ(level["verbosity_level"], 1);
}

TEST(TdJsonLibraryTest, LogCallbackGetsTdlibMessagesWithoutTrailingNewline) {
  SKIP_WITHOUT_TDLIB();
  auto lib = TdJsonLibrary::load({kLibrary});
  ASSERT_TRUE(lib.is_ok()) << lib.status().to_string();
  std::mutex mu;
  std::vector<std::pair<int, std::string>> got;
  (*lib)->set_log_callback(2, [&](int verbosity, std::string_view message) {
    std::lock_guard lock(mu);
    got.emplace_back(verbosity, std::string(message));
  });
  (*lib)->execute(R"({"@type":"addLogMessage","verbosity_level":1,"text":"sakai-probe"})");
  (*lib)->execute(R"({"@type":"addLogMessage","verbosity_level":3,"text":"above-verbosity"})");
  (*lib)->set_log_callback(0, nullptr);
  (*lib)->execute(R"({"@type":"addLogMessage","verbosity_level":1,"text":"after-clear"})");
  std::lock_guard lock(mu);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].first, 1);
  EXPECT_NE(got[0].second.find("\tsakai-probe"), std::string::npos) << got[0].second;
  EXPECT_NE(got[0].second.back(), '\n');
}

TEST(TdJsonLibraryTest, AFileThatIsNotALibraryIsAClearError) {
  TempDir dir;
  const auto bogus = (dir.path() / "libtdjson.so").string();
  std::ofstream(bogus) << "this is not an ELF file, just garbage\n";
  auto lib = TdJsonLibrary::load({bogus});
  ASSERT_FALSE(lib.is_ok());
  EXPECT_EQ(lib.status().code(), ErrorCode::kFailedPrecondition);
  const std::string msg = lib.status().message();
  EXPECT_NE(msg.find("cannot load " + bogus), std::string::npos) << msg;
  // dlerror's own words ("invalid ELF header" or "file too short") are kept.
  EXPECT_TRUE(msg.find("ELF") != std::string::npos || msg.find("too short") != std::string::npos)
      << msg;
  EXPECT_NE(msg.find("install-deps.sh"), std::string::npos) << msg;
}

TEST(TdJsonLibraryTest, NoLibraryAnywhereIsNotFoundListingThePaths) {
  auto lib = TdJsonLibrary::load({"/nonexistent/a/libtdjson.so", "/nonexistent/b/libtdjson.so"});
  ASSERT_FALSE(lib.is_ok());
  EXPECT_EQ(lib.status().code(), ErrorCode::kNotFound);
  const std::string msg = lib.status().message();
  EXPECT_NE(msg.find("/nonexistent/a/libtdjson.so, /nonexistent/b/libtdjson.so"), std::string::npos)
      << msg;
  EXPECT_NE(msg.find("run ./scripts/install-deps.sh, or set telegram.tdjson_path"),
            std::string::npos)
      << msg;
}

TEST(TdJsonLibraryTest, AnotherVersionNamesFoundAndExpected) {
  EXPECT_TRUE(
      check_tdlib_version(R"({"@type":"optionValueString","value":"1.8.65"})", "x").is_ok());
  const Status other =
      check_tdlib_version(R"({"@type":"optionValueString","value":"1.8.67"})", "/opt/libtdjson.so");
  EXPECT_EQ(other.code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(other.message().find("/opt/libtdjson.so is TDLib 1.8.67"), std::string::npos)
      << other.message();
  EXPECT_NE(other.message().find("needs TDLib 1.8.65"), std::string::npos) << other.message();
  EXPECT_NE(other.message().find("install-deps.sh"), std::string::npos) << other.message();
  const Status garbled = check_tdlib_version(R"({"@type":"error","code":400})", "y");
  EXPECT_EQ(garbled.code(), ErrorCode::kFailedPrecondition);
}

TEST(TdJsonSearchPathsTest, ConfiguredPathIsTheOnlyCandidate) {
  EXPECT_EQ(tdjson_search_paths("/etc/sakai/libtdjson.so", "/opt/sakai/build"),
            std::vector<std::string>{"/etc/sakai/libtdjson.so"});
}

TEST(TdJsonSearchPathsTest, DocumentedOrder) {
  const char* old = std::getenv("SAKAIBOT_TDJSON_PATH");
  const std::optional<std::string> saved = old ? std::optional<std::string>(old) : std::nullopt;
  const std::string npm = "node_modules/@prebuilt-tdlib/linux-x64-glibc/libtdjson.so";

  setenv("SAKAIBOT_TDJSON_PATH", "/env/libtdjson.so", 1);
  EXPECT_EQ(tdjson_search_paths("", "/opt/sakai/build"),
            (std::vector<std::string>{"/env/libtdjson.so", "/opt/sakai/" + npm,
                                      "/opt/sakai/build/" + npm, "./" + npm,
                                      "/usr/local/lib/libtdjson.so", "/usr/lib/libtdjson.so"}));
  unsetenv("SAKAIBOT_TDJSON_PATH");
  EXPECT_EQ(tdjson_search_paths("", ""),
            (std::vector<std::string>{"./" + npm, "/usr/local/lib/libtdjson.so",
                                      "/usr/lib/libtdjson.so"}));
  if (saved) setenv("SAKAIBOT_TDJSON_PATH", saved->c_str(), 1);
}

TEST(TdClientRealTest, OfflineLifecycleReachesPhoneNumberTimesOutAndCloses) {
  SKIP_WITHOUT_TDLIB();
  auto lib = TdJsonLibrary::load({kLibrary});
  ASSERT_TRUE(lib.is_ok()) << lib.status().to_string();

  SystemClock clock;
  LockedLog log;
  Logger logger(LogLevel::kDebug, LogFormat::kJson, log.stream(), clock);
  EventLoop loop(clock);
  TempDir dir;
  AuthStates states;
  TdJsonHub hub(**lib, logger);
  TdClient client(hub, loop, logger, clock);
  client.set_update_sink([&](std::string_view object, TdEvent&&) { states.record(object); });
  client.start();

  const json params = {
      {"@type", "setTdlibParameters"},
      {"use_test_dc", true},
      {"database_directory", (dir.path() / "db").string()},
      {"files_directory", (dir.path() / "files").string()},
      {"database_encryption_key", "c2FrYWlib3Q="},  // base64 of "sakaibot"
      {"use_file_database", false},
      {"use_chat_info_database", false},
      {"use_message_database", false},
      {"use_secret_chats", false},
      {"api_id", 12345},
      {"api_hash", "0123456789abcdef0123456789abcdef"},
      {"system_language_code", "en"},
      {"device_model", "SakaiBot test"},
      {"system_version", "Linux"},
      {"application_version", "0.1.0"},
  };
  std::optional<Result<std::string>> params_answer;
  client.send(params.dump(), seconds(10), [&](Result<std::string> r) { params_answer = r; });
  loop.run_until_idle();  // returns once the answer is in
  ASSERT_TRUE(params_answer.has_value());
  ASSERT_TRUE(params_answer->is_ok()) << params_answer->status().to_string();
  EXPECT_EQ(json::parse(**params_answer)["@type"], "ok");
  ASSERT_TRUE(states.wait_for("authorizationStateWaitPhoneNumber", seconds(5)));

  // No network, as far as TDLib knows: it drops its connections and opens none, so the request
  // below cannot be answered whether or not this machine can reach Telegram.
  std::optional<Result<std::string>> network_answer;
  client.send(R"({"@type":"setNetworkType","type":{"@type":"networkTypeNone"}})", seconds(10),
              [&](Result<std::string> r) { network_answer = r; });
  loop.run_until_idle();
  ASSERT_TRUE(network_answer.has_value());
  ASSERT_TRUE(network_answer->is_ok()) << network_answer->status().to_string();
  ASSERT_TRUE(states.wait_for("connectionStateWaitingForNetwork", seconds(5)));

  // TDLib never answers this: our deadline does.
  std::optional<Result<std::string>> phone_answer;
  const auto sent = std::chrono::steady_clock::now();
  client.send(R"({"@type":"setAuthenticationPhoneNumber","phone_number":"+15550000000"})",
              seconds(2), [&](Result<std::string> r) { phone_answer = r; });
  loop.run_until_idle();  // waits for the deadline timer
  const auto waited = std::chrono::steady_clock::now() - sent;
  ASSERT_TRUE(phone_answer.has_value());
  EXPECT_EQ(phone_answer->status().code(), ErrorCode::kDeadlineExceeded);
  EXPECT_EQ(phone_answer->status().message(),
            "tdlib: setAuthenticationPhoneNumber got no answer within 2 s");
  EXPECT_GE(waited, milliseconds(1900));
  EXPECT_LT(waited, seconds(5));
  // All the while TDLib waited for a network it was told is not there.
  EXPECT_EQ(states.connection(), "connectionStateWaitingForNetwork");

  const auto stop_began = std::chrono::steady_clock::now();
  client.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - stop_began, seconds(3));
  EXPECT_TRUE(client.closed());
  EXPECT_TRUE(states.seen("authorizationStateClosed"));
  // At close TDLib answers the abandoned request with 500 "Request aborted": dropped as late.
  EXPECT_GE(client.dropped_responses(), 1u);
  EXPECT_EQ(client.pending_requests(), 0u);
  client.stop();  // twice is fine
  loop.run_until_idle();
}

}  // namespace
}  // namespace sakai::telegram::tdjson
