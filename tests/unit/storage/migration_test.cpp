// Migration 5 on a real database made by the schema-4 build (tests/fixtures/storage/README.md):
// every row moves to the "default" account unchanged, no other account sees any of it, ids and
// AUTOINCREMENT counters survive, and a failed, repeated or refused migration loses nothing.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "storage/sqlite/schema.h"
#include "storage_test_util.h"

namespace sakai::storage::testing {
namespace {

namespace fs = std::filesystem;
using Rows = std::vector<std::vector<std::string>>;

// Every table of schema 4 with its columns, in a stable order to compare rows by.
struct Table {
  std::string name;
  std::string columns;
};
const std::vector<Table>& schema4_tables() {
  static const std::vector<Table> tables = {
      {"users", "id, display_name, username, username_key, first_seen_ms, last_seen_ms"},
      {"preferences", "user_id, key, value"},
      {"conversation_history", "id, chat_id, thread, role, text, tokens, message_id, created_ms"},
      {"conversation_parts", "chat_id, message_id, entry_id"},
      {"command_log", "id, ts_ms, user_id, chat_id, command, latency_ms, outcome"},
      {"grants", "user_id, command, mode, expires_ms, created_ms"},
      {"settings", "key, value"},
      {"topic_mappings", "command, group_id, topic_id"},
      {"scheduled_jobs",
       "id, kind, chat_id, owner_id, due_ms, payload, status, attempts, created_ms"},
      {"chats", "chat_id, kind, title, is_forum, updated_ms, position"},
      {"llm_usage",
       "id, ts_ms, user_id, chat_id, command, provider, model, input_tokens, output_tokens, "
       "thinking_tokens, cost_micro_usd"},
  };
  return tables;
}

std::int64_t num(const std::string& text) {
  return std::stoll(text);
}

class MigrationTest : public TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    const fs::path fixture =
        fs::path(SAKAIBOT_SOURCE_DIR) / "tests" / "fixtures" / "storage" / "schema4.sqlite";
    ASSERT_TRUE(fs::exists(fixture)) << fixture;
    fs::copy_file(fixture, db_path());
    RawDb raw(db_path());
    ASSERT_EQ(raw.text("SELECT MAX(version) FROM schema_migrations"), "4");
    for (const Table& t : schema4_tables()) {
      before_[t.name] =
          raw.rows("SELECT " + t.columns + " FROM " + t.name + " ORDER BY " + t.columns);
    }
  }

  std::unique_ptr<Database> open_database() {
    auto db = open_sqlite_database(db_path(), clock_);
    EXPECT_TRUE(db.is_ok()) << db.status().to_string();
    if (!db.is_ok()) return nullptr;
    return std::move(db).value();
  }

  static std::unique_ptr<Store> view(Database& db, std::string_view name) {
    auto store = db.account(name);
    EXPECT_TRUE(store.is_ok()) << store.status().to_string();
    return store.is_ok() ? std::move(store).value() : nullptr;
  }

  const Rows& before(const std::string& table) { return before_.at(table); }

  std::map<std::string, Rows> before_;
};

TEST_F(MigrationTest, TheFixtureHasRowsInEveryTable) {
  for (const Table& t : schema4_tables())
    EXPECT_FALSE(before(t.name).empty()) << t.name;
}

TEST_F(MigrationTest, EveryRowMovesToTheDefaultAccountUnchanged) {
  auto db = open_database();
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(db->info().schema_version, sqlite::latest_schema_version());
  db.reset();

  RawDb raw(db_path());
  EXPECT_EQ(raw.text("SELECT MAX(version) FROM schema_migrations"),
            std::to_string(sqlite::latest_schema_version()));
  EXPECT_EQ(raw.text("SELECT applied_ms FROM schema_migrations WHERE version = 5"),
            std::to_string(to_unix_ms(clock_.wall_now())));
  EXPECT_EQ(raw.text("PRAGMA foreign_key_check"), "");
  EXPECT_EQ(raw.text("PRAGMA integrity_check"), "ok");
  for (const Table& t : schema4_tables()) {
    EXPECT_EQ(raw.rows("SELECT " + t.columns + " FROM " + t.name +
                       " WHERE account = 'default' ORDER BY " + t.columns),
              before(t.name))
        << t.name;
    EXPECT_EQ(raw.text("SELECT COUNT(*) FROM " + t.name), std::to_string(before(t.name).size()))
        << t.name;
  }
}

TEST_F(MigrationTest, TheDefaultAccountReadsEveryOldRowThroughTheRepositories) {
  auto db = open_database();
  ASSERT_NE(db, nullptr);
  auto store = view(*db, "default");
  ASSERT_NE(store, nullptr);

  for (const auto& r : before("users")) {
    auto user = store->users().get(UserId(num(r[0]))).value();
    ASSERT_TRUE(user.has_value()) << r[0];
    EXPECT_EQ(user->display_name, r[1]);
    EXPECT_EQ(user->username, r[2]);
    EXPECT_EQ(user->first_seen_ms, num(r[4]));
    EXPECT_EQ(user->last_seen_ms, num(r[5]));
    std::string shouted = r[2];
    std::transform(shouted.begin(), shouted.end(), shouted.begin(), ::toupper);
    auto found = store->users().find_by_username("@" + shouted).value();
    ASSERT_TRUE(found.has_value()) << r[2];
    EXPECT_EQ(found->id, UserId(num(r[0])));
  }
  for (const auto& r : before("preferences")) {
    EXPECT_EQ(store->preferences().get(UserId(num(r[0])), r[1]).value(),
              std::optional<std::string>(r[2]));
  }
  // Each old entry through its message, and each conversation's window in order.
  std::map<std::pair<std::int64_t, std::int64_t>, std::vector<std::int64_t>> threads;
  for (const auto& r : before("conversation_history")) {
    threads[{num(r[1]), num(r[2])}].push_back(num(r[0]));
    auto entry = store->conversations().find_by_message(ChatId(num(r[1])), MessageId(num(r[6])));
    ASSERT_TRUE(entry.value().has_value()) << r[0];
    EXPECT_EQ(entry.value()->id, num(r[0]));
    EXPECT_EQ(entry.value()->thread, num(r[2]));
    EXPECT_EQ(entry.value()->role, r[3]);
    EXPECT_EQ(entry.value()->text, r[4]);
    EXPECT_EQ(entry.value()->tokens, num(r[5]));
    EXPECT_EQ(entry.value()->created_ms, num(r[7]));
  }
  for (const auto& [key, ids] : threads) {
    std::vector<std::int64_t> got;
    const auto window = store->conversations().recent(ChatId(key.first), key.second, 100);
    for (const auto& e : window.value())
      got.push_back(e.id);
    EXPECT_EQ(got, ids);
  }
  for (const auto& r : before("conversation_parts")) {
    auto entry = store->conversations().find_by_message(ChatId(num(r[0])), MessageId(num(r[1])));
    ASSERT_TRUE(entry.value().has_value()) << r[1];
    EXPECT_EQ(entry.value()->id, num(r[2]));
  }

  const auto log = store->command_log().recent(1000).value();
  ASSERT_EQ(log.size(), before("command_log").size());
  std::multiset<std::vector<std::string>> log_rows;
  for (const auto& e : log) {
    log_rows.insert({std::to_string(e.ts_ms), std::to_string(e.user.value()),
                     std::to_string(e.chat.value()), e.command, std::to_string(e.latency_ms),
                     e.outcome});
  }
  std::multiset<std::vector<std::string>> old_log;
  for (const auto& r : before("command_log"))
    old_log.insert({r[1], r[2], r[3], r[4], r[5], r[6]});
  EXPECT_EQ(log_rows, old_log);
  EXPECT_EQ(store->command_log().stats(0).value().total,
            static_cast<std::int64_t>(before("command_log").size()));

  Rows grants;
  const auto grant_list = store->grants().list();
  for (const auto& g : grant_list.value()) {
    grants.push_back({std::to_string(g.user.value()), g.command,
                      g.mode == GrantMode::kDirect ? "direct" : "confirm",
                      g.expires_ms ? std::to_string(*g.expires_ms) : "NULL",
                      std::to_string(g.created_ms)});
  }
  std::sort(grants.begin(), grants.end());
  EXPECT_EQ(grants, before("grants"));

  for (const auto& r : before("settings"))
    EXPECT_EQ(store->settings().get(r[0]).value(), std::optional<std::string>(r[1])) << r[0];
  Rows topics;
  const auto topic_list = store->settings().topics();
  for (const auto& t : topic_list.value())
    topics.push_back({t.command, std::to_string(t.group.value()), std::to_string(t.topic_id)});
  EXPECT_EQ(topics, before("topic_mappings"));
  Rows chats_by_position = before("chats");
  std::sort(chats_by_position.begin(), chats_by_position.end(),
            [](const auto& a, const auto& b) { return num(a[5]) < num(b[5]); });
  const auto chats = store->settings().chats().value();
  ASSERT_EQ(chats.size(), chats_by_position.size());
  for (std::size_t i = 0; i < chats.size(); ++i) {
    EXPECT_EQ(chats[i].id, ChatId(num(chats_by_position[i][0])));
    EXPECT_EQ(chat_kind_name(chats[i].kind), chats_by_position[i][1]);
    EXPECT_EQ(chats[i].title, chats_by_position[i][2]);
    EXPECT_EQ(chats[i].is_forum, chats_by_position[i][3] == "1");
  }
  EXPECT_EQ(store->settings().chats_updated_ms().value(),
            num(store->settings().get("chats.updated_ms").value().value()));

  std::size_t open_jobs = 0;
  for (const auto& r : before("scheduled_jobs")) {
    auto job = store->jobs().get(num(r[0])).value();
    ASSERT_TRUE(job.has_value()) << r[0];
    EXPECT_EQ(job->kind, r[1]);
    EXPECT_EQ(job->chat, ChatId(num(r[2])));
    EXPECT_EQ(job->owner, UserId(num(r[3])));
    EXPECT_EQ(job->due_ms, num(r[4]));
    EXPECT_EQ(job->payload, r[5]);
    EXPECT_EQ(job_status_name(job->status), r[6]);
    EXPECT_EQ(job->attempts, num(r[7]));
    EXPECT_EQ(job->created_ms, num(r[8]));
    if (r[6] == "pending" || r[6] == "running") ++open_jobs;
  }
  EXPECT_EQ(store->jobs().pending("").value().size(), open_jobs);

  UsageTotals sums;
  std::set<std::string> usage_users;
  for (const auto& r : before("llm_usage")) {
    ++sums.calls;
    sums.input_tokens += num(r[7]);
    sums.output_tokens += num(r[8]);
    sums.thinking_tokens += num(r[9]);
    sums.cost_micro_usd += num(r[10]);
    usage_users.insert(r[2]);
  }
  const UsageTotals got = store->usage().totals(std::nullopt, 0).value();
  EXPECT_EQ(got.calls, sums.calls);
  EXPECT_EQ(got.input_tokens, sums.input_tokens);
  EXPECT_EQ(got.output_tokens, sums.output_tokens);
  EXPECT_EQ(got.thinking_tokens, sums.thinking_tokens);
  EXPECT_EQ(got.cost_micro_usd, sums.cost_micro_usd);
  EXPECT_EQ(store->usage().by_user(0).value().size(), usage_users.size());
}

TEST_F(MigrationTest, AnotherAccountSeesNoneOfTheOldRows) {
  auto db = open_database();
  ASSERT_NE(db, nullptr);
  auto work = view(*db, "work");
  ASSERT_NE(work, nullptr);
  for (const auto& r : before("users")) {
    EXPECT_FALSE(work->users().get(UserId(num(r[0]))).value().has_value());
    EXPECT_FALSE(work->users().find_by_username(r[2]).value().has_value());
  }
  for (const auto& r : before("preferences"))
    EXPECT_FALSE(work->preferences().get(UserId(num(r[0])), r[1]).value().has_value());
  for (const auto& r : before("conversation_history")) {
    EXPECT_TRUE(work->conversations().recent(ChatId(num(r[1])), num(r[2]), 100).value().empty());
    EXPECT_FALSE(work->conversations()
                     .find_by_message(ChatId(num(r[1])), MessageId(num(r[6])))
                     .value()
                     .has_value());
  }
  for (const auto& r : before("conversation_parts")) {
    EXPECT_FALSE(work->conversations()
                     .find_by_message(ChatId(num(r[0])), MessageId(num(r[1])))
                     .value()
                     .has_value());
  }
  EXPECT_TRUE(work->command_log().recent(1000).value().empty());
  EXPECT_EQ(work->command_log().stats(0).value().total, 0);
  EXPECT_TRUE(work->grants().list().value().empty());
  for (const auto& r : before("settings"))
    EXPECT_FALSE(work->settings().get(r[0]).value().has_value()) << r[0];
  EXPECT_TRUE(work->settings().topics().value().empty());
  EXPECT_TRUE(work->settings().chats().value().empty());
  EXPECT_EQ(work->settings().chats_updated_ms().value(), 0);
  for (const auto& r : before("scheduled_jobs"))
    EXPECT_FALSE(work->jobs().get(num(r[0])).value().has_value());
  EXPECT_TRUE(work->jobs().pending("").value().empty());
  EXPECT_TRUE(work->jobs().due(std::int64_t{1} << 62, 100).value().empty());
  EXPECT_EQ(work->usage().totals(std::nullopt, 0).value().calls, 0);
  EXPECT_TRUE(work->usage().by_user(0).value().empty());
}

TEST_F(MigrationTest, IdsContinueAfterTheOldCountersAndPartsStillCascade) {
  std::int64_t history_seq = 0;
  std::int64_t jobs_seq = 0;
  {
    RawDb raw(db_path());
    history_seq =
        num(raw.text("SELECT seq FROM sqlite_sequence WHERE name = 'conversation_history'"));
    jobs_seq = num(raw.text("SELECT seq FROM sqlite_sequence WHERE name = 'scheduled_jobs'"));
  }
  std::int64_t max_history_id = 0;
  for (const auto& r : before("conversation_history"))
    max_history_id = std::max(max_history_id, num(r[0]));
  ASSERT_GT(history_seq, max_history_id) << "the fixture deleted its newest entry";

  auto db = open_database();
  ASSERT_NE(db, nullptr);
  auto store = view(*db, "default");
  auto work = view(*db, "work");
  HistoryEntry entry;
  entry.chat = ChatId(1000);
  entry.role = "user";
  entry.text = "after the migration";
  EXPECT_EQ(work->conversations().append(entry).value(), history_seq + 1);  // never reused
  ScheduledJob job;
  job.kind = "message";
  EXPECT_EQ(store->jobs().add(job).value(), jobs_seq + 1);

  // Clearing the default account's chat takes its linked parts with it (ON DELETE CASCADE).
  const auto& part = before("conversation_parts").front();
  const ChatId chat(num(part[0]));
  EXPECT_GT(store->conversations().clear(chat).value(), 0);
  EXPECT_FALSE(
      store->conversations().find_by_message(chat, MessageId(num(part[1]))).value().has_value());
  EXPECT_EQ(work->conversations().recent(chat, 0, 10).value().size(), 1U);  // work's own entry
  db.reset();
  RawDb raw(db_path());
  EXPECT_EQ(raw.text("SELECT COUNT(*) FROM conversation_parts WHERE chat_id = " + part[0]), "0");
}

// Migration 6: the usage table counts images; every earlier row made none, keeps its account and
// its sums, and an image row adds to the images and the cost of its account only.
TEST_F(MigrationTest, UsageRowsGainAnImagesCountOfZero) {
  auto db = open_database();
  ASSERT_NE(db, nullptr);
  auto store = view(*db, "default");
  auto work = view(*db, "work");
  ASSERT_NE(store, nullptr);
  ASSERT_NE(work, nullptr);
  const UsageTotals old = store->usage().totals(std::nullopt, 0).value();
  EXPECT_EQ(old.calls, static_cast<std::int64_t>(before("llm_usage").size()));
  EXPECT_EQ(old.images, 0);
  UsageRecord r;
  r.ts_ms = 1;
  r.user = UserId(1000);
  r.chat = ChatId(1000);
  r.command = "imagine";
  r.provider = "openai";
  r.model = "gpt-image-1";
  r.images = 3;
  r.cost_micro_usd = 120'000;
  ASSERT_TRUE(store->usage().append(r).is_ok());
  const UsageTotals now = store->usage().totals(std::nullopt, 0).value();
  EXPECT_EQ(now.calls, old.calls + 1);
  EXPECT_EQ(now.images, 3);
  EXPECT_EQ(now.cost_micro_usd, old.cost_micro_usd + 120'000);
  EXPECT_EQ(now.tokens(), old.tokens());
  EXPECT_EQ(work->usage().totals(std::nullopt, 0).value().images, 0);
  db.reset();
  RawDb raw(db_path());
  EXPECT_EQ(raw.text("SELECT applied_ms FROM schema_migrations WHERE version = 6"),
            std::to_string(to_unix_ms(clock_.wall_now())));
  EXPECT_EQ(raw.text("SELECT COUNT(*) FROM llm_usage WHERE images <> 0"), "1");
  EXPECT_EQ(raw.text("SELECT account FROM llm_usage WHERE images = 3"), "default");
}

TEST_F(MigrationTest, ReopeningAMigratedFileChangesNothing) {
  { ASSERT_NE(open_database(), nullptr); }
  const std::string migrated = read_bytes(db_path());
  const Rows stamps = RawDb(db_path()).rows("SELECT version, applied_ms FROM schema_migrations");
  clock_.advance(std::chrono::hours(1));
  {
    auto db = open_database();
    ASSERT_NE(db, nullptr);
    EXPECT_EQ(db->info().schema_version, sqlite::latest_schema_version());
  }
  EXPECT_EQ(read_bytes(db_path()), migrated);
  EXPECT_EQ(RawDb(db_path()).rows("SELECT version, applied_ms FROM schema_migrations"), stamps);
}

TEST_F(MigrationTest, AFailedMigrationLosesNothingAndTheNextOpenFinishesIt) {
  // A leftover table in migration 5's way makes it fail halfway through its transaction.
  RawDb(db_path()).exec("CREATE TABLE chats_v5 (x INTEGER)");
  auto failed = open_sqlite_database(db_path(), clock_);
  ASSERT_FALSE(failed.is_ok());
  EXPECT_THAT(failed.status().message(), ::testing::HasSubstr("migration 5"));
  {
    RawDb raw(db_path());
    EXPECT_EQ(raw.text("SELECT MAX(version) FROM schema_migrations"), "4");
    EXPECT_EQ(raw.text("SELECT COUNT(*) FROM pragma_table_info('users') WHERE name = 'account'"),
              "0");
    for (const Table& t : schema4_tables()) {
      EXPECT_EQ(raw.rows("SELECT " + t.columns + " FROM " + t.name + " ORDER BY " + t.columns),
                before(t.name))
          << t.name;
    }
    raw.exec("DROP TABLE chats_v5");
  }
  auto db = open_database();
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(view(*db, "default")->grants().list().value().size(), before("grants").size());
}

TEST_F(MigrationTest, AFileFromANewerSakaiBotIsRefusedUntouched) {
  RawDb(db_path()).exec("INSERT INTO schema_migrations (version, applied_ms) VALUES (" +
                        std::to_string(sqlite::latest_schema_version() + 1) + ", 1)");
  const std::string bytes = read_bytes(db_path());
  auto db = open_sqlite_database(db_path(), clock_);
  ASSERT_FALSE(db.is_ok());
  EXPECT_EQ(db.status().code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(read_bytes(db_path()), bytes);
  RawDb raw(db_path());
  EXPECT_EQ(raw.text("SELECT COUNT(*) FROM pragma_table_info('grants') WHERE name = 'account'"),
            "0");
}

}  // namespace
}  // namespace sakai::storage::testing
