#pragma once
// The SQLite storage backend (the default). One database file holds every repository of every
// account; the schema is created and upgraded by versioned migrations when the store is opened.
// Thread-safety: the store is used from the event loop thread only (the connection is opened
// with SQLITE_OPEN_NOMUTEX).
#include <memory>
#include <string>

#include "core/clock.h"
#include "core/result.h"
#include "storage/store.h"

namespace sakai::storage {

// Opens (creating if missing) the SQLite database at `path`, creating its parent directory
// with mode 0700 and the file itself with mode 0600, then applies pending migrations (a database
// written before storage was keyed by account has its rows moved to the "default" account).
// ":memory:" opens a private in-memory database (for tests). Every account's Store view
// (Database::account) shares the one connection.
//
// A file that is not a healthy SQLite database is refused with kCorrupt and never modified.
// A path that cannot be created or written gives kIo naming the path. A database written by a
// newer SakaiBot (higher schema version) is refused with kFailedPrecondition. A database locked
// by another process beyond the 5 s busy timeout gives kUnavailable. `clock` must outlive the
// database; it stamps created_ms/first_seen_ms when callers leave them 0.
Result<std::unique_ptr<Database>> open_sqlite_database(const std::string& path, const Clock& clock);

// The same, returning the "default" account's view, which owns its database (the single-account
// convenience: tests, benches, the console). Same checks and errors.
Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path, const Clock& clock);

}  // namespace sakai::storage
