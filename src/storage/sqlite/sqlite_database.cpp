#include "storage/sqlite/sqlite_database.h"

#include <filesystem>
#include <string>
#include <system_error>

#include "storage/sqlite/repositories.h"

namespace sakai::storage::sqlite {

namespace {

// One account's view: every repository binds the account's name into each statement.
class SqliteAccountStore final : public Store {
 public:
  SqliteAccountStore(Database& database, SqliteDb& db, std::string_view account, const Clock& clock)
      : database_(database),
        account_(account),
        users_(db, account, clock),
        preferences_(db, account),
        conversations_(db, account, clock),
        command_log_(db, account),
        grants_(db, account, clock),
        settings_(db, account),
        jobs_(db, account, clock),
        usage_(db, account, clock) {}

  UserRepository& users() override { return users_; }
  PreferenceRepository& preferences() override { return preferences_; }
  ConversationRepository& conversations() override { return conversations_; }
  CommandLogRepository& command_log() override { return command_log_; }
  GrantRepository& grants() override { return grants_; }
  SettingsRepository& settings() override { return settings_; }
  JobRepository& jobs() override { return jobs_; }
  UsageRepository& usage() override { return usage_; }
  Status ping() override { return database_.ping(); }
  StoreInfo info() override {
    StoreInfo out = database_.info();
    out.account = account_;
    return out;
  }

 private:
  Database& database_;
  std::string account_;
  SqliteUserRepository users_;
  SqlitePreferenceRepository preferences_;
  SqliteConversationRepository conversations_;
  SqliteCommandLogRepository command_log_;
  SqliteGrantRepository grants_;
  SqliteSettingsRepository settings_;
  SqliteJobRepository jobs_;
  SqliteUsageRepository usage_;
};

}  // namespace

Result<std::unique_ptr<Store>> SqliteDatabase::account(std::string_view name) {
  SAKAI_TRY(validate_account_name(name));
  return std::unique_ptr<Store>(std::make_unique<SqliteAccountStore>(*this, db_, name, clock_));
}

Status SqliteDatabase::ping() {
  // A write that is rolled back: the database answers and takes writes (it is not read-only, no
  // other process holds its write lock past the busy timeout, the journal can be written).
  auto tx = Transaction::begin(db_, "write check");
  if (!tx) return tx.status();
  Result<Statement> stmt = db_.prepare(
      "INSERT OR REPLACE INTO settings (account, key, value) VALUES ('', '.write-check', '')",
      "write check");
  if (!stmt) return stmt.status();
  return stmt->run();  // rolled back when `tx` goes
}

StoreInfo SqliteDatabase::info() {
  namespace fs = std::filesystem;
  StoreInfo out;
  out.backend = "sqlite";
  out.location = db_.path();
  out.schema_version = schema_version_;
  if (db_.path() != ":memory:") {
    std::error_code ec;
    const std::uintmax_t main_size = fs::file_size(db_.path(), ec);
    if (!ec) {
      out.size_bytes = static_cast<std::int64_t>(main_size);
      const std::uintmax_t wal_size = fs::file_size(db_.path() + "-wal", ec);
      if (!ec) out.size_bytes += static_cast<std::int64_t>(wal_size);
    }
  }
  return out;
}

}  // namespace sakai::storage::sqlite
