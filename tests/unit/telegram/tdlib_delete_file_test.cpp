// TdlibTransport::delete_local_file: getMessage for the file id, then deleteFile (td_api.tl:
// `deleteFile file_id:int32 = Ok`), which removes TDLib's local copy after /stt read it.
// Designated initialisers leave the trailing fields of MessageSpec at their defaults.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "unit/telegram/tdlib_transport_fixture.h"

namespace sakai::telegram::tdjson::transport_test {
namespace {

constexpr std::int64_t kVoiceSender = 777;

class TdlibDeleteFileTest : public TdlibTransportTest {
 protected:
  void serve_message(json content) {
    td_.on("getMessage", [content](const json& request) -> std::vector<json> {
      return {tj::message({.chat_id = request.at("chat_id"),
                           .id = request.at("message_id"),
                           .sender_user_id = kVoiceSender,
                           .content = content})};
    });
  }
  std::optional<Status> remove() {
    Message m;
    m.chat = ChatId(kVoiceSender);
    m.id = MessageId(5 << 20);
    m.media = MediaKind::kVoiceNote;
    std::optional<Status> got;
    transport_->delete_local_file(m, [&](Status st) { got = std::move(st); });
    settle();
    return got;
  }
};

TEST_F(TdlibDeleteFileTest, DeletesTheFileOfTheMessage) {
  serve_message(
      tj::message_voice_note(3, "", tj::local_file(42, "/var/tdlib/voice/42.oga", 4096), ""));
  std::optional<json> asked;
  td_.on("deleteFile", [&asked](const json& request) -> std::vector<json> {
    asked = request;
    return {json{{"@type", "ok"}}};
  });
  start();
  const auto got = remove();
  ASSERT_TRUE(got.has_value());
  EXPECT_TRUE(got->is_ok()) << got->to_string();
  ASSERT_TRUE(asked.has_value());
  EXPECT_EQ(asked->at("@type"), "deleteFile");
  EXPECT_EQ(asked->at("file_id"), 42);
}

TEST_F(TdlibDeleteFileTest, AMessageWithoutAFileIsNotFoundAndNothingIsDeleted) {
  serve_message(nullptr);  // a plain text message
  bool asked = false;
  td_.on("deleteFile", [&asked](const json&) -> std::vector<json> {
    asked = true;
    return {json{{"@type", "ok"}}};
  });
  start();
  const auto got = remove();
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->code(), ErrorCode::kNotFound);
  EXPECT_FALSE(asked);
}

TEST_F(TdlibDeleteFileTest, ATdlibErrorIsReported) {
  serve_message(
      tj::message_voice_note(3, "", tj::local_file(42, "/var/tdlib/voice/42.oga", 4096), ""));
  td_.on("deleteFile", [](const json&) -> std::vector<json> {
    return {json{{"@type", "error"}, {"code", 400}, {"message", "FILE_ID_INVALID"}}};
  });
  start();
  const auto got = remove();
  ASSERT_TRUE(got.has_value());
  EXPECT_FALSE(got->is_ok());
}

}  // namespace
}  // namespace sakai::telegram::tdjson::transport_test
