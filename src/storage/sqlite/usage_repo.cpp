// Usage records (LLM calls and images) and the sums /usage, the budgets and the image quota read.
#include <string>

#include "storage/sqlite/repositories.h"

namespace sakai::storage::sqlite {

namespace {

constexpr std::int64_t kMsPerDay = 86'400'000;
constexpr std::string_view kSums =
    "COUNT(*), COALESCE(SUM(input_tokens), 0), COALESCE(SUM(output_tokens), 0), "
    "COALESCE(SUM(thinking_tokens), 0), COALESCE(SUM(cost_micro_usd), 0), "
    "COALESCE(SUM(images), 0)";
constexpr std::string_view kTokenOrder =
    "(COALESCE(SUM(input_tokens), 0) + COALESCE(SUM(output_tokens), 0) + "
    "COALESCE(SUM(thinking_tokens), 0))";

UsageTotals read_sums(const Statement& stmt, int first) {
  UsageTotals t;
  t.calls = stmt.int64(first);
  t.input_tokens = stmt.int64(first + 1);
  t.output_tokens = stmt.int64(first + 2);
  t.thinking_tokens = stmt.int64(first + 3);
  t.cost_micro_usd = stmt.int64(first + 4);
  t.images = stmt.int64(first + 5);
  return t;
}

// " AND user_id = ?" when a user is given (the caller binds it after the other parameters).
std::string user_filter(const std::optional<UserId>& user) {
  return user ? " AND user_id = ?" : "";
}

}  // namespace

Status SqliteUsageRepository::append(const UsageRecord& r) {
  Result<Statement> stmt = db_.prepare(
      "INSERT INTO llm_usage (account, ts_ms, user_id, chat_id, command, provider, model, "
      "input_tokens, output_tokens, thinking_tokens, cost_micro_usd, images) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      "usage.append");
  if (!stmt) return stmt.status();
  stmt->bind_static(1, account_)
      .bind(2, r.ts_ms != 0 ? r.ts_ms : to_unix_ms(clock_.wall_now()))
      .bind(3, r.user.value())
      .bind(4, r.chat.value())
      .bind(5, std::string_view(r.command))
      .bind(6, std::string_view(r.provider))
      .bind(7, std::string_view(r.model))
      .bind(8, r.input_tokens)
      .bind(9, r.output_tokens)
      .bind(10, r.thinking_tokens)
      .bind(11, r.cost_micro_usd)
      .bind(12, r.images);
  return stmt->run();
}

Result<UsageTotals> SqliteUsageRepository::totals(std::optional<UserId> user,
                                                  std::int64_t since_ms) {
  Result<Statement> stmt =
      db_.prepare("SELECT " + std::string(kSums) +
                      " FROM llm_usage WHERE account = ? AND ts_ms >= ?" + user_filter(user),
                  "usage.totals");
  if (!stmt) return stmt.status();
  stmt->bind_static(1, account_).bind(2, since_ms);
  if (user) stmt->bind(3, user->value());
  Result<bool> row = stmt->step();
  if (!row) return row.status();
  return *row ? read_sums(*stmt, 0) : UsageTotals{};
}

Result<std::vector<std::pair<std::string, UsageTotals>>> SqliteUsageRepository::by_model(
    std::optional<UserId> user, std::int64_t since_ms) {
  std::vector<std::pair<std::string, UsageTotals>> out;
  Result<Statement> stmt =
      db_.prepare("SELECT model, " + std::string(kSums) +
                      " FROM llm_usage WHERE account = ? AND ts_ms >= ?" + user_filter(user) +
                      " GROUP BY model ORDER BY " + std::string(kTokenOrder) + " DESC, model ASC",
                  "usage.by_model");
  if (!stmt) return stmt.status();
  stmt->bind_static(1, account_).bind(2, since_ms);
  if (user) stmt->bind(3, user->value());
  SAKAI_TRY(stmt->for_each_row([&] { out.emplace_back(stmt->text(0), read_sums(*stmt, 1)); }));
  return out;
}

Result<std::vector<std::pair<UserId, UsageTotals>>> SqliteUsageRepository::by_user(
    std::int64_t since_ms) {
  std::vector<std::pair<UserId, UsageTotals>> out;
  Result<Statement> stmt = db_.prepare(
      "SELECT user_id, " + std::string(kSums) +
          " FROM llm_usage WHERE account = ? AND ts_ms >= ? GROUP BY user_id ORDER BY " +
          std::string(kTokenOrder) + " DESC, user_id ASC",
      "usage.by_user");
  if (!stmt) return stmt.status();
  stmt->bind_static(1, account_).bind(2, since_ms);
  SAKAI_TRY(
      stmt->for_each_row([&] { out.emplace_back(UserId(stmt->int64(0)), read_sums(*stmt, 1)); }));
  return out;
}

Result<std::vector<std::pair<std::int64_t, UsageTotals>>> SqliteUsageRepository::by_day(
    std::optional<UserId> user, std::int64_t since_ms) {
  std::vector<std::pair<std::int64_t, UsageTotals>> out;
  // Integer division floors toward zero in SQLite and PostgreSQL alike; usage is never pre-1970.
  Result<Statement> stmt =
      db_.prepare("SELECT ts_ms / ?, " + std::string(kSums) +
                      " FROM llm_usage WHERE account = ? AND ts_ms >= ?" + user_filter(user) +
                      " GROUP BY ts_ms / ? ORDER BY ts_ms / ? ASC",
                  "usage.by_day");
  if (!stmt) return stmt.status();
  stmt->bind(1, kMsPerDay).bind_static(2, account_).bind(3, since_ms);
  int next = 4;
  if (user) stmt->bind(next++, user->value());
  stmt->bind(next, kMsPerDay).bind(next + 1, kMsPerDay);
  SAKAI_TRY(stmt->for_each_row(
      [&] { out.emplace_back(stmt->int64(0) * kMsPerDay, read_sums(*stmt, 1)); }));
  return out;
}

}  // namespace sakai::storage::sqlite
