// Conversation history: append, recent window, reply lookup, trimming and clearing.
#include <algorithm>
#include <string>
#include <unordered_set>

#include "storage/sqlite/repositories.h"

namespace sakai::storage::sqlite {

namespace {

constexpr const char* kColumns =
    "SELECT id, chat_id, thread, role, text, tokens, message_id, created_ms "
    "FROM conversation_history ";

HistoryEntry read_entry(const Statement& stmt) {
  HistoryEntry entry;
  entry.id = stmt.int64(0);
  entry.chat = ChatId(stmt.int64(1));
  entry.thread = stmt.int64(2);
  entry.role = stmt.text(3);
  entry.text = stmt.text(4);
  entry.tokens = static_cast<int>(stmt.int64(5));
  if (auto message = stmt.optional_int64(6)) entry.message_id = MessageId(*message);
  entry.created_ms = stmt.int64(7);
  return entry;
}

}  // namespace

Result<std::int64_t> SqliteConversationRepository::append(const HistoryEntry& entry) {
  const std::int64_t created =
      entry.created_ms != 0 ? entry.created_ms : to_unix_ms(clock_.wall_now());
  Result<Statement> stmt = db_.prepare(
      "INSERT INTO conversation_history "
      "(account, chat_id, thread, role, text, tokens, message_id, created_ms) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      "conversations.append");
  if (!stmt) return stmt.status();
  std::optional<std::int64_t> message;
  if (entry.message_id) message = entry.message_id->value();
  stmt->bind_static(1, account_)
      .bind(2, entry.chat.value())
      .bind(3, entry.thread)
      .bind(4, std::string_view(entry.role))
      .bind(5, std::string_view(entry.text))
      .bind(6, std::int64_t{entry.tokens})
      .bind(7, message)
      .bind(8, created);
  SAKAI_TRY(stmt->run());
  chats_with_memory_.add(entry.chat.value());
  return db_.last_insert_rowid();
}

Result<std::vector<HistoryEntry>> SqliteConversationRepository::recent(ChatId chat,
                                                                       std::int64_t thread,
                                                                       int max_messages) {
  std::vector<HistoryEntry> out;
  if (max_messages <= 0) return out;
  Result<Statement> stmt =
      db_.prepare(std::string(kColumns) +
                      "WHERE account = ? AND chat_id = ? AND thread = ? ORDER BY id DESC LIMIT ?",
                  "conversations.recent");
  if (!stmt) return stmt.status();
  stmt->bind_static(1, account_)
      .bind(2, chat.value())
      .bind(3, thread)
      .bind(4, std::int64_t{max_messages});
  SAKAI_TRY(stmt->for_each_row([&] { out.push_back(read_entry(*stmt)); }));
  std::reverse(out.begin(), out.end());  // oldest first
  return out;
}

Result<std::optional<HistoryEntry>> SqliteConversationRepository::find_by_message(
    ChatId chat, MessageId message) {
  const bool none = chats_with_memory_.surely_absent(
      chat.value(), [&](std::unordered_set<std::int64_t>& chats) -> Status {
        Result<Statement> all = db_.prepare(
            "SELECT chat_id FROM conversation_history WHERE account = ? UNION "
            "SELECT chat_id FROM conversation_parts WHERE account = ?",
            "conversations.chats");
        if (!all) return all.status();
        all->bind_static(1, account_).bind_static(2, account_);
        return all->for_each_row([&] { chats.insert(all->int64(0)); });
      });
  if (none) return std::optional<HistoryEntry>();
  // The entry's own message first, then the parts linked to it.
  Result<Statement> stmt = db_.prepare(
      std::string(kColumns) +
          "WHERE account = ? AND chat_id = ? AND message_id = ? "
          "UNION ALL "
          "SELECT h.id, h.chat_id, h.thread, h.role, h.text, h.tokens, h.message_id, h.created_ms "
          "FROM conversation_history h JOIN conversation_parts p ON p.entry_id = h.id "
          "WHERE p.account = ? AND p.chat_id = ? AND p.message_id = ? AND h.account = p.account "
          "ORDER BY 1 DESC LIMIT 1",
      "conversations.find_by_message");
  if (!stmt) return stmt.status();
  stmt->bind_static(1, account_)
      .bind(2, chat.value())
      .bind(3, message.value())
      .bind_static(4, account_)
      .bind(5, chat.value())
      .bind(6, message.value());
  Result<bool> row = stmt->step();
  if (!row) return row.status();
  if (!*row) return std::optional<HistoryEntry>();
  return std::optional<HistoryEntry>(read_entry(*stmt));
}

Status SqliteConversationRepository::link_message(ChatId chat, MessageId message,
                                                  std::int64_t entry_id) {
  // Only an entry of this account may be linked: another account's id is refused as unknown.
  // (The casts give the parameters a type where PostgreSQL cannot infer one.)
  Result<Statement> stmt = db_.prepare(
      "INSERT INTO conversation_parts (account, chat_id, message_id, entry_id) "
      "SELECT account, CAST(? AS BIGINT), CAST(? AS BIGINT), id FROM conversation_history "
      "WHERE account = ? AND id = ? "
      "ON CONFLICT (account, chat_id, message_id) DO UPDATE SET entry_id = excluded.entry_id",
      "conversations.link_message");
  if (!stmt) return stmt.status();
  stmt->bind(1, chat.value()).bind(2, message.value()).bind_static(3, account_).bind(4, entry_id);
  SAKAI_TRY(stmt->run());
  chats_with_memory_.add(chat.value());
  if (db_.changes() == 0) {
    return make_error(ErrorCode::kInvalidArgument, "conversations.link_message: no entry " +
                                                       std::to_string(entry_id) + " to link");
  }
  return Status::ok();
}

Result<int> SqliteConversationRepository::trim(ChatId chat, std::int64_t thread, int max_messages,
                                               int max_tokens) {
  // Walk from the newest entry back, keeping entries while both budgets hold; the newest entry
  // is kept even if it alone exceeds max_tokens (but not when max_messages is 0). Everything
  // at or before the first entry that does not fit is deleted.
  std::optional<std::int64_t> cutoff;  // delete ids <= cutoff
  {
    // Scoped so the read finishes before the DELETE below.
    Result<Statement> scan = db_.prepare(
        "SELECT id, tokens FROM conversation_history "
        "WHERE account = ? AND chat_id = ? AND thread = ? ORDER BY id DESC",
        "conversations.trim");
    if (!scan) return scan.status();
    scan->bind_static(1, account_).bind(2, chat.value()).bind(3, thread);
    std::int64_t kept = 0;
    std::int64_t tokens = 0;
    while (true) {
      Result<bool> row = scan->step();
      if (!row) return row.status();
      if (!*row) break;
      const std::int64_t id = scan->int64(0);
      const std::int64_t entry_tokens = std::max<std::int64_t>(0, scan->int64(1));
      const bool fits_count = kept < max_messages;
      const bool fits_tokens = kept == 0 || tokens + entry_tokens <= max_tokens;
      if (!fits_count || !fits_tokens) {
        cutoff = id;
        break;
      }
      ++kept;
      tokens += entry_tokens;
    }
  }
  if (!cutoff) return 0;

  Result<Statement> del = db_.prepare(
      "DELETE FROM conversation_history "
      "WHERE account = ? AND chat_id = ? AND thread = ? AND id <= ?",
      "conversations.trim");
  if (!del) return del.status();
  del->bind_static(1, account_).bind(2, chat.value()).bind(3, thread).bind(4, *cutoff);
  SAKAI_TRY(del->run());
  return db_.changes();
}

Result<int> SqliteConversationRepository::clear(ChatId chat) {
  Result<Statement> stmt = db_.prepare(
      "DELETE FROM conversation_history WHERE account = ? AND chat_id = ?", "conversations.clear");
  if (!stmt) return stmt.status();
  stmt->bind_static(1, account_).bind(2, chat.value());
  SAKAI_TRY(stmt->run());
  return db_.changes();
}

}  // namespace sakai::storage::sqlite
