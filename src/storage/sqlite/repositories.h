#pragma once
// SQLite implementations of the storage repositories. Internal to the SQLite backend: callers
// use them through the interfaces in storage/store.h. Each holds a reference to the database's
// connection and clock, which outlive it, and the name of the account whose rows it reads and
// writes: every statement binds that name as its first parameter, so one account's repository
// never reads, counts, changes or deletes another's rows. The SQL is the same for every account,
// so the connection's statement cache serves them all.
#include <string>
#include <string_view>

#include "core/clock.h"
#include "storage/sqlite/known_keys.h"
#include "storage/sqlite/sqlite_db.h"
#include "storage/store.h"

namespace sakai::storage::sqlite {

class SqliteUserRepository final : public UserRepository {
 public:
  SqliteUserRepository(SqliteDb& db, std::string_view account, const Clock& clock)
      : db_(db), account_(account), clock_(clock) {}
  Status upsert(const UserRecord& user) override;
  Result<std::optional<UserRecord>> get(UserId id) override;
  Result<std::optional<UserRecord>> find_by_username(std::string_view username) override;

 private:
  SqliteDb& db_;
  std::string account_;
  const Clock& clock_;
};

class SqlitePreferenceRepository final : public PreferenceRepository {
 public:
  SqlitePreferenceRepository(SqliteDb& db, std::string_view account) : db_(db), account_(account) {}
  Result<std::optional<std::string>> get(UserId user, std::string_view key) override;
  Status set(UserId user, std::string_view key, std::string_view value) override;
  Status remove(UserId user, std::string_view key) override;

 private:
  SqliteDb& db_;
  std::string account_;
};

class SqliteConversationRepository final : public ConversationRepository {
 public:
  SqliteConversationRepository(SqliteDb& db, std::string_view account, const Clock& clock)
      : db_(db), account_(account), clock_(clock), chats_with_memory_(clock) {}
  Result<std::int64_t> append(const HistoryEntry& entry) override;
  Result<std::vector<HistoryEntry>> recent(ChatId chat, std::int64_t thread,
                                           int max_messages) override;
  Result<std::optional<HistoryEntry>> find_by_message(ChatId chat, MessageId message) override;
  Status link_message(ChatId chat, MessageId message, std::int64_t entry_id) override;
  Result<int> trim(ChatId chat, std::int64_t thread, int max_messages, int max_tokens) override;
  Result<int> clear(ChatId chat) override;

 private:
  SqliteDb& db_;
  std::string account_;
  const Clock& clock_;
  // A reply in a chat without any memory (nearly every reply) is answered without a query.
  KnownKeys chats_with_memory_;
};

class SqliteCommandLogRepository final : public CommandLogRepository {
 public:
  SqliteCommandLogRepository(SqliteDb& db, std::string_view account) : db_(db), account_(account) {}
  Status append(const CommandLogEntry& entry) override;
  Result<CommandStats> stats(std::int64_t since_ms) override;
  // Newest first.
  Result<std::vector<CommandLogEntry>> recent(int limit) override;

 private:
  SqliteDb& db_;
  std::string account_;
};

class SqliteGrantRepository final : public GrantRepository {
 public:
  SqliteGrantRepository(SqliteDb& db, std::string_view account, const Clock& clock)
      : db_(db), account_(account), clock_(clock), granted_users_(clock) {}
  Status put(const Grant& grant) override;
  Result<int> remove(UserId user, std::string_view command) override;
  Result<std::vector<Grant>> for_user(UserId user) override;
  Result<std::vector<Grant>> list() override;
  Result<int> purge_expired(std::int64_t now_ms) override;

 private:
  SqliteDb& db_;
  std::string account_;
  const Clock& clock_;
  // A stranger (nearly everyone who writes) has no grants: answered without a query.
  KnownKeys granted_users_;
};

class SqliteSettingsRepository final : public SettingsRepository {
 public:
  SqliteSettingsRepository(SqliteDb& db, std::string_view account) : db_(db), account_(account) {}
  Result<std::optional<std::string>> get(std::string_view key) override;
  Status set(std::string_view key, std::string_view value) override;
  Status remove(std::string_view key) override;
  Status put_topic(const TopicMapping& mapping) override;
  Result<int> remove_topic(std::string_view command) override;
  Result<std::vector<TopicMapping>> topics() override;
  Status replace_chats(const std::vector<ChatInfo>& chats, std::int64_t now_ms) override;
  Result<std::vector<ChatInfo>> chats() override;
  Result<std::int64_t> chats_updated_ms() override;

 private:
  SqliteDb& db_;
  std::string account_;
};

class SqliteJobRepository final : public JobRepository {
 public:
  SqliteJobRepository(SqliteDb& db, std::string_view account, const Clock& clock)
      : db_(db), account_(account), clock_(clock) {}
  Result<std::int64_t> add(const ScheduledJob& job) override;
  Result<std::optional<ScheduledJob>> get(std::int64_t id) override;
  Result<std::vector<ScheduledJob>> due(std::int64_t now_ms, int limit) override;
  Result<std::vector<ScheduledJob>> pending(std::string_view kind) override;
  Status set_status(std::int64_t id, JobStatus status, int attempts) override;

 private:
  SqliteDb& db_;
  std::string account_;
  const Clock& clock_;
};

class SqliteUsageRepository final : public UsageRepository {
 public:
  SqliteUsageRepository(SqliteDb& db, std::string_view account, const Clock& clock)
      : db_(db), account_(account), clock_(clock) {}
  Status append(const UsageRecord& record) override;
  Result<UsageTotals> totals(std::optional<UserId> user, std::int64_t since_ms) override;
  Result<std::vector<std::pair<std::string, UsageTotals>>> by_model(std::optional<UserId> user,
                                                                    std::int64_t since_ms) override;
  Result<std::vector<std::pair<UserId, UsageTotals>>> by_user(std::int64_t since_ms) override;
  Result<std::vector<std::pair<std::int64_t, UsageTotals>>> by_day(std::optional<UserId> user,
                                                                   std::int64_t since_ms) override;

 private:
  SqliteDb& db_;
  std::string account_;
  const Clock& clock_;
};

}  // namespace sakai::storage::sqlite
