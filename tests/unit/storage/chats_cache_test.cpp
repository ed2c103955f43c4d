// The chat list cache (SettingsRepository::replace_chats/chats/chats_updated_ms) and schema
// migration 2, which adds it, including the upgrade of a version 1 database.
#include <sqlite3.h>

#include <string>

#include "storage/sqlite/schema.h"
#include "storage_test_util.h"

namespace sakai::storage::testing {
namespace {

std::vector<ChatInfo> sample_chats() {
  return {
      ChatInfo{ChatId(-1001000000001), ChatKind::kSupergroup, "Study Forum", true},
      ChatInfo{ChatId(1000), ChatKind::kSavedMessages, "Saved Messages", false},
      ChatInfo{ChatId(2001), ChatKind::kPrivate, "علی «رضایی» 'quoted'", false},
      ChatInfo{ChatId(-4001), ChatKind::kGroup, "Family", false},
      ChatInfo{ChatId(-1001000000003), ChatKind::kChannel, "", false},
  };
}

void expect_same(const std::vector<ChatInfo>& got, const std::vector<ChatInfo>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(got[i].id, want[i].id) << i;
    EXPECT_EQ(got[i].kind, want[i].kind) << i;
    EXPECT_EQ(got[i].title, want[i].title) << i;
    EXPECT_EQ(got[i].is_forum, want[i].is_forum) << i;
  }
}

class ChatsCacheTest : public StoreTest {};

TEST_F(ChatsCacheTest, NeverFilledIsEmptyWithTimeZero) {
  auto& settings = store_->settings();
  EXPECT_TRUE(settings.chats().value().empty());
  EXPECT_EQ(settings.chats_updated_ms().value(), 0);
}

TEST_F(ChatsCacheTest, ReplaceChatsRoundTripsInTheGivenOrder) {
  auto& settings = store_->settings();
  ASSERT_TRUE(settings.replace_chats(sample_chats(), now_ms()).is_ok());
  expect_same(settings.chats().value(), sample_chats());
  EXPECT_EQ(settings.chats_updated_ms().value(), now_ms());
}

TEST_F(ChatsCacheTest, ReplaceSwapsTheWholeList) {
  auto& settings = store_->settings();
  ASSERT_TRUE(settings.replace_chats(sample_chats(), 1000).is_ok());
  const std::vector<ChatInfo> fresh = {
      ChatInfo{ChatId(-4001), ChatKind::kGroup, "Family (renamed)", false},
      ChatInfo{ChatId(-1001000000009), ChatKind::kSupergroup, "New Forum", true},
  };
  ASSERT_TRUE(settings.replace_chats(fresh, 2000).is_ok());
  expect_same(settings.chats().value(), fresh);
  EXPECT_EQ(settings.chats_updated_ms().value(), 2000);

  // An empty list is a list too: the time moves, so it is not fetched again at once.
  ASSERT_TRUE(settings.replace_chats({}, 3000).is_ok());
  EXPECT_TRUE(settings.chats().value().empty());
  EXPECT_EQ(settings.chats_updated_ms().value(), 3000);
}

TEST_F(ChatsCacheTest, AChatListedTwiceKeepsItsFirstPlace) {
  auto& settings = store_->settings();
  const std::vector<ChatInfo> twice = {
      ChatInfo{ChatId(1), ChatKind::kPrivate, "First", false},
      ChatInfo{ChatId(2), ChatKind::kPrivate, "Second", false},
      ChatInfo{ChatId(1), ChatKind::kPrivate, "First again", false},
  };
  ASSERT_TRUE(settings.replace_chats(twice, 1).is_ok());
  expect_same(settings.chats().value(), {twice[0], twice[1]});
}

TEST_F(ChatsCacheTest, TheCacheDoesNotDisturbOtherSettings) {
  auto& settings = store_->settings();
  ASSERT_TRUE(settings.set("language", "fa").is_ok());
  ASSERT_TRUE(settings.replace_chats(sample_chats(), 5).is_ok());
  EXPECT_EQ(settings.get("language").value(), std::optional<std::string>("fa"));
}

TEST_F(ChatsCacheTest, ReopeningKeepsTheCache) {
  ASSERT_TRUE(store_->settings().replace_chats(sample_chats(), 1234).is_ok());
  store_.reset();
  store_ = open_store(db_path());
  ASSERT_NE(store_, nullptr);
  expect_same(store_->settings().chats().value(), sample_chats());
  EXPECT_EQ(store_->settings().chats_updated_ms().value(), 1234);
}

TEST_F(ChatsCacheTest, FreshDatabaseIsAtTheLatestVersion) {
  EXPECT_GE(sqlite::latest_schema_version(), 2);
  EXPECT_EQ(store_->info().schema_version, sqlite::latest_schema_version());
}

// A database as SakaiBot with only migration 1 left it.
void make_version_1_database(const std::string& path) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr),
            SQLITE_OK);
  const std::string sql =
      "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_ms INTEGER NOT NULL);" +
      std::string(sqlite::migrations()[0]) +
      "INSERT INTO schema_migrations (version, applied_ms) VALUES (1, 42);"
      "INSERT INTO users (id, display_name, username, username_key, first_seen_ms, last_seen_ms) "
      "VALUES (7, 'Sakai', 'sakai', 'sakai', 1, 2);"
      "INSERT INTO settings (key, value) VALUES ('k', 'v');";
  char* err = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK)
      << (err != nullptr ? err : "");
  sqlite3_free(err);
  sqlite3_close_v2(db);
}

class ChatsMigrationTest : public TempDirTest {};

TEST_F(ChatsMigrationTest, VersionOneDatabaseIsUpgradedKeepingItsData) {
  make_version_1_database(db_path());
  auto store = open_store(db_path());
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->info().schema_version, sqlite::latest_schema_version());
  auto user = store->users().get(UserId(7));
  ASSERT_TRUE(user.is_ok());
  ASSERT_TRUE(user->has_value());
  EXPECT_EQ((*user)->display_name, "Sakai");
  EXPECT_EQ(store->settings().get("k").value(), std::optional<std::string>("v"));
  EXPECT_TRUE(store->settings().chats().value().empty());
  EXPECT_EQ(store->settings().chats_updated_ms().value(), 0);
  ASSERT_TRUE(store->settings().replace_chats(sample_chats(), 9).is_ok());
  expect_same(store->settings().chats().value(), sample_chats());
}

}  // namespace
}  // namespace sakai::storage::testing
