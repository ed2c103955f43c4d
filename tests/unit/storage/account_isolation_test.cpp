// Two accounts on one database: for every repository, rows written through one account cannot be
// read, listed, counted, trimmed, cleared, purged, aggregated or overwritten through the other,
// even with the same user id, chat id, key or command. Each case runs in both directions.
#include <ostream>
#include <string>
#include <tuple>
#include <vector>

#include "storage_test_util.h"

namespace sakai::storage::testing {
namespace {

constexpr std::int64_t kNow = 1'700'000'000'000;
const UserId kUser(7);
const ChatId kChat(42);

// `mine` writes first; `theirs` is the other account. Each case ends by checking that `mine`
// still holds exactly what it wrote and `theirs` exactly its own.
using Scenario = void (*)(Store& mine, Store& theirs);

void users_case(Store& mine, Store& theirs) {
  ASSERT_TRUE(mine.users().upsert({kUser, "Mine", "shared_name", 10, 20}).is_ok());
  EXPECT_FALSE(theirs.users().get(kUser).value().has_value());
  EXPECT_FALSE(theirs.users().find_by_username("@Shared_Name").value().has_value());

  ASSERT_TRUE(theirs.users().upsert({kUser, "Theirs", "shared_name", 30, 40}).is_ok());
  const auto own = mine.users().get(kUser).value();
  ASSERT_TRUE(own.has_value());
  EXPECT_EQ(own->display_name, "Mine");
  EXPECT_EQ(own->first_seen_ms, 10);
  EXPECT_EQ(own->last_seen_ms, 20);
  EXPECT_EQ(mine.users().find_by_username("shared_name").value()->display_name, "Mine");
  EXPECT_EQ(theirs.users().get(kUser).value()->display_name, "Theirs");
  EXPECT_EQ(theirs.users().get(kUser).value()->first_seen_ms, 30);  // not the other's first insert
}

void preferences_case(Store& mine, Store& theirs) {
  ASSERT_TRUE(mine.preferences().set(kUser, "language", "fa").is_ok());
  EXPECT_FALSE(theirs.preferences().get(kUser, "language").value().has_value());
  ASSERT_TRUE(theirs.preferences().remove(kUser, "language").is_ok());
  EXPECT_EQ(mine.preferences().get(kUser, "language").value(), std::optional<std::string>("fa"));

  ASSERT_TRUE(theirs.preferences().set(kUser, "language", "ar").is_ok());
  EXPECT_EQ(mine.preferences().get(kUser, "language").value(), std::optional<std::string>("fa"));
  EXPECT_EQ(theirs.preferences().get(kUser, "language").value(), std::optional<std::string>("ar"));
  ASSERT_TRUE(mine.preferences().remove(kUser, "language").is_ok());
  EXPECT_EQ(theirs.preferences().get(kUser, "language").value(), std::optional<std::string>("ar"));
}

HistoryEntry entry(const std::string& text, std::int64_t message, int tokens = 5) {
  HistoryEntry e;
  e.chat = kChat;
  e.role = "user";
  e.text = text;
  e.tokens = tokens;
  e.message_id = MessageId(message);
  return e;
}

void conversations_case(Store& mine, Store& theirs) {
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 3; ++i)
    ids.push_back(mine.conversations().append(entry("mine " + std::to_string(i), 10 + i)).value());
  ASSERT_TRUE(mine.conversations().link_message(kChat, MessageId(20), ids[2]).is_ok());

  auto& other = theirs.conversations();
  EXPECT_TRUE(other.recent(kChat, 0, 100).value().empty());
  EXPECT_FALSE(other.find_by_message(kChat, MessageId(10)).value().has_value());
  EXPECT_FALSE(other.find_by_message(kChat, MessageId(20)).value().has_value());
  // Neither pointing its own message at the other's entry nor trimming or clearing reaches it.
  EXPECT_EQ(other.link_message(kChat, MessageId(21), ids[0]).code(), ErrorCode::kInvalidArgument);
  EXPECT_FALSE(other.find_by_message(kChat, MessageId(21)).value().has_value());
  EXPECT_EQ(other.trim(kChat, 0, 0, 0).value(), 0);
  EXPECT_EQ(other.clear(kChat).value(), 0);

  // Their own conversation in the same chat, with the same message ids.
  const std::int64_t theirs_id = other.append(entry("theirs", 10)).value();
  ASSERT_TRUE(other.link_message(kChat, MessageId(20), theirs_id).is_ok());
  EXPECT_EQ(other.find_by_message(kChat, MessageId(10)).value()->text, "theirs");
  EXPECT_EQ(other.find_by_message(kChat, MessageId(20)).value()->text, "theirs");
  EXPECT_EQ(mine.conversations().find_by_message(kChat, MessageId(10)).value()->text, "mine 0");
  EXPECT_EQ(mine.conversations().find_by_message(kChat, MessageId(20)).value()->text, "mine 2");
  EXPECT_EQ(mine.conversations().recent(kChat, 0, 100).value().size(), 3U);

  EXPECT_EQ(mine.conversations().trim(kChat, 0, 1, 1000).value(), 2);
  EXPECT_EQ(other.recent(kChat, 0, 100).value().size(), 1U);
  EXPECT_EQ(mine.conversations().clear(kChat).value(), 1);
  EXPECT_EQ(other.find_by_message(kChat, MessageId(20)).value()->text, "theirs");
  EXPECT_EQ(other.recent(kChat, 0, 100).value().size(), 1U);
}

void command_log_case(Store& mine, Store& theirs) {
  for (const char* command : {"ping", "ping", "help"}) {
    ASSERT_TRUE(mine.command_log().append({kNow, kUser, kChat, command, 12, "error"}).is_ok());
  }
  const CommandStats empty = theirs.command_log().stats(0).value();
  EXPECT_EQ(empty.total, 0);
  EXPECT_EQ(empty.errors, 0);
  EXPECT_TRUE(empty.by_command.empty());
  EXPECT_EQ(empty.by_hour_utc, std::vector<std::int64_t>(24, 0));
  EXPECT_TRUE(theirs.command_log().recent(10).value().empty());

  ASSERT_TRUE(theirs.command_log().append({kNow, kUser, kChat, "tts", 3, "ok"}).is_ok());
  const CommandStats own = mine.command_log().stats(0).value();
  EXPECT_EQ(own.total, 3);
  EXPECT_EQ(own.errors, 3);
  EXPECT_DOUBLE_EQ(own.mean_latency_ms, 12.0);
  ASSERT_EQ(own.by_command.size(), 2U);
  EXPECT_EQ(own.by_command[0], std::make_pair(std::string("ping"), std::int64_t{2}));
  EXPECT_EQ(mine.command_log().recent(10).value().size(), 3U);
  const auto their_log = theirs.command_log().recent(10);
  ASSERT_EQ(their_log.value().size(), 1U);
  EXPECT_EQ(their_log.value()[0].command, "tts");
}

void grants_case(Store& mine, Store& theirs) {
  ASSERT_TRUE(mine.grants().put({kUser, "*", GrantMode::kDirect, kNow - 1, 5}).is_ok());
  ASSERT_TRUE(mine.grants().put({kUser, "tts", GrantMode::kConfirm, std::nullopt, 5}).is_ok());
  EXPECT_TRUE(theirs.grants().for_user(kUser).value().empty());
  EXPECT_TRUE(theirs.grants().list().value().empty());
  EXPECT_EQ(theirs.grants().purge_expired(kNow).value(), 0);
  EXPECT_EQ(theirs.grants().remove(kUser, "tts").value(), 0);
  EXPECT_EQ(theirs.grants().remove(kUser, "").value(), 0);
  EXPECT_EQ(mine.grants().list().value().size(), 2U);

  ASSERT_TRUE(theirs.grants().put({kUser, "*", GrantMode::kConfirm, std::nullopt, 9}).is_ok());
  const auto own = mine.grants().for_user(kUser);
  ASSERT_EQ(own.value().size(), 2U);
  EXPECT_EQ(own.value()[0].command, "*");
  EXPECT_EQ(own.value()[0].mode, GrantMode::kDirect);  // not overwritten by theirs
  EXPECT_EQ(own.value()[0].expires_ms, std::optional<std::int64_t>(kNow - 1));

  EXPECT_EQ(mine.grants().purge_expired(kNow).value(), 1);
  EXPECT_EQ(mine.grants().remove(kUser, "").value(), 1);
  const auto kept = theirs.grants().list();
  ASSERT_EQ(kept.value().size(), 1U);
  EXPECT_EQ(kept.value()[0].mode, GrantMode::kConfirm);
}

void settings_case(Store& mine, Store& theirs) {
  ASSERT_TRUE(mine.settings().set("voicemode.chats", "mine").is_ok());
  EXPECT_FALSE(theirs.settings().get("voicemode.chats").value().has_value());
  ASSERT_TRUE(theirs.settings().remove("voicemode.chats").is_ok());
  ASSERT_TRUE(theirs.settings().set("voicemode.chats", "theirs").is_ok());
  EXPECT_EQ(mine.settings().get("voicemode.chats").value(), std::optional<std::string>("mine"));
  ASSERT_TRUE(mine.settings().remove("voicemode.chats").is_ok());
  EXPECT_EQ(theirs.settings().get("voicemode.chats").value(), std::optional<std::string>("theirs"));
}

void topics_case(Store& mine, Store& theirs) {
  ASSERT_TRUE(mine.settings().put_topic({"work", ChatId(-100), 12}).is_ok());
  EXPECT_TRUE(theirs.settings().topics().value().empty());
  EXPECT_EQ(theirs.settings().remove_topic("work").value(), 0);
  ASSERT_TRUE(theirs.settings().put_topic({"work", ChatId(-200), 99}).is_ok());
  const auto own = mine.settings().topics();
  ASSERT_EQ(own.value().size(), 1U);
  EXPECT_EQ(own.value()[0].group, ChatId(-100));
  EXPECT_EQ(own.value()[0].topic_id, 12);
  EXPECT_EQ(mine.settings().remove_topic("work").value(), 1);
  EXPECT_EQ(theirs.settings().topics().value().at(0).topic_id, 99);
}

void chats_case(Store& mine, Store& theirs) {
  const std::vector<ChatInfo> own = {{kChat, ChatKind::kPrivate, "Ali", false},
                                     {ChatId(-100), ChatKind::kSupergroup, "Team", true}};
  ASSERT_TRUE(mine.settings().replace_chats(own, kNow).is_ok());
  EXPECT_TRUE(theirs.settings().chats().value().empty());
  EXPECT_EQ(theirs.settings().chats_updated_ms().value(), 0);

  // Replacing their cache (same chat id, another title) leaves ours whole.
  ASSERT_TRUE(theirs.settings()
                  .replace_chats({{kChat, ChatKind::kPrivate, "Other", false}}, kNow + 5)
                  .is_ok());
  const auto kept = mine.settings().chats();
  ASSERT_EQ(kept.value().size(), 2U);
  EXPECT_EQ(kept.value()[0].title, "Ali");
  EXPECT_EQ(kept.value()[1].title, "Team");
  EXPECT_EQ(mine.settings().chats_updated_ms().value(), kNow);
  EXPECT_EQ(theirs.settings().chats().value().at(0).title, "Other");
  EXPECT_EQ(theirs.settings().chats_updated_ms().value(), kNow + 5);
}

ScheduledJob job(const std::string& payload) {
  ScheduledJob j;
  j.kind = "message";
  j.chat = kChat;
  j.owner = kUser;
  j.due_ms = kNow - 10;
  j.payload = payload;
  return j;
}

void jobs_case(Store& mine, Store& theirs) {
  const std::int64_t id = mine.jobs().add(job("mine")).value();
  EXPECT_FALSE(theirs.jobs().get(id).value().has_value());
  EXPECT_TRUE(theirs.jobs().due(kNow, 10).value().empty());
  EXPECT_TRUE(theirs.jobs().pending("").value().empty());
  EXPECT_TRUE(theirs.jobs().pending("message").value().empty());
  EXPECT_EQ(theirs.jobs().set_status(id, JobStatus::kCancelled, 1).code(), ErrorCode::kNotFound);
  EXPECT_EQ(mine.jobs().get(id).value()->status, JobStatus::kPending);

  const std::int64_t their_id = theirs.jobs().add(job("theirs")).value();
  EXPECT_NE(their_id, id);
  const auto due = mine.jobs().due(kNow, 10);
  ASSERT_EQ(due.value().size(), 1U);
  EXPECT_EQ(due.value()[0].payload, "mine");
  EXPECT_EQ(mine.jobs().set_status(their_id, JobStatus::kDone, 1).code(), ErrorCode::kNotFound);
  EXPECT_EQ(theirs.jobs().pending("").value().at(0).payload, "theirs");
}

UsageRecord usage(std::int64_t input, std::int64_t cost) {
  UsageRecord r;
  r.ts_ms = kNow;
  r.user = kUser;
  r.chat = kChat;
  r.command = "prompt";
  r.provider = "gemini";
  r.model = "gemini-2.5-flash";
  r.input_tokens = input;
  r.output_tokens = 1;
  r.cost_micro_usd = cost;
  return r;
}

void usage_case(Store& mine, Store& theirs) {
  ASSERT_TRUE(mine.usage().append(usage(100, 40)).is_ok());
  ASSERT_TRUE(mine.usage().append(usage(50, 2)).is_ok());
  auto& other = theirs.usage();
  EXPECT_EQ(other.totals(std::nullopt, 0).value().calls, 0);
  EXPECT_EQ(other.totals(kUser, 0).value().calls, 0);
  EXPECT_TRUE(other.by_model(std::nullopt, 0).value().empty());
  EXPECT_TRUE(other.by_model(kUser, 0).value().empty());
  EXPECT_TRUE(other.by_user(0).value().empty());
  EXPECT_TRUE(other.by_day(std::nullopt, 0).value().empty());
  EXPECT_TRUE(other.by_day(kUser, 0).value().empty());

  ASSERT_TRUE(other.append(usage(7, 1000)).is_ok());
  const UsageTotals own = mine.usage().totals(kUser, 0).value();
  EXPECT_EQ(own.calls, 2);
  EXPECT_EQ(own.input_tokens, 150);
  EXPECT_EQ(own.cost_micro_usd, 42);
  EXPECT_EQ(mine.usage().by_user(0).value().at(0).second.calls, 2);
  EXPECT_EQ(mine.usage().by_model(std::nullopt, 0).value().at(0).second.input_tokens, 150);
  EXPECT_EQ(mine.usage().by_day(kUser, 0).value().at(0).second.cost_micro_usd, 42);
  EXPECT_EQ(other.totals(std::nullopt, 0).value().cost_micro_usd, 1000);
}

struct Case {
  const char* name;
  Scenario run;
};
void PrintTo(const Case& c, std::ostream* os) {
  *os << c.name;
}

const Case kCases[] = {
    {"Users", users_case},
    {"Preferences", preferences_case},
    {"Conversations", conversations_case},
    {"CommandLog", command_log_case},
    {"Grants", grants_case},
    {"Settings", settings_case},
    {"Topics", topics_case},
    {"Chats", chats_case},
    {"Jobs", jobs_case},
    {"Usage", usage_case},
};

// (case, whether "default" writes first or "work" does)
class AccountIsolationTest : public TempDirTest,
                             public ::testing::WithParamInterface<std::tuple<Case, bool>> {};

TEST_P(AccountIsolationTest, OneAccountNeverReachesTheOthersRows) {
  auto db = open_sqlite_database(db_path(), clock_);
  ASSERT_TRUE(db.is_ok()) << db.status().to_string();
  auto first = db.value()->account("default");
  auto second = db.value()->account("work");
  ASSERT_TRUE(first.is_ok() && second.is_ok());
  const auto& [c, default_first] = GetParam();
  Store& mine = default_first ? *first.value() : *second.value();
  Store& theirs = default_first ? *second.value() : *first.value();
  c.run(mine, theirs);
}

INSTANTIATE_TEST_SUITE_P(
    EveryRepository, AccountIsolationTest,
    ::testing::Combine(::testing::ValuesIn(kCases), ::testing::Bool()),
    [](const ::testing::TestParamInfo<AccountIsolationTest::ParamType>& param_info) {
      return std::string(std::get<0>(param_info.param).name) +
             (std::get<1>(param_info.param) ? "_DefaultFirst" : "_WorkFirst");
    });

class AccountsTest : public TempDirTest {};

TEST_F(AccountsTest, TwoViewsOfOneAccountShareItsRows) {
  auto db = open_sqlite_database(db_path(), clock_).value();
  auto a = db->account("work").value();
  auto b = db->account("work").value();
  ASSERT_TRUE(a->grants().put({kUser, "*", GrantMode::kDirect, std::nullopt, 1}).is_ok());
  EXPECT_EQ(b->grants().list().value().size(), 1U);
  EXPECT_EQ(a->info().account, "work");
  EXPECT_EQ(db->info().account, "");
  EXPECT_EQ(a->info().location, db_path());
  EXPECT_TRUE(a->ping().is_ok());
}

TEST_F(AccountsTest, RowsStayWithTheirAccountAcrossReopening) {
  {
    auto db = open_sqlite_database(db_path(), clock_).value();
    ASSERT_TRUE(db->account("work").value()->settings().set("k", "work").is_ok());
    ASSERT_TRUE(db->account("home").value()->settings().set("k", "home").is_ok());
  }
  auto store = open_store(db_path());  // the default account's view
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->info().account, "default");
  EXPECT_FALSE(store->settings().get("k").value().has_value());
  auto db = open_sqlite_database(db_path(), clock_).value();
  EXPECT_EQ(db->account("work").value()->settings().get("k").value(),
            std::optional<std::string>("work"));
  EXPECT_EQ(db->account("home").value()->settings().get("k").value(),
            std::optional<std::string>("home"));
}

TEST_F(AccountsTest, AccountNamesAreValidated) {
  auto db = open_sqlite_database(":memory:", clock_).value();
  for (const std::string& bad :
       {std::string(), std::string("two words"), std::string("work/1"), std::string("kärn"),
        std::string("a;DROP TABLE grants"), std::string(65, 'a')}) {
    auto store = db->account(bad);
    ASSERT_FALSE(store.is_ok()) << bad;
    EXPECT_EQ(store.status().code(), ErrorCode::kInvalidArgument) << bad;
    EXPECT_THAT(store.status().message(), ::testing::HasSubstr("account name")) << bad;
  }
  for (const std::string& good :
       {std::string("default"), std::string("Work-2_b"), std::string(64, 'z')}) {
    auto store = db->account(good);
    ASSERT_TRUE(store.is_ok()) << good << ": " << store.status().to_string();
    EXPECT_TRUE(store.value()->settings().set("k", good).is_ok());
    EXPECT_EQ(store.value()->settings().get("k").value(), std::optional<std::string>(good));
  }
}

}  // namespace
}  // namespace sakai::storage::testing
