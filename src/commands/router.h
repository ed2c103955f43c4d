#pragma once
// The command engine's front door: every new message passes through here.
//
//   message → is it a command we know? → may this person run it? → is the text acceptable?
//   → within the rate limit? → parse → fetch the replied-to message → handler → Reply
//   → outcome and latency into the command log
//
// Ordinary chat text leaves at the first check (one byte compared), which keeps the hot path
// cheap (bench/bench_router). The router also runs the confirm flow: the owner replying
// `confirm` (or تایید, تأكيد, ...) to a friend's command, or to SakaiBot's "waits for
// confirmation" notice under it, runs the command on the friend's behalf, once, and edits the
// notice to say so. The waiting requests are listed by PendingConfirmations (Services::pending).
// Thread-safety: event loop thread only.
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <unordered_set>

#include "commands/access_policy.h"
#include "commands/pending_confirmations.h"
#include "commands/registry.h"
#include "commands/services.h"
#include "core/rate_limiter.h"
#include "telegram/transport.h"

namespace sakai::commands {

class CommandRouter final : public telegram::UpdateHandler {
 public:
  // Runs the registry's start hooks (Registry::add_start_hook), in order.
  explicit CommandRouter(Services& services);
  // Runs stop() if it has not run; takes its PendingConfirmations back from the services.
  ~CommandRouter() override;
  CommandRouter(const CommandRouter&) = delete;
  CommandRouter& operator=(const CommandRouter&) = delete;

  // Runs the registry's stop hooks, in order, once: the features release what their start hooks
  // made. Call it before the transport goes. Messages that arrive afterwards are ignored.
  void stop();

  void on_new_message(const Message& message) override;
  // Deleted messages reach every deletion hook (Registry::add_deletion_hook), in order.
  void on_messages_deleted(ChatId chat, const std::vector<MessageId>& ids) override;

  struct Counters {
    std::uint64_t messages = 0;
    std::uint64_t commands = 0;  // known commands that passed the access check
    std::uint64_t ignored = 0;   // known commands from people who may not run them
  };
  [[nodiscard]] const Counters& counters() const { return counters_; }

  // The language to answer a user in: their stored preference, else the configured default.
  std::string language_for(UserId user);

 private:
  void dispatch(const Message& message, const CommandSpec& spec, bool confirmed,
                std::optional<CommandLine> line = std::nullopt);
  void run(const Message& message, const CommandSpec& spec, std::optional<Message> replied,
           const std::string& lang, std::optional<CommandLine> line = std::nullopt);
  bool try_continue(const Message& message);
  void continue_with(const Message& message, const CommandSpec& spec);
  bool try_media(const Message& message);
  bool try_confirm(const Message& message);
  void confirm_request(const Message& confirm, const Message& original,
                       std::optional<MessageId> notice);
  void await_confirmation(const Message& message, const CommandSpec& spec, const std::string& lang);
  [[nodiscard]] bool is_waiting_notice(const Message& message) const;
  [[nodiscard]] std::int64_t confirm_timeout_ms() const;
  Reply make_reply(const Message& message, const std::string& command, const std::string& lang);
  void log_outcome(const Message& message, const std::string& command, Clock::TimePoint started,
                   Outcome outcome);
  bool mark_executed(const Message& message);

  Services& services_;
  AccessPolicy policy_;
  RateLimiter limiter_;
  std::string prefixes_;
  std::size_t max_input_chars_;
  bool owner_exempt_;
  Counters counters_;
  // Commands already run, so a second `confirm` (or a re-delivered update) runs nothing twice.
  std::unordered_set<std::string> executed_;
  std::deque<std::string> executed_order_;
  PendingConfirmations pending_;
  bool stopped_ = false;
};

}  // namespace sakai::commands
