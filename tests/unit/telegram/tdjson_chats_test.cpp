// TdlibTransport's chat list and forum topics against the scripted TDLib: getChats, then each
// chat from the updateNewChat cache or getChat, the forum flag from getSupergroup, and
// getForumTopics page by page. Objects have the exact td_api.tl (1.8.65) shapes.
#include <map>
#include <optional>
#include <set>

#include "unit/telegram/tdlib_transport_fixture.h"

namespace sakai::telegram::tdjson::transport_test {
namespace {

constexpr std::int64_t kPrivateChat = 7001;      // chat with user 7001
constexpr std::int64_t kBasicGroup = -4001;      // basic group 4001
constexpr std::int64_t kForum = -1001000000001;  // supergroup 1000000001, a forum
constexpr std::int64_t kPlain = -1001000000002;  // supergroup 1000000002, not a forum
constexpr std::int64_t kChannel = -1001000000003;

json chat_type_basic_group(std::int64_t basic_group_id) {
  return json{{"@type", "chatTypeBasicGroup"}, {"basic_group_id", basic_group_id}};
}

// td_api.tl `supergroup` with every field of the constructor.
json supergroup(std::int64_t id, bool is_forum, bool is_channel = false) {
  return json{{"@type", "supergroup"},
              {"id", id},
              {"usernames", nullptr},
              {"date", 1'700'000'000},
              {"status", {{"@type", "chatMemberStatusMember"}, {"member_until_date", 0}}},
              {"member_count", 0},
              {"boost_level", 0},
              {"has_automatic_translation", false},
              {"has_linked_chat", false},
              {"has_location", false},
              {"sign_messages", false},
              {"show_message_sender", false},
              {"join_to_send_messages", true},
              {"join_by_request", false},
              {"is_slow_mode_enabled", false},
              {"is_channel", is_channel},
              {"is_broadcast_group", false},
              {"is_forum", is_forum},
              {"is_direct_messages_group", false},
              {"is_administered_direct_messages_group", false},
              {"verification_status", nullptr},
              {"has_direct_messages_group", false},
              {"has_forum_tabs", false},
              {"restriction_info", nullptr},
              {"paid_message_star_count", 0},
              {"active_story_state", nullptr}};
}

// td_api.tl `forumTopic` (with its `forumTopicInfo`) with every field of the constructors.
json forum_topic(std::int64_t chat_id, std::int32_t topic_id, std::string name) {
  const json info{
      {"@type", "forumTopicInfo"},
      {"chat_id", chat_id},
      {"forum_topic_id", topic_id},
      {"name", std::move(name)},
      {"icon", {{"@type", "forumTopicIcon"}, {"color", 7322096}, {"custom_emoji_id", "0"}}},
      {"creation_date", 1'700'000'000},
      {"creator_id", td_json::sender_user(7001)},
      {"is_general", topic_id == 1},
      {"is_outgoing", true},
      {"is_closed", false},
      {"is_hidden", false},
      {"is_name_implicit", false}};
  return json{{"@type", "forumTopic"},
              {"info", info},
              {"last_message", nullptr},
              {"order", "0"},
              {"is_pinned", false},
              {"unread_count", 0},
              {"last_read_inbox_message_id", 0},
              {"last_read_outbox_message_id", 0},
              {"unread_mention_count", 0},
              {"unread_reaction_count", 0},
              {"unread_poll_vote_count", 0},
              {"notification_settings", td_json::notification_settings()},
              {"draft_message", nullptr}};
}

json forum_topics(std::vector<json> topics, std::int32_t total, std::int32_t next_date,
                  std::int64_t next_message, std::int32_t next_topic) {
  return json{{"@type", "forumTopics"},
              {"total_count", total},
              {"topics", std::move(topics)},
              {"next_offset_date", next_date},
              {"next_offset_message_id", next_message},
              {"next_offset_forum_topic_id", next_topic}};
}

class TdlibChatsTest : public TdlibTransportTest {
 protected:
  void SetUp() override {
    start();
    transport_->set_self(UserId(kSelf));
    td_.on("getChat", [this](const json& request) -> std::vector<json> {
      const std::int64_t id = request.at("chat_id");
      if (auto it = chats_.find(id); it != chats_.end()) return {it->second};
      return {ScriptedTdJson::error(400, "Chat not found")};
    });
    td_.on("getSupergroup", [](const json& request) -> std::vector<json> {
      const std::int64_t id = request.at("supergroup_id");
      return {supergroup(id, id == 1000000001, id == 1000000003)};
    });
    chats_[kSelf] = td_json::chat(kSelf, td_json::chat_type_private(kSelf), "Me Myself");
    chats_[kPrivateChat] =
        td_json::chat(kPrivateChat, td_json::chat_type_private(7001), "Ali Rezaei");
    chats_[kBasicGroup] = td_json::chat(kBasicGroup, chat_type_basic_group(4001), "Family");
    chats_[kForum] =
        td_json::chat(kForum, td_json::chat_type_supergroup(1000000001, false), "Study Forum");
    chats_[kPlain] = td_json::chat(kPlain, td_json::chat_type_supergroup(1000000002, false), "گپ");
    chats_[kChannel] =
        td_json::chat(kChannel, td_json::chat_type_supergroup(1000000003, true), "News");
  }

  Result<std::vector<ChatInfo>> list(int limit = 100) {
    std::optional<Result<std::vector<ChatInfo>>> got;
    transport_->list_chats(limit, [&](Result<std::vector<ChatInfo>> r) { got = std::move(r); });
    settle();
    EXPECT_TRUE(got.has_value());
    return got.value_or(make_error(ErrorCode::kInternal, "no answer"));
  }
  Result<std::vector<ForumTopicInfo>> topics(std::int64_t chat) {
    std::optional<Result<std::vector<ForumTopicInfo>>> got;
    transport_->list_forum_topics(
        ChatId(chat), [&](Result<std::vector<ForumTopicInfo>> r) { got = std::move(r); });
    EXPECT_FALSE(got.has_value()) << "answered synchronously";
    settle();
    EXPECT_TRUE(got.has_value());
    return got.value_or(make_error(ErrorCode::kInternal, "no answer"));
  }

  std::map<std::int64_t, json> chats_;
};

TEST_F(TdlibChatsTest, ListChatsReadsTheMainListThenEveryChatInOrder) {
  td_.on("getChats", [](const json&) -> std::vector<json> {
    return {json{{"@type", "chats"},
                 {"total_count", 6},
                 {"chat_ids", {kForum, kSelf, kPrivateChat, kBasicGroup, kPlain, kChannel}}}};
  });
  // Chats TDLib already announced are not asked for again.
  push(td_json::update_new_chat(chats_[kPrivateChat]));
  push(td_json::update_new_chat(chats_[kForum]));

  auto chats = list(50);
  ASSERT_TRUE(chats.is_ok()) << chats.status().to_string();
  ASSERT_EQ(chats->size(), 6U);
  const auto& c = *chats;
  EXPECT_EQ(c[0].id, ChatId(kForum));
  EXPECT_EQ(c[0].kind, ChatKind::kSupergroup);
  EXPECT_EQ(c[0].title, "Study Forum");
  EXPECT_TRUE(c[0].is_forum);
  EXPECT_EQ(c[1].kind, ChatKind::kSavedMessages);
  EXPECT_EQ(c[2].kind, ChatKind::kPrivate);
  EXPECT_EQ(c[2].title, "Ali Rezaei");
  EXPECT_EQ(c[3].kind, ChatKind::kGroup);
  EXPECT_FALSE(c[3].is_forum);
  EXPECT_EQ(c[4].kind, ChatKind::kSupergroup);
  EXPECT_EQ(c[4].title, "گپ");
  EXPECT_FALSE(c[4].is_forum);
  EXPECT_EQ(c[5].kind, ChatKind::kChannel);
  EXPECT_FALSE(c[5].is_forum);

  const auto get_chats = td_.last_request("getChats");
  ASSERT_TRUE(get_chats.has_value());
  EXPECT_EQ((*get_chats)["chat_list"]["@type"], "chatListMain");
  EXPECT_EQ((*get_chats)["limit"], 50);
  std::set<std::int64_t> asked;
  for (const auto& r : td_.requests_of_type("getChat"))
    asked.insert(r.at("chat_id").get<std::int64_t>());
  EXPECT_EQ(asked, (std::set<std::int64_t>{kSelf, kBasicGroup, kPlain, kChannel}));
  // Only supergroups that are not channels are asked about being a forum.
  std::set<std::int64_t> supergroups;
  for (const auto& r : td_.requests_of_type("getSupergroup"))
    supergroups.insert(r.at("supergroup_id").get<std::int64_t>());
  EXPECT_EQ(supergroups, (std::set<std::int64_t>{1000000001, 1000000002}));

  // getChat answers are cached: a second listing asks TDLib for the list only.
  const auto before = count("getChat");
  ASSERT_TRUE(list().is_ok());
  EXPECT_EQ(count("getChat"), before);
}

TEST_F(TdlibChatsTest, ChatsTdlibCannotDescribeAreLeftOut) {
  td_.on("getChats", [](const json&) -> std::vector<json> {
    return {json{{"@type", "chats"}, {"total_count", 2}, {"chat_ids", {kPrivateChat, 99}}}};
  });
  auto chats = list();
  ASSERT_TRUE(chats.is_ok());
  ASSERT_EQ(chats->size(), 1U);
  EXPECT_EQ(chats->front().id, ChatId(kPrivateChat));
}

TEST_F(TdlibChatsTest, EmptyListAndErrors) {
  td_.on("getChats", [](const json&) -> std::vector<json> {
    return {json{{"@type", "chats"}, {"total_count", 0}, {"chat_ids", json::array()}}};
  });
  auto empty = list();
  ASSERT_TRUE(empty.is_ok());
  EXPECT_TRUE(empty->empty());

  td_.on("getChats", [](const json&) -> std::vector<json> {
    return {ScriptedTdJson::error(500, "Internal Server Error")};
  });
  auto failed = list();
  ASSERT_FALSE(failed.is_ok());
  EXPECT_EQ(failed.status().code(), ErrorCode::kUnavailable);
}

TEST_F(TdlibChatsTest, ForumTopicsArePagedThrough) {
  td_.on("getForumTopics", [](const json& request) -> std::vector<json> {
    if (request.at("offset_forum_topic_id") == 0) {
      return {forum_topics({forum_topic(kForum, 1, "General"), forum_topic(kForum, 5, "کار")}, 3,
                           1'700'000'500, 4'194'304, 5)};
    }
    return {forum_topics({forum_topic(kForum, 9, "Study")}, 3, 0, 0, 0)};
  });
  auto got = topics(kForum);
  ASSERT_TRUE(got.is_ok()) << got.status().to_string();
  ASSERT_EQ(got->size(), 3U);
  EXPECT_EQ((*got)[0].id, 1);
  EXPECT_EQ((*got)[0].name, "General");
  EXPECT_EQ((*got)[1].id, 5);
  EXPECT_EQ((*got)[1].name, "کار");
  EXPECT_EQ((*got)[2].id, 9);

  const auto requests = td_.requests_of_type("getForumTopics");
  ASSERT_EQ(requests.size(), 2U);
  EXPECT_EQ(requests[0]["chat_id"], kForum);
  EXPECT_EQ(requests[0]["query"], "");
  EXPECT_EQ(requests[0]["limit"], 100);
  EXPECT_EQ(requests[1]["offset_date"], 1'700'000'500);
  EXPECT_EQ(requests[1]["offset_message_id"], 4'194'304);
  EXPECT_EQ(requests[1]["offset_forum_topic_id"], 5);
}

TEST_F(TdlibChatsTest, TopicsOfChatsThatAreNotForumsAreRefusedWithoutAsking) {
  auto plain = topics(kPlain);
  ASSERT_FALSE(plain.is_ok());
  EXPECT_EQ(plain.status().code(), ErrorCode::kFailedPrecondition);

  push(td_json::update_new_chat(chats_[kPrivateChat]));
  const auto supergroup_requests = count("getSupergroup");
  auto person = topics(kPrivateChat);  // from the cache: still answered through the loop
  ASSERT_FALSE(person.is_ok());
  EXPECT_EQ(person.status().code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(count("getSupergroup"), supergroup_requests);
  EXPECT_EQ(count("getForumTopics"), 0U);
}

TEST_F(TdlibChatsTest, TopicsOfAnUnknownChatAreNotFound) {
  auto got = topics(-100999);
  ASSERT_FALSE(got.is_ok());
  EXPECT_EQ(got.status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(count("getForumTopics"), 0U);
}

TEST_F(TdlibChatsTest, MalformedForumTopicsAreAnError) {
  td_.on("getForumTopics", [](const json&) -> std::vector<json> {
    return {json{{"@type", "forumTopics"}, {"total_count", 1}, {"topics", {{{"@type", "x"}}}}}};
  });
  auto got = topics(kForum);
  ASSERT_FALSE(got.is_ok());
  EXPECT_EQ(got.status().code(), ErrorCode::kCorrupt);
}

}  // namespace
}  // namespace sakai::telegram::tdjson::transport_test
