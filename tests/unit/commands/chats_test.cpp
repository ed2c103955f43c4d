// /chats and /topics: the chat list from the storage cache, refreshed from Telegram when asked,
// when empty and when a day old; forum topics; errors and usage.
#include <gmock/gmock.h>

#include "engine_fixture.h"

namespace sakai::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class ChatsTest : public EngineTest {
 protected:
  std::string ask(const std::string& command) {
    const auto before = sends();
    owner_says(owner_chat_, command);
    EXPECT_EQ(sends(), before + 1) << command;
    return last_sent();
  }
  static std::size_t at(const std::string& text, const std::string& what) {
    const auto pos = text.find(what);
    EXPECT_NE(pos, std::string::npos) << what << " not in:\n" << text;
    return pos;
  }
};

TEST_F(ChatsTest, ListsGroupsFirstThenPrivateChatsWithTheirIds) {
  const ChatId team = transport_->add_group("Team");
  const ChatId forum = transport_->add_group("Study Forum", true);
  const std::string out = ask("/chats");
  EXPECT_THAT(out, HasSubstr("Groups (2)"));
  EXPECT_THAT(out, HasSubstr("Private chats (2)"));
  EXPECT_THAT(out, HasSubstr("• Team — " + team.str() + "\n"));
  EXPECT_THAT(out, HasSubstr("• Study Forum — " + forum.str() + " (forum)\n"));
  EXPECT_THAT(out, HasSubstr("• Ali — " + ali_.str() + "\n"));
  EXPECT_THAT(out, HasSubstr("• Saved Messages — " + owner_chat_.str() + "\n"));
  EXPECT_LT(at(out, "Groups (2)"), at(out, "Private chats (2)"));
  EXPECT_LT(at(out, "Private chats (2)"), at(out, "• Ali"));
  // Most recent first: the forum was created after the team.
  EXPECT_LT(at(out, "• Study Forum"), at(out, "• Team"));

  // The ids are code, to copy with a tap.
  const auto& sent = transport_->actions().back().text;
  bool id_is_code = false;
  for (const auto& e : sent.entities) {
    if (e.type == telegram::EntityType::kCode) id_is_code = true;
  }
  EXPECT_TRUE(id_is_code);

  // The list went into the storage cache, stamped now.
  auto cached = store_->settings().chats();
  ASSERT_TRUE(cached.is_ok());
  EXPECT_EQ(cached->size(), 4U);
  EXPECT_EQ(store_->settings().chats_updated_ms().value(), to_unix_ms(clock_.wall_now()));
}

TEST_F(ChatsTest, FiltersGroupsAndPrivateChats) {
  transport_->add_group("Team");
  const std::string groups = ask("/chats groups");
  EXPECT_THAT(groups, HasSubstr("• Team"));
  EXPECT_THAT(groups, Not(HasSubstr("• Ali")));
  EXPECT_THAT(groups, Not(HasSubstr("Private chats")));

  const std::string people = ask("/chats private");
  EXPECT_THAT(people, HasSubstr("• Ali"));
  EXPECT_THAT(people, Not(HasSubstr("• Team")));

  const std::string all = ask("/chats all");
  EXPECT_THAT(all, HasSubstr("• Ali"));
  EXPECT_THAT(all, HasSubstr("• Team"));
}

TEST_F(ChatsTest, AnswersFromTheCacheUntilRefreshedOrADayOld) {
  transport_->add_group("Team");
  EXPECT_THAT(ask("/chats"), HasSubstr("List fetched just now."));

  transport_->add_group("Later");
  clock_.advance(std::chrono::hours(2));
  std::string out = ask("/chats groups");
  EXPECT_THAT(out, Not(HasSubstr("Later")));
  EXPECT_THAT(out, HasSubstr("List from 2 hours ago."));

  out = ask("/chats refresh groups");
  EXPECT_THAT(out, HasSubstr("• Later"));
  EXPECT_THAT(out, HasSubstr("List fetched just now."));

  transport_->add_group("Even Later");
  clock_.advance(std::chrono::hours(23));
  EXPECT_THAT(ask("/chats"), Not(HasSubstr("Even Later")));
  clock_.advance(std::chrono::hours(2));  // 25 h after the refresh
  EXPECT_THAT(ask("/chats"), HasSubstr("• Even Later"));
}

TEST_F(ChatsTest, TheCacheOutlivesTheTransport) {
  transport_->add_group("Team");
  ask("/chats");
  build();  // a new in-memory Telegram that has never heard of "Team"; the same store
  EXPECT_THAT(ask("/chats groups"), HasSubstr("• Team"));
  EXPECT_THAT(ask("/chats groups refresh"), Not(HasSubstr("• Team")));
}

TEST_F(ChatsTest, TopicsOfAForumGroup) {
  const ChatId forum = transport_->add_group("Study Forum", true);
  const auto work = transport_->add_forum_topic(forum, "Work");
  const auto reading = transport_->add_forum_topic(forum, "کتاب‌خوانی");
  std::string out = ask("/topics " + forum.str());
  EXPECT_THAT(out, HasSubstr("Topics of " + forum.str()));
  EXPECT_THAT(out, HasSubstr("• Work — " + std::to_string(work) + "\n"));
  // A Persian name in an English answer is isolated so it does not reorder the line.
  EXPECT_THAT(out,
              HasSubstr("• " + std::string(kFirstStrongIsolate) + "کتاب‌خوانی" +
                        std::string(kPopDirectionalIsolate) + " — " + std::to_string(reading)));

  ask("/chats");  // once the chat is cached, its title names it
  EXPECT_THAT(ask("/topics " + forum.str()), HasSubstr("Topics of Study Forum"));
  ASSERT_EQ(forum, ChatId(-1001));
  EXPECT_THAT(ask("/topics -۱۰۰۱"), HasSubstr("• Work"));  // Persian digits

  const ChatId empty = transport_->add_group("Quiet Forum", true);
  EXPECT_THAT(ask("/topics " + empty.str()), HasSubstr("This forum has no topics yet."));
}

TEST_F(ChatsTest, TopicsOfAChatThatIsNotAForumOrUnknownIsAClearError) {
  const ChatId team = transport_->add_group("Team");
  ask("/chats");
  EXPECT_THAT(ask("/topics " + team.str()), HasSubstr("Team is not a forum group"));
  EXPECT_THAT(ask("/topics " + ali_.str()), HasSubstr("is not a forum group"));
  EXPECT_THAT(ask("/topics -100123"), HasSubstr("This account has no chat -100123."));
  auto recent = store_->command_log().recent(1);
  ASSERT_TRUE(recent.is_ok());
  ASSERT_EQ(recent->size(), 1U);
  EXPECT_EQ(recent->front().outcome, "error");
}

TEST_F(ChatsTest, BadArgumentsGetTheUsage) {
  std::string out = ask("/chats everything");
  EXPECT_THAT(out, HasSubstr("“everything” is not a choice here"));
  EXPECT_THAT(out, HasSubstr("/chats [groups|private|all] [refresh]"));

  EXPECT_THAT(ask("/topics"), HasSubstr("/topics <chat id>"));
  out = ask("/topics Team");
  EXPECT_THAT(out, HasSubstr("“Team” is not a chat id."));
  EXPECT_THAT(out, HasSubstr("/topics <chat id>"));
  EXPECT_THAT(ask("/topics 1 2"), HasSubstr("/topics <chat id>"));
  EXPECT_TRUE(store_->settings().chats().value().empty());  // nothing was fetched
}

TEST_F(ChatsTest, OnlyTheOwnerMayListChats) {
  grant(ali_, "*", storage::GrantMode::kDirect);
  user_says(ali_, "/chats");
  user_says(ali_, "/topics -1001");
  for (const auto& text : sent_texts())
    EXPECT_THAT(text, Not(HasSubstr("Groups (")));
  EXPECT_TRUE(store_->settings().chats().value().empty());
}

TEST_F(ChatsTest, AnswersInPersian) {
  ask("/lang fa");
  const ChatId team = transport_->add_group("Team");
  const std::string out = ask("/chats");
  EXPECT_THAT(out, HasSubstr("گروه‌ها (۱)"));
  EXPECT_THAT(out, HasSubstr("گفتگوهای خصوصی (۲)"));
  EXPECT_THAT(out, HasSubstr("پیام‌های ذخیره‌شده"));
  // A Latin title in a Persian answer is isolated so it does not reorder the line.
  EXPECT_THAT(out, HasSubstr(std::string(kFirstStrongIsolate) + "Team" +
                             std::string(kPopDirectionalIsolate) + " — " + team.str()));
  EXPECT_THAT(ask("/topics " + team.str()), HasSubstr("گروه انجمن نیست"));
  // How old the list is, in Persian words and digits.
  clock_.advance(std::chrono::minutes(90));
  EXPECT_THAT(ask("/chats"), HasSubstr("۱ ساعت و ۳۰ دقیقه"));
}

}  // namespace
}  // namespace sakai::testing
