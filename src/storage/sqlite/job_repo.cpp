// Scheduled jobs (reminders, delayed messages, ...).
#include <string>

#include "storage/sqlite/repositories.h"

namespace sakai::storage::sqlite {

namespace {

JobStatus parse_status(std::string_view name) {
  if (name == "running") return JobStatus::kRunning;
  if (name == "done") return JobStatus::kDone;
  if (name == "failed") return JobStatus::kFailed;
  if (name == "cancelled") return JobStatus::kCancelled;
  return JobStatus::kPending;
}

constexpr const char* kColumns =
    "SELECT id, kind, chat_id, owner_id, due_ms, payload, status, attempts, created_ms "
    "FROM scheduled_jobs ";

ScheduledJob read_job(const Statement& stmt) {
  ScheduledJob job;
  job.id = stmt.int64(0);
  job.kind = stmt.text(1);
  job.chat = ChatId(stmt.int64(2));
  job.owner = UserId(stmt.int64(3));
  job.due_ms = stmt.int64(4);
  job.payload = stmt.text(5);
  job.status = parse_status(stmt.text(6));
  job.attempts = static_cast<int>(stmt.int64(7));
  job.created_ms = stmt.int64(8);
  return job;
}

Result<std::vector<ScheduledJob>> read_jobs(Statement& stmt) {
  std::vector<ScheduledJob> out;
  SAKAI_TRY(stmt.for_each_row([&] { out.push_back(read_job(stmt)); }));
  return out;
}

}  // namespace

Result<std::int64_t> SqliteJobRepository::add(const ScheduledJob& job) {
  const std::int64_t created = job.created_ms != 0 ? job.created_ms : to_unix_ms(clock_.wall_now());
  Result<Statement> stmt = db_.prepare(
      "INSERT INTO scheduled_jobs "
      "(account, kind, chat_id, owner_id, due_ms, payload, status, attempts, created_ms) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      "jobs.add");
  if (!stmt) return stmt.status();
  stmt->bind_static(1, account_)
      .bind(2, std::string_view(job.kind))
      .bind(3, job.chat.value())
      .bind(4, job.owner.value())
      .bind(5, job.due_ms)
      .bind(6, std::string_view(job.payload))
      .bind(7, job_status_name(job.status))
      .bind(8, std::int64_t{job.attempts})
      .bind(9, created);
  SAKAI_TRY(stmt->run());
  return db_.last_insert_rowid();
}

Result<std::optional<ScheduledJob>> SqliteJobRepository::get(std::int64_t id) {
  Result<Statement> stmt =
      db_.prepare(std::string(kColumns) + "WHERE account = ? AND id = ?", "jobs.get");
  if (!stmt) return stmt.status();
  stmt->bind_static(1, account_).bind(2, id);
  Result<bool> row = stmt->step();
  if (!row) return row.status();
  if (!*row) return std::optional<ScheduledJob>();
  return std::optional<ScheduledJob>(read_job(*stmt));
}

Result<std::vector<ScheduledJob>> SqliteJobRepository::due(std::int64_t now_ms, int limit) {
  if (limit <= 0) return std::vector<ScheduledJob>();
  Result<Statement> stmt =
      db_.prepare(std::string(kColumns) +
                      "WHERE account = ? AND status = 'pending' AND due_ms <= ? "
                      "ORDER BY due_ms, id LIMIT ?",
                  "jobs.due");
  if (!stmt) return stmt.status();
  stmt->bind_static(1, account_).bind(2, now_ms).bind(3, std::int64_t{limit});
  return read_jobs(*stmt);
}

Result<std::vector<ScheduledJob>> SqliteJobRepository::pending(std::string_view kind) {
  std::string sql =
      std::string(kColumns) + "WHERE account = ? AND status IN ('pending', 'running') ";
  if (!kind.empty()) sql += "AND kind = ? ";
  sql += "ORDER BY due_ms, id";
  Result<Statement> stmt = db_.prepare(sql, "jobs.pending");
  if (!stmt) return stmt.status();
  stmt->bind_static(1, account_);
  if (!kind.empty()) stmt->bind(2, kind);
  return read_jobs(*stmt);
}

Status SqliteJobRepository::set_status(std::int64_t id, JobStatus status, int attempts) {
  Result<Statement> stmt =
      db_.prepare("UPDATE scheduled_jobs SET status = ?, attempts = ? WHERE account = ? AND id = ?",
                  "jobs.set_status");
  if (!stmt) return stmt.status();
  stmt->bind(1, job_status_name(status))
      .bind(2, std::int64_t{attempts})
      .bind_static(3, account_)
      .bind(4, id);
  SAKAI_TRY(stmt->run());
  if (db_.changes() == 0) {
    return make_error(ErrorCode::kNotFound, "jobs.set_status: no job " + std::to_string(id));
  }
  return Status::ok();
}

}  // namespace sakai::storage::sqlite
