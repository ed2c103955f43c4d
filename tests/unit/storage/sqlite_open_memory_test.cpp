// Opening a large database checks it (PRAGMA quick_check reads every page) without leaving
// SQLite's page cache full: an idle bot with months of history keeps no more memory than a new
// one (docs/PERFORMANCE.md, Memory).
#include <sqlite3.h>

#include <optional>
#include <string>

#include "storage_test_util.h"

namespace sakai::storage::testing {
namespace {

class SqliteOpenMemoryTest : public TempDirTest {};

// A database made by the store, grown by `megabytes` of rows in a table of its own.
void grow(const std::string& path, int megabytes) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  const std::string sql =
      "CREATE TABLE ballast(x BLOB); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 "
      "FROM n WHERE i < " +
      std::to_string(megabytes * 1024) +
      ") INSERT INTO ballast SELECT randomblob(1000) FROM n; PRAGMA wal_checkpoint(TRUNCATE);";
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
      << sqlite3_errmsg(db);
  sqlite3_close(db);
}

TEST_F(SqliteOpenMemoryTest, ALargeDatabaseIsCheckedWithoutKeepingItsPagesCached) {
  const std::string path = db_path();
  ASSERT_NE(open_store(path), nullptr);  // the schema, then ~8 MB of history
  grow(path, 8);
  const sqlite3_int64 before = sqlite3_memory_used();
  auto store = open_store(path);
  ASSERT_NE(store, nullptr);
  // SQLite's default cache would hold ~2 MiB of the pages quick_check read.
  EXPECT_LT(sqlite3_memory_used() - before, 768 * 1024);
  // And the store works as usual.
  EXPECT_TRUE(store->ping().is_ok());
  ASSERT_TRUE(store->settings().set("k", "v").is_ok());
  EXPECT_EQ(store->settings().get("k").value(), std::optional<std::string>("v"));
}

}  // namespace
}  // namespace sakai::storage::testing
