#pragma once
// Persistent state behind one interface. The SQLite backend (sqlite/) is the default; a
// PostgreSQL backend implements the same interface, so SQL stays portable (no SQLite-only
// syntax in queries that both backends share; timestamps are Unix milliseconds as 64-bit ints).
// Thread-safety: a Store and its repositories are used from the event loop thread only.
// Ownership: the app owns the Store; repositories are owned by their Store and live as long.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/ids.h"
#include "core/message.h"
#include "core/result.h"

namespace sakai::storage {

struct UserRecord {
  UserId id;
  std::string display_name;
  std::string username;  // without '@', may be empty
  std::int64_t first_seen_ms = 0;
  std::int64_t last_seen_ms = 0;
};

class UserRepository {
 public:
  virtual ~UserRepository() = default;
  // Inserts or updates names and last_seen; first_seen is kept from the first insert.
  virtual Status upsert(const UserRecord& user) = 0;
  virtual Result<std::optional<UserRecord>> get(UserId id) = 0;
  // Case-insensitive, without '@'.
  virtual Result<std::optional<UserRecord>> find_by_username(std::string_view username) = 0;
};

// Per-user preferences such as "language", "model", "persona".
class PreferenceRepository {
 public:
  virtual ~PreferenceRepository() = default;
  virtual Result<std::optional<std::string>> get(UserId user, std::string_view key) = 0;
  virtual Status set(UserId user, std::string_view key, std::string_view value) = 0;
  virtual Status remove(UserId user, std::string_view key) = 0;
};

struct HistoryEntry {
  std::int64_t id = 0;  // assigned by the store
  ChatId chat;
  std::int64_t thread = 0;  // conversation within the chat (0: the chat's main conversation)
  std::string role;         // "user", "assistant" or "system"
  std::string text;
  int tokens = 0;                       // estimated or reported token count
  std::optional<MessageId> message_id;  // the Telegram message that carried it, if any
  std::int64_t created_ms = 0;
};

class ConversationRepository {
 public:
  virtual ~ConversationRepository() = default;
  virtual Result<std::int64_t> append(const HistoryEntry& entry) = 0;
  // Oldest first, the last `max_messages` entries of the conversation.
  virtual Result<std::vector<HistoryEntry>> recent(ChatId chat, std::int64_t thread,
                                                   int max_messages) = 0;
  // Which conversation a Telegram message belongs to (to continue it from a reply): the entry
  // whose message it is, or whose answer it is part of (link_message).
  virtual Result<std::optional<HistoryEntry>> find_by_message(ChatId chat, MessageId message) = 0;
  // Records that `message` also carries entry `entry_id` (an earlier part of a long answer). The
  // link goes when the entry is trimmed or cleared. kInvalidArgument when the entry is not one of
  // this account's.
  virtual Status link_message(ChatId chat, MessageId message, std::int64_t entry_id) = 0;
  // Deletes the oldest entries until at most `max_messages` remain and their tokens sum to at
  // most `max_tokens`. Returns how many were deleted.
  virtual Result<int> trim(ChatId chat, std::int64_t thread, int max_messages, int max_tokens) = 0;
  // Deletes every conversation of the chat. Returns how many entries were deleted.
  virtual Result<int> clear(ChatId chat) = 0;
};

struct CommandLogEntry {
  std::int64_t ts_ms = 0;
  UserId user;
  ChatId chat;
  std::string command;  // canonical name, "" for a message that was not a known command
  std::int64_t latency_ms = 0;
  std::string outcome;  // "ok", "error", "denied", "rate_limited", "invalid", "cancelled"
};

struct CommandStats {
  std::int64_t total = 0;
  std::int64_t errors = 0;
  double mean_latency_ms = 0;
  std::vector<std::pair<std::string, std::int64_t>> by_command;  // most used first
  std::vector<std::int64_t> by_hour_utc = std::vector<std::int64_t>(24, 0);
};

class CommandLogRepository {
 public:
  virtual ~CommandLogRepository() = default;
  virtual Status append(const CommandLogEntry& entry) = 0;
  virtual Result<CommandStats> stats(std::int64_t since_ms) = 0;
  virtual Result<std::vector<CommandLogEntry>> recent(int limit) = 0;
};

enum class GrantMode { kDirect, kConfirm };

// Permission for a non-owner user to run a command ("*" = every command open to friends).
struct Grant {
  UserId user;
  std::string command;
  GrantMode mode = GrantMode::kConfirm;
  std::optional<std::int64_t> expires_ms;  // none: never expires
  std::int64_t created_ms = 0;
};

class GrantRepository {
 public:
  virtual ~GrantRepository() = default;
  // Inserts or replaces the (user, command) grant.
  virtual Status put(const Grant& grant) = 0;
  // Removes one grant, or every grant of the user when command is empty. Returns how many.
  virtual Result<int> remove(UserId user, std::string_view command) = 0;
  virtual Result<std::vector<Grant>> for_user(UserId user) = 0;
  virtual Result<std::vector<Grant>> list() = 0;
  // Deletes grants that expired before now_ms. Returns how many.
  virtual Result<int> purge_expired(std::int64_t now_ms) = 0;
};

// Categorisation: a command such as /work forwards the replied-to message to a forum topic.
struct TopicMapping {
  std::string command;
  ChatId group;
  std::int64_t topic_id = 0;
};

// Small global settings and the topic mappings.
class SettingsRepository {
 public:
  virtual ~SettingsRepository() = default;
  virtual Result<std::optional<std::string>> get(std::string_view key) = 0;
  virtual Status set(std::string_view key, std::string_view value) = 0;
  virtual Status remove(std::string_view key) = 0;
  virtual Status put_topic(const TopicMapping& mapping) = 0;
  virtual Result<int> remove_topic(std::string_view command) = 0;
  virtual Result<std::vector<TopicMapping>> topics() = 0;

  // The cached chat list (/chats). replace_chats swaps the whole cache, in one transaction, and
  // records now_ms as its time; chats() keeps the order it was given; chats_updated_ms() is 0
  // when the cache was never filled.
  virtual Status replace_chats(const std::vector<ChatInfo>& chats, std::int64_t now_ms) = 0;
  virtual Result<std::vector<ChatInfo>> chats() = 0;
  virtual Result<std::int64_t> chats_updated_ms() = 0;
};

enum class JobStatus { kPending, kRunning, kDone, kFailed, kCancelled };
std::string_view job_status_name(JobStatus status);

struct ScheduledJob {
  std::int64_t id = 0;  // assigned by the store
  std::string kind;     // "message", "tts", ...
  ChatId chat;
  UserId owner;
  std::int64_t due_ms = 0;
  std::string payload;  // kind-specific, opaque to the store
  JobStatus status = JobStatus::kPending;
  int attempts = 0;
  std::int64_t created_ms = 0;
};

class JobRepository {
 public:
  virtual ~JobRepository() = default;
  virtual Result<std::int64_t> add(const ScheduledJob& job) = 0;
  virtual Result<std::optional<ScheduledJob>> get(std::int64_t id) = 0;
  // Pending jobs with due_ms <= now_ms, earliest first.
  virtual Result<std::vector<ScheduledJob>> due(std::int64_t now_ms, int limit) = 0;
  // Pending and running jobs of a kind, earliest due first ("" = every kind).
  virtual Result<std::vector<ScheduledJob>> pending(std::string_view kind) = 0;
  virtual Status set_status(std::int64_t id, JobStatus status, int attempts) = 0;
};

// One LLM call's usage, or one image request's (images > 0), as /usage, the budgets and the
// image quota read it. Cost is kept in micro-USD (integer, exact and portable across backends),
// estimated from the configured price table.
struct UsageRecord {
  std::int64_t ts_ms = 0;
  UserId user;
  ChatId chat;
  std::string command;   // "translate", "analyze", "prompt", ...
  std::string provider;  // "gemini", "openai", ...
  std::string model;
  std::int64_t input_tokens = 0;
  std::int64_t output_tokens = 0;  // answer tokens, without thinking
  std::int64_t thinking_tokens = 0;
  std::int64_t images = 0;  // images made (an image command's row)
  std::int64_t cost_micro_usd = 0;
};

struct UsageTotals {
  std::int64_t calls = 0;
  std::int64_t input_tokens = 0;
  std::int64_t output_tokens = 0;
  std::int64_t thinking_tokens = 0;
  std::int64_t images = 0;
  std::int64_t cost_micro_usd = 0;
  [[nodiscard]] std::int64_t tokens() const {
    return input_tokens + output_tokens + thinking_tokens;
  }
};

class UsageRepository {
 public:
  virtual ~UsageRepository() = default;
  virtual Status append(const UsageRecord& record) = 0;
  // Sums of the calls at or after since_ms; of one user, or of everyone when user is empty.
  virtual Result<UsageTotals> totals(std::optional<UserId> user, std::int64_t since_ms) = 0;
  // Per model, most tokens first.
  virtual Result<std::vector<std::pair<std::string, UsageTotals>>> by_model(
      std::optional<UserId> user, std::int64_t since_ms) = 0;
  // Per user, most tokens first.
  virtual Result<std::vector<std::pair<UserId, UsageTotals>>> by_user(std::int64_t since_ms) = 0;
  // Per UTC day (the day's first Unix millisecond), oldest first.
  virtual Result<std::vector<std::pair<std::int64_t, UsageTotals>>> by_day(
      std::optional<UserId> user, std::int64_t since_ms) = 0;
};

struct StoreInfo {
  std::string backend;   // "sqlite" or "postgres"
  std::string location;  // file path, or the connection target without credentials
  std::string account;   // the Store view's account; empty for Database::info()
  std::int64_t size_bytes = -1;
  int schema_version = 0;
};

class Store {
 public:
  virtual ~Store() = default;
  virtual UserRepository& users() = 0;
  virtual PreferenceRepository& preferences() = 0;
  virtual ConversationRepository& conversations() = 0;
  virtual CommandLogRepository& command_log() = 0;
  virtual GrantRepository& grants() = 0;
  virtual SettingsRepository& settings() = 0;
  virtual JobRepository& jobs() = 0;
  virtual UsageRepository& usage() = 0;
  // A write that is rolled back: proves the store answers and accepts writes (for /health).
  virtual Status ping() = 0;
  virtual StoreInfo info() = 0;
};

// The account a database holds rows for when nothing else is said: the single-account
// [telegram] setup, and every row written before storage was keyed by account.
inline constexpr std::string_view kDefaultAccount = "default";

// An account name is 1 to 64 ASCII letters, digits, '_' or '-'. kInvalidArgument otherwise,
// with a message that names the rule.
Status validate_account_name(std::string_view name);

// The database a process opens once, shared by every account it serves: each account works
// through its own Store view, and two views never see each other's rows (grants, memory, usage,
// jobs, settings, topic mappings, preferences, users, command log, chats). Two views of the same
// account see the same rows. Accounts are named as the configuration names them; the
// single-account [telegram] setup is kDefaultAccount.
// Thread-safety and ownership: as Store; every view borrows the database and must not outlive it.
class Database {
 public:
  virtual ~Database() = default;
  // The account's view; kInvalidArgument for a name validate_account_name refuses.
  virtual Result<std::unique_ptr<Store>> account(std::string_view name) = 0;
  // A write that is rolled back (Store::ping()).
  virtual Status ping() = 0;
  virtual StoreInfo info() = 0;
};

}  // namespace sakai::storage
