// The whole engine over the TDLib transport, with the scripted TDLib double standing in for
// Telegram: the owner types /ping in Saved Messages → the router runs it → sendMessage →
// TDLib's temporary message → updateMessageSendSucceeded → the edit goes to the real id.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <sstream>
#include <thread>

#include "ai/speech/audio.h"
#include "ai/speech/local_tts.h"
#include "app/bot_core.h"
#include "app/telegram_session.h"
#include "support/scripted_tdjson.h"
#include "support/temp_dir.h"
#include "unit/telegram/td_json_builders.h"

namespace sakai::app {
namespace {

namespace tj = telegram::tdjson::td_json;
using nlohmann::json;
using telegram::tdjson::ScriptedTdJson;

constexpr std::int64_t kMe = 777000111;
constexpr std::int64_t kTempId = 1;              // TDLib's temporary ids are small
constexpr std::int64_t kRealId = 5 * (1 << 20);  // server ids are multiples of 2^20

class TdlibEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = tmp_.path();
    config_.set("telegram.api_id", "12345", "test");
    config_.set("telegram.api_hash", "0123456789abcdef0123456789abcdef", "test");
    config_.set("data.dir", (dir_ / "data").string(), "test");
    config_.set("storage.path", (dir_ / "bot.db").string(), "test");
    config_.set("log.level", "warn", "test");

    td_.on("setTdlibParameters", [](const json&) {
      return std::vector<json>{ScriptedTdJson::ok(),
                               ScriptedTdJson::authorization_state("authorizationStateReady")};
    });
    td_.on("getMe", [](const json&) {
      return std::vector<json>{tj::user(kMe, "Sakai", "Owner", "sakai_owner")};
    });
    td_.on("sendMessage", [this](const json& req) {
      sent_requests_.push_back(req);
      const std::string text = req["input_message_content"]["text"]["text"];
      tj::MessageSpec temp{kMe, kTempId, kMe, text, true, tj::pending_state()};
      tj::MessageSpec real{kMe, kRealId, kMe, text, true};
      return std::vector<json>{tj::message(temp),
                               tj::update_send_succeeded(tj::message(real), kTempId)};
    });
    td_.on("editMessageText", [](const json& req) {
      const std::string text = req["input_message_content"]["text"]["text"];
      return std::vector<json>{
          tj::message({kMe, req["message_id"].get<std::int64_t>(), kMe, text, true})};
    });
  }
  void TearDown() override {
    if (core_) core_->shutdown();
    session_.reset();
    hub_.reset();
    core_.reset();
  }

  // Runs the loop on this thread until `done()` or a wall-clock deadline.
  template <class Pred>
  bool pump_until(Pred done, std::chrono::milliseconds limit = std::chrono::milliseconds(5000)) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (!done()) {
      if (std::chrono::steady_clock::now() > until) return false;
      core_->loop().run_ready();
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
  }

  void start_engine() {
    auto core = BotCore::create(config_, log_, clock_);
    ASSERT_TRUE(core.is_ok()) << core.status().to_string();
    core_ = std::move(core).value();
    telegram::tdjson::TdJsonHubOptions hub_options;
    hub_options.receive_timeout_seconds = 0.02;
    hub_ = std::make_unique<telegram::tdjson::TdJsonHub>(api_, core_->log(), hub_options);
    auto session = TelegramSession::open(config_, *hub_, core_->loop(), core_->log());
    ASSERT_TRUE(session.is_ok()) << session.status().to_string();
    session_ = std::move(session).value();
    session_->start(
        [this](const telegram::tdjson::AuthorizationState& st) {
          if (st.state != "authorizationStateReady") return;
          session_->transport().fetch_self([this](Result<UserId> me) {
            ASSERT_TRUE(me.is_ok());
            core_->attach(session_->transport(), "tdlib");
            attached_ = true;
          });
        },
        [](Status st) { FAIL() << st.to_string(); });
    // What TDLib says first, once the client exists.
    td_.push_update(ScriptedTdJson::authorization_state("authorizationStateWaitTdlibParameters"));
    ASSERT_TRUE(pump_until([this] { return attached_; })) << "the engine never went live";
  }

  sakai::testing::TempDir tmp_{"sakaibot-engine"};
  std::filesystem::path dir_;
  Config config_;
  SystemClock clock_;
  std::ostringstream log_;
  ScriptedTdJson td_;
  tj::SettlingTdJson api_{td_};
  std::vector<json> sent_requests_;
  std::unique_ptr<BotCore> core_;
  std::unique_ptr<telegram::tdjson::TdJsonHub> hub_;
  std::unique_ptr<TelegramSession> session_;
  bool attached_ = false;
};

TEST_F(TdlibEngineTest, OwnerPingIsAnsweredAndEditedByItsRealId) {
  start_engine();
  td_.push_update(tj::update_new_chat(tj::chat(kMe, tj::chat_type_private(kMe), "Saved Messages")));
  tj::MessageSpec ping{kMe, 3 * (1 << 20), kMe, "/ping", true};
  td_.push_update(tj::update_new_message(tj::message(ping)));

  ASSERT_TRUE(pump_until([this] { return !td_.requests_of_type("editMessageText").empty(); }))
      << "no edit after /ping";
  const auto sends = td_.requests_of_type("sendMessage");
  ASSERT_EQ(sends.size(), 1u);
  EXPECT_EQ(sends[0]["chat_id"], kMe);
  EXPECT_EQ(sends[0]["reply_to"]["@type"], "inputMessageReplyToMessage");
  EXPECT_EQ(sends[0]["reply_to"]["message_id"], 3 * (1 << 20));
  EXPECT_NE(sends[0]["input_message_content"]["text"]["text"].get<std::string>().find("Pong"),
            std::string::npos);
  const auto edits = td_.requests_of_type("editMessageText");
  EXPECT_EQ(edits[0]["message_id"], kRealId) << "edits must wait for updateMessageSendSucceeded";
  EXPECT_NE(edits[0]["input_message_content"]["text"]["text"].get<std::string>().find(" ms"),
            std::string::npos);
}

TEST_F(TdlibEngineTest, OurOwnSendsAndStrangersAreNotCommands) {
  start_engine();
  td_.push_update(tj::update_new_chat(tj::chat(4242, tj::chat_type_private(4242), "Stranger")));
  // A stranger's /help in a private chat: ignored without a reply.
  td_.push_update(tj::update_new_message(tj::message({4242, 7 * (1 << 20), 4242, "/help", false})));
  // Our own message still being sent (sending_state set) is not news, even if it looks like a
  // command.
  td_.push_update(
      tj::update_new_message(tj::message({kMe, 2, kMe, "/help", true, tj::pending_state()})));
  // Then something that is answered, to know the two before were processed.
  td_.push_update(tj::update_new_message(tj::message({kMe, 9 * (1 << 20), kMe, "/ping", true})));
  ASSERT_TRUE(pump_until([this] { return !td_.requests_of_type("sendMessage").empty(); }));
  ASSERT_TRUE(pump_until([this] { return !td_.requests_of_type("editMessageText").empty(); }));
  const auto sends = td_.requests_of_type("sendMessage");
  ASSERT_EQ(sends.size(), 1u) << "only the owner's /ping is answered";
  EXPECT_EQ(sends[0]["reply_to"]["message_id"], 9 * (1 << 20));
}

TEST_F(TdlibEngineTest, AuthAddFindsAUserMentionedByName) {
  // Ali has no username: Telegram's composer puts his name in the text and his id in a
  // textEntityTypeMentionName entity.
  static constexpr std::int64_t kAli = 555000222;
  td_.on("getUser", [](const json& req) {
    EXPECT_EQ(req["user_id"], kAli);
    return std::vector<json>{tj::user(kAli, "Ali", "Rezaei")};
  });
  start_engine();
  td_.push_update(tj::update_new_chat(tj::chat(kMe, tj::chat_type_private(kMe), "Saved Messages")));
  json cmd = tj::message({kMe, 9 * (1 << 20), kMe, "/auth add Ali Rezaei direct", true});
  cmd["content"]["text"]["entities"] =
      json::array({{{"@type", "textEntity"},
                    {"offset", 10},
                    {"length", 10},
                    {"type", {{"@type", "textEntityTypeMentionName"}, {"user_id", kAli}}}}});
  td_.push_update(tj::update_new_message(cmd));

  ASSERT_TRUE(pump_until([this] { return !td_.requests_of_type("sendMessage").empty(); }));
  const std::string answer =
      td_.requests_of_type("sendMessage")[0]["input_message_content"]["text"]["text"];
  EXPECT_NE(answer.find("Ali Rezaei may now use"), std::string::npos) << answer;
  EXPECT_NE(answer.find("runs at once"), std::string::npos) << answer;  // direct mode
  EXPECT_EQ(td_.requests_of_type("getUser").size(), 1u);
}

// Voice files over TDLib. /stt: getMessage → downloadFile → transcription → deleteFile for the
// same file id, so TDLib's copy does not pile up.
TEST_F(TdlibEngineTest, SttReleasesTheDownloadedFileWithDeleteFile) {
  static constexpr std::int64_t kVoiceId = 4 * (1 << 20);
  static constexpr std::int32_t kFileId = 42;
  auto pcm = ai::speech::local_tts("Please call me tomorrow morning.");
  ASSERT_TRUE(pcm.is_ok());
  const std::string path = (dir_ / "file_42.oga").string();
  ASSERT_TRUE(ai::speech::encode_voice_note_file(*pcm, path).is_ok());
  const json voice =
      tj::message({kMe, kVoiceId, kMe, "", true, nullptr, 1'700'000'000,
                   tj::message_voice_note(2, "", tj::local_file(kFileId, "", 0), "")});
  td_.on("getMessage", [voice](const json&) { return std::vector<json>{voice}; });
  td_.on("downloadFile",
         [path](const json&) { return std::vector<json>{tj::local_file(kFileId, path, 4096)}; });
  td_.on("deleteFile", [](const json&) { return std::vector<json>{ScriptedTdJson::ok()}; });
  start_engine();
  td_.push_update(tj::update_new_chat(tj::chat(kMe, tj::chat_type_private(kMe), "Saved Messages")));
  td_.push_update(tj::update_new_message(voice));
  json cmd = tj::message({kMe, 5 * (1 << 20), kMe, "/stt", true});
  cmd["reply_to"] = {
      {"@type", "messageReplyToMessage"}, {"chat_id", kMe}, {"message_id", kVoiceId}};
  td_.push_update(tj::update_new_message(cmd));

  ASSERT_TRUE(pump_until([this] { return !td_.requests_of_type("deleteFile").empty(); },
                         std::chrono::seconds(60)))
      << "the downloaded file was never released";
  ASSERT_EQ(td_.requests_of_type("downloadFile").size(), 1u);
  EXPECT_EQ(td_.requests_of_type("deleteFile")[0]["file_id"], kFileId);
  ASSERT_TRUE(pump_until([this] { return !td_.requests_of_type("sendMessage").empty(); }));
  const std::string answer =
      td_.requests_of_type("sendMessage")[0]["input_message_content"]["text"]["text"];
  EXPECT_NE(answer.find("tomorrow"), std::string::npos) << answer;
}

// /tts: the voice note we made is deleted after the send, also when TDLib reports it failed.
TEST_F(TdlibEngineTest, AVoiceNoteFileIsRemovedWhenItsSendFails) {
  std::string voice_path;
  bool existed_while_sending = false;
  td_.on("sendMessage", [&](const json& req) {
    sent_requests_.push_back(req);
    const json& content = req["input_message_content"];
    if (content["@type"] == "inputMessageVoiceNote") {
      voice_path = content["voice_note"]["path"];
      existed_while_sending = std::filesystem::exists(voice_path);
      tj::MessageSpec temp{kMe, kTempId + 1, kMe, "", true, tj::pending_state()};
      return std::vector<json>{
          tj::message(temp),
          tj::update_send_failed(tj::message(temp), kTempId + 1, 400, "VOICE_MESSAGES_FORBIDDEN")};
    }
    const std::string text = content["text"]["text"];
    tj::MessageSpec temp{kMe, kTempId, kMe, text, true, tj::pending_state()};
    tj::MessageSpec real{kMe, kRealId, kMe, text, true};
    return std::vector<json>{tj::message(temp),
                             tj::update_send_succeeded(tj::message(real), kTempId)};
  });
  start_engine();
  td_.push_update(tj::update_new_chat(tj::chat(kMe, tj::chat_type_private(kMe), "Saved Messages")));
  td_.push_update(
      tj::update_new_message(tj::message({kMe, 6 * (1 << 20), kMe, "/tts Hello", true})));

  ASSERT_TRUE(
      pump_until([&] { return !voice_path.empty() && !std::filesystem::exists(voice_path); },
                 std::chrono::seconds(30)))
      << "voice file: " << voice_path;
  EXPECT_TRUE(existed_while_sending);
  EXPECT_EQ(std::filesystem::path(voice_path).parent_path(), dir_ / "data" / "voice");
}

}  // namespace
}  // namespace sakai::app
