#include "storage/sqlite/sqlite_db.h"

#include <sqlite3.h>

#include <utility>

namespace sakai::storage::sqlite {

namespace {

ErrorCode code_for(int rc) {
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return ErrorCode::kUnavailable;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return ErrorCode::kCorrupt;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_FULL:
    case SQLITE_PERM:
    case SQLITE_AUTH:
    case SQLITE_PROTOCOL:
      return ErrorCode::kIo;
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
    case SQLITE_TOOBIG:
    case SQLITE_RANGE:
      return ErrorCode::kInvalidArgument;
    default:
      return ErrorCode::kInternal;
  }
}

}  // namespace

Status sqlite_status(int rc, sqlite3* db, std::string_view what) {
  if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE) return Status::ok();
  const ErrorCode code = code_for(rc);
  std::string msg(what);
  msg += ": ";
  // sqlite3_errmsg describes the most recent failure on the connection, which is the one we
  // are reporting; fall back to the generic text when there is no connection.
  const char* detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  msg += detail != nullptr ? detail : sqlite3_errstr(rc);
  msg += " (";
  msg += sqlite3_errstr(rc);
  msg += ", code ";
  msg += std::to_string(rc);
  msg += ")";
  if (db != nullptr && (code == ErrorCode::kIo || code == ErrorCode::kCorrupt)) {
    const char* file = sqlite3_db_filename(db, "main");
    if (file != nullptr && *file != '\0') {
      msg += " [database ";
      msg += file;
      msg += "]";
    }
  }
  return Status(code, std::move(msg));
}

// ---- SqliteDb ----

Result<SqliteDb> SqliteDb::open(const std::string& path, int flags) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Status status = sqlite_status(rc, db, "open " + path);
    sqlite3_close_v2(db);  // a handle is returned even on most failures
    return status;
  }
  sqlite3_extended_result_codes(db, 1);
  return SqliteDb(db, path);
}

StatementCache::~StatementCache() {
  for (auto& [sql, stmt] : idle)
    sqlite3_finalize(stmt);
}

SqliteDb::SqliteDb(SqliteDb&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)),
      path_(std::move(other.path_)),
      cache_(std::move(other.cache_)) {}

SqliteDb& SqliteDb::operator=(SqliteDb&& other) noexcept {
  if (this != &other) {
    close();
    db_ = std::exchange(other.db_, nullptr);
    path_ = std::move(other.path_);
    cache_ = std::move(other.cache_);
  }
  return *this;
}

SqliteDb::~SqliteDb() {
  close();
}

void SqliteDb::close() {
  cache_.reset();  // finalizes the idle statements; close_v2 defers for any still checked out
  if (db_ != nullptr) sqlite3_close_v2(db_);
  db_ = nullptr;
}

Status SqliteDb::exec(std::string_view sql, std::string_view what) {
  const std::string copy(sql);
  char* err = nullptr;
  const int rc = sqlite3_exec(db_, copy.c_str(), nullptr, nullptr, &err);
  sqlite3_free(err);  // sqlite3_errmsg still holds the text
  return sqlite_status(rc, db_, what);
}

Result<Statement> SqliteDb::prepare(std::string_view sql, std::string_view what) {
  std::string key(sql);
  if (cache_) {
    if (auto it = cache_->idle.find(key); it != cache_->idle.end()) {
      sqlite3_stmt* cached = it->second;
      cache_->idle.erase(it);
      return Statement(db_, cached, what, cache_.get(), std::move(key));
    }
  }
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return sqlite_status(rc, db_, what);
  }
  if (stmt == nullptr) {
    return make_error(ErrorCode::kInternal, std::string(what) + ": empty SQL statement");
  }
  // Only single statements are cached (a tail means exec-style multi-statement SQL).
  return Statement(db_, stmt, what, cache_.get(), std::move(key));
}

std::int64_t SqliteDb::last_insert_rowid() const {
  return sqlite3_last_insert_rowid(db_);
}

int SqliteDb::changes() const {
  return sqlite3_changes(db_);
}

Status SqliteDb::error(int rc, std::string_view what) const {
  return sqlite_status(rc, db_, what);
}

// ---- Statement ----

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_),
      stmt_(std::exchange(other.stmt_, nullptr)),
      cache_(other.cache_),
      sql_(std::move(other.sql_)),
      what_(std::move(other.what_)),
      bind_rc_(other.bind_rc_) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    release();
    db_ = other.db_;
    stmt_ = std::exchange(other.stmt_, nullptr);
    cache_ = other.cache_;
    sql_ = std::move(other.sql_);
    what_ = std::move(other.what_);
    bind_rc_ = other.bind_rc_;
  }
  return *this;
}

Statement::~Statement() {
  release();
}

void Statement::release() {
  if (stmt_ == nullptr) return;
  if (cache_ != nullptr && !sql_.empty()) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    cache_->idle.emplace(std::move(sql_), stmt_);
  } else {
    sqlite3_finalize(stmt_);
  }
  stmt_ = nullptr;
}

void Statement::note_bind(int rc) {
  if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
}

Statement& Statement::bind(int index, std::int64_t value) {
  note_bind(sqlite3_bind_int64(stmt_, index, value));
  return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
  // An empty string_view may carry a null data pointer, which SQLite would store as NULL.
  static const char kEmpty[] = "";
  const char* data = value.data() != nullptr ? value.data() : kEmpty;
  note_bind(sqlite3_bind_text64(stmt_, index, data, value.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
  return *this;
}

Statement& Statement::bind_static(int index, std::string_view value) {
  static const char kEmpty[] = "";
  const char* data = value.data() != nullptr ? value.data() : kEmpty;
  note_bind(sqlite3_bind_text64(stmt_, index, data, value.size(), SQLITE_STATIC, SQLITE_UTF8));
  return *this;
}

Statement& Statement::bind(int index, std::optional<std::int64_t> value) {
  return value ? bind(index, *value) : bind_null(index);
}

Statement& Statement::bind_null(int index) {
  note_bind(sqlite3_bind_null(stmt_, index));
  return *this;
}

Result<bool> Statement::step() {
  if (bind_rc_ != SQLITE_OK) return sqlite_status(bind_rc_, db_, what_ + " (bind)");
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return sqlite_status(rc, db_, what_);
}

Status Statement::run() {
  return for_each_row([] {});
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::int64_t Statement::int64(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

double Statement::real(int column) const {
  return sqlite3_column_double(stmt_, column);
}

std::string Statement::text(int column) const {
  const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  if (data == nullptr) return {};
  return std::string(data, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::optional<std::int64_t> Statement::optional_int64(int column) const {
  if (is_null(column)) return std::nullopt;
  return int64(column);
}

// ---- Transaction ----

Result<Transaction> Transaction::begin(SqliteDb& db, std::string_view what) {
  SAKAI_TRY(db.exec("BEGIN IMMEDIATE", std::string(what) + " (begin)"));
  return Transaction(&db, std::string(what));
}

Transaction::Transaction(Transaction&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), what_(std::move(other.what_)) {}

Transaction::~Transaction() {
  if (db_ != nullptr) (void)db_->exec("ROLLBACK", what_ + " (rollback)");
}

Status Transaction::commit() {
  if (db_ == nullptr)
    return make_error(ErrorCode::kInternal, what_ + ": transaction already ended");
  Status status = db_->exec("COMMIT", what_ + " (commit)");
  // A failed COMMIT leaves the transaction open (e.g. SQLITE_BUSY); the destructor rolls back.
  if (status.is_ok()) db_ = nullptr;
  return status;
}

}  // namespace sakai::storage::sqlite
