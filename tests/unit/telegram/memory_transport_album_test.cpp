// MemoryTransport's albums, as the console and the engine tests see them: one "photo" action per
// photo sharing an album id, the caption on the first, Telegram's limits on count and caption.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "telegram/memory/memory_transport.h"

namespace sakai::telegram {
namespace {

class MemoryAlbumTest : public ::testing::Test {
 protected:
  std::optional<Result<std::vector<MessageId>>> send(std::vector<std::string> paths,
                                                     std::string caption,
                                                     std::optional<MessageId> reply_to = {}) {
    std::optional<Result<std::vector<MessageId>>> got;
    SendOptions options;
    options.reply_to = reply_to;
    transport_.send_photos(chat_, std::move(paths), FormattedText(std::move(caption)), options,
                           [&got](Result<std::vector<MessageId>> r) { got = std::move(r); });
    EXPECT_FALSE(got.has_value());  // never inside the call
    loop_.run_until_idle();
    return got;
  }
  std::vector<TransportAction> photos() const {
    std::vector<TransportAction> out;
    for (const auto& a : transport_.actions()) {
      if (a.kind == "photo") out.push_back(a);
    }
    return out;
  }

  ManualClock clock_;
  EventLoop loop_{clock_};
  MemoryTransport transport_{loop_};
  ChatId chat_ = transport_.saved_messages();
};

TEST_F(MemoryAlbumTest, EachPhotoIsAnActionOfOneAlbumWithTheCaptionOnTheFirst) {
  const MessageId asked = transport_.receive(chat_, transport_.self_id(), "/imagine n=3 cats");
  loop_.run_until_idle();
  const auto got = send({"/tmp/a.png", "/tmp/b.png", "/tmp/c.png"}, "three cats", asked);
  ASSERT_TRUE(got && got->is_ok());
  const auto list = photos();
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(got->value(),
            (std::vector<MessageId>{list[0].message, list[1].message, list[2].message}));
  EXPECT_NE(list[0].album, 0);
  EXPECT_EQ(list[1].album, list[0].album);
  EXPECT_EQ(list[2].album, list[0].album);
  EXPECT_EQ(list[0].text.text, "three cats");
  EXPECT_EQ(list[1].text.text, "");
  EXPECT_EQ(list[2].path, "/tmp/c.png");
  for (const auto& p : list) {
    EXPECT_EQ(p.reply_to, asked);
    const auto m = transport_.message(chat_, p.message);
    ASSERT_TRUE(m.has_value());
    EXPECT_EQ(m->media, MediaKind::kPhoto);
    EXPECT_TRUE(m->outgoing);
  }
  // A second album has its own id; a single photo belongs to none.
  ASSERT_TRUE(send({"/tmp/d.png", "/tmp/e.png"}, "")->is_ok());
  std::optional<Result<MessageId>> single;
  transport_.send_photo(chat_, "/tmp/f.png", FormattedText("one"), {},
                        [&](Result<MessageId> r) { single = std::move(r); });
  loop_.run_until_idle();
  ASSERT_TRUE(single && single->is_ok());
  const auto all = photos();
  ASSERT_EQ(all.size(), 6u);
  EXPECT_NE(all[3].album, list[0].album);
  EXPECT_EQ(all[4].album, all[3].album);
  EXPECT_EQ(all[5].album, 0);
}

TEST_F(MemoryAlbumTest, CountAndCaptionLimitsAreTelegrams) {
  transport_.set_caption_limit(10);
  EXPECT_EQ(transport_.caption_limit(), 10);
  EXPECT_FALSE(send({"/tmp/a.png", "/tmp/b.png"}, std::string(11, 'x'))->is_ok());
  EXPECT_FALSE(send({"/tmp/a.png"}, "one")->is_ok());
  EXPECT_FALSE(send(std::vector<std::string>(11, "/tmp/a.png"), "")->is_ok());
  EXPECT_TRUE(photos().empty());
  // A single photo's caption is held to the same limit.
  std::optional<Result<MessageId>> single;
  transport_.send_photo(chat_, "/tmp/f.png", FormattedText(std::string(11, 'x')), {},
                        [&](Result<MessageId> r) { single = std::move(r); });
  loop_.run_until_idle();
  ASSERT_TRUE(single.has_value());
  EXPECT_FALSE(single->is_ok());
  EXPECT_TRUE(photos().empty());
  EXPECT_TRUE(send({"/tmp/a.png", "/tmp/b.png"}, std::string(10, 'x'))->is_ok());
}

}  // namespace
}  // namespace sakai::telegram
