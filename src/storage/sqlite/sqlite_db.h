#pragma once
// Thin RAII wrappers over the sqlite3 C API: a connection (SqliteDb), a prepared statement
// (Statement) and a transaction guard (Transaction). Errors become Status values; nothing throws.
// Thread-safety: a SqliteDb and its statements belong to one thread (opened with NOMUTEX).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace sakai::storage::sqlite {

// Maps a SQLite result code to a Status: BUSY/LOCKED -> kUnavailable, CORRUPT/NOTADB ->
// kCorrupt, I/O, permission and space problems -> kIo, CONSTRAINT -> kInvalidArgument and the
// rest -> kInternal. `db` (may be null) supplies sqlite3_errmsg context and, for kIo and
// kCorrupt, the database file name.
Status sqlite_status(int rc, sqlite3* db, std::string_view what);

class Statement;

// Prepared statements kept for reuse, keyed by their SQL: the repositories run the same few
// statements over and over (the access check runs one per command), and preparing costs more
// than running. A statement is checked out while a Statement holds it and comes back reset.
struct StatementCache {
  std::unordered_multimap<std::string, sqlite3_stmt*> idle;
  ~StatementCache();
};

class SqliteDb {
 public:
  // Opens `path` with the given sqlite3_open_v2 flags. The handle is closed on failure.
  static Result<SqliteDb> open(const std::string& path, int flags);

  SqliteDb(SqliteDb&& other) noexcept;
  SqliteDb& operator=(SqliteDb&& other) noexcept;
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;
  ~SqliteDb();

  [[nodiscard]] sqlite3* handle() const { return db_; }
  [[nodiscard]] const std::string& path() const { return path_; }

  // Runs one or more statements that return no rows of interest.
  Status exec(std::string_view sql, std::string_view what);
  Result<Statement> prepare(std::string_view sql, std::string_view what);
  [[nodiscard]] std::int64_t last_insert_rowid() const;
  [[nodiscard]] int changes() const;
  [[nodiscard]] Status error(int rc, std::string_view what) const;

 private:
  SqliteDb(sqlite3* db, std::string path)
      : db_(db), path_(std::move(path)), cache_(std::make_unique<StatementCache>()) {}
  void close();
  sqlite3* db_ = nullptr;
  std::string path_;
  // On the heap so statements keep a stable pointer when the SqliteDb is moved.
  std::unique_ptr<StatementCache> cache_;
};

class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Parameters are 1-based. A failed bind is remembered and reported by the next step().
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, std::string_view value);
  // Binds without copying: the text must stay alive and unchanged until the statement is
  // destroyed or goes back to the cache (e.g. a repository's own account name).
  Statement& bind_static(int index, std::string_view value);
  Statement& bind(int index, std::optional<std::int64_t> value);
  Statement& bind_null(int index);

  // true: a row is available; false: done.
  Result<bool> step();
  // Steps until done, for statements that return no rows.
  Status run();
  // Steps through every row, calling on_row() while the row is current; the first error stops it.
  template <typename OnRow>
  Status for_each_row(OnRow&& on_row) {
    while (true) {
      Result<bool> row = step();
      if (!row) return row.status();
      if (!*row) return Status::ok();
      on_row();
    }
  }

  [[nodiscard]] bool is_null(int column) const;
  [[nodiscard]] std::int64_t int64(int column) const;
  [[nodiscard]] double real(int column) const;
  [[nodiscard]] std::string text(int column) const;
  [[nodiscard]] std::optional<std::int64_t> optional_int64(int column) const;

 private:
  friend class SqliteDb;
  Statement(sqlite3* db, sqlite3_stmt* stmt, std::string_view what, StatementCache* cache,
            std::string sql)
      : db_(db), stmt_(stmt), cache_(cache), sql_(std::move(sql)), what_(what) {}
  void note_bind(int rc);
  void release();

  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  StatementCache* cache_ = nullptr;  // where the statement goes back; null: finalize
  std::string sql_;
  std::string what_;
  int bind_rc_ = 0;  // SQLITE_OK
};

// BEGIN IMMEDIATE on construction via begin(); rolls back on destruction unless committed.
class Transaction {
 public:
  static Result<Transaction> begin(SqliteDb& db, std::string_view what);
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();
  Status commit();

 private:
  Transaction(SqliteDb* db, std::string what) : db_(db), what_(std::move(what)) {}
  SqliteDb* db_ = nullptr;
  std::string what_;
};

}  // namespace sakai::storage::sqlite
