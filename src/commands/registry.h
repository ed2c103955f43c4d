#pragma once
// Name (or alias) → command. Lookups are case-insensitive. Built at start-up, then read-only.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "commands/command_spec.h"
#include "core/result.h"

namespace sakai::commands {

// Lets a command continue from an ordinary (non-command) text message that replies to another
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
  // One continuation at most (the last set wins); nullptr when none.
  void set_reply_continuation(ReplyContinuation continuation);
  [[nodiscard]] const ReplyContinuation* reply_continuation() const;
  // One media handler at most (the last set wins); nullptr when none.
  void set_media_handler(MediaHandler handler);
  [[nodiscard]] const MediaHandler* media_handler() const;
  // Work a feature does when the engine starts, with the engine's services: the router runs
  // every hook, in order, when it is made (e.g. voice mode takes back the chats that were in
  // voice mode before a restart). A hook runs again when the engine is rebuilt on the registry.
  using StartHook = std::function<void(Services&)>;
  void add_start_hook(StartHook hook) { start_hooks_.push_back(std::move(hook)); }
  [[nodiscard]] const std::vector<StartHook>& start_hooks() const { return start_hooks_; }

 private:
  std::vector<std::unique_ptr<CommandSpec>> specs_;
  std::map<std::string, const CommandSpec*, std::less<>> by_name_;
  std::optional<ReplyContinuation> continuation_;
  std::optional<MediaHandler> media_handler_;
  std::vector<StartHook> start_hooks_;
};

}  // namespace sakai::commands
