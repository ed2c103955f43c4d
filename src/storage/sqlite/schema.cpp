#include "storage/sqlite/schema.h"

#include <array>
#include <string>

namespace sakai::storage::sqlite {

namespace {

// Never edit a migration that has shipped; append a new one instead.
constexpr std::string_view kMigration1 = R"sql(
CREATE TABLE users (
  id BIGINT PRIMARY KEY,
  display_name TEXT NOT NULL DEFAULT '',
  username TEXT NOT NULL DEFAULT '',
  username_key TEXT NOT NULL DEFAULT '',
  first_seen_ms BIGINT NOT NULL,
  last_seen_ms BIGINT NOT NULL
);
CREATE INDEX users_username_key ON users (username_key);

CREATE TABLE preferences (
  user_id BIGINT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (user_id, key)
);

CREATE TABLE conversation_history (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  chat_id BIGINT NOT NULL,
  thread BIGINT NOT NULL DEFAULT 0,
  role TEXT NOT NULL,
  text TEXT NOT NULL,
  tokens INTEGER NOT NULL DEFAULT 0,
  message_id BIGINT,
  created_ms BIGINT NOT NULL
);
CREATE INDEX conversation_history_thread ON conversation_history (chat_id, thread, id);
CREATE INDEX conversation_history_message ON conversation_history (chat_id, message_id);

CREATE TABLE command_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  ts_ms BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  chat_id BIGINT NOT NULL,
  command TEXT NOT NULL,
  latency_ms BIGINT NOT NULL DEFAULT 0,
  outcome TEXT NOT NULL
);
CREATE INDEX command_log_ts ON command_log (ts_ms);

CREATE TABLE grants (
  user_id BIGINT NOT NULL,
  command TEXT NOT NULL,
  mode TEXT NOT NULL CHECK (mode IN ('direct', 'confirm')),
  expires_ms BIGINT,
  created_ms BIGINT NOT NULL,
  PRIMARY KEY (user_id, command)
);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE topic_mappings (
  command TEXT PRIMARY KEY,
  group_id BIGINT NOT NULL,
  topic_id BIGINT NOT NULL
);

CREATE TABLE scheduled_jobs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  chat_id BIGINT NOT NULL,
  owner_id BIGINT NOT NULL,
  due_ms BIGINT NOT NULL,
  payload TEXT NOT NULL,
  status TEXT NOT NULL
    CHECK (status IN ('pending', 'running', 'done', 'failed', 'cancelled')),
  attempts INTEGER NOT NULL DEFAULT 0,
  created_ms BIGINT NOT NULL
);
CREATE INDEX scheduled_jobs_status_due ON scheduled_jobs (status, due_ms);
)sql";

// The chat list cache (/chats); `position` keeps the chat list's order (most recent first).
// Its time lives in settings under "chats.updated_ms".
constexpr std::string_view kMigration2 = R"sql(
CREATE TABLE chats (
  chat_id BIGINT PRIMARY KEY,
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  is_forum INTEGER NOT NULL,
  updated_ms BIGINT NOT NULL,
  position INTEGER NOT NULL DEFAULT 0
);
)sql";

// LLM usage and cost (/usage, budgets); cost in integer micro-USD.
constexpr std::string_view kMigration3 = R"sql(
CREATE TABLE llm_usage (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  ts_ms BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  chat_id BIGINT NOT NULL,
  command TEXT NOT NULL,
  provider TEXT NOT NULL,
  model TEXT NOT NULL,
  input_tokens BIGINT NOT NULL DEFAULT 0,
  output_tokens BIGINT NOT NULL DEFAULT 0,
  thinking_tokens BIGINT NOT NULL DEFAULT 0,
  cost_micro_usd BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX llm_usage_user_ts ON llm_usage (user_id, ts_ms);
CREATE INDEX llm_usage_ts ON llm_usage (ts_ms);
)sql";

// The earlier messages of an answer split over several (the last one is the history entry's own
// message_id), so a reply to any part continues the conversation.
constexpr std::string_view kMigration4 = R"sql(
CREATE TABLE conversation_parts (
  chat_id BIGINT NOT NULL,
  message_id BIGINT NOT NULL,
  entry_id BIGINT NOT NULL REFERENCES conversation_history (id) ON DELETE CASCADE,
  PRIMARY KEY (chat_id, message_id)
);
CREATE INDEX conversation_parts_entry ON conversation_parts (entry_id);
)sql";

// Storage is keyed by account (several Telegram accounts share one database): every table gains
// `account`, which leads every primary key and index where rows are looked up. The rows written
// before it belong to the "default" account (the single-account [telegram] setup). SQLite cannot
// change a primary key, so each table is rebuilt: created as <name>_v5, filled, the old one
// dropped, the new one renamed (which also rewrites conversation_parts' reference to
// conversation_history). Ids and AUTOINCREMENT counters are kept, so no id is ever reused. The
// parts table is dropped before the history table: with foreign keys on, dropping a parent still
// referenced would cascade into its children.
constexpr std::string_view kMigration5 = R"sql(
CREATE TABLE users_v5 (
  account TEXT NOT NULL,
  id BIGINT NOT NULL,
  display_name TEXT NOT NULL DEFAULT '',
  username TEXT NOT NULL DEFAULT '',
  username_key TEXT NOT NULL DEFAULT '',
  first_seen_ms BIGINT NOT NULL,
  last_seen_ms BIGINT NOT NULL,
  PRIMARY KEY (account, id)
);
INSERT INTO users_v5 (account, id, display_name, username, username_key, first_seen_ms,
                      last_seen_ms)
  SELECT 'default', id, display_name, username, username_key, first_seen_ms, last_seen_ms
  FROM users;
DROP TABLE users;
ALTER TABLE users_v5 RENAME TO users;
CREATE INDEX users_username_key ON users (account, username_key);

CREATE TABLE preferences_v5 (
  account TEXT NOT NULL,
  user_id BIGINT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (account, user_id, key)
);
INSERT INTO preferences_v5 (account, user_id, key, value)
  SELECT 'default', user_id, key, value FROM preferences;
DROP TABLE preferences;
ALTER TABLE preferences_v5 RENAME TO preferences;

CREATE TABLE conversation_history_v5 (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  account TEXT NOT NULL,
  chat_id BIGINT NOT NULL,
  thread BIGINT NOT NULL DEFAULT 0,
  role TEXT NOT NULL,
  text TEXT NOT NULL,
  tokens INTEGER NOT NULL DEFAULT 0,
  message_id BIGINT,
  created_ms BIGINT NOT NULL
);
INSERT INTO conversation_history_v5 (id, account, chat_id, thread, role, text, tokens,
                                     message_id, created_ms)
  SELECT id, 'default', chat_id, thread, role, text, tokens, message_id, created_ms
  FROM conversation_history;
DELETE FROM sqlite_sequence WHERE name = 'conversation_history_v5';
INSERT INTO sqlite_sequence (name, seq)
  SELECT 'conversation_history_v5', seq FROM sqlite_sequence WHERE name = 'conversation_history';
CREATE TABLE conversation_parts_v5 (
  account TEXT NOT NULL,
  chat_id BIGINT NOT NULL,
  message_id BIGINT NOT NULL,
  entry_id BIGINT NOT NULL REFERENCES conversation_history_v5 (id) ON DELETE CASCADE,
  PRIMARY KEY (account, chat_id, message_id)
);
INSERT INTO conversation_parts_v5 (account, chat_id, message_id, entry_id)
  SELECT 'default', chat_id, message_id, entry_id FROM conversation_parts;
DROP TABLE conversation_parts;
DROP TABLE conversation_history;
ALTER TABLE conversation_history_v5 RENAME TO conversation_history;
ALTER TABLE conversation_parts_v5 RENAME TO conversation_parts;
CREATE INDEX conversation_history_thread ON conversation_history (account, chat_id, thread, id);
CREATE INDEX conversation_history_message
  ON conversation_history (account, chat_id, message_id);
CREATE INDEX conversation_parts_entry ON conversation_parts (entry_id);

CREATE TABLE command_log_v5 (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  account TEXT NOT NULL,
  ts_ms BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  chat_id BIGINT NOT NULL,
  command TEXT NOT NULL,
  latency_ms BIGINT NOT NULL DEFAULT 0,
  outcome TEXT NOT NULL
);
INSERT INTO command_log_v5 (id, account, ts_ms, user_id, chat_id, command, latency_ms, outcome)
  SELECT id, 'default', ts_ms, user_id, chat_id, command, latency_ms, outcome FROM command_log;
DELETE FROM sqlite_sequence WHERE name = 'command_log_v5';
INSERT INTO sqlite_sequence (name, seq)
  SELECT 'command_log_v5', seq FROM sqlite_sequence WHERE name = 'command_log';
DROP TABLE command_log;
ALTER TABLE command_log_v5 RENAME TO command_log;
CREATE INDEX command_log_ts ON command_log (account, ts_ms);

CREATE TABLE grants_v5 (
  account TEXT NOT NULL,
  user_id BIGINT NOT NULL,
  command TEXT NOT NULL,
  mode TEXT NOT NULL CHECK (mode IN ('direct', 'confirm')),
  expires_ms BIGINT,
  created_ms BIGINT NOT NULL,
  PRIMARY KEY (account, user_id, command)
);
INSERT INTO grants_v5 (account, user_id, command, mode, expires_ms, created_ms)
  SELECT 'default', user_id, command, mode, expires_ms, created_ms FROM grants;
DROP TABLE grants;
ALTER TABLE grants_v5 RENAME TO grants;

CREATE TABLE settings_v5 (
  account TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (account, key)
);
INSERT INTO settings_v5 (account, key, value) SELECT 'default', key, value FROM settings;
DROP TABLE settings;
ALTER TABLE settings_v5 RENAME TO settings;

CREATE TABLE topic_mappings_v5 (
  account TEXT NOT NULL,
  command TEXT NOT NULL,
  group_id BIGINT NOT NULL,
  topic_id BIGINT NOT NULL,
  PRIMARY KEY (account, command)
);
INSERT INTO topic_mappings_v5 (account, command, group_id, topic_id)
  SELECT 'default', command, group_id, topic_id FROM topic_mappings;
DROP TABLE topic_mappings;
ALTER TABLE topic_mappings_v5 RENAME TO topic_mappings;

CREATE TABLE scheduled_jobs_v5 (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  account TEXT NOT NULL,
  kind TEXT NOT NULL,
  chat_id BIGINT NOT NULL,
  owner_id BIGINT NOT NULL,
  due_ms BIGINT NOT NULL,
  payload TEXT NOT NULL,
  status TEXT NOT NULL
    CHECK (status IN ('pending', 'running', 'done', 'failed', 'cancelled')),
  attempts INTEGER NOT NULL DEFAULT 0,
  created_ms BIGINT NOT NULL
);
INSERT INTO scheduled_jobs_v5 (id, account, kind, chat_id, owner_id, due_ms, payload, status,
                               attempts, created_ms)
  SELECT id, 'default', kind, chat_id, owner_id, due_ms, payload, status, attempts, created_ms
  FROM scheduled_jobs;
DELETE FROM sqlite_sequence WHERE name = 'scheduled_jobs_v5';
INSERT INTO sqlite_sequence (name, seq)
  SELECT 'scheduled_jobs_v5', seq FROM sqlite_sequence WHERE name = 'scheduled_jobs';
DROP TABLE scheduled_jobs;
ALTER TABLE scheduled_jobs_v5 RENAME TO scheduled_jobs;
CREATE INDEX scheduled_jobs_status_due ON scheduled_jobs (account, status, due_ms);

CREATE TABLE chats_v5 (
  account TEXT NOT NULL,
  chat_id BIGINT NOT NULL,
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  is_forum INTEGER NOT NULL,
  updated_ms BIGINT NOT NULL,
  position INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (account, chat_id)
);
INSERT INTO chats_v5 (account, chat_id, kind, title, is_forum, updated_ms, position)
  SELECT 'default', chat_id, kind, title, is_forum, updated_ms, position FROM chats;
DROP TABLE chats;
ALTER TABLE chats_v5 RENAME TO chats;

CREATE TABLE llm_usage_v5 (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  account TEXT NOT NULL,
  ts_ms BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  chat_id BIGINT NOT NULL,
  command TEXT NOT NULL,
  provider TEXT NOT NULL,
  model TEXT NOT NULL,
  input_tokens BIGINT NOT NULL DEFAULT 0,
  output_tokens BIGINT NOT NULL DEFAULT 0,
  thinking_tokens BIGINT NOT NULL DEFAULT 0,
  cost_micro_usd BIGINT NOT NULL DEFAULT 0
);
INSERT INTO llm_usage_v5 (id, account, ts_ms, user_id, chat_id, command, provider, model,
                          input_tokens, output_tokens, thinking_tokens, cost_micro_usd)
  SELECT id, 'default', ts_ms, user_id, chat_id, command, provider, model, input_tokens,
         output_tokens, thinking_tokens, cost_micro_usd
  FROM llm_usage;
DELETE FROM sqlite_sequence WHERE name = 'llm_usage_v5';
INSERT INTO sqlite_sequence (name, seq)
  SELECT 'llm_usage_v5', seq FROM sqlite_sequence WHERE name = 'llm_usage';
DROP TABLE llm_usage;
ALTER TABLE llm_usage_v5 RENAME TO llm_usage;
CREATE INDEX llm_usage_user_ts ON llm_usage (account, user_id, ts_ms);
CREATE INDEX llm_usage_ts ON llm_usage (account, ts_ms);
)sql";

// Images in the usage table (/imagine): how many images a row paid for, its cost in
// cost_micro_usd as for tokens. Rows before it made none. The account column stays as migration 5
// made it.
constexpr std::string_view kMigration6 = R"sql(
ALTER TABLE llm_usage ADD COLUMN images BIGINT NOT NULL DEFAULT 0;
)sql";

constexpr std::array<std::string_view, 6> kMigrations = {kMigration1, kMigration2, kMigration3,
                                                         kMigration4, kMigration5, kMigration6};

Result<bool> table_exists(SqliteDb& db, std::string_view table) {
  Result<Statement> stmt = db.prepare(
      "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", "schema: inspect");
  if (!stmt) return stmt.status();
  stmt->bind(1, table);
  return stmt->step();
}

Result<bool> has_any_table(SqliteDb& db) {
  Result<Statement> stmt = db.prepare(
      "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
      "schema: inspect");
  if (!stmt) return stmt.status();
  return stmt->step();
}

Status newer_error(int version) {
  return make_error(ErrorCode::kFailedPrecondition,
                    "database schema version " + std::to_string(version) +
                        " is newer than this SakaiBot (" + std::to_string(latest_schema_version()) +
                        "); upgrade SakaiBot");
}

Status apply(SqliteDb& db, int version, std::int64_t now_ms) {
  const std::string what = "schema: migration " + std::to_string(version);
  Result<Transaction> tx = Transaction::begin(db, what);
  if (!tx) return tx.status();
  // Another process may have migrated while we waited for the write lock.
  Result<int> current = read_schema_version(db);
  if (!current) return current.status();
  if (*current >= version) return tx->commit();
  if (*current != version - 1) {
    return make_error(ErrorCode::kInternal, what + ": expected version " +
                                                std::to_string(version - 1) + ", found " +
                                                std::to_string(*current));
  }
  SAKAI_TRY(db.exec(kMigrations[static_cast<std::size_t>(version - 1)], what));
  Result<Statement> stamp = db.prepare(
      "INSERT INTO schema_migrations (version, applied_ms) VALUES (?, ?)", what + " (stamp)");
  if (!stamp) return stamp.status();
  stamp->bind(1, std::int64_t{version}).bind(2, now_ms);
  SAKAI_TRY(stamp->run());
  return tx->commit();
}

}  // namespace

std::span<const std::string_view> migrations() {
  return kMigrations;
}

int latest_schema_version() {
  return static_cast<int>(kMigrations.size());
}

Result<int> read_schema_version(SqliteDb& db) {
  Result<bool> exists = table_exists(db, "schema_migrations");
  if (!exists) return exists.status();
  if (!*exists) return 0;
  Result<Statement> stmt =
      db.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", "schema: version");
  if (!stmt) return stmt.status();
  Result<bool> row = stmt->step();
  if (!row) return row.status();
  return *row ? static_cast<int>(stmt->int64(0)) : 0;
}

Result<int> migrate(SqliteDb& db, std::int64_t now_ms) {
  Result<int> version = read_schema_version(db);
  if (!version) return version.status();
  if (*version > latest_schema_version()) return newer_error(*version);
  if (*version == latest_schema_version()) return *version;

  if (*version == 0) {
    Result<bool> stamped = table_exists(db, "schema_migrations");
    if (!stamped) return stamped.status();
    if (!*stamped) {
      Result<bool> foreign = has_any_table(db);
      if (!foreign) return foreign.status();
      if (*foreign) {
        return make_error(ErrorCode::kFailedPrecondition,
                          "the file already contains tables but no schema_migrations table; "
                          "it is not a SakaiBot database. Point storage.path at another file");
      }
    }
    SAKAI_TRY(
        db.exec("CREATE TABLE IF NOT EXISTS schema_migrations ("
                "version INTEGER PRIMARY KEY, applied_ms INTEGER NOT NULL)",
                "schema: create schema_migrations"));
  }
  for (int v = *version + 1; v <= latest_schema_version(); ++v)
    SAKAI_TRY(apply(db, v, now_ms));
  // Re-read: a concurrent newer SakaiBot could have gone further while we were applying.
  Result<int> final_version = read_schema_version(db);
  if (!final_version) return final_version.status();
  if (*final_version > latest_schema_version()) return newer_error(*final_version);
  return *final_version;
}

}  // namespace sakai::storage::sqlite
