#pragma once
// Name (or alias) → command. Lookups are case-insensitive. Built at start-up, then read-only.
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "commands/command_spec.h"
#include "core/ids.h"
#include "core/result.h"
#include "core/service_health.h"

namespace sakai::commands {

// Lets a feature continue from an ordinary (non-command) text message that replies to another
// message: the router asks `accepts` (cheap; a store lookup at most), and when it says yes runs
// `command` with the reply's text as the command's text, under the command's own access rules
// (the owner anywhere; friends with a grant for the command in private chats).
struct ReplyContinuation {
  std::string command;
  std::function<bool(Services&, const Message&)> accepts;
};

// Lets a feature take ordinary (non-command) media messages — voice notes, audio, video notes —
// e.g. voice mode answering every voice note of a chat. The router asks `accepts` (cheap; no I/O)
// for media messages whose text is not a command. Access: the owner anywhere; others only where
// `accepts` says yes (the feature decides who may use it in that chat).
struct MediaHandler {
  std::function<bool(Services&, const Message&)> accepts;
  std::function<void(Services&, const Message&)> handle;
};

// What features add to the engine: commands and hooks. Every hook kind is a list (several
// features may add one each); nothing a feature adds replaces what another added.
// Built at start-up (the features' install functions, see commands/feature.h), then read-only.
// One engine (CommandRouter) at a time works on a registry: a feature keeps its per-account
// state in what its hooks and handlers capture.
class Registry {
 public:
  // Fails on a name or alias that is already taken.
  Status add(CommandSpec spec);
  [[nodiscard]] const CommandSpec* find(std::string_view name_or_alias) const;
  // In registration order.
  [[nodiscard]] std::vector<const CommandSpec*> all() const;
  [[nodiscard]] std::vector<std::string> topics() const;
  // The closest known name within a small edit distance, for "did you mean".
  [[nodiscard]] std::optional<std::string> suggest(std::string_view name) const;

  // The router asks the continuations in order; the first whose `accepts` says yes runs.
  void add_reply_continuation(ReplyContinuation continuation);
  [[nodiscard]] const std::vector<ReplyContinuation>& reply_continuations() const {
    return continuations_;
  }
  // The router asks the media handlers in order; the first whose `accepts` says yes handles it.
  void add_media_handler(MediaHandler handler);
  [[nodiscard]] const std::vector<MediaHandler>& media_handlers() const { return media_handlers_; }

  // Work a feature does when the engine starts, with the engine's services: the router runs
  // every hook, in order, when it is made (e.g. voice mode takes back the chats that were in
  // voice mode before a restart; the voice feature makes its TTS queue). A hook runs again when
  // the engine is rebuilt on the registry (after the stop hooks of the engine before).
  using StartHook = std::function<void(Services&)>;
  void add_start_hook(StartHook hook) { start_hooks_.push_back(std::move(hook)); }
  [[nodiscard]] const std::vector<StartHook>& start_hooks() const { return start_hooks_; }

  // Work a feature does when the engine stops, before the transport goes: it releases what its
  // start hook made. The router runs every hook, in order, once (CommandRouter::stop()).
  using StopHook = std::function<void()>;
  void add_stop_hook(StopHook hook) { stop_hooks_.push_back(std::move(hook)); }
  [[nodiscard]] const std::vector<StopHook>& stop_hooks() const { return stop_hooks_; }

  // Messages deleted in a chat: the router runs every hook, in order (e.g. the TTS queue cancels
  // the deleted requests; deleting a command stops its AI answer).
  using DeletionHook =
      std::function<void(Services&, ChatId, const std::vector<MessageId>& deleted)>;
  void add_deletion_hook(DeletionHook hook) { deletion_hooks_.push_back(std::move(hook)); }
  [[nodiscard]] const std::vector<DeletionHook>& deletion_hooks() const { return deletion_hooks_; }

  // `/cancel` in reply to `message` (a request or its status message): the command asks every
  // hook, in order, until one cancels what that message asked for and says true (e.g. the TTS
  // queue, the image queue). `only`: cancel only that user's request (a friend's /cancel).
  using CancelHook =
      std::function<bool(Services&, ChatId, MessageId message, std::optional<UserId> only)>;
  void add_cancel_hook(CancelHook hook) { cancel_hooks_.push_back(std::move(hook)); }
  [[nodiscard]] const std::vector<CancelHook>& cancel_hooks() const { return cancel_hooks_; }

  // What a feature reports to /health about the remote services it keeps (the voice feature:
  // each cloud speech engine's circuit state). /health asks every hook, in order.
  using HealthHook = std::function<std::vector<ServiceHealth>(Services&)>;
  void add_health_hook(HealthHook hook) { health_hooks_.push_back(std::move(hook)); }
  [[nodiscard]] const std::vector<HealthHook>& health_hooks() const { return health_hooks_; }

 private:
  std::vector<std::unique_ptr<CommandSpec>> specs_;
  std::map<std::string, const CommandSpec*, std::less<>> by_name_;
  std::vector<ReplyContinuation> continuations_;
  std::vector<MediaHandler> media_handlers_;
  std::vector<StartHook> start_hooks_;
  std::vector<StopHook> stop_hooks_;
  std::vector<DeletionHook> deletion_hooks_;
  std::vector<CancelHook> cancel_hooks_;
  std::vector<HealthHook> health_hooks_;
};

}  // namespace sakai::commands
