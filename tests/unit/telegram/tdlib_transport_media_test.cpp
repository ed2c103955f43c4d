// TdlibTransport driven by ScriptedTdJson: long texts split at the run-time limit, history
// paging, voice notes and photos, forwards in batches, username resolution.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "unit/telegram/tdlib_transport_fixture.h"

namespace sakai::telegram::tdjson::transport_test {
namespace {

using std::chrono::milliseconds;

constexpr std::int64_t kFriend = 777;
constexpr std::int64_t kForumChat = -1'001'234'567'890;

class TdlibTransportMediaTest : public TdlibTransportTest {
 protected:
  // Succeeds every send so far (real ids from `next_real_`) and lets the per-chat interval pass,
  // until `done` or nothing new is sent.
  void complete_sends(const std::function<bool()>& done) {
    std::size_t seen = 0;
    for (int guard = 0; guard < 100 && !done(); ++guard) {
      for (; seen < sent_.size(); ++seen)
        succeed(seen, next_real_++ << 20);
      advance(milliseconds(1100));
    }
  }

  // A chat of `total` messages with ids k << 20 (k = 1..total, newest last), answered like
  // TDLib: newest first, from_message_id exclusive with offset 0, a single message on the first
  // call and 37 on every third.
  void answer_history(std::int64_t chat, int total) {
    td_.on("getChatHistory", [this, chat, total](const json& request) -> std::vector<json> {
      EXPECT_EQ(request.at("chat_id"), chat);
      EXPECT_EQ(request.at("offset"), 0);
      EXPECT_EQ(request.at("only_local"), false);
      const int limit = request.at("limit");
      EXPECT_GT(limit, 0);
      EXPECT_LE(limit, 100);
      const std::int64_t from = request.at("from_message_id");
      EXPECT_EQ(from % (1 << 20), 0);
      const std::int64_t first = from == 0 ? total : (from >> 20) - 1;
      ++history_calls_;
      int n = limit;
      if (history_calls_ == 1) {
        n = 1;
      } else if (history_calls_ % 3 == 0) {
        n = std::min(limit, 37);
      }
      std::vector<json> list;
      for (std::int64_t k = first; k >= 1 && static_cast<int>(list.size()) < n; --k) {
        list.push_back(tj::message({.chat_id = chat,
                                    .id = k << 20,
                                    .sender_user_id = k % 2 == 0 ? kSelf : kFriend,
                                    .text = "message " + std::to_string(k),
                                    .is_outgoing = k % 2 == 0,
                                    .date = static_cast<std::int32_t>(1'600'000'000 + k)}));
      }
      return {tj::messages(list, total)};
    });
  }

  void expect_history(std::int64_t chat, int total, int limit) {
    answer_history(chat, total);
    std::vector<int> progress;
    std::optional<Result<std::vector<Message>>> got;
    transport_->get_history(
        ChatId(chat), limit, [&](int fetched) { progress.push_back(fetched); },
        [&](Result<std::vector<Message>> r) { got = std::move(r); });
    settle();
    ASSERT_TRUE(got.has_value());
    ASSERT_TRUE(got->is_ok()) << got->status().message();
    const std::vector<Message>& list = got->value();
    const int expected = std::min(total, limit);
    ASSERT_EQ(static_cast<int>(list.size()), expected);
    std::set<std::int64_t> ids;
    for (std::size_t i = 0; i < list.size(); ++i) {
      ids.insert(list[i].id.value());
      if (i > 0) {
        EXPECT_LT(list[i].id, list[i - 1].id) << "not newest first at " << i;
      }
    }
    EXPECT_EQ(static_cast<int>(ids.size()), expected);
    EXPECT_EQ(list.front().id, MessageId(static_cast<std::int64_t>(total) << 20));
    EXPECT_EQ(list.front().text, "message " + std::to_string(total));
    ASSERT_FALSE(progress.empty());
    EXPECT_TRUE(std::is_sorted(progress.begin(), progress.end(), std::less_equal<>()) &&
                std::adjacent_find(progress.begin(), progress.end()) == progress.end())
        << "progress must strictly increase";
    EXPECT_EQ(progress.back(), expected);
  }

  int history_calls_ = 0;
  std::int64_t next_real_ = 100;
};

// ---- (f) long texts -------------------------------------------------------------------------

TEST_F(TdlibTransportMediaTest, LongTextIsSplitAtTheRunTimeLimitWithMarkers) {
  answer_sends();
  start();
  push(tj::update_option_integer("message_text_length_max", 100));
  ASSERT_EQ(transport_->message_text_limit(), 100);

  std::string text;
  for (int i = 0; i < 12; ++i)
    text += "Sentence number " + std::to_string(i) + " ends with a face \xF0\x9F\x98\x80. ";
  text.pop_back();
  ASSERT_GT(utf16_units(text), 300u);
  std::optional<Result<SentParts>> got;
  SendOptions options;
  options.reply_to = MessageId(3 << 20);
  transport_->send_text(ChatId(kFriend), FormattedText(text), options,
                        [&](Result<SentParts> r) { got = std::move(r); });
  settle();
  ASSERT_EQ(sent_.size(), 1u);  // the parts go one after another
  complete_sends([&] { return got.has_value(); });

  ASSERT_TRUE(got.has_value());
  ASSERT_TRUE(got->is_ok()) << got->status().message();
  const std::size_t n = sent_.size();
  ASSERT_GE(n, 4u);
  // Every part's real id, in order (complete_sends numbers them from 100 << 20).
  ASSERT_EQ(got->value().ids.size(), n);
  for (std::size_t i = 0; i < n; ++i)
    EXPECT_EQ(got->value().ids[i], MessageId(static_cast<std::int64_t>(100 + i) << 20));
  // Only the first part replies.
  EXPECT_EQ(sent_[0].request.at("reply_to").at("message_id"), 3 << 20);
  for (std::size_t i = 1; i < n; ++i)
    EXPECT_TRUE(sent_[i].request.at("reply_to").is_null()) << i;
  std::string joined;
  for (std::size_t i = 0; i < n; ++i) {
    const std::string part = input_text_of(sent_[i].request);
    EXPECT_LE(utf16_units(part), 100u) << part;
    const std::string marker = "(" + std::to_string(i + 1) + "/" + std::to_string(n) + ")";
    const auto at = part.rfind(marker);
    ASSERT_NE(at, std::string::npos) << part;
    EXPECT_EQ(at + marker.size(), part.size()) << part;
    std::string body = part.substr(0, at);
    while (!body.empty() && body.back() == ' ')
      body.pop_back();
    joined += (joined.empty() ? "" : " ") + body;
    EXPECT_EQ(sent_[i].chat, kFriend);
  }
  EXPECT_EQ(joined, text);
}

TEST_F(TdlibTransportMediaTest, TextWithinTheLimitIsOneMessageWithoutMarker) {
  answer_sends();
  start();
  push(tj::update_option_integer("message_text_length_max", 100));
  const std::string text(100, 'x');
  transport_->send_text(ChatId(kFriend), FormattedText(text), {}, [](Result<SentParts>) {});
  settle();
  complete_sends([] { return false; });
  ASSERT_EQ(sent_.size(), 1u);
  EXPECT_EQ(input_text_of(sent_[0].request), text);
}

// ---- (g) history ----------------------------------------------------------------------------

TEST_F(TdlibTransportMediaTest, HistoryOfTenThousandMessagesIsPagedNewestFirst) {
  start();
  expect_history(kFriend, 10'000, 10'000);
  EXPECT_GE(history_calls_, 100);
}

TEST_F(TdlibTransportMediaTest, HistoryOfAShortChatEndsWithTheChat) {
  start();
  expect_history(kFriend, 250, 10'000);
}

TEST_F(TdlibTransportMediaTest, HistoryStopsAtTheLimit) {
  start();
  expect_history(kFriend, 1'000, 150);
  for (const auto& request : td_.requests_of_type("getChatHistory"))
    EXPECT_LE(request.at("limit").get<int>(), 100);
}

// ---- (h) voice notes and photos ---------------------------------------------------------------

TEST_F(TdlibTransportMediaTest, VoiceNoteIsSentAsInputMessageVoiceNote) {
  answer_sends();
  start();
  VoiceNote voice;
  voice.path = "/data/voice/reply.ogg";
  voice.duration_seconds = 7;
  voice.waveform = std::string("\x00\x1f\x83\xff", 4);
  std::optional<Result<MessageId>> got;
  transport_->send_voice(ChatId(kFriend), voice, FormattedText("listen"), {},
                         [&](Result<MessageId> r) { got = std::move(r); });
  settle();
  ASSERT_EQ(sent_.size(), 1u);
  const json& content = sent_[0].request.at("input_message_content");
  EXPECT_EQ(content.at("@type"), "inputMessageVoiceNote");
  EXPECT_EQ(content.at("voice_note"),
            (json{{"@type", "inputFileLocal"}, {"path", "/data/voice/reply.ogg"}}));
  EXPECT_EQ(content.at("duration"), 7);
  EXPECT_EQ(content.at("waveform"), "AB+D/w==");
  EXPECT_EQ(content.at("caption").at("@type"), "formattedText");
  EXPECT_EQ(content.at("caption").at("text"), "listen");
  EXPECT_TRUE(content.at("self_destruct_type").is_null());
  EXPECT_FALSE(got.has_value());  // uploading: not sent yet

  succeed(0, 50 << 20);
  ASSERT_TRUE(got.has_value() && got->is_ok());
  EXPECT_EQ(got->value(), MessageId(50 << 20));
}

TEST_F(TdlibTransportMediaTest, PhotoIsSentAsInputMessagePhoto) {
  answer_sends();
  start();
  std::optional<Result<MessageId>> got;
  transport_->send_photo(ChatId(kFriend), "/data/img/cat.jpg", FormattedText("a cat"), {},
                         [&](Result<MessageId> r) { got = std::move(r); });
  settle();
  ASSERT_EQ(sent_.size(), 1u);
  const json& content = sent_[0].request.at("input_message_content");
  EXPECT_EQ(content.at("@type"), "inputMessagePhoto");
  EXPECT_EQ(content.at("photo").at("@type"), "inputPhoto");
  EXPECT_EQ(content.at("photo").at("photo"),
            (json{{"@type", "inputFileLocal"}, {"path", "/data/img/cat.jpg"}}));
  EXPECT_TRUE(content.at("photo").at("added_sticker_file_ids").is_array());
  EXPECT_EQ(content.at("caption").at("text"), "a cat");
  succeed(0, 51 << 20);
  ASSERT_TRUE(got.has_value() && got->is_ok());
  EXPECT_EQ(got->value(), MessageId(51 << 20));
}

// ---- (i) forwards ---------------------------------------------------------------------------

TEST_F(TdlibTransportMediaTest, ForwardOf150IdsGoesInTwoIncreasingBatches) {
  answer_sends();
  start();
  std::vector<MessageId> ids;
  for (std::int64_t k = 150; k >= 1; --k)
    ids.emplace_back(k << 20);  // newest first, as a history listing gives them
  std::optional<Status> done;
  transport_->forward_messages(ChatId(kFriend), ids, ChatId(kForumChat), 12,
                               [&](Status st) { done = st; });
  settle();
  ASSERT_EQ(count("forwardMessages"), 1u);
  advance(milliseconds(1100));  // the second batch waits for the chat's send interval
  const auto requests = td_.requests_of_type("forwardMessages");
  ASSERT_EQ(requests.size(), 2u);
  std::set<std::int64_t> all;
  std::int64_t previous = 0;
  for (const auto& request : requests) {
    EXPECT_EQ(request.at("chat_id"), kForumChat);
    EXPECT_EQ(request.at("from_chat_id"), kFriend);
    EXPECT_EQ(request.at("topic_id"),
              (json{{"@type", "messageTopicForum"}, {"forum_topic_id", 12}}));
    EXPECT_EQ(request.at("send_copy"), false);
    const json& batch = request.at("message_ids");
    EXPECT_LE(batch.size(), 100u);
    for (const auto& id : batch) {
      EXPECT_GT(id.get<std::int64_t>(), previous);
      previous = id.get<std::int64_t>();
      all.insert(previous);
    }
  }
  EXPECT_EQ(all.size(), 150u);
  ASSERT_TRUE(done.has_value());
  EXPECT_TRUE(done->is_ok()) << done->message();
}

TEST_F(TdlibTransportMediaTest, ForwardWithoutTopicSendsNullTopic) {
  answer_sends();
  start();
  std::optional<Status> done;
  transport_->forward_messages(ChatId(kFriend), {MessageId(3 << 20), MessageId(1 << 20)},
                               ChatId(kSelf), 0, [&](Status st) { done = st; });
  settle();
  const auto request = td_.last_request("forwardMessages");
  ASSERT_TRUE(request.has_value());
  EXPECT_TRUE(request->at("topic_id").is_null());
  EXPECT_EQ(request->at("message_ids"), (json{1 << 20, 3 << 20}));
  ASSERT_TRUE(done.has_value());
  EXPECT_TRUE(done->is_ok()) << done->message();
}

// ---- (j) usernames ----------------------------------------------------------------------------

TEST_F(TdlibTransportMediaTest, ResolveUsernameSearchesThePublicChatThenGetsTheUser) {
  td_.on("searchPublicChat", [](const json& request) -> std::vector<json> {
    if (request.at("username") != "dana_f") return {ScriptedTdJson::error(400, "USERNAME_INVALID")};
    return {tj::chat(kFriend, tj::chat_type_private(kFriend), "Dana Friend")};
  });
  td_.on("getUser", [](const json& request) -> std::vector<json> {
    EXPECT_EQ(request.at("user_id"), kFriend);
    return {tj::user(kFriend, "Dana", "Friend", "dana_f")};
  });
  start();
  std::optional<Result<UserInfo>> got;
  transport_->resolve_username("@dana_f", [&](Result<UserInfo> r) { got = std::move(r); });
  settle();
  ASSERT_TRUE(got.has_value());
  ASSERT_TRUE(got->is_ok()) << got->status().message();
  EXPECT_EQ((*got)->id, UserId(kFriend));
  EXPECT_EQ((*got)->display_name, "Dana Friend");
  EXPECT_EQ((*got)->username, "dana_f");
  EXPECT_EQ(count("searchPublicChat"), 1u);
  EXPECT_EQ(count("getUser"), 1u);
}

TEST_F(TdlibTransportMediaTest, ResolveUsernameOfNobodyOrAChannelIsNotFound) {
  td_.on("searchPublicChat", [](const json& request) -> std::vector<json> {
    if (request.at("username") == "news")
      return {tj::chat(kForumChat, tj::chat_type_supergroup(1'234'567'890, true), "News")};
    return {ScriptedTdJson::error(400, "USERNAME_NOT_OCCUPIED")};
  });
  start();
  std::optional<Result<UserInfo>> nobody;
  std::optional<Result<UserInfo>> channel;
  transport_->resolve_username("ghost", [&](Result<UserInfo> r) { nobody = std::move(r); });
  transport_->resolve_username("@news", [&](Result<UserInfo> r) { channel = std::move(r); });
  settle();
  ASSERT_TRUE(nobody.has_value() && channel.has_value());
  EXPECT_EQ(nobody->status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(channel->status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(count("getUser"), 0u);
}

}  // namespace
}  // namespace sakai::telegram::tdjson::transport_test
