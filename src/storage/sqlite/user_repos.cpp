// Users, per-user preferences, global settings and topic mappings.
#include <cctype>
#include <charconv>
#include <string>

#include "storage/sqlite/repositories.h"

namespace sakai::storage::sqlite {

namespace {

// The lookup key for a username: without a leading '@', ASCII-lowercased (Telegram usernames
// are ASCII letters, digits and underscores).
std::string username_key(std::string_view username) {
  if (!username.empty() && username.front() == '@') username.remove_prefix(1);
  std::string key(username);
  for (char& c : key)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return key;
}

std::string strip_at(std::string_view username) {
  if (!username.empty() && username.front() == '@') username.remove_prefix(1);
  return std::string(username);
}

constexpr const char* kUserColumns =
    "SELECT id, display_name, username, first_seen_ms, last_seen_ms FROM users ";

UserRecord read_user(const Statement& stmt) {
  UserRecord user;
  user.id = UserId(stmt.int64(0));
  user.display_name = stmt.text(1);
  user.username = stmt.text(2);
  user.first_seen_ms = stmt.int64(3);
  user.last_seen_ms = stmt.int64(4);
  return user;
}

Result<std::optional<UserRecord>> one_user(Statement& stmt) {
  Result<bool> row = stmt.step();
  if (!row) return row.status();
  if (!*row) return std::optional<UserRecord>();
  return std::optional<UserRecord>(read_user(stmt));
}

constexpr std::string_view kSetSetting =
    "INSERT INTO settings (account, key, value) VALUES (?, ?, ?) "
    "ON CONFLICT (account, key) DO UPDATE SET value = excluded.value";

Result<std::optional<std::string>> one_text(Statement& stmt) {
  Result<bool> row = stmt.step();
  if (!row) return row.status();
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>(stmt.text(0));
}

}  // namespace

// ---- users ----

Status SqliteUserRepository::upsert(const UserRecord& user) {
  const std::int64_t now = to_unix_ms(clock_.wall_now());
  const std::int64_t last_seen = user.last_seen_ms != 0 ? user.last_seen_ms : now;
  const std::int64_t first_seen = user.first_seen_ms != 0 ? user.first_seen_ms : last_seen;
  Result<Statement> stmt = db_.prepare(
      "INSERT INTO users "
      "(account, id, display_name, username, username_key, first_seen_ms, last_seen_ms) "
      "VALUES (?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (account, id) DO UPDATE SET display_name = excluded.display_name, "
      "username = excluded.username, username_key = excluded.username_key, "
      "last_seen_ms = excluded.last_seen_ms",
      "users.upsert");
  if (!stmt) return stmt.status();
  stmt->bind_static(1, account_)
      .bind(2, user.id.value())
      .bind(3, std::string_view(user.display_name))
      .bind(4, std::string_view(strip_at(user.username)))
      .bind(5, std::string_view(username_key(user.username)))
      .bind(6, first_seen)
      .bind(7, last_seen);
  return stmt->run();
}

Result<std::optional<UserRecord>> SqliteUserRepository::get(UserId id) {
  Result<Statement> stmt =
      db_.prepare(std::string(kUserColumns) + "WHERE account = ? AND id = ?", "users.get");
  if (!stmt) return stmt.status();
  stmt->bind_static(1, account_).bind(2, id.value());
  return one_user(*stmt);
}

Result<std::optional<UserRecord>> SqliteUserRepository::find_by_username(
    std::string_view username) {
  const std::string key = username_key(username);
  if (key.empty()) return std::optional<UserRecord>();  // never match users without a username
  // A username can move from one Telegram user to another; the most recently seen holder wins.
  Result<Statement> stmt = db_.prepare(
      std::string(kUserColumns) +
          "WHERE account = ? AND username_key = ? ORDER BY last_seen_ms DESC, id LIMIT 1",
      "users.find_by_username");
  if (!stmt) return stmt.status();
  stmt->bind_static(1, account_).bind(2, std::string_view(key));
  return one_user(*stmt);
}

// ---- preferences ----

Result<std::optional<std::string>> SqlitePreferenceRepository::get(UserId user,
                                                                   std::string_view key) {
  Result<Statement> stmt =
      db_.prepare("SELECT value FROM preferences WHERE account = ? AND user_id = ? AND key = ?",
                  "preferences.get");
  if (!stmt) return stmt.status();
  stmt->bind_static(1, account_).bind(2, user.value()).bind(3, key);
  return one_text(*stmt);
}

Status SqlitePreferenceRepository::set(UserId user, std::string_view key, std::string_view value) {
  Result<Statement> stmt = db_.prepare(
      "INSERT INTO preferences (account, user_id, key, value) VALUES (?, ?, ?, ?) "
      "ON CONFLICT (account, user_id, key) DO UPDATE SET value = excluded.value",
      "preferences.set");
  if (!stmt) return stmt.status();
  stmt->bind_static(1, account_).bind(2, user.value()).bind(3, key).bind(4, value);
  return stmt->run();
}

Status SqlitePreferenceRepository::remove(UserId user, std::string_view key) {
  Result<Statement> stmt =
      db_.prepare("DELETE FROM preferences WHERE account = ? AND user_id = ? AND key = ?",
                  "preferences.remove");
  if (!stmt) return stmt.status();
  stmt->bind_static(1, account_).bind(2, user.value()).bind(3, key);
  return stmt->run();
}

// ---- settings ----

Result<std::optional<std::string>> SqliteSettingsRepository::get(std::string_view key) {
  Result<Statement> stmt =
      db_.prepare("SELECT value FROM settings WHERE account = ? AND key = ?", "settings.get");
  if (!stmt) return stmt.status();
  stmt->bind_static(1, account_).bind(2, key);
  return one_text(*stmt);
}

Status SqliteSettingsRepository::set(std::string_view key, std::string_view value) {
  Result<Statement> stmt = db_.prepare(kSetSetting, "settings.set");
  if (!stmt) return stmt.status();
  stmt->bind_static(1, account_).bind(2, key).bind(3, value);
  return stmt->run();
}

Status SqliteSettingsRepository::remove(std::string_view key) {
  Result<Statement> stmt =
      db_.prepare("DELETE FROM settings WHERE account = ? AND key = ?", "settings.remove");
  if (!stmt) return stmt.status();
  stmt->bind_static(1, account_).bind(2, key);
  return stmt->run();
}

Status SqliteSettingsRepository::put_topic(const TopicMapping& mapping) {
  Result<Statement> stmt = db_.prepare(
      "INSERT INTO topic_mappings (account, command, group_id, topic_id) VALUES (?, ?, ?, ?) "
      "ON CONFLICT (account, command) DO UPDATE SET group_id = excluded.group_id, "
      "topic_id = excluded.topic_id",
      "settings.put_topic");
  if (!stmt) return stmt.status();
  stmt->bind_static(1, account_)
      .bind(2, std::string_view(mapping.command))
      .bind(3, mapping.group.value())
      .bind(4, mapping.topic_id);
  return stmt->run();
}

Result<int> SqliteSettingsRepository::remove_topic(std::string_view command) {
  Result<Statement> stmt = db_.prepare(
      "DELETE FROM topic_mappings WHERE account = ? AND command = ?", "settings.remove_topic");
  if (!stmt) return stmt.status();
  stmt->bind_static(1, account_).bind(2, command);
  SAKAI_TRY(stmt->run());
  return db_.changes();
}

Result<std::vector<TopicMapping>> SqliteSettingsRepository::topics() {
  Result<Statement> stmt = db_.prepare(
      "SELECT command, group_id, topic_id FROM topic_mappings WHERE account = ? ORDER BY command",
      "settings.topics");
  if (!stmt) return stmt.status();
  stmt->bind_static(1, account_);
  std::vector<TopicMapping> out;
  SAKAI_TRY(stmt->for_each_row([&] {
    out.push_back({stmt->text(0), ChatId(stmt->int64(1)), stmt->int64(2)});
  }));
  return out;
}

// ---- the chat list cache ----

namespace {
constexpr std::string_view kChatsUpdatedKey = "chats.updated_ms";
}  // namespace

Status SqliteSettingsRepository::replace_chats(const std::vector<ChatInfo>& chats,
                                               std::int64_t now_ms) {
  Result<Transaction> tx = Transaction::begin(db_, "settings.replace_chats");
  if (!tx) return tx.status();
  {
    Result<Statement> clear =
        db_.prepare("DELETE FROM chats WHERE account = ?", "settings.replace_chats (clear)");
    if (!clear) return clear.status();
    clear->bind_static(1, account_);
    SAKAI_TRY(clear->run());
  }
  std::int64_t position = 0;
  for (const ChatInfo& chat : chats) {
    // A chat listed twice keeps its first (most recent) place.
    Result<Statement> stmt = db_.prepare(
        "INSERT INTO chats (account, chat_id, kind, title, is_forum, updated_ms, position) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (account, chat_id) DO NOTHING",
        "settings.replace_chats");
    if (!stmt) return stmt.status();
    stmt->bind_static(1, account_)
        .bind(2, chat.id.value())
        .bind(3, chat_kind_name(chat.kind))
        .bind(4, std::string_view(chat.title))
        .bind(5, std::int64_t{chat.is_forum ? 1 : 0})
        .bind(6, now_ms)
        .bind(7, position++);
    SAKAI_TRY(stmt->run());
  }
  Result<Statement> stamp = db_.prepare(kSetSetting, "settings.replace_chats (stamp)");
  if (!stamp) return stamp.status();
  const std::string when = std::to_string(now_ms);
  stamp->bind_static(1, account_).bind(2, kChatsUpdatedKey).bind(3, std::string_view(when));
  SAKAI_TRY(stamp->run());
  return tx->commit();
}

Result<std::vector<ChatInfo>> SqliteSettingsRepository::chats() {
  Result<Statement> stmt = db_.prepare(
      "SELECT chat_id, kind, title, is_forum FROM chats WHERE account = ? "
      "ORDER BY position, chat_id",
      "settings.chats");
  if (!stmt) return stmt.status();
  stmt->bind_static(1, account_);
  std::vector<ChatInfo> out;
  SAKAI_TRY(stmt->for_each_row([&] {
    ChatInfo chat;
    chat.id = ChatId(stmt->int64(0));
    chat.kind = chat_kind_from_name(stmt->text(1)).value_or(ChatKind::kPrivate);
    chat.title = stmt->text(2);
    chat.is_forum = stmt->int64(3) != 0;
    out.push_back(std::move(chat));
  }));
  return out;
}

Result<std::int64_t> SqliteSettingsRepository::chats_updated_ms() {
  Result<std::optional<std::string>> value = get(kChatsUpdatedKey);
  if (!value) return value.status();
  if (!value->has_value()) return std::int64_t{0};
  const std::string& text = **value;
  std::int64_t ms = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), ms);
  if (ec != std::errc() || end != text.data() + text.size()) return std::int64_t{0};  // refresh
  return ms;
}

}  // namespace sakai::storage::sqlite
