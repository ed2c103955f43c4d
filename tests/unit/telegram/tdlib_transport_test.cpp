// TdlibTransport driven by ScriptedTdJson through TdClient: updates to the engine, sends that
// complete at updateMessageSendSucceeded, edit throttling, flood waits, the send budget and
// request deadlines. (Splitting, history, media, forwards: tdlib_transport_media_test.cpp.)
#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "unit/telegram/tdlib_transport_fixture.h"

namespace sakai::telegram::tdjson::transport_test {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr std::int64_t kFriend = 777;
constexpr std::int64_t kSupergroupChat = -1'001'234'567'890;
constexpr std::int64_t kChannelChat = -1'009'876'543'210;

json without_extra(json request) {
  request.erase("@extra");
  return request;
}

// ---- (a) incoming messages ------------------------------------------------------------------

TEST_F(TdlibTransportTest, IncomingMessagesCarryChatKindSenderNameAndOwnerFlag) {
  start();
  push(tj::update_option_integer("my_id", kSelf));
  push(tj::update_user(tj::user(kSelf, "Sakai", "Owner", "sakai")));
  push(tj::update_user(tj::user(kFriend, "Dana", "Friend", "dana")));
  push(tj::update_new_chat(tj::chat(kFriend, tj::chat_type_private(kFriend), "Dana Friend")));
  push(tj::update_new_chat(tj::chat(kSelf, tj::chat_type_private(kSelf), "Saved Messages")));
  push(tj::update_new_chat(
      tj::chat(kSupergroupChat, tj::chat_type_supergroup(1'234'567'890, false), "Group")));
  push(tj::update_new_chat(
      tj::chat(kChannelChat, tj::chat_type_supergroup(9'876'543'210, true), "News")));
  ASSERT_EQ(transport_->self_id(), UserId(kSelf));

  // The owner's command typed in another app: outgoing, no sending_state.
  push(tj::update_new_message(tj::message({.chat_id = kFriend,
                                           .id = 1 << 20,
                                           .sender_user_id = kSelf,
                                           .text = "/help",
                                           .is_outgoing = true,
                                           .date = 1'700'000'100})));
  // Someone else's messages reach the engine when it could act on them: text that could be a
  // command (a plain reply in a group could not continue an answer: that needs a private chat).
  push(tj::update_new_message(tj::message({.chat_id = kSupergroupChat,
                                           .id = 2 << 20,
                                           .sender_user_id = kFriend,
                                           .text = "!roll",
                                           .reply_to_message_id = 1 << 20})));
  push(tj::update_new_message(tj::message(
      {.chat_id = kChannelChat, .id = 3 << 20, .sender_user_id = kFriend, .text = "/news"})));
  push(tj::update_new_message(tj::message({.chat_id = kSelf,
                                           .id = 4 << 20,
                                           .sender_user_id = kSelf,
                                           .text = "/note x",
                                           .is_outgoing = true})));

  ASSERT_EQ(handler_.messages.size(), 4u);
  const Message& command = handler_.messages[0];
  EXPECT_EQ(command.id, MessageId(1 << 20));
  EXPECT_EQ(command.chat, ChatId(kFriend));
  EXPECT_EQ(command.sender, UserId(kSelf));
  EXPECT_TRUE(command.outgoing);
  EXPECT_EQ(command.text, "/help");
  EXPECT_EQ(command.chat_kind, ChatKind::kPrivate);
  EXPECT_EQ(command.sender_name, "Sakai Owner");
  EXPECT_EQ(command.date_unix, 1'700'000'100);

  EXPECT_EQ(handler_.messages[1].chat_kind, ChatKind::kSupergroup);
  EXPECT_EQ(handler_.messages[1].sender_name, "Dana Friend");
  EXPECT_FALSE(handler_.messages[1].outgoing);
  EXPECT_EQ(handler_.messages[2].chat_kind, ChatKind::kChannel);
  EXPECT_EQ(handler_.messages[3].chat_kind, ChatKind::kSavedMessages);
  EXPECT_EQ(transport_->counters().messages_delivered, 4u);
}

TEST_F(TdlibTransportTest, ForumTopicMessageInASupergroupIsAForumTopic) {
  start();
  push(tj::update_new_chat(
      tj::chat(kSupergroupChat, tj::chat_type_supergroup(1'234'567'890, false), "Forum")));
  push(tj::update_new_message(
      tj::message({.chat_id = kSupergroupChat,
                   .id = 5 << 20,
                   .sender_user_id = kFriend,
                   .text = "!in a topic",
                   .topic_id = {{"@type", "messageTopicForum"}, {"forum_topic_id", 12}}})));
  ASSERT_EQ(handler_.messages.size(), 1u);
  EXPECT_EQ(handler_.messages[0].chat_kind, ChatKind::kForumTopic);
}

// The fast path: someone else's chat line that replies to nothing (or replies in a group: only in
// a private chat can a reply continue an answer), carries no media and cannot be a command is not
// delivered (the engine could not act on it); everything it might act on is, with its text.
TEST_F(TdlibTransportTest, QuietChatLinesAreNotDeliveredButAnythingTheEngineMayActOnIs) {
  start();
  push(tj::update_new_chat(
      tj::chat(kSupergroupChat, tj::chat_type_supergroup(1'234'567'890, false), "Group")));
  std::int64_t id = 10 << 20;
  auto from_friend = [&](tj::MessageSpec spec) {
    spec.chat_id = spec.chat_id != 0 ? spec.chat_id : kSupergroupChat;
    spec.id = id += 1 << 20;
    spec.sender_user_id = spec.sender_user_id != 0 ? spec.sender_user_id : kFriend;
    push(tj::update_new_message(tj::message(spec)));
  };
  // Quiet: ordinary chat in English and Persian, a number, an emoji, a sticker.
  from_friend({.text = "good morning everyone"});
  from_friend({.text = "سلام، امشب می‌آیی؟"});
  from_friend({.text = "42 is the answer"});
  from_friend({.text = "😂😂"});
  from_friend({.text = " /ping"});  // a space first is not a command either
  auto with_content = [](json content) {
    tj::MessageSpec spec;
    spec.content = std::move(content);
    return spec;
  };
  from_friend(with_content({{"@type", "messageSticker"}, {"is_premium", false}}));
  from_friend({.text = "so true", .reply_to_message_id = 2 << 20});  // a reply in the group
  EXPECT_TRUE(handler_.messages.empty());
  EXPECT_EQ(transport_->counters().messages_delivered, 0u);
  EXPECT_EQ(transport_->dropped_early(), 7u);

  // Delivered, text intact: commands (behind a bidi mark too), any punctuation first, a reply in
  // a private chat, media with and without a caption, the owner's own chat line (it may be
  // `confirm`).
  from_friend({.text = "/ping"});
  from_friend({.text = "\u200F/help"});
  from_friend({.text = "!stats now"});
  from_friend({.chat_id = kFriend, .text = "tell me more", .reply_to_message_id = 3 << 20});
  from_friend(
      with_content(tj::message_voice_note(3, "", tj::local_file(5, "/tmp/voice.ogg", 900), "")));
  from_friend(with_content(
      tj::message_photo(tj::local_file(6, "/tmp/photo.jpg", 90'000), 1280, 720, "look at this")));
  from_friend({.sender_user_id = kSelf, .text = "confirm", .is_outgoing = true});
  ASSERT_EQ(handler_.messages.size(), 7u);
  EXPECT_EQ(handler_.messages[0].text, "/ping");
  EXPECT_EQ(handler_.messages[1].text, "\u200F/help");
  EXPECT_EQ(handler_.messages[2].text, "!stats now");
  EXPECT_EQ(handler_.messages[3].text, "tell me more");
  EXPECT_EQ(handler_.messages[3].reply_to, MessageId(3 << 20));
  EXPECT_EQ(handler_.messages[4].media, MediaKind::kVoiceNote);
  EXPECT_EQ(handler_.messages[5].media, MediaKind::kPhoto);
  EXPECT_EQ(handler_.messages[5].text, "look at this");
  EXPECT_EQ(handler_.messages[6].text, "confirm");
  EXPECT_TRUE(handler_.messages[6].outgoing);
  EXPECT_EQ(transport_->dropped_early(), 7u);
}

TEST_F(TdlibTransportTest, EditsAndPermanentDeletionsReachTheHandler) {
  start();
  push(json{{"@type", "updateMessageContent"},
            {"chat_id", kFriend},
            {"message_id", 6 << 20},
            {"new_content", tj::message_text("edited text")}});
  push(json{{"@type", "updateDeleteMessages"},
            {"chat_id", kFriend},
            {"message_ids", {6 << 20, 7 << 20}},
            {"is_permanent", true},
            {"from_cache", false}});
  // Unloaded from TDLib's cache: not a deletion.
  push(json{{"@type", "updateDeleteMessages"},
            {"chat_id", kFriend},
            {"message_ids", {8 << 20}},
            {"is_permanent", false},
            {"from_cache", true}});
  ASSERT_EQ(handler_.edited.size(), 1u);
  EXPECT_EQ(handler_.edited[0].id, MessageId(6 << 20));
  EXPECT_EQ(handler_.edited[0].text, "edited text");
  EXPECT_TRUE(handler_.edited[0].edited);
  ASSERT_EQ(handler_.deleted.size(), 1u);
  EXPECT_EQ(handler_.deleted[0].first, ChatId(kFriend));
  EXPECT_EQ(handler_.deleted[0].second,
            (std::vector<MessageId>{MessageId(6 << 20), MessageId(7 << 20)}));
  EXPECT_TRUE(handler_.messages.empty());
}

// ---- (b) sends complete at updateMessageSendSucceeded ----------------------------------------

TEST_F(TdlibTransportTest, SendCompletesWithTheRealIdOnlyAtSendSucceeded) {
  answer_sends();
  start();
  std::optional<Result<MessageId>> got;
  send_text_to(kFriend, "hello", got);
  settle();

  ASSERT_EQ(sent_.size(), 1u);
  const json& request = sent_[0].request;
  EXPECT_EQ(request.at("chat_id"), kFriend);
  EXPECT_TRUE(request.at("chat_id").is_number_integer());
  EXPECT_EQ(request.at("input_message_content").at("@type"), "inputMessageText");
  EXPECT_EQ(input_text_of(request), "hello");
  EXPECT_TRUE(request.at("topic_id").is_null());
  EXPECT_TRUE(request.at("reply_to").is_null());
  // The temporary message came back (answer and updateNewMessage): not complete yet, and the
  // bot's own message with a sending_state is no news to the engine.
  EXPECT_FALSE(got.has_value());
  EXPECT_TRUE(handler_.messages.empty());

  succeed(0, 42 << 20);
  ASSERT_TRUE(got.has_value());
  ASSERT_TRUE(got->is_ok()) << got->status().message();
  EXPECT_EQ(got->value(), MessageId(42 << 20));
  EXPECT_TRUE(handler_.messages.empty());
}

TEST_F(TdlibTransportTest, SendWithReplyAndTopicCarriesThem) {
  answer_sends();
  start();
  SendOptions options;
  options.reply_to = MessageId(7 << 20);
  options.topic_id = 12;
  transport_->send_text(ChatId(kSupergroupChat), FormattedText("answer"), options,
                        [](Result<SentParts>) {});
  settle();
  ASSERT_EQ(sent_.size(), 1u);
  const json& request = sent_[0].request;
  EXPECT_EQ(request.at("reply_to").at("@type"), "inputMessageReplyToMessage");
  EXPECT_EQ(request.at("reply_to").at("message_id"), 7 << 20);
  EXPECT_EQ(request.at("topic_id"), (json{{"@type", "messageTopicForum"}, {"forum_topic_id", 12}}));
}

TEST_F(TdlibTransportTest, SendFailedUpdateGivesTheCallerAnError) {
  answer_sends();
  start();
  std::optional<Result<MessageId>> got;
  send_text_to(kFriend, "hello", got);
  settle();
  ASSERT_EQ(sent_.size(), 1u);
  EXPECT_FALSE(got.has_value());

  push(tj::update_send_failed(tj::message({.chat_id = kFriend,
                                           .id = sent_[0].temp_id + 1,
                                           .sender_user_id = kSelf,
                                           .text = "hello",
                                           .is_outgoing = true}),
                              sent_[0].temp_id, 403, "CHAT_WRITE_FORBIDDEN"));
  ASSERT_TRUE(got.has_value());
  ASSERT_FALSE(got->is_ok());
  EXPECT_EQ(got->status().code(), ErrorCode::kPermissionDenied);
  EXPECT_NE(got->status().message().find("CHAT_WRITE_FORBIDDEN"), std::string::npos);
}

TEST_F(TdlibTransportTest, EmptyTextIsRefusedWithoutARequest) {
  answer_sends();
  start();
  std::optional<Result<MessageId>> got;
  send_text_to(kFriend, "  \n ", got);
  EXPECT_FALSE(got.has_value());  // never synchronously
  settle();
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(count("sendMessage"), 0u);
}

// ---- (c) edits: throttled, coalesced ----------------------------------------------------------

class TdlibTransportEditTest : public TdlibTransportTest {
 protected:
  void answer_edits(std::optional<json> error = std::nullopt) {
    td_.on("editMessageText", [error](const json& request) -> std::vector<json> {
      if (error) return {*error};
      return {tj::message({.chat_id = request.at("chat_id"),
                           .id = request.at("message_id"),
                           .sender_user_id = kSelf,
                           .text = input_text_of(request),
                           .is_outgoing = true})};
    });
  }
};

TEST_F(TdlibTransportEditTest, EditsInQuickSuccessionAreCoalescedToTheNewest) {
  answer_edits();
  start();
  std::vector<Status> done;
  const auto cb = [&](Status st) { done.push_back(st); };
  transport_->edit_text(ChatId(kFriend), MessageId(9 << 20), FormattedText("one"), cb);
  transport_->edit_text(ChatId(kFriend), MessageId(9 << 20), FormattedText("one two"), cb);
  transport_->edit_text(ChatId(kFriend), MessageId(9 << 20), FormattedText("one two three"), cb);
  settle();
  auto edits = td_.requests_of_type("editMessageText");
  ASSERT_EQ(edits.size(), 1u);
  EXPECT_EQ(edits[0].at("chat_id"), kFriend);
  EXPECT_EQ(edits[0].at("message_id"), 9 << 20);
  EXPECT_EQ(input_text_of(edits[0]), "one");
  EXPECT_EQ(done.size(), 1u);

  advance(milliseconds(1499));
  EXPECT_EQ(count("editMessageText"), 1u);
  advance(milliseconds(1));
  edits = td_.requests_of_type("editMessageText");
  ASSERT_EQ(edits.size(), 2u);
  EXPECT_EQ(input_text_of(edits[1]), "one two three");
  ASSERT_EQ(done.size(), 3u);
  for (const auto& st : done)
    EXPECT_TRUE(st.is_ok()) << st.message();

  advance(seconds(10));
  EXPECT_EQ(count("editMessageText"), 2u);
  EXPECT_EQ(transport_->counters().edits_sent, 2u);
  EXPECT_EQ(transport_->counters().edits_coalesced, 1u);
}

TEST_F(TdlibTransportEditTest, MessageNotModifiedCountsAsSuccess) {
  answer_edits(ScriptedTdJson::error(400, "MESSAGE_NOT_MODIFIED"));
  start();
  std::optional<Status> done;
  transport_->edit_text(ChatId(kFriend), MessageId(9 << 20), FormattedText("same"),
                        [&](Status st) { done = st; });
  settle();
  ASSERT_TRUE(done.has_value());
  EXPECT_TRUE(done->is_ok()) << done->message();
}

TEST_F(TdlibTransportEditTest, OtherEditErrorsReachTheCaller) {
  answer_edits(ScriptedTdJson::error(400, "MESSAGE_ID_INVALID"));
  start();
  std::optional<Status> done;
  transport_->edit_text(ChatId(kFriend), MessageId(9 << 20), FormattedText("x"),
                        [&](Status st) { done = st; });
  settle();
  ASSERT_TRUE(done.has_value());
  EXPECT_EQ(done->code(), ErrorCode::kInvalidArgument);
}

// ---- (d) 429 flood waits ----------------------------------------------------------------------

TEST_F(TdlibTransportTest, FloodWaitIsHonouredThenTheSameRequestIsRetried) {
  int calls = 0;
  td_.on("sendMessage", [&](const json& request) -> std::vector<json> {
    if (++calls == 1) return {ScriptedTdJson::error(429, "Too Many Requests: retry after 3")};
    const json m = tj::message({.chat_id = request.at("chat_id"),
                                .id = 900,
                                .sender_user_id = kSelf,
                                .text = input_text_of(request),
                                .is_outgoing = true,
                                .sending_state = tj::pending_state()});
    sent_.push_back({request.at("chat_id"), 900, request});
    return {m};
  });
  start();
  std::optional<Result<MessageId>> got;
  send_text_to(kFriend, "patience", got);
  settle();
  ASSERT_EQ(count("sendMessage"), 1u);

  advance(milliseconds(2999));
  EXPECT_EQ(count("sendMessage"), 1u);
  EXPECT_FALSE(got.has_value());
  advance(milliseconds(1));
  const auto requests = td_.requests_of_type("sendMessage");
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(without_extra(requests[0]), without_extra(requests[1]));
  EXPECT_NE(requests[0].at("@extra"), requests[1].at("@extra"));

  succeed(0, 43 << 20);
  ASSERT_TRUE(got.has_value());
  ASSERT_TRUE(got->is_ok()) << got->status().message();
  EXPECT_EQ(got->value(), MessageId(43 << 20));
  EXPECT_EQ(transport_->counters().flood_waits, 1u);
}

TEST_F(TdlibTransportTest, FloodWaitBeyondMaxRetriesIsRateLimited) {
  td_.on("sendMessage", [](const json&) -> std::vector<json> {
    return {ScriptedTdJson::error(429, "Too Many Requests: retry after 3")};
  });
  TdlibTransportOptions options;
  options.max_retries = 2;
  start(options);
  std::optional<Result<MessageId>> got;
  send_text_to(kFriend, "never", got);
  settle();
  for (int i = 0; i < 5; ++i)
    advance(seconds(3));
  EXPECT_EQ(count("sendMessage"), 3u);  // the first attempt and max_retries more
  ASSERT_TRUE(got.has_value());
  ASSERT_FALSE(got->is_ok());
  EXPECT_EQ(got->status().code(), ErrorCode::kRateLimited);
  EXPECT_NE(got->status().message().find("retry after 3"), std::string::npos);
}

// ---- (e) the send budget ----------------------------------------------------------------------

TEST_F(TdlibTransportTest, SendBudgetHoldsSendsBeyondTheMinuteLimit) {
  answer_sends();
  TdlibTransportOptions options;
  options.max_sends_per_minute = 5;
  start(options);
  for (int i = 0; i < 8; ++i) {
    transport_->send_text(ChatId(1000 + i), FormattedText("n" + std::to_string(i)), {},
                          [](Result<SentParts>) {});
  }
  settle();
  EXPECT_EQ(count("sendMessage"), 5u);
  EXPECT_EQ(transport_->queued_sends(), 3u);
  advance(seconds(59));
  EXPECT_EQ(count("sendMessage"), 5u);
  advance(seconds(1));
  ASSERT_EQ(count("sendMessage"), 8u);
  for (int i = 0; i < 8; ++i)
    EXPECT_EQ(sent_[static_cast<std::size_t>(i)].chat, 1000 + i);  // in order
}

TEST_F(TdlibTransportTest, SendBudgetSpacesSendsInOneChat) {
  answer_sends();
  start();  // per_chat_interval 1.1 s
  for (int i = 0; i < 3; ++i) {
    transport_->send_text(ChatId(kFriend), FormattedText("part " + std::to_string(i)), {},
                          [](Result<SentParts>) {});
  }
  transport_->send_text(ChatId(kFriend + 1), FormattedText("elsewhere"), {},
                        [](Result<SentParts>) {});
  settle();
  ASSERT_EQ(sent_.size(), 2u);  // one per chat
  EXPECT_EQ(sent_[1].chat, kFriend + 1);
  advance(milliseconds(1099));
  EXPECT_EQ(sent_.size(), 2u);
  advance(milliseconds(1));
  ASSERT_EQ(sent_.size(), 3u);
  advance(milliseconds(1100));
  ASSERT_EQ(sent_.size(), 4u);
  EXPECT_EQ(input_text_of(sent_[0].request), "part 0");
  EXPECT_EQ(input_text_of(sent_[2].request), "part 1");
  EXPECT_EQ(input_text_of(sent_[3].request), "part 2");
}

// A flood wait in one chat must not hold another chat's send past the minute budget.
TEST_F(TdlibTransportTest, SendBudgetWakesForTheEarliestReadySend) {
  int calls = 0;
  td_.on("sendMessage", [&](const json& request) -> std::vector<json> {
    if (++calls == 1) return {ScriptedTdJson::error(429, "Too Many Requests: retry after 300")};
    sent_.push_back({request.at("chat_id"), next_temp_, request});
    return {tj::message({.chat_id = request.at("chat_id"),
                         .id = next_temp_++,
                         .sender_user_id = kSelf,
                         .text = input_text_of(request),
                         .is_outgoing = true,
                         .sending_state = tj::pending_state()})};
  });
  TdlibTransportOptions options;
  options.max_sends_per_minute = 2;
  start(options);
  transport_->send_text(ChatId(1), FormattedText("flooded"), {}, [](Result<SentParts>) {});
  settle();  // chat 1 paused for 300 s; one send of the budget used
  transport_->send_text(ChatId(2), FormattedText("a"), {}, [](Result<SentParts>) {});
  transport_->send_text(ChatId(3), FormattedText("b"), {}, [](Result<SentParts>) {});
  settle();
  ASSERT_EQ(sent_.size(), 1u);  // chat 2 went; chat 3 waits for the budget
  advance(seconds(61));
  EXPECT_EQ(sent_.size(), 2u) << "chat 3 waited for chat 1's flood wait, not for the budget";
}

// ---- (k) deadlines ----------------------------------------------------------------------------

TEST_F(TdlibTransportTest, UnansweredRequestFailsAtTheTransportDeadline) {
  TdlibTransportOptions options;
  options.request_deadline = seconds(2);
  start(options);
  std::optional<Result<Message>> got;
  transport_->get_message(ChatId(kFriend), MessageId(5 << 20),
                          [&](Result<Message> r) { got = std::move(r); });
  settle();
  ASSERT_EQ(count("getMessage"), 1u);
  const json request = *td_.last_request("getMessage");
  EXPECT_EQ(request.at("chat_id"), kFriend);
  EXPECT_EQ(request.at("message_id"), 5 << 20);
  advance(milliseconds(1999));
  EXPECT_FALSE(got.has_value());
  advance(milliseconds(1));
  ASSERT_TRUE(got.has_value());
  ASSERT_FALSE(got->is_ok());
  EXPECT_EQ(got->status().code(), ErrorCode::kDeadlineExceeded);
}

TEST_F(TdlibTransportTest, GetMessageDecodesTheAnswer) {
  td_.on("getMessage", [](const json& request) -> std::vector<json> {
    return {tj::message({.chat_id = request.at("chat_id"),
                         .id = request.at("message_id"),
                         .sender_user_id = kFriend,
                         .text = "the original"})};
  });
  start();
  push(tj::update_new_chat(
      tj::chat(kSupergroupChat, tj::chat_type_supergroup(1'234'567'890, false), "Group")));
  std::optional<Result<Message>> got;
  transport_->get_message(ChatId(kSupergroupChat), MessageId(5 << 20),
                          [&](Result<Message> r) { got = std::move(r); });
  settle();
  ASSERT_TRUE(got.has_value() && got->is_ok());
  EXPECT_EQ((*got)->text, "the original");
  EXPECT_EQ((*got)->sender, UserId(kFriend));
  EXPECT_EQ((*got)->chat_kind, ChatKind::kSupergroup);
}

// ---- connection state (what /health reports) -------------------------------------------------

TEST_F(TdlibTransportTest, ConnectionStateIsReadyOnlyWhenLoggedInAndConnected) {
  start();
  auto connection = [&](const std::string& state) {
    push(json{{"@type", "updateConnectionState"}, {"state", {{"@type", state}}}});
  };
  auto authorization = [&](const std::string& state) {
    push(json{{"@type", "updateAuthorizationState"}, {"authorization_state", {{"@type", state}}}});
  };
  EXPECT_EQ(transport_->connection_state(), ConnectionState::kStarting);
  authorization("authorizationStateWaitPhoneNumber");
  connection("connectionStateReady");
  EXPECT_EQ(transport_->connection_state(), ConnectionState::kLoggedOut);
  authorization("authorizationStateReady");
  EXPECT_EQ(transport_->connection_state(), ConnectionState::kReady);
  connection("connectionStateWaitingForNetwork");
  EXPECT_EQ(transport_->connection_state(), ConnectionState::kWaitingForNetwork);
  connection("connectionStateConnecting");
  EXPECT_EQ(transport_->connection_state(), ConnectionState::kConnecting);
  connection("connectionStateUpdating");
  EXPECT_EQ(transport_->connection_state(), ConnectionState::kUpdating);
  connection("connectionStateReady");
  EXPECT_EQ(transport_->connection_state(), ConnectionState::kReady);
  authorization("authorizationStateClosing");
  EXPECT_EQ(transport_->connection_state(), ConnectionState::kClosed);
}

}  // namespace
}  // namespace sakai::telegram::tdjson::transport_test
