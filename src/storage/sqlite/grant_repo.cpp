// Per-user command grants with optional expiry.
#include <string>
#include <unordered_set>

#include "storage/sqlite/repositories.h"

namespace sakai::storage::sqlite {

namespace {

std::string_view mode_name(GrantMode mode) {
  return mode == GrantMode::kDirect ? "direct" : "confirm";
}

// Anything unexpected reads as the more restrictive mode.
GrantMode parse_mode(std::string_view name) {
  return name == "direct" ? GrantMode::kDirect : GrantMode::kConfirm;
}

constexpr const char* kColumns =
    "SELECT user_id, command, mode, expires_ms, created_ms FROM grants ";

Result<std::vector<Grant>> read_grants(Statement& stmt) {
  std::vector<Grant> out;
  SAKAI_TRY(stmt.for_each_row([&] {
    Grant grant;
    grant.user = UserId(stmt.int64(0));
    grant.command = stmt.text(1);
    grant.mode = parse_mode(stmt.text(2));
    grant.expires_ms = stmt.optional_int64(3);
    grant.created_ms = stmt.int64(4);
    out.push_back(std::move(grant));
  }));
  return out;
}

}  // namespace

Status SqliteGrantRepository::put(const Grant& grant) {
  const std::int64_t created =
      grant.created_ms != 0 ? grant.created_ms : to_unix_ms(clock_.wall_now());
  Result<Statement> stmt = db_.prepare(
      "INSERT INTO grants (account, user_id, command, mode, expires_ms, created_ms) "
      "VALUES (?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (account, user_id, command) DO UPDATE SET mode = excluded.mode, "
      "expires_ms = excluded.expires_ms, created_ms = excluded.created_ms",
      "grants.put");
  if (!stmt) return stmt.status();
  stmt->bind_static(1, account_)
      .bind(2, grant.user.value())
      .bind(3, std::string_view(grant.command))
      .bind(4, mode_name(grant.mode))
      .bind(5, grant.expires_ms)
      .bind(6, created);
  SAKAI_TRY(stmt->run());
  granted_users_.add(grant.user.value());
  return Status::ok();
}

Result<int> SqliteGrantRepository::remove(UserId user, std::string_view command) {
  Result<Statement> stmt =
      command.empty()
          ? db_.prepare("DELETE FROM grants WHERE account = ? AND user_id = ?", "grants.remove")
          : db_.prepare("DELETE FROM grants WHERE account = ? AND user_id = ? AND command = ?",
                        "grants.remove");
  if (!stmt) return stmt.status();
  stmt->bind_static(1, account_).bind(2, user.value());
  if (!command.empty()) stmt->bind(3, command);
  SAKAI_TRY(stmt->run());
  return db_.changes();
}

Result<std::vector<Grant>> SqliteGrantRepository::for_user(UserId user) {
  const bool none = granted_users_.surely_absent(
      user.value(), [&](std::unordered_set<std::int64_t>& users) -> Status {
        Result<Statement> all =
            db_.prepare("SELECT DISTINCT user_id FROM grants WHERE account = ?", "grants.users");
        if (!all) return all.status();
        all->bind_static(1, account_);
        return all->for_each_row([&] { users.insert(all->int64(0)); });
      });
  if (none) return std::vector<Grant>{};
  Result<Statement> stmt =
      db_.prepare(std::string(kColumns) + "WHERE account = ? AND user_id = ? ORDER BY command",
                  "grants.for_user");
  if (!stmt) return stmt.status();
  stmt->bind_static(1, account_).bind(2, user.value());
  return read_grants(*stmt);
}

Result<std::vector<Grant>> SqliteGrantRepository::list() {
  Result<Statement> stmt = db_.prepare(
      std::string(kColumns) + "WHERE account = ? ORDER BY user_id, command", "grants.list");
  if (!stmt) return stmt.status();
  stmt->bind_static(1, account_);
  return read_grants(*stmt);
}

Result<int> SqliteGrantRepository::purge_expired(std::int64_t now_ms) {
  Result<Statement> stmt = db_.prepare(
      "DELETE FROM grants WHERE account = ? AND expires_ms IS NOT NULL AND expires_ms < ?",
      "grants.purge_expired");
  if (!stmt) return stmt.status();
  stmt->bind_static(1, account_).bind(2, now_ms);
  SAKAI_TRY(stmt->run());
  return db_.changes();
}

}  // namespace sakai::storage::sqlite
