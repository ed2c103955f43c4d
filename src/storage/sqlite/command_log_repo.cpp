// The command log and the statistics /stats shows from it.
#include <string>

#include "storage/sqlite/repositories.h"

namespace sakai::storage::sqlite {

namespace {

constexpr std::int64_t kMsPerHour = 3'600'000;

}  // namespace

Status SqliteCommandLogRepository::append(const CommandLogEntry& entry) {
  Result<Statement> stmt = db_.prepare(
      "INSERT INTO command_log (account, ts_ms, user_id, chat_id, command, latency_ms, outcome) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)",
      "command_log.append");
  if (!stmt) return stmt.status();
  stmt->bind_static(1, account_)
      .bind(2, entry.ts_ms)
      .bind(3, entry.user.value())
      .bind(4, entry.chat.value())
      .bind(5, std::string_view(entry.command))
      .bind(6, entry.latency_ms)
      .bind(7, std::string_view(entry.outcome));
  return stmt->run();
}

Result<CommandStats> SqliteCommandLogRepository::stats(std::int64_t since_ms) {
  CommandStats stats;
  {
    Result<Statement> stmt = db_.prepare(
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN outcome = 'error' THEN 1 ELSE 0 END), 0), "
        "COALESCE(SUM(latency_ms), 0) FROM command_log WHERE account = ? AND ts_ms >= ?",
        "command_log.stats");
    if (!stmt) return stmt.status();
    stmt->bind_static(1, account_).bind(2, since_ms);
    Result<bool> row = stmt->step();
    if (!row) return row.status();
    if (*row) {
      stats.total = stmt->int64(0);
      stats.errors = stmt->int64(1);
      if (stats.total > 0) {
        stats.mean_latency_ms =
            static_cast<double>(stmt->int64(2)) / static_cast<double>(stats.total);
      }
    }
  }
  {
    Result<Statement> stmt = db_.prepare(
        "SELECT command, COUNT(*) AS uses FROM command_log "
        "WHERE account = ? AND ts_ms >= ? AND command <> '' "
        "GROUP BY command ORDER BY uses DESC, command ASC",
        "command_log.stats");
    if (!stmt) return stmt.status();
    stmt->bind_static(1, account_).bind(2, since_ms);
    SAKAI_TRY(
        stmt->for_each_row([&] { stats.by_command.emplace_back(stmt->text(0), stmt->int64(1)); }));
  }
  {
    // Integer division on BIGINT floors toward zero in both SQLite and PostgreSQL; the hour of
    // the day is normalised below so pre-1970 timestamps still land in a bucket.
    Result<Statement> stmt = db_.prepare(
        "SELECT ts_ms / ?, COUNT(*) FROM command_log WHERE account = ? AND ts_ms >= ? "
        "GROUP BY ts_ms / ?",
        "command_log.stats");
    if (!stmt) return stmt.status();
    stmt->bind(1, kMsPerHour).bind_static(2, account_).bind(3, since_ms).bind(4, kMsPerHour);
    SAKAI_TRY(stmt->for_each_row([&] {
      const std::int64_t hour = ((stmt->int64(0) % 24) + 24) % 24;
      stats.by_hour_utc[static_cast<std::size_t>(hour)] += stmt->int64(1);
    }));
  }
  return stats;
}

Result<std::vector<CommandLogEntry>> SqliteCommandLogRepository::recent(int limit) {
  std::vector<CommandLogEntry> out;
  if (limit <= 0) return out;
  Result<Statement> stmt = db_.prepare(
      "SELECT ts_ms, user_id, chat_id, command, latency_ms, outcome FROM command_log "
      "WHERE account = ? ORDER BY ts_ms DESC, id DESC LIMIT ?",
      "command_log.recent");
  if (!stmt) return stmt.status();
  stmt->bind_static(1, account_).bind(2, std::int64_t{limit});
  SAKAI_TRY(stmt->for_each_row([&] {
    CommandLogEntry entry;
    entry.ts_ms = stmt->int64(0);
    entry.user = UserId(stmt->int64(1));
    entry.chat = ChatId(stmt->int64(2));
    entry.command = stmt->text(3);
    entry.latency_ms = stmt->int64(4);
    entry.outcome = stmt->text(5);
    out.push_back(std::move(entry));
  }));
  return out;
}

}  // namespace sakai::storage::sqlite
