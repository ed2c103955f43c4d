// TdlibTransport::send_photos over ScriptedTdJson: one sendMessageAlbum of inputMessagePhoto
// contents (td_api.tl 1.8.65), answered when every photo's updateMessageSendSucceeded came, in
// the album's order; a failure, the deadline and the caption limit.
#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "unit/telegram/tdlib_transport_fixture.h"

namespace sakai::telegram::tdjson::transport_test {
namespace {

constexpr std::int64_t kFriend = 777;

class TdlibAlbumTest : public TdlibTransportTest {
 protected:
  // sendMessageAlbum answered like TDLib: `messages` with one pending message per content, then
  // updateNewMessage for each.
  void answer_albums() {
    td_.on("sendMessageAlbum", [this](const json& request) -> std::vector<json> {
      const std::int64_t chat = request.at("chat_id");
      std::vector<json> list;
      for (const auto& input : request.at("input_message_contents")) {
        const std::int64_t temp = next_temp_++;
        list.push_back(tj::message({.chat_id = chat,
                                    .id = temp,
                                    .sender_user_id = kSelf,
                                    .text = "",
                                    .is_outgoing = true,
                                    .sending_state = tj::pending_state(),
                                    .content = tj::message_photo(
                                        tj::local_file(9, input["photo"]["photo"]["path"], 120'000),
                                        1024, 1024, input["caption"]["text"])}));
        sent_.push_back({chat, temp, request});
      }
      std::vector<json> out{tj::messages(list, static_cast<std::int32_t>(list.size()))};
      for (const auto& m : list)
        out.push_back(tj::update_new_message(m));
      return out;
    });
  }

  void send_album(std::vector<std::string> paths, std::string caption, SendOptions options = {}) {
    transport_->send_photos(ChatId(kFriend), std::move(paths), FormattedText(std::move(caption)),
                            options,
                            [this](Result<std::vector<MessageId>> r) { got_ = std::move(r); });
    settle();
  }

  std::optional<Result<std::vector<MessageId>>> got_;
};

TEST_F(TdlibAlbumTest, ThreePhotosGoAsOneAlbumAndAnswerWithTheRealIdsInOrder) {
  answer_albums();
  start();
  SendOptions options;
  options.reply_to = MessageId(42 << 20);
  send_album({"/data/img/a.png", "/data/img/b.png", "/data/img/c.jpg"}, "three cats", options);
  ASSERT_EQ(count("sendMessageAlbum"), 1u);
  EXPECT_EQ(count("sendMessage"), 0u);
  ASSERT_EQ(sent_.size(), 3u);
  const json& request = sent_[0].request;
  EXPECT_EQ(request.at("chat_id"), kFriend);
  EXPECT_EQ(request.at("reply_to").at("@type"), "inputMessageReplyToMessage");
  EXPECT_EQ(request.at("reply_to").at("message_id"), 42 << 20);
  const json& contents = request.at("input_message_contents");
  ASSERT_EQ(contents.size(), 3u);
  const std::vector<std::string> paths{"/data/img/a.png", "/data/img/b.png", "/data/img/c.jpg"};
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(contents[i].at("@type"), "inputMessagePhoto");
    EXPECT_EQ(contents[i].at("photo").at("@type"), "inputPhoto");
    EXPECT_EQ(contents[i].at("photo").at("photo"),
              (json{{"@type", "inputFileLocal"}, {"path", paths[i]}}));
    EXPECT_EQ(contents[i].at("caption").at("text"), i == 0 ? "three cats" : "");
    EXPECT_EQ(contents[i].at("show_caption_above_media"), false);  // the same in every item
  }
  EXPECT_FALSE(got_.has_value());  // uploading

  // The uploads finish out of order; the answer keeps the album's order.
  succeed(2, 72 << 20);
  succeed(0, 70 << 20);
  EXPECT_FALSE(got_.has_value());
  succeed(1, 71 << 20);
  ASSERT_TRUE(got_.has_value());
  ASSERT_TRUE(got_->is_ok()) << got_->status().to_string();
  EXPECT_EQ(got_->value(), (std::vector<MessageId>{MessageId(70 << 20), MessageId(71 << 20),
                                                   MessageId(72 << 20)}));
}

TEST_F(TdlibAlbumTest, OnePhotoThatFailsFailsTheAlbumOnce) {
  answer_albums();
  start();
  send_album({"/data/img/a.png", "/data/img/b.png"}, "");
  ASSERT_EQ(sent_.size(), 2u);
  succeed(0, 80 << 20);
  push(tj::update_send_failed(tj::message({.chat_id = kFriend,
                                           .id = sent_[1].temp_id,
                                           .sender_user_id = kSelf,
                                           .text = "",
                                           .is_outgoing = true}),
                              sent_[1].temp_id, 400, "PHOTO_INVALID_DIMENSIONS"));
  ASSERT_TRUE(got_.has_value());
  ASSERT_FALSE(got_->is_ok());
  EXPECT_NE(got_->status().message().find("PHOTO_INVALID_DIMENSIONS"), std::string::npos);
}

TEST_F(TdlibAlbumTest, AnAlbumThatNeverArrivesEndsAtTheSendDeadline) {
  answer_albums();
  TdlibTransportOptions options;
  options.send_deadline = std::chrono::seconds(30);
  start(options);
  send_album({"/data/img/a.png", "/data/img/b.png"}, "late");
  succeed(0, 90 << 20);
  advance(std::chrono::seconds(29));
  EXPECT_FALSE(got_.has_value());
  advance(std::chrono::seconds(2));
  ASSERT_TRUE(got_.has_value());
  ASSERT_FALSE(got_->is_ok());
  EXPECT_EQ(got_->status().code(), ErrorCode::kDeadlineExceeded);
}

TEST_F(TdlibAlbumTest, CaptionOverTheRunTimeLimitAndWrongCountsAreRefusedUnsent) {
  answer_albums();
  start();
  push(tj::update_option_integer("message_caption_length_max", 20));
  EXPECT_EQ(transport_->caption_limit(), 20);
  send_album({"/data/img/a.png", "/data/img/b.png"}, std::string(21, 'x'));
  ASSERT_TRUE(got_.has_value());
  EXPECT_FALSE(got_->is_ok());
  got_.reset();
  send_album({"/data/img/a.png"}, "one");
  ASSERT_TRUE(got_.has_value());
  EXPECT_FALSE(got_->is_ok());
  got_.reset();
  send_album(std::vector<std::string>(11, "/data/img/a.png"), "eleven");
  ASSERT_TRUE(got_.has_value());
  EXPECT_FALSE(got_->is_ok());
  EXPECT_EQ(count("sendMessageAlbum"), 0u);
  // At the limit it goes.
  send_album({"/data/img/a.png", "/data/img/b.png"}, std::string(20, 'x'));
  EXPECT_EQ(count("sendMessageAlbum"), 1u);
}

}  // namespace
}  // namespace sakai::telegram::tdjson::transport_test
