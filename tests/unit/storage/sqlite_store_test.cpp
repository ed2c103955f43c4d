// Opening the SQLite store: directory creation, pragmas, migrations and refusing databases it
// must not touch (corrupt, newer, foreign, unwritable).
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <string>
#include <thread>

#include "storage/sqlite/schema.h"
#include "storage/sqlite/sqlite_db.h"
#include "storage_test_util.h"

namespace sakai::storage::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

std::string random_bytes(std::size_t n) {
  std::mt19937 rng(12345);
  std::string out(n, '\0');
  for (char& c : out)
    c = static_cast<char>(rng() & 0xff);
  return out;
}

class SqliteOpenTest : public TempDirTest {};

TEST_F(SqliteOpenTest, CreatesMissingParentDirectoriesPrivately) {
  const fs::path nested = dir_ / "a" / "b";
  const std::string path = (nested / "sakaibot.db").string();
  auto store = open_store(path);
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(fs::is_directory(nested));
  EXPECT_EQ(fs::status(dir_ / "a").permissions() & fs::perms::all, fs::perms::owner_all);
  EXPECT_EQ(fs::status(nested).permissions() & fs::perms::all, fs::perms::owner_all);
  EXPECT_EQ(fs::status(path).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
}

TEST_F(SqliteOpenTest, SetsWalJournalMode) {
  auto store = open_store(db_path());
  ASSERT_NE(store, nullptr);
  RawDb raw(db_path());
  EXPECT_EQ(raw.text("PRAGMA journal_mode"), "wal");
}

TEST_F(SqliteOpenTest, InfoAndPing) {
  auto store = open_store(db_path());
  ASSERT_NE(store, nullptr);
  EXPECT_TRUE(store->ping().is_ok());
  ASSERT_TRUE(store->settings().set("k", "v").is_ok());
  const StoreInfo info = store->info();
  EXPECT_EQ(info.backend, "sqlite");
  EXPECT_EQ(info.location, db_path());
  EXPECT_EQ(info.schema_version, sqlite::latest_schema_version());
  std::error_code ec;
  std::int64_t expected = static_cast<std::int64_t>(fs::file_size(db_path()));
  const auto wal = fs::file_size(db_path() + "-wal", ec);
  if (!ec) expected += static_cast<std::int64_t>(wal);
  EXPECT_GT(info.size_bytes, 0);
  EXPECT_EQ(info.size_bytes, expected);
}

TEST_F(SqliteOpenTest, InMemoryStoreWorks) {
  auto store = open_store(":memory:");
  ASSERT_NE(store, nullptr);
  EXPECT_TRUE(store->ping().is_ok());
  ASSERT_TRUE(store->settings().set("k", "v").is_ok());
  EXPECT_EQ(store->settings().get("k").value(), std::optional<std::string>("v"));
  EXPECT_EQ(store->info().schema_version, sqlite::latest_schema_version());
}

TEST_F(SqliteOpenTest, EmptyPathIsInvalid) {
  auto store = open_sqlite_store("", clock_);
  ASSERT_FALSE(store.is_ok());
  EXPECT_EQ(store.status().code(), ErrorCode::kInvalidArgument);
}

TEST_F(SqliteOpenTest, StampsEveryMigrationOnce) {
  auto store = open_store(db_path());
  ASSERT_NE(store, nullptr);
  store.reset();
  store = open_store(db_path());  // a second open applies nothing new
  ASSERT_NE(store, nullptr);
  RawDb raw(db_path());
  EXPECT_EQ(raw.text("SELECT COUNT(*) FROM schema_migrations"),
            std::to_string(sqlite::latest_schema_version()));
  EXPECT_EQ(raw.text("SELECT MAX(version) FROM schema_migrations"),
            std::to_string(sqlite::latest_schema_version()));
  EXPECT_EQ(raw.text("SELECT applied_ms FROM schema_migrations WHERE version = 1"),
            std::to_string(to_unix_ms(clock_.wall_now())));
}

TEST_F(SqliteOpenTest, ReopenKeepsData) {
  {
    auto store = open_store(db_path());
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->users().upsert({UserId(7), "Sakai", "sakai", 1, 2}).is_ok());
    ASSERT_TRUE(store->preferences().set(UserId(7), "language", "fa").is_ok());
    HistoryEntry entry;
    entry.chat = ChatId(1);
    entry.role = "user";
    entry.text = "hello";
    ASSERT_TRUE(store->conversations().append(entry).is_ok());
    ASSERT_TRUE(
        store->grants().put({UserId(7), "tts", GrantMode::kDirect, std::nullopt, 5}).is_ok());
    ScheduledJob job;
    job.kind = "message";
    job.due_ms = 10;
    ASSERT_TRUE(store->jobs().add(job).is_ok());
  }
  auto store = open_store(db_path());
  ASSERT_NE(store, nullptr);
  auto user = store->users().get(UserId(7));
  ASSERT_TRUE(user.is_ok());
  ASSERT_TRUE(user->has_value());
  EXPECT_EQ((*user)->display_name, "Sakai");
  EXPECT_EQ(store->preferences().get(UserId(7), "language").value(),
            std::optional<std::string>("fa"));
  EXPECT_EQ(store->conversations().recent(ChatId(1), 0, 10).value().size(), 1U);
  EXPECT_EQ(store->grants().list().value().size(), 1U);
  EXPECT_EQ(store->jobs().pending("").value().size(), 1U);
}

TEST_F(SqliteOpenTest, RefusesDatabaseFromNewerSakaiBot) {
  { ASSERT_NE(open_store(db_path()), nullptr); }
  const int newer = sqlite::latest_schema_version() + 1;
  {
    RawDb raw(db_path());
    raw.exec("INSERT INTO schema_migrations (version, applied_ms) VALUES (" +
             std::to_string(newer) + ", 1)");
  }
  const std::string before = read_bytes(db_path());
  auto store = open_sqlite_store(db_path(), clock_);
  ASSERT_FALSE(store.is_ok());
  EXPECT_EQ(store.status().code(), ErrorCode::kFailedPrecondition);
  EXPECT_THAT(store.status().message(),
              HasSubstr("database schema version " + std::to_string(newer) +
                        " is newer than this SakaiBot (" +
                        std::to_string(sqlite::latest_schema_version()) + "); upgrade SakaiBot"));
  EXPECT_EQ(read_bytes(db_path()), before);
}

TEST_F(SqliteOpenTest, RefusesSqliteDatabaseOfAnotherProgram) {
  {
    RawDb raw(db_path());
    raw.exec("CREATE TABLE other (x INTEGER); INSERT INTO other VALUES (1)");
  }
  auto store = open_sqlite_store(db_path(), clock_);
  ASSERT_FALSE(store.is_ok());
  EXPECT_EQ(store.status().code(), ErrorCode::kFailedPrecondition);
  EXPECT_THAT(store.status().message(), HasSubstr(db_path()));
  RawDb raw(db_path());
  EXPECT_EQ(raw.text("SELECT COUNT(*) FROM sqlite_master WHERE name = 'schema_migrations'"), "0");
}

TEST_F(SqliteOpenTest, EmptyFileBecomesADatabase) {
  write_bytes(db_path(), "");
  auto store = open_store(db_path());
  ASSERT_NE(store, nullptr);
  EXPECT_TRUE(store->settings().set("k", "v").is_ok());
}

TEST_F(SqliteOpenTest, RandomBytesAreRefusedAndLeftUntouched) {
  const std::string garbage = random_bytes(64 * 1024);
  write_bytes(db_path(), garbage);
  auto store = open_sqlite_store(db_path(), clock_);
  ASSERT_FALSE(store.is_ok());
  EXPECT_EQ(store.status().code(), ErrorCode::kCorrupt);
  EXPECT_THAT(store.status().message(), HasSubstr(db_path()));
  EXPECT_THAT(store.status().message(), HasSubstr("Move it aside or restore a backup"));
  EXPECT_EQ(read_bytes(db_path()), garbage);
  EXPECT_FALSE(fs::exists(db_path() + "-wal"));
  EXPECT_FALSE(fs::exists(db_path() + "-journal"));
}

TEST_F(SqliteOpenTest, DamagedPagesAreRefusedAndLeftUntouched) {
  {
    auto store = open_store(db_path());
    ASSERT_NE(store, nullptr);
    for (int i = 0; i < 200; ++i) {
      HistoryEntry entry;
      entry.chat = ChatId(1);
      entry.role = "user";
      entry.text = std::string(200, static_cast<char>('a' + i % 26));
      ASSERT_TRUE(store->conversations().append(entry).is_ok());
    }
  }  // closing the last connection checkpoints the WAL into the main file
  std::string bytes = read_bytes(db_path());
  ASSERT_GT(bytes.size(), 8192U);
  // Keep page 1 (header and schema), scramble every other page.
  const std::string noise = random_bytes(bytes.size());
  const std::size_t page = 4096;
  for (std::size_t i = page; i < bytes.size(); ++i)
    bytes[i] = noise[i];
  write_bytes(db_path(), bytes);

  auto store = open_sqlite_store(db_path(), clock_);
  ASSERT_FALSE(store.is_ok());
  EXPECT_EQ(store.status().code(), ErrorCode::kCorrupt) << store.status().to_string();
  EXPECT_THAT(store.status().message(), HasSubstr(db_path()));
  EXPECT_EQ(read_bytes(db_path()), bytes);
}

TEST_F(SqliteOpenTest, PathUnderARegularFileIsAnIoError) {
  const fs::path plain = dir_ / "plain";
  write_bytes(plain, "not a directory");
  const std::string path = (plain / "sub" / "sakaibot.db").string();
  auto store = open_sqlite_store(path, clock_);
  ASSERT_FALSE(store.is_ok());
  EXPECT_EQ(store.status().code(), ErrorCode::kIo);
  EXPECT_THAT(store.status().message(), HasSubstr(path));
  EXPECT_THAT(store.status().message(), HasSubstr("storage.path"));
  EXPECT_EQ(read_bytes(plain), "not a directory");
}

TEST_F(SqliteOpenTest, PathUnderProcIsAnIoError) {
  if (!fs::is_directory("/proc/self")) GTEST_SKIP() << "no /proc";
  const std::string path = "/proc/sakaibot-storage-test/sakaibot.db";
  auto store = open_sqlite_store(path, clock_);
  ASSERT_FALSE(store.is_ok());
  EXPECT_EQ(store.status().code(), ErrorCode::kIo);
  EXPECT_THAT(store.status().message(), HasSubstr(path));
}

TEST_F(SqliteOpenTest, DirectoryPathIsAnIoError) {
  auto store = open_sqlite_store(dir_.string(), clock_);
  ASSERT_FALSE(store.is_ok());
  EXPECT_EQ(store.status().code(), ErrorCode::kIo);
  EXPECT_THAT(store.status().message(), HasSubstr(dir_.string()));
}

TEST_F(SqliteOpenTest, ReadOnlyFileIsAnIoError) {
  if (::geteuid() == 0) GTEST_SKIP() << "root ignores file permission bits";
  { ASSERT_NE(open_store(db_path()), nullptr); }
  fs::permissions(db_path(), fs::perms::owner_read);
  auto store = open_sqlite_store(db_path(), clock_);
  ASSERT_FALSE(store.is_ok());
  EXPECT_EQ(store.status().code(), ErrorCode::kIo);
  EXPECT_THAT(store.status().message(), HasSubstr(db_path()));
}

TEST_F(SqliteOpenTest, WriteWhileAnotherProcessHoldsTheLockIsUnavailable) {
  auto store = open_store(db_path());
  ASSERT_NE(store, nullptr);
  RawDb other(db_path());
  other.exec("BEGIN IMMEDIATE");
  other.exec("INSERT INTO settings (account, key, value) VALUES ('default', 'held', '1')");
  const auto start = std::chrono::steady_clock::now();
  const Status status = store->settings().set("k", "v");  // waits out busy_timeout (5 s)
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(status.code(), ErrorCode::kUnavailable) << status.to_string();
  EXPECT_GE(waited, std::chrono::seconds(4));
  other.exec("ROLLBACK");
  EXPECT_TRUE(store->settings().set("k", "v").is_ok());
}

TEST(SqliteStatusTest, MapsResultCodes) {
  using sqlite::sqlite_status;
  EXPECT_TRUE(sqlite_status(SQLITE_OK, nullptr, "x").is_ok());
  EXPECT_EQ(sqlite_status(SQLITE_BUSY, nullptr, "x").code(), ErrorCode::kUnavailable);
  EXPECT_EQ(sqlite_status(SQLITE_LOCKED, nullptr, "x").code(), ErrorCode::kUnavailable);
  EXPECT_EQ(sqlite_status(SQLITE_BUSY_SNAPSHOT, nullptr, "x").code(), ErrorCode::kUnavailable);
  EXPECT_EQ(sqlite_status(SQLITE_CORRUPT, nullptr, "x").code(), ErrorCode::kCorrupt);
  EXPECT_EQ(sqlite_status(SQLITE_NOTADB, nullptr, "x").code(), ErrorCode::kCorrupt);
  EXPECT_EQ(sqlite_status(SQLITE_IOERR_WRITE, nullptr, "x").code(), ErrorCode::kIo);
  EXPECT_EQ(sqlite_status(SQLITE_FULL, nullptr, "x").code(), ErrorCode::kIo);
  EXPECT_EQ(sqlite_status(SQLITE_READONLY, nullptr, "x").code(), ErrorCode::kIo);
  EXPECT_EQ(sqlite_status(SQLITE_MISUSE, nullptr, "x").code(), ErrorCode::kInternal);
  EXPECT_THAT(sqlite_status(SQLITE_BUSY, nullptr, "users.get").message(), HasSubstr("users.get"));
}

}  // namespace
}  // namespace sakai::storage::testing
