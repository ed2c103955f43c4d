// Users, preferences, settings and topic mappings.
#include <optional>
#include <string>

#include "storage_test_util.h"

namespace sakai::storage::testing {
namespace {

using OptString = std::optional<std::string>;

class UsersTest : public StoreTest {};

TEST_F(UsersTest, UpsertThenGetRoundTrips) {
  ASSERT_TRUE(store_->users().upsert({UserId(42), "Sakai", "SakaiDev", 1000, 2000}).is_ok());
  auto user = store_->users().get(UserId(42));
  ASSERT_TRUE(user.is_ok()) << user.status().to_string();
  ASSERT_TRUE(user->has_value());
  EXPECT_EQ((*user)->id, UserId(42));
  EXPECT_EQ((*user)->display_name, "Sakai");
  EXPECT_EQ((*user)->username, "SakaiDev");
  EXPECT_EQ((*user)->first_seen_ms, 1000);
  EXPECT_EQ((*user)->last_seen_ms, 2000);
}

TEST_F(UsersTest, UnknownUserIsEmpty) {
  auto user = store_->users().get(UserId(1));
  ASSERT_TRUE(user.is_ok());
  EXPECT_FALSE(user->has_value());
}

TEST_F(UsersTest, SecondUpsertKeepsFirstSeenAndUpdatesTheRest) {
  ASSERT_TRUE(store_->users().upsert({UserId(42), "Old", "old_name", 1000, 1000}).is_ok());
  ASSERT_TRUE(store_->users().upsert({UserId(42), "New", "new_name", 5000, 6000}).is_ok());
  auto user = store_->users().get(UserId(42)).value();
  ASSERT_TRUE(user.has_value());
  EXPECT_EQ(user->display_name, "New");
  EXPECT_EQ(user->username, "new_name");
  EXPECT_EQ(user->first_seen_ms, 1000);
  EXPECT_EQ(user->last_seen_ms, 6000);
  // The old username no longer finds them.
  EXPECT_FALSE(store_->users().find_by_username("old_name").value().has_value());
}

TEST_F(UsersTest, ZeroTimestampsDefaultToTheClock) {
  ASSERT_TRUE(store_->users().upsert({UserId(1), "A", "a", 0, 0}).is_ok());
  auto user = store_->users().get(UserId(1)).value();
  ASSERT_TRUE(user.has_value());
  EXPECT_EQ(user->first_seen_ms, now_ms());
  EXPECT_EQ(user->last_seen_ms, now_ms());
}

TEST_F(UsersTest, FindByUsernameIgnoresCaseAndAt) {
  ASSERT_TRUE(store_->users().upsert({UserId(42), "Sakai", "SakaiDev", 1, 1}).is_ok());
  for (const char* query : {"SakaiDev", "sakaidev", "@SAKAIDEV", "@sakaiDev"}) {
    auto found = store_->users().find_by_username(query);
    ASSERT_TRUE(found.is_ok()) << query;
    ASSERT_TRUE(found->has_value()) << query;
    EXPECT_EQ((*found)->id, UserId(42)) << query;
  }
  EXPECT_FALSE(store_->users().find_by_username("someone").value().has_value());
}

TEST_F(UsersTest, StoredUsernameLosesItsAt) {
  ASSERT_TRUE(store_->users().upsert({UserId(3), "C", "@charlie", 1, 1}).is_ok());
  EXPECT_EQ(store_->users().get(UserId(3)).value()->username, "charlie");
  EXPECT_TRUE(store_->users().find_by_username("charlie").value().has_value());
}

TEST_F(UsersTest, EmptyUsernameNeverMatches) {
  ASSERT_TRUE(store_->users().upsert({UserId(1), "No Username", "", 1, 1}).is_ok());
  EXPECT_FALSE(store_->users().find_by_username("").value().has_value());
  EXPECT_FALSE(store_->users().find_by_username("@").value().has_value());
}

TEST_F(UsersTest, UsernameHeldByTwoAccountsFindsTheMostRecentlySeen) {
  ASSERT_TRUE(store_->users().upsert({UserId(1), "Old owner", "handle", 1, 100}).is_ok());
  ASSERT_TRUE(store_->users().upsert({UserId(2), "New owner", "handle", 200, 300}).is_ok());
  EXPECT_EQ(store_->users().find_by_username("handle").value()->id, UserId(2));
}

class PreferencesTest : public StoreTest {};

TEST_F(PreferencesTest, SetGetOverwriteRemove) {
  auto& prefs = store_->preferences();
  EXPECT_EQ(prefs.get(UserId(1), "language").value(), std::nullopt);
  ASSERT_TRUE(prefs.set(UserId(1), "language", "en").is_ok());
  EXPECT_EQ(prefs.get(UserId(1), "language").value(), OptString("en"));
  ASSERT_TRUE(prefs.set(UserId(1), "language", "fa").is_ok());
  EXPECT_EQ(prefs.get(UserId(1), "language").value(), OptString("fa"));
  ASSERT_TRUE(prefs.remove(UserId(1), "language").is_ok());
  EXPECT_EQ(prefs.get(UserId(1), "language").value(), std::nullopt);
  EXPECT_TRUE(prefs.remove(UserId(1), "language").is_ok());  // removing twice is fine
}

TEST_F(PreferencesTest, KeysAreSeparatePerUser) {
  auto& prefs = store_->preferences();
  ASSERT_TRUE(prefs.set(UserId(1), "model", "a").is_ok());
  ASSERT_TRUE(prefs.set(UserId(2), "model", "b").is_ok());
  ASSERT_TRUE(prefs.set(UserId(1), "persona", "c").is_ok());
  EXPECT_EQ(prefs.get(UserId(1), "model").value(), OptString("a"));
  EXPECT_EQ(prefs.get(UserId(2), "model").value(), OptString("b"));
  EXPECT_EQ(prefs.get(UserId(2), "persona").value(), std::nullopt);
  ASSERT_TRUE(prefs.remove(UserId(1), "model").is_ok());
  EXPECT_EQ(prefs.get(UserId(2), "model").value(), OptString("b"));
}

TEST_F(PreferencesTest, ValuesKeepUnicodeQuotesAndEmptyStrings) {
  auto& prefs = store_->preferences();
  const std::string persona = "سلام 'quoted' \"double\" ; DROP TABLE users; --\n\tend";
  ASSERT_TRUE(prefs.set(UserId(1), "persona", persona).is_ok());
  EXPECT_EQ(prefs.get(UserId(1), "persona").value(), OptString(persona));
  ASSERT_TRUE(prefs.set(UserId(1), "empty", "").is_ok());
  EXPECT_EQ(prefs.get(UserId(1), "empty").value(), OptString(""));
}

class SettingsTest : public StoreTest {};

TEST_F(SettingsTest, SetGetOverwriteRemove) {
  auto& settings = store_->settings();
  EXPECT_EQ(settings.get("owner_language").value(), std::nullopt);
  ASSERT_TRUE(settings.set("owner_language", "en").is_ok());
  ASSERT_TRUE(settings.set("owner_language", "fa").is_ok());
  EXPECT_EQ(settings.get("owner_language").value(), OptString("fa"));
  ASSERT_TRUE(settings.remove("owner_language").is_ok());
  EXPECT_EQ(settings.get("owner_language").value(), std::nullopt);
}

TEST_F(SettingsTest, TopicMappingsUpsertListInCommandOrderAndRemove) {
  auto& settings = store_->settings();
  EXPECT_TRUE(settings.topics().value().empty());
  ASSERT_TRUE(settings.put_topic({"work", ChatId(-1001), 10}).is_ok());
  ASSERT_TRUE(settings.put_topic({"study", ChatId(-1001), 11}).is_ok());
  ASSERT_TRUE(settings.put_topic({"work", ChatId(-1002), 12}).is_ok());  // replaces
  auto topics = settings.topics().value();
  ASSERT_EQ(topics.size(), 2U);
  EXPECT_EQ(topics[0].command, "study");
  EXPECT_EQ(topics[0].group, ChatId(-1001));
  EXPECT_EQ(topics[0].topic_id, 11);
  EXPECT_EQ(topics[1].command, "work");
  EXPECT_EQ(topics[1].group, ChatId(-1002));
  EXPECT_EQ(topics[1].topic_id, 12);

  EXPECT_EQ(settings.remove_topic("work").value(), 1);
  EXPECT_EQ(settings.remove_topic("work").value(), 0);
  ASSERT_EQ(settings.topics().value().size(), 1U);
}

}  // namespace
}  // namespace sakai::storage::testing
