// Conversation history and the command log.
#include <string>
#include <vector>

#include "storage_test_util.h"

namespace sakai::storage::testing {
namespace {

HistoryEntry make_entry(ChatId chat, std::int64_t thread, std::string text, int tokens = 1,
                        std::optional<MessageId> message = std::nullopt) {
  HistoryEntry entry;
  entry.chat = chat;
  entry.thread = thread;
  entry.role = "user";
  entry.text = std::move(text);
  entry.tokens = tokens;
  entry.message_id = message;
  entry.created_ms = 1000;
  return entry;
}

std::vector<std::string> texts(const std::vector<HistoryEntry>& entries) {
  std::vector<std::string> out;
  for (const auto& e : entries)
    out.push_back(e.text);
  return out;
}

using Texts = std::vector<std::string>;

class ConversationsTest : public StoreTest {
 protected:
  ConversationRepository& history() { return store_->conversations(); }
  void append(ChatId chat, std::int64_t thread, const std::string& text, int tokens = 1) {
    ASSERT_TRUE(history().append(make_entry(chat, thread, text, tokens)).is_ok());
  }
  Texts all(ChatId chat, std::int64_t thread) {
    return texts(history().recent(chat, thread, 1000).value());
  }
};

TEST_F(ConversationsTest, AppendRoundTripsEveryField) {
  HistoryEntry entry = make_entry(ChatId(-100), 7, "سلام\nworld", 12, MessageId(555));
  entry.role = "assistant";
  entry.created_ms = 123456;
  auto id = history().append(entry);
  ASSERT_TRUE(id.is_ok()) << id.status().to_string();
  EXPECT_GT(*id, 0);
  auto got = history().recent(ChatId(-100), 7, 10).value();
  ASSERT_EQ(got.size(), 1U);
  EXPECT_EQ(got[0].id, *id);
  EXPECT_EQ(got[0].chat, ChatId(-100));
  EXPECT_EQ(got[0].thread, 7);
  EXPECT_EQ(got[0].role, "assistant");
  EXPECT_EQ(got[0].text, "سلام\nworld");
  EXPECT_EQ(got[0].tokens, 12);
  EXPECT_EQ(got[0].message_id, std::optional<MessageId>(MessageId(555)));
  EXPECT_EQ(got[0].created_ms, 123456);
}

TEST_F(ConversationsTest, MissingMessageIdAndCreatedTimeDefaults) {
  HistoryEntry entry = make_entry(ChatId(1), 0, "x");
  entry.created_ms = 0;
  ASSERT_TRUE(history().append(entry).is_ok());
  auto got = history().recent(ChatId(1), 0, 10).value();
  ASSERT_EQ(got.size(), 1U);
  EXPECT_FALSE(got[0].message_id.has_value());
  EXPECT_EQ(got[0].created_ms, now_ms());
}

TEST_F(ConversationsTest, IdsIncrease) {
  auto a = history().append(make_entry(ChatId(1), 0, "a")).value();
  auto b = history().append(make_entry(ChatId(2), 0, "b")).value();
  auto c = history().append(make_entry(ChatId(1), 0, "c")).value();
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);
}

TEST_F(ConversationsTest, RecentReturnsTheLastNOldestFirst) {
  for (const char* t : {"1", "2", "3", "4", "5"})
    append(ChatId(1), 0, t);
  EXPECT_EQ(texts(history().recent(ChatId(1), 0, 3).value()), (Texts{"3", "4", "5"}));
  EXPECT_EQ(texts(history().recent(ChatId(1), 0, 10).value()), (Texts{"1", "2", "3", "4", "5"}));
  EXPECT_TRUE(history().recent(ChatId(1), 0, 0).value().empty());
  EXPECT_TRUE(history().recent(ChatId(9), 0, 10).value().empty());
}

TEST_F(ConversationsTest, ChatsAndThreadsAreSeparate) {
  append(ChatId(1), 0, "chat1-main");
  append(ChatId(1), 5, "chat1-thread5");
  append(ChatId(2), 0, "chat2-main");
  EXPECT_EQ(all(ChatId(1), 0), (Texts{"chat1-main"}));
  EXPECT_EQ(all(ChatId(1), 5), (Texts{"chat1-thread5"}));
  EXPECT_EQ(all(ChatId(2), 0), (Texts{"chat2-main"}));
}

TEST_F(ConversationsTest, FindByMessageLocatesTheConversation) {
  ASSERT_TRUE(history().append(make_entry(ChatId(1), 3, "question", 1, MessageId(10))).is_ok());
  ASSERT_TRUE(history().append(make_entry(ChatId(1), 3, "answer", 1, MessageId(11))).is_ok());
  ASSERT_TRUE(history().append(make_entry(ChatId(2), 8, "elsewhere", 1, MessageId(11))).is_ok());
  auto found = history().find_by_message(ChatId(1), MessageId(11)).value();
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->thread, 3);
  EXPECT_EQ(found->text, "answer");
  found = history().find_by_message(ChatId(2), MessageId(11)).value();
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->thread, 8);
  EXPECT_FALSE(history().find_by_message(ChatId(1), MessageId(99)).value().has_value());
  EXPECT_FALSE(history().find_by_message(ChatId(3), MessageId(10)).value().has_value());
}

TEST_F(ConversationsTest, EarlierPartsOfAnAnswerLeadToItUntilItIsTrimmed) {
  ASSERT_TRUE(history().append(make_entry(ChatId(1), 3, "question", 1, MessageId(10))).is_ok());
  const auto answer = history().append(make_entry(ChatId(1), 3, "long answer", 1, MessageId(13)));
  ASSERT_TRUE(answer.is_ok());
  ASSERT_TRUE(history().link_message(ChatId(1), MessageId(11), *answer).is_ok());
  ASSERT_TRUE(history().link_message(ChatId(1), MessageId(12), *answer).is_ok());
  ASSERT_TRUE(history().link_message(ChatId(1), MessageId(12), *answer).is_ok());  // idempotent
  for (const int part : {11, 12, 13}) {
    auto found = history().find_by_message(ChatId(1), MessageId(part)).value();
    ASSERT_TRUE(found.has_value()) << part;
    EXPECT_EQ(found->text, "long answer");
    EXPECT_EQ(found->thread, 3);
  }
  EXPECT_FALSE(history().find_by_message(ChatId(2), MessageId(11)).value().has_value());
  // Trimmed away, the links go with the entry.
  ASSERT_TRUE(history().trim(ChatId(1), 3, 0, 1000).is_ok());
  EXPECT_FALSE(history().find_by_message(ChatId(1), MessageId(11)).value().has_value());
  EXPECT_FALSE(history().find_by_message(ChatId(1), MessageId(13)).value().has_value());
}

TEST_F(ConversationsTest, TrimByCountKeepsTheNewest) {
  for (const char* t : {"1", "2", "3", "4", "5"})
    append(ChatId(1), 0, t);
  EXPECT_EQ(history().trim(ChatId(1), 0, 2, 1000).value(), 3);
  EXPECT_EQ(all(ChatId(1), 0), (Texts{"4", "5"}));
  EXPECT_EQ(history().trim(ChatId(1), 0, 2, 1000).value(), 0);  // nothing more to do
}

TEST_F(ConversationsTest, TrimByTokensKeepsTheNewestThatFit) {
  append(ChatId(1), 0, "a", 40);
  append(ChatId(1), 0, "b", 30);
  append(ChatId(1), 0, "c", 20);
  append(ChatId(1), 0, "d", 10);
  // Newest first: d(10) c(30) b(60) a(100): a budget of 60 keeps b, c, d.
  EXPECT_EQ(history().trim(ChatId(1), 0, 100, 60).value(), 1);
  EXPECT_EQ(all(ChatId(1), 0), (Texts{"b", "c", "d"}));
  // A budget of 59 drops b too.
  EXPECT_EQ(history().trim(ChatId(1), 0, 100, 59).value(), 1);
  EXPECT_EQ(all(ChatId(1), 0), (Texts{"c", "d"}));
}

TEST_F(ConversationsTest, TrimDropsEverythingOlderThanTheFirstMisfit) {
  append(ChatId(1), 0, "tiny-old", 1);
  append(ChatId(1), 0, "huge", 100);
  append(ChatId(1), 0, "new", 5);
  // "huge" does not fit; "tiny-old" would, but the kept window stays contiguous.
  EXPECT_EQ(history().trim(ChatId(1), 0, 10, 50).value(), 2);
  EXPECT_EQ(all(ChatId(1), 0), (Texts{"new"}));
}

TEST_F(ConversationsTest, TrimAlwaysKeepsTheNewestEntry) {
  append(ChatId(1), 0, "old", 5);
  append(ChatId(1), 0, "enormous", 10'000);
  EXPECT_EQ(history().trim(ChatId(1), 0, 10, 100).value(), 1);
  EXPECT_EQ(all(ChatId(1), 0), (Texts{"enormous"}));
  EXPECT_EQ(history().trim(ChatId(1), 0, 10, 100).value(), 0);
  EXPECT_EQ(all(ChatId(1), 0), (Texts{"enormous"}));
}

TEST_F(ConversationsTest, TrimToZeroMessagesEmptiesTheConversation) {
  append(ChatId(1), 0, "a");
  append(ChatId(1), 0, "b");
  EXPECT_EQ(history().trim(ChatId(1), 0, 0, 1000).value(), 2);
  EXPECT_TRUE(all(ChatId(1), 0).empty());
}

TEST_F(ConversationsTest, TrimTouchesOnlyItsConversation) {
  for (int i = 0; i < 3; ++i) {
    append(ChatId(1), 0, "main");
    append(ChatId(1), 1, "thread");
    append(ChatId(2), 0, "other");
  }
  EXPECT_EQ(history().trim(ChatId(1), 0, 1, 1000).value(), 2);
  EXPECT_EQ(all(ChatId(1), 0).size(), 1U);
  EXPECT_EQ(all(ChatId(1), 1).size(), 3U);
  EXPECT_EQ(all(ChatId(2), 0).size(), 3U);
}

TEST_F(ConversationsTest, ClearRemovesEveryThreadOfTheChatOnly) {
  append(ChatId(1), 0, "a");
  append(ChatId(1), 4, "b");
  append(ChatId(2), 0, "c");
  EXPECT_EQ(history().clear(ChatId(1)).value(), 2);
  EXPECT_TRUE(all(ChatId(1), 0).empty());
  EXPECT_TRUE(all(ChatId(1), 4).empty());
  EXPECT_EQ(all(ChatId(2), 0), (Texts{"c"}));
  EXPECT_EQ(history().clear(ChatId(1)).value(), 0);
}

class CommandLogTest : public StoreTest {
 protected:
  void log(std::int64_t ts_ms, const std::string& command, std::int64_t latency_ms,
           const std::string& outcome, UserId user = UserId(1)) {
    ASSERT_TRUE(store_->command_log()
                    .append({ts_ms, user, ChatId(10), command, latency_ms, outcome})
                    .is_ok());
  }
  static constexpr std::int64_t kHour = 3'600'000;
  static constexpr std::int64_t kDay = 24 * kHour;
};

TEST_F(CommandLogTest, StatsOfAnEmptyLog) {
  auto stats = store_->command_log().stats(0);
  ASSERT_TRUE(stats.is_ok()) << stats.status().to_string();
  EXPECT_EQ(stats->total, 0);
  EXPECT_EQ(stats->errors, 0);
  EXPECT_DOUBLE_EQ(stats->mean_latency_ms, 0.0);
  EXPECT_TRUE(stats->by_command.empty());
  ASSERT_EQ(stats->by_hour_utc.size(), 24U);
  for (auto n : stats->by_hour_utc)
    EXPECT_EQ(n, 0);
}

TEST_F(CommandLogTest, StatsCountsErrorsLatencyCommandsAndHours) {
  const std::int64_t day = 20'000 * kDay;  // midnight UTC
  log(day + 1 * kHour, "ask", 100, "ok");
  log(day + 1 * kHour + 59 * 60'000, "ask", 300, "error");
  log(day + 13 * kHour, "tts", 200, "ok");
  log(day + 13 * kHour + 1, "ask", 400, "ok");
  log(day + 23 * kHour, "", 0, "invalid");  // not a command: counted, not listed
  log(day + 23 * kHour + 5, "tts", 500, "denied");
  log(day + 23 * kHour + 6, "image", 600, "error");

  auto stats = store_->command_log().stats(day).value();
  EXPECT_EQ(stats.total, 7);
  EXPECT_EQ(stats.errors, 2);
  EXPECT_DOUBLE_EQ(stats.mean_latency_ms, 2100.0 / 7.0);
  using Counts = std::vector<std::pair<std::string, std::int64_t>>;
  EXPECT_EQ(stats.by_command, (Counts{{"ask", 3}, {"tts", 2}, {"image", 1}}));
  std::vector<std::int64_t> hours(24, 0);
  hours[1] = 2;
  hours[13] = 2;
  hours[23] = 3;
  EXPECT_EQ(stats.by_hour_utc, hours);
}

TEST_F(CommandLogTest, StatsOnlyCountsEntriesSinceTheGivenTime) {
  log(1000, "old", 10, "error");
  log(2000, "edge", 20, "ok");
  log(3000, "new", 30, "ok");
  auto stats = store_->command_log().stats(2000).value();  // inclusive
  EXPECT_EQ(stats.total, 2);
  EXPECT_EQ(stats.errors, 0);
  EXPECT_DOUBLE_EQ(stats.mean_latency_ms, 25.0);
  ASSERT_EQ(stats.by_command.size(), 2U);
  EXPECT_EQ(store_->command_log().stats(4000).value().total, 0);
}

TEST_F(CommandLogTest, EqualCountsAreListedByName) {
  log(1, "zeta", 1, "ok");
  log(2, "alpha", 1, "ok");
  auto stats = store_->command_log().stats(0).value();
  ASSERT_EQ(stats.by_command.size(), 2U);
  EXPECT_EQ(stats.by_command[0].first, "alpha");
  EXPECT_EQ(stats.by_command[1].first, "zeta");
}

TEST_F(CommandLogTest, RecentIsNewestFirstAndLimited) {
  log(100, "a", 1, "ok", UserId(5));
  log(300, "c", 3, "error");
  log(200, "b", 2, "denied");
  auto recent = store_->command_log().recent(2).value();
  ASSERT_EQ(recent.size(), 2U);
  EXPECT_EQ(recent[0].command, "c");
  EXPECT_EQ(recent[0].ts_ms, 300);
  EXPECT_EQ(recent[0].outcome, "error");
  EXPECT_EQ(recent[0].latency_ms, 3);
  EXPECT_EQ(recent[0].chat, ChatId(10));
  EXPECT_EQ(recent[1].command, "b");
  auto everything = store_->command_log().recent(10).value();
  ASSERT_EQ(everything.size(), 3U);
  EXPECT_EQ(everything[2].user, UserId(5));
  EXPECT_TRUE(store_->command_log().recent(0).value().empty());
}

}  // namespace
}  // namespace sakai::storage::testing
