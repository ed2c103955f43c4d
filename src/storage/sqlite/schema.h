#pragma once
// Versioned schema migrations for the SQLite backend. Migration N (1-based) is applied in its
// own transaction and recorded in schema_migrations(version, applied_ms). The SQL sticks to
// portable types (INTEGER/BIGINT/TEXT, Unix-ms timestamps) so a PostgreSQL backend can mirror it.
#include <cstdint>
#include <span>
#include <string_view>

#include "core/result.h"
#include "storage/sqlite/sqlite_db.h"

namespace sakai::storage::sqlite {

// The ordered migrations; the schema version this code knows is migrations().size().
std::span<const std::string_view> migrations();
int latest_schema_version();

// Reads the version stamped in schema_migrations (0 when the table does not exist).
Result<int> read_schema_version(SqliteDb& db);

// Brings the database up to latest_schema_version(). Refuses (kFailedPrecondition) a database
// stamped with a newer version, and a non-empty database that has no schema_migrations table
// (it belongs to something else). Returns the resulting version.
Result<int> migrate(SqliteDb& db, std::int64_t now_ms);

}  // namespace sakai::storage::sqlite
