#include "storage/sqlite/sqlite_store.h"

#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <array>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "storage/sqlite/schema.h"
#include "storage/sqlite/sqlite_database.h"
#include "storage/sqlite/sqlite_db.h"

namespace sakai::storage {

namespace {

namespace fs = std::filesystem;
using sqlite::SqliteDb;
using sqlite::Statement;

constexpr std::string_view kMemory = ":memory:";
constexpr std::string_view kSqliteMagic{"SQLite format 3\0", 16};

Status io_error(const std::string& path, std::string_view detail) {
  return make_error(ErrorCode::kIo,
                    "cannot use database " + path + ": " + std::string(detail) +
                        "; check that the file and its directory are writable by this user, "
                        "or set storage.path to a writable location");
}

Status corrupt_error(const std::string& path, std::string_view detail) {
  return make_error(ErrorCode::kCorrupt,
                    "database " + path + " is corrupt or is not a SQLite database (" +
                        std::string(detail) +
                        "); SakaiBot left it untouched. Move it aside or restore a backup, "
                        "then start SakaiBot again");
}

// Rewrites an I/O or corruption Status from SQLite into one that names the path and the fix.
Status explain(const std::string& path, const Status& status) {
  if (status.code() == ErrorCode::kIo) return io_error(path, status.message());
  if (status.code() == ErrorCode::kCorrupt) return corrupt_error(path, status.message());
  return status.with_context("storage: open " + path);
}

// Creates `dir` and any missing parents with mode 0700.
Status ensure_directory(const fs::path& dir, const std::string& db_path) {
  if (dir.empty()) return Status::ok();
  std::error_code ec;
  const fs::file_status st = fs::status(dir, ec);
  if (fs::is_directory(st)) return Status::ok();
  if (fs::exists(st)) return io_error(db_path, dir.string() + " is not a directory");
  if (dir.has_parent_path() && dir.parent_path() != dir) {
    SAKAI_TRY(ensure_directory(dir.parent_path(), db_path));
  }
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    const std::string reason = std::generic_category().message(errno);
    return io_error(db_path, "cannot create directory " + dir.string() + ": " + reason);
  }
  return Status::ok();
}

// Refuses, without opening it through SQLite, an existing file that is not a database.
Status check_existing_file(const std::string& path, bool* exists) {
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  *exists = fs::exists(st);
  if (!*exists) return Status::ok();
  if (fs::is_directory(st)) return io_error(path, "the path is a directory, not a file");
  if (!fs::is_regular_file(st)) return io_error(path, "the path is not a regular file");
  const std::uintmax_t size = fs::file_size(path, ec);
  if (ec) return io_error(path, "cannot read the file size: " + ec.message());
  if (size == 0) return Status::ok();  // SQLite treats an empty file as a new database
  std::ifstream in(path, std::ios::binary);
  if (!in) return io_error(path, "cannot open the file for reading");
  std::array<char, kSqliteMagic.size()> header{};
  in.read(header.data(), static_cast<std::streamsize>(header.size()));
  if (static_cast<std::size_t>(in.gcount()) != header.size() ||
      std::string_view(header.data(), header.size()) != kSqliteMagic) {
    return corrupt_error(path, "no SQLite header");
  }
  return Status::ok();
}

Result<std::string> pragma_text(SqliteDb& db, std::string_view sql) {
  Result<Statement> stmt = db.prepare(sql, sql);
  if (!stmt) return stmt.status();
  Result<bool> row = stmt->step();
  if (!row) return row.status();
  std::string value = *row ? stmt->text(0) : std::string();
  SAKAI_TRY(stmt->run());
  return value;
}

// PRAGMA quick_check: one row "ok", or up to N rows describing problems.
Status quick_check(SqliteDb& db, const std::string& path) {
  Result<Statement> stmt = db.prepare("PRAGMA quick_check(5)", "quick_check");
  if (!stmt) return explain(path, stmt.status());
  std::string problems;
  while (true) {
    Result<bool> row = stmt->step();
    if (!row) return explain(path, row.status());
    if (!*row) break;
    std::string line = stmt->text(0);
    if (line == "ok") continue;
    if (!problems.empty()) problems += "; ";
    problems += line;
  }
  if (!problems.empty()) return corrupt_error(path, "quick_check: " + problems);
  return Status::ok();
}

// The "default" account's view, owning the database it looks into.
class OwningStore final : public Store {
 public:
  OwningStore(std::unique_ptr<Database> database, std::unique_ptr<Store> view)
      : database_(std::move(database)), view_(std::move(view)) {}
  UserRepository& users() override { return view_->users(); }
  PreferenceRepository& preferences() override { return view_->preferences(); }
  ConversationRepository& conversations() override { return view_->conversations(); }
  CommandLogRepository& command_log() override { return view_->command_log(); }
  GrantRepository& grants() override { return view_->grants(); }
  SettingsRepository& settings() override { return view_->settings(); }
  JobRepository& jobs() override { return view_->jobs(); }
  UsageRepository& usage() override { return view_->usage(); }
  Status ping() override { return view_->ping(); }
  StoreInfo info() override { return view_->info(); }

 private:
  std::unique_ptr<Database> database_;  // declared first: outlives the view
  std::unique_ptr<Store> view_;
};

}  // namespace

Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path, const Clock& clock) {
  Result<std::unique_ptr<Database>> database = open_sqlite_database(path, clock);
  if (!database) return database.status();
  Result<std::unique_ptr<Store>> view = (*database)->account(kDefaultAccount);
  if (!view) return view.status();
  return std::unique_ptr<Store>(
      std::make_unique<OwningStore>(std::move(database).value(), std::move(view).value()));
}

Result<std::unique_ptr<Database>> open_sqlite_database(const std::string& path,
                                                       const Clock& clock) {
  if (path.empty()) {
    return make_error(ErrorCode::kInvalidArgument,
                      "storage: the SQLite database path is empty; set storage.path");
  }
  const bool memory = path == kMemory;
  bool existed = false;
  if (!memory) {
    SAKAI_TRY(ensure_directory(fs::path(path).parent_path(), path));
    SAKAI_TRY(check_existing_file(path, &existed));
  }

  Result<SqliteDb> opened =
      SqliteDb::open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX);
  if (!opened) return explain(path, opened.status());
  SqliteDb db = std::move(opened).value();

  // Nothing below writes to the file until quick_check has passed.
  SAKAI_TRY(explain(path, db.exec("PRAGMA busy_timeout = 5000", "busy_timeout")));
  if (!memory && sqlite3_db_readonly(db.handle(), "main") == 1) {
    return io_error(path, "the file is read-only");
  }
  SAKAI_TRY(quick_check(db, path));

  SAKAI_TRY(explain(path, db.exec("PRAGMA foreign_keys = ON", "foreign_keys")));
  if (!memory) {
    Result<std::string> mode = pragma_text(db, "PRAGMA journal_mode = WAL");
    if (!mode) return explain(path, mode.status());
    if (*mode != "wal") {
      return io_error(path, "cannot switch to WAL journal mode (got \"" + *mode +
                                "\"); the file system may not support it");
    }
  }
  SAKAI_TRY(explain(path, db.exec("PRAGMA synchronous = NORMAL", "synchronous")));

  Result<int> version = sqlite::migrate(db, to_unix_ms(clock.wall_now()));
  if (!version) return explain(path, version.status());

  if (!memory && !existed) (void)::chmod(path.c_str(), 0600);  // it holds private conversations
  return std::unique_ptr<Database>(
      std::make_unique<sqlite::SqliteDatabase>(std::move(db), clock, *version));
}

}  // namespace sakai::storage
