// TdlibTransport::download_file: getMessage for the file id, then a synchronous downloadFile
// whose `file` answer gives the local path.
// Designated initialisers leave the trailing fields of MessageSpec at their defaults.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "unit/telegram/tdlib_transport_fixture.h"

namespace sakai::telegram::tdjson::transport_test {
namespace {

constexpr std::int64_t kVoiceSender = 777;

class TdlibDownloadTest : public TdlibTransportTest {
 protected:
  void serve_voice_message(json content) {
    td_.on("getMessage", [content](const json& request) -> std::vector<json> {
      return {tj::message({.chat_id = request.at("chat_id"),
                           .id = request.at("message_id"),
                           .sender_user_id = kVoiceSender,
                           .content = content})};
    });
  }
  std::optional<Result<std::string>> download() {
    Message m;
    m.chat = ChatId(kVoiceSender);
    m.id = MessageId(5 << 20);
    m.media = MediaKind::kVoiceNote;
    std::optional<Result<std::string>> got;
    transport_->download_file(m, [&](Result<std::string> r) { got = std::move(r); });
    settle();
    return got;
  }
};

TEST_F(TdlibDownloadTest, DownloadsTheVoiceNoteFileSynchronously) {
  serve_voice_message(tj::message_voice_note(3, "", tj::local_file(42, "", 4096), ""));
  std::optional<json> asked;
  td_.on("downloadFile", [&asked](const json& request) -> std::vector<json> {
    asked = request;
    return {tj::local_file(42, "/var/tdlib/voice/file_42.oga", 4096)};
  });
  start();
  const auto got = download();
  ASSERT_TRUE(got.has_value());
  ASSERT_TRUE(got->is_ok()) << got->status().to_string();
  EXPECT_EQ(**got, "/var/tdlib/voice/file_42.oga");
  ASSERT_TRUE(asked.has_value());
  EXPECT_EQ(asked->at("file_id"), 42);
  EXPECT_EQ(asked->at("priority"), 1);
  EXPECT_EQ(asked->at("offset"), 0);
  EXPECT_EQ(asked->at("limit"), 0);
  EXPECT_EQ(asked->at("synchronous"), true);
}

TEST_F(TdlibDownloadTest, AMessageWithoutAFileIsNotFound) {
  serve_voice_message(nullptr);  // a plain text message
  start();
  const auto got = download();
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->status().code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace sakai::telegram::tdjson::transport_test
