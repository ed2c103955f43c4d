// The routing path asks "does this user have grants?" and "is this reply to a remembered
// answer?" for nearly every message; the repositories answer "no" for strangers and chats
// without memory from memory (KnownKeys), so these tests pin down that the answers stay right:
// this connection's writes count at once, another process's within the refresh interval.
#include <chrono>
#include <string>

#include "storage/sqlite/known_keys.h"
#include "storage_test_util.h"

namespace sakai::storage::testing {
namespace {

using namespace std::chrono_literals;

class KnownKeysStoreTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    other_ = open_store(db_path());  // another process on the same file
    ASSERT_NE(other_, nullptr);
  }
  void TearDown() override {
    other_.reset();
    StoreTest::TearDown();
  }

  std::size_t grants_of(Store& store, std::int64_t user) {
    auto got = store.grants().for_user(UserId(user));
    EXPECT_TRUE(got.is_ok()) << got.status().to_string();
    return got.is_ok() ? got->size() : 0;
  }

  static HistoryEntry answer(std::int64_t chat, std::int64_t message) {
    HistoryEntry e;
    e.chat = ChatId(chat);
    e.role = "assistant";
    e.text = "an answer";
    e.message_id = MessageId(message);
    return e;
  }

  std::unique_ptr<Store> other_;
};

TEST_F(KnownKeysStoreTest, AGrantWrittenHereCountsAtOnce) {
  EXPECT_EQ(grants_of(*store_, 7), 0U);  // the set of granted users is loaded: 7 is not in it
  ASSERT_TRUE(store_->grants().put({UserId(7), "ask", GrantMode::kDirect, {}, 0}).is_ok());
  EXPECT_EQ(grants_of(*store_, 7), 1U);
  ASSERT_EQ(store_->grants().remove(UserId(7), "").value(), 1);
  EXPECT_EQ(grants_of(*store_, 7), 0U);
}

TEST_F(KnownKeysStoreTest, AGrantWrittenByAnotherProcessCountsWithinTwoSeconds) {
  EXPECT_EQ(grants_of(*store_, 7), 0U);
  ASSERT_TRUE(other_->grants().put({UserId(7), "ask", GrantMode::kDirect, {}, 0}).is_ok());
  clock_.advance(sqlite::KnownKeys::kDefaultTtl);
  EXPECT_EQ(grants_of(*store_, 7), 1U);
}

TEST_F(KnownKeysStoreTest, ARevokeByAnotherProcessCountsAtOnce) {
  ASSERT_TRUE(store_->grants().put({UserId(7), "ask", GrantMode::kDirect, {}, 0}).is_ok());
  EXPECT_EQ(grants_of(*store_, 7), 1U);
  ASSERT_EQ(other_->grants().remove(UserId(7), "").value(), 1);
  // A user the set still lists is looked up in the database: no stale grant is ever returned.
  EXPECT_EQ(grants_of(*store_, 7), 0U);
}

TEST_F(KnownKeysStoreTest, AnAnswerRememberedHereIsFoundAtOnce) {
  auto& memory = store_->conversations();
  EXPECT_FALSE(memory.find_by_message(ChatId(5), MessageId(40)).value().has_value());
  ASSERT_TRUE(memory.append(answer(5, 40)).is_ok());
  auto found = memory.find_by_message(ChatId(5), MessageId(40));
  ASSERT_TRUE(found.is_ok() && found->has_value());
  EXPECT_EQ((*found)->role, "assistant");
}

TEST_F(KnownKeysStoreTest, AnEarlierPartOfALongAnswerIsFoundInItsChat) {
  auto& memory = store_->conversations();
  EXPECT_FALSE(memory.find_by_message(ChatId(5), MessageId(39)).value().has_value());
  const auto id = memory.append(answer(5, 40));
  ASSERT_TRUE(id.is_ok());
  ASSERT_TRUE(memory.link_message(ChatId(5), MessageId(39), *id).is_ok());
  auto found = memory.find_by_message(ChatId(5), MessageId(39));
  ASSERT_TRUE(found.is_ok() && found->has_value());
  EXPECT_EQ((*found)->message_id, MessageId(40));
}

TEST_F(KnownKeysStoreTest, AnAnswerRememberedByAnotherProcessIsFoundWithinTwoSeconds) {
  auto& memory = store_->conversations();
  EXPECT_FALSE(memory.find_by_message(ChatId(5), MessageId(40)).value().has_value());
  ASSERT_TRUE(other_->conversations().append(answer(5, 40)).is_ok());
  clock_.advance(sqlite::KnownKeys::kDefaultTtl);
  EXPECT_TRUE(memory.find_by_message(ChatId(5), MessageId(40)).value().has_value());
}

TEST(KnownKeys, SaysAbsentOnlyAfterALoadThatWorked) {
  ManualClock clock;
  sqlite::KnownKeys keys(clock, 2s);
  int loads = 0;
  auto failing = [&](std::unordered_set<std::int64_t>&) {
    ++loads;
    return make_error(ErrorCode::kUnavailable, "database is locked");
  };
  EXPECT_FALSE(keys.surely_absent(1, failing));  // unknown: the caller runs its own query
  EXPECT_FALSE(keys.surely_absent(1, failing));  // and a failed load is retried
  EXPECT_EQ(loads, 2);
  auto loading = [&](std::unordered_set<std::int64_t>& set) {
    ++loads;
    set.insert(2);
    return Status::ok();
  };
  EXPECT_TRUE(keys.surely_absent(1, loading));
  EXPECT_FALSE(keys.surely_absent(2, loading));
  EXPECT_EQ(loads, 3);  // loaded once, answered twice
  keys.add(1);
  EXPECT_FALSE(keys.surely_absent(1, loading));
  clock.advance(2s);
  EXPECT_TRUE(keys.surely_absent(1, loading));  // reloaded: the database does not list 1
  EXPECT_EQ(loads, 4);
}

}  // namespace
}  // namespace sakai::storage::testing
