// LoginFlow over a TelegramSession whose TDLib is ScriptedTdJson: phone, wrong and right code,
// two-step password, QR login, an offline TDLib, an unregistered number; and the session's
// database key file.
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "app/login_flow.h"
#include "app/telegram_session.h"
#include "app/terminal.h"
#include "core/base64.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/event_loop.h"
#include "core/log.h"
#include "support/scripted_tdjson.h"
#include "unit/app/config_test_util.h"
#include "unit/telegram/td_json_builders.h"
#include "unit/telegram/tdjson_test_support.h"

namespace sakai::app {
namespace {

namespace td = telegram::tdjson;
namespace tj = telegram::tdjson::td_json;
using nlohmann::json;
using std::chrono::seconds;
using td::ScriptedTdJson;

constexpr std::int64_t kSelf = 5'000'001;
constexpr const char* kPhone = "+989121234567";
constexpr const char* kPassword = "correct-horse-battery";

json auth(json state) {
  return json{{"@type", "updateAuthorizationState"}, {"authorization_state", std::move(state)}};
}

json wait_code() {
  return auth({{"@type", "authorizationStateWaitCode"},
               {"code_info",
                {{"@type", "authenticationCodeInfo"},
                 {"phone_number", kPhone},
                 {"type", {{"@type", "authenticationCodeTypeTelegramMessage"}, {"length", 5}}},
                 {"next_type", nullptr},
                 {"timeout", 0}}}});
}

json wait_password() {
  return auth({{"@type", "authorizationStateWaitPassword"},
               {"password_hint", "pet"},
               {"has_recovery_email_address", false},
               {"has_passport_data", false},
               {"recovery_email_address_pattern", ""}});
}

std::vector<std::string> field_of(const std::vector<json>& requests, const char* key) {
  std::vector<std::string> out;
  for (const auto& r : requests)
    out.push_back(r.at(key).get<std::string>());
  return out;
}

class LoginFlowTest : public ::testing::Test {
 protected:
  LoginFlowTest() {
    config_.set("telegram.api_id", "123456", "test");
    config_.set("telegram.api_hash", "0123456789abcdef0123456789abcdef", "test");
    config_.set("data.dir", dir_.path() + "/data", "test");
    clock_.advance(std::chrono::hours(1));
    // TDLib creates the client on its first request, then asks for the parameters.
    td_.on("getOption", [](const json&) -> std::vector<json> {
      return {ScriptedTdJson::option_string("1.8.65"),
              ScriptedTdJson::authorization_state("authorizationStateWaitTdlibParameters")};
    });
    td_.on("setTdlibParameters", [](const json&) -> std::vector<json> {
      return {ScriptedTdJson::ok(),
              ScriptedTdJson::authorization_state("authorizationStateWaitPhoneNumber")};
    });
    td_.on("getMe", [](const json&) -> std::vector<json> {
      return {tj::user(kSelf, "Sakai", "Owner", "sakai")};
    });
  }

  void start(bool use_qr, const std::string& input) {
    in_.str(input);
    api_ = std::make_unique<tj::SettlingTdJson>(td_);
    td::TdJsonHubOptions hub_options;
    hub_options.receive_timeout_seconds = 0.02;
    hub_ = std::make_unique<td::TdJsonHub>(*api_, logger_, hub_options);
    auto session = TelegramSession::open(config_, *hub_, loop_, logger_);
    ASSERT_TRUE(session.is_ok()) << session.status().message();
    session_ = std::move(session).value();
    flow_ = std::make_unique<LoginFlow>(*session_, terminal_, config_, use_qr,
                                        [this](Status st) { result_ = std::move(st); });
    session_->start([this](const td::AuthorizationState& st) { flow_->on_state(st); },
                    [this](Status st) { session_error_ = std::move(st); });
    settle();
  }

  void settle() {
    for (int round = 0; round < 10'000; ++round) {
      ASSERT_TRUE(telegram::tdjson::test_support::eventually([this] { return api_->idle(); }));
      if (loop_.run_ready() == 0 && api_->idle()) return;
    }
    FAIL() << "the loop never settled";
  }
  void advance(Clock::Duration d) {
    clock_.advance(d);
    settle();
  }

  testing::TempDir dir_;
  Config config_;
  ManualClock clock_;
  telegram::tdjson::test_support::LockedLog log_;
  Logger logger_{LogLevel::kTrace, LogFormat::kJson, log_.stream(), clock_};
  EventLoop loop_{clock_};
  ScriptedTdJson td_;
  std::unique_ptr<tj::SettlingTdJson> api_;
  std::unique_ptr<td::TdJsonHub> hub_;
  std::istringstream in_;
  std::ostringstream out_;
  Terminal terminal_{in_, out_, false};
  std::optional<Status> result_;
  std::optional<Status> session_error_;
  std::unique_ptr<LoginFlow> flow_;
  // Last: destroyed (its client stopped) first.
  std::unique_ptr<TelegramSession> session_;
};

TEST_F(LoginFlowTest, PhoneCodeAndPasswordLogIn) {
  td_.on("setAuthenticationPhoneNumber", [](const json&) -> std::vector<json> {
    return {ScriptedTdJson::ok(), wait_code()};
  });
  td_.on("checkAuthenticationCode", [](const json& request) -> std::vector<json> {
    if (request.at("code") != "22222") return {ScriptedTdJson::error(400, "PHONE_CODE_INVALID")};
    return {ScriptedTdJson::ok(), wait_password()};
  });
  td_.on("checkAuthenticationPassword", [](const json& request) -> std::vector<json> {
    if (request.at("password") != kPassword)
      return {ScriptedTdJson::error(400, "PASSWORD_HASH_INVALID")};
    return {ScriptedTdJson::ok(), ScriptedTdJson::authorization_state("authorizationStateReady")};
  });
  // The right code typed with Persian digits.
  start(false, std::string(kPhone) + "\n11111\n۲۲۲۲۲\n" + kPassword + "\n");

  ASSERT_TRUE(result_.has_value()) << out_.str();
  EXPECT_TRUE(result_->is_ok()) << result_->message();
  EXPECT_FALSE(session_error_.has_value());
  EXPECT_TRUE(flow_->finished());
  EXPECT_EQ(session_->transport().self_id(), UserId(kSelf));

  // The parameters: api_id as a number, the database under the data dir, its key base64.
  const auto params = td_.last_request("setTdlibParameters");
  ASSERT_TRUE(params.has_value());
  EXPECT_EQ(params->at("api_id"), 123456);
  EXPECT_EQ(params->at("api_hash"), "0123456789abcdef0123456789abcdef");
  const std::string session_dir = TelegramSession::session_dir(config_);
  EXPECT_EQ(params->at("database_directory"), session_dir + "/db");
  EXPECT_EQ(params->at("files_directory"), session_dir + "/files");
  const auto key = TelegramSession::database_key(config_);
  ASSERT_TRUE(key.is_ok());
  EXPECT_EQ(params->at("database_encryption_key"), base64_encode(*key));

  EXPECT_EQ(field_of(td_.requests_of_type("setAuthenticationPhoneNumber"), "phone_number"),
            std::vector<std::string>{kPhone});
  EXPECT_EQ(field_of(td_.requests_of_type("checkAuthenticationCode"), "code"),
            (std::vector<std::string>{"11111", "22222"}));
  EXPECT_EQ(field_of(td_.requests_of_type("checkAuthenticationPassword"), "password"),
            std::vector<std::string>{kPassword});
  EXPECT_EQ(td_.requests_of_type("getMe").size(), 1u);

  const std::string shown = out_.str();
  EXPECT_NE(shown.find("did not work"), std::string::npos) << shown;
  EXPECT_NE(shown.find("PHONE_CODE_INVALID"), std::string::npos) << shown;
  EXPECT_NE(shown.find("hint: pet"), std::string::npos) << shown;
  EXPECT_NE(shown.find("Logged in (user id 5000001)"), std::string::npos) << shown;
  EXPECT_EQ(shown.find(kPassword), std::string::npos) << "the terminal echoed the password";

  const std::string logged = log_.text();
  EXPECT_NE(logged.find("authorizationStateWaitPassword"), std::string::npos);  // it did log
  EXPECT_EQ(logged.find(kPassword), std::string::npos) << "the password reached the log";
}

TEST_F(LoginFlowTest, WrongPasswordAsksAgain) {
  td_.on("setAuthenticationPhoneNumber", [](const json&) -> std::vector<json> {
    return {ScriptedTdJson::ok(), wait_password()};
  });
  td_.on("checkAuthenticationPassword", [](const json& request) -> std::vector<json> {
    if (request.at("password") != kPassword)
      return {ScriptedTdJson::error(400, "PASSWORD_HASH_INVALID")};
    return {ScriptedTdJson::ok(), ScriptedTdJson::authorization_state("authorizationStateReady")};
  });
  start(false, std::string(kPhone) + "\nwrong-guess\n" + kPassword + "\n");
  ASSERT_TRUE(result_.has_value());
  EXPECT_TRUE(result_->is_ok()) << result_->message();
  EXPECT_NE(out_.str().find("Wrong password."), std::string::npos) << out_.str();
  EXPECT_EQ(td_.requests_of_type("checkAuthenticationPassword").size(), 2u);
  EXPECT_EQ(log_.text().find(kPassword), std::string::npos);
}

TEST_F(LoginFlowTest, QrLoginShowsTheLinkAsAQrCode) {
  const std::string link = "tg://login?token=AQL0bWxhbmQtc2FrYWktdGVzdC10b2tlbg";
  td_.on("requestQrCodeAuthentication", [link](const json&) -> std::vector<json> {
    return {ScriptedTdJson::ok(),
            auth({{"@type", "authorizationStateWaitOtherDeviceConfirmation"}, {"link", link}})};
  });
  start(true, "");
  const auto qr = td_.last_request("requestQrCodeAuthentication");
  ASSERT_TRUE(qr.has_value());
  EXPECT_EQ(qr->at("other_user_ids"), json::array());
  EXPECT_TRUE(td_.requests_of_type("setAuthenticationPhoneNumber").empty());
  EXPECT_FALSE(result_.has_value());  // waiting for the phone to scan it

  const std::string shown = out_.str();
  EXPECT_NE(shown.find(link), std::string::npos) << shown;
  EXPECT_NE(shown.find("\xE2\x96\x88"), std::string::npos) << "no full block";  // █
  EXPECT_TRUE(shown.find("\xE2\x96\x80") != std::string::npos ||                // ▀
              shown.find("\xE2\x96\x84") != std::string::npos)                  // ▄
      << "no half blocks";
  EXPECT_NE(shown.find(render_qr(link)), std::string::npos);

  // The phone scanned it.
  td_.push_update(ScriptedTdJson::authorization_state("authorizationStateReady"));
  settle();
  ASSERT_TRUE(result_.has_value());
  EXPECT_TRUE(result_->is_ok()) << result_->message();
}

// LoginFlow::kRequestDeadline is a fixed 60 s; the loop's timers run on the ManualClock.
TEST_F(LoginFlowTest, OfflineTelegramEndsWithADeadlineNamingTheProxySetting) {
  start(false, std::string(kPhone) + "\n");  // setAuthenticationPhoneNumber: never answered
  ASSERT_EQ(td_.requests_of_type("setAuthenticationPhoneNumber").size(), 1u);
  EXPECT_FALSE(result_.has_value());
  advance(LoginFlow::kRequestDeadline - seconds(1));
  EXPECT_FALSE(result_.has_value());
  advance(seconds(1));
  ASSERT_TRUE(result_.has_value());
  EXPECT_EQ(result_->code(), ErrorCode::kDeadlineExceeded);
  EXPECT_NE(result_->message().find("telegram.proxy"), std::string::npos) << result_->message();
}

TEST_F(LoginFlowTest, UnregisteredNumberEndsWithAClearError) {
  td_.on("setAuthenticationPhoneNumber", [](const json&) -> std::vector<json> {
    return {ScriptedTdJson::ok(), auth({{"@type", "authorizationStateWaitRegistration"},
                                        {"terms_of_service",
                                         {{"@type", "termsOfService"},
                                          {"text", tj::formatted_text("Terms of service")},
                                          {"min_user_age", 0},
                                          {"show_popup", false}}}})};
  });
  start(false, std::string(kPhone) + "\n");
  ASSERT_TRUE(result_.has_value());
  EXPECT_EQ(result_->code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(result_->message().find("no Telegram account"), std::string::npos)
      << result_->message();
}

TEST_F(LoginFlowTest, EndOfInputCancelsTheLogin) {
  start(false, "");
  ASSERT_TRUE(result_.has_value());
  EXPECT_EQ(result_->code(), ErrorCode::kCancelled);
  EXPECT_TRUE(td_.requests_of_type("setAuthenticationPhoneNumber").empty());
}

TEST_F(LoginFlowTest, RefusedPhoneNumberIsAskedAgain) {
  td_.on("setAuthenticationPhoneNumber", [](const json& request) -> std::vector<json> {
    if (request.at("phone_number") != kPhone)
      return {ScriptedTdJson::error(400, "PHONE_NUMBER_INVALID")};
    return {ScriptedTdJson::ok(), wait_code()};
  });
  start(false, std::string("12\n") + kPhone + "\n");  // then no code: cancelled
  EXPECT_EQ(field_of(td_.requests_of_type("setAuthenticationPhoneNumber"), "phone_number"),
            (std::vector<std::string>{"12", kPhone}));
  EXPECT_NE(out_.str().find("PHONE_NUMBER_INVALID"), std::string::npos) << out_.str();
  ASSERT_TRUE(result_.has_value());
  EXPECT_EQ(result_->code(), ErrorCode::kCancelled);
}

// ---- the database key -------------------------------------------------------------------------

class TelegramSessionKeyTest : public ::testing::Test {
 protected:
  TelegramSessionKeyTest() { config_.set("data.dir", dir_.path() + "/data", "test"); }
  std::string key_path() const { return TelegramSession::session_dir(config_) + "/database.key"; }
  std::string read_key_file() const {
    std::ifstream in(key_path(), std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }

  testing::TempDir dir_;
  Config config_;
};

TEST_F(TelegramSessionKeyTest, CreatedOnceWithMode0600ThenReused) {
  ASSERT_FALSE(std::filesystem::exists(key_path()));
  const auto first = TelegramSession::database_key(config_);
  ASSERT_TRUE(first.is_ok()) << first.status().message();
  EXPECT_EQ(first->size(), 32u);
  struct stat st {};
  ASSERT_EQ(::stat(key_path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat(TelegramSession::session_dir(config_).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  const std::string file = read_key_file();
  EXPECT_EQ(file, base64_encode(*first) + "\n");

  const auto second = TelegramSession::database_key(config_);
  ASSERT_TRUE(second.is_ok());
  EXPECT_EQ(*second, *first);
  EXPECT_EQ(read_key_file(), file);
}

TEST_F(TelegramSessionKeyTest, CorruptKeyFileIsReportedAndNeverOverwritten) {
  ASSERT_TRUE(TelegramSession::database_key(config_).is_ok());
  for (const std::string corrupt : {"not*base64!!\n", "", "\n"}) {
    {
      std::ofstream out(key_path(), std::ios::binary | std::ios::trunc);
      out << corrupt;
    }
    const auto key = TelegramSession::database_key(config_);
    ASSERT_FALSE(key.is_ok()) << "accepted " << corrupt;
    EXPECT_EQ(key.status().code(), ErrorCode::kCorrupt);
    EXPECT_NE(key.status().message().find(key_path()), std::string::npos);
    EXPECT_EQ(read_key_file(), corrupt);
  }
}

TEST_F(TelegramSessionKeyTest, ConfiguredKeyWinsAndNoFileIsCreated) {
  config_.set("telegram.database_key", "configured-key-value", "test");
  const auto key = TelegramSession::database_key(config_);
  ASSERT_TRUE(key.is_ok());
  EXPECT_EQ(*key, "configured-key-value");
  EXPECT_FALSE(std::filesystem::exists(key_path()));
}

TEST(TelegramSessionOpenTest, MissingApiCredentialsAreAFailedPrecondition) {
  Config config;
  ManualClock clock;
  std::ostringstream sink;
  Logger logger(LogLevel::kInfo, LogFormat::kHuman, sink, clock);
  EventLoop loop(clock);
  ScriptedTdJson td;
  td::TdJsonHub hub(td, logger);
  auto session = TelegramSession::open(config, hub, loop, logger);
  ASSERT_FALSE(session.is_ok());
  EXPECT_EQ(session.status().code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(session.status().message().find("api_id"), std::string::npos);
}

}  // namespace
}  // namespace sakai::app
