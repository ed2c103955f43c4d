#pragma once
// The SQLite Database: one connection (one SqliteDb, with its prepared-statement cache) shared by
// every account's Store view. Internal to the SQLite backend; callers get it from
// open_sqlite_database (sqlite_store.h) and use it through storage::Database.
// Thread-safety: the database and its views are used from the event loop thread only.
// Ownership: the database owns the connection; views borrow it and must not outlive it.
#include <memory>
#include <string_view>
#include <utility>

#include "core/clock.h"
#include "core/result.h"
#include "storage/sqlite/sqlite_db.h"
#include "storage/store.h"

namespace sakai::storage::sqlite {

class SqliteDatabase final : public Database {
 public:
  // `db` is open and migrated to `schema_version`; `clock` must outlive the database.
  SqliteDatabase(SqliteDb db, const Clock& clock, int schema_version)
      : db_(std::move(db)), clock_(clock), schema_version_(schema_version) {}

  Result<std::unique_ptr<Store>> account(std::string_view name) override;
  Status ping() override;
  StoreInfo info() override;

 private:
  SqliteDb db_;
  const Clock& clock_;
  int schema_version_;
};

}  // namespace sakai::storage::sqlite
