#pragma once
// `sakaibot console`: a local chat in the terminal, through the same command engine as Telegram.
//
// Input lines (documented in README.md, "Console chat"):
//   text               you, the owner, write in the current chat (Saved Messages at start)
//   @name: text        `name` writes to you; their private chat becomes the current chat
//                      (inside a group, `name` speaks in the group)
//   >12 text           reply to message #12 (also after "@name: ")
//   !voice PATH        a voice note with the file at PATH (also !audio, !videonote; may follow
//                      "@name: " and ">12")
//   :chat me|name      switch to Saved Messages or to the private chat with `name`
//   :group title       switch to (and create) a group
//   :help  :quit       (:exit and :q too)
//   :advance 2m        moves the clock forward (developer option: only with --dev-clock, which
//                      runs the console on an AdjustableClock; for scripted tests of timeouts)
// Output: human-readable lines (in a terminal with the answers' formatting drawn with ANSI
// attributes, app/console_render.h), or with --jsonl one JSON object per transport action
// ({"action":"send"|"edit"|"delete"|"forward"|"voice"|"photo"|"chat_action"|"receive", ...}).
// With stdin not a terminal, each line is processed and all the work it started finishes
// before the next line; at the end of input everything pending finishes before exit.
// Thread-safety: runs on the calling thread (which runs the event loop); a reader thread feeds
// lines in interactive mode.
#include <atomic>
#include <iosfwd>
#include <optional>
#include <string>

#include "app/bot_core.h"
#include "core/clock.h"
#include "telegram/memory/memory_transport.h"

namespace sakai::app {

struct ConsoleOptions {
  bool jsonl = false;
  bool interactive = false;  // stdin is a terminal
  bool ansi = false;         // draw bold, code, links... with ANSI attributes (console_wants_ansi)
  // --dev-clock: the clock the engine runs on, moved by `:advance DURATION`. Null: `:advance` is
  // an unknown directive.
  AdjustableClock* clock = nullptr;
};

// The input lines the console understands, one per line (`sakaibot console --help` and :help).
std::string console_input_help();

class ConsoleChat {
 public:
  ConsoleChat(BotCore& core, ConsoleOptions options, std::istream& in, std::ostream& out,
              std::ostream& err);
  // The engine stops answering before this chat's transport goes.
  ~ConsoleChat();
  ConsoleChat(const ConsoleChat&) = delete;
  ConsoleChat& operator=(const ConsoleChat&) = delete;
  // Returns the process exit code.
  int run();
  // Handles one input line (exposed for tests). False on :quit.
  bool handle_line(const std::string& line);

 private:
  void print_action(const telegram::TransportAction& action);
  void print_receive(ChatId chat, MessageId id, const std::string& from, const std::string& text,
                     std::optional<MessageId> reply_to);
  std::string chat_label(ChatId chat) const;
  void print_help();
  // Message numbering goes on from where this account's earlier console sessions stopped: what
  // they stored (TTS requests still queued, conversation links) names messages by id, and an id
  // handed out again would point at an unrelated message of this session. The next id is
  // reserved ahead in the store in blocks, so a console killed mid-block never reuses one.
  void continue_numbering();
  void reserve_ids();

  BotCore& core_;
  ConsoleOptions options_;
  std::istream& in_;
  std::ostream& out_;
  std::ostream& err_;
  telegram::MemoryTransport transport_;
  ChatId current_chat_;
  bool in_group_ = false;
  std::int64_t reserved_ids_ = 0;  // ids below this are stored as used
  std::atomic<bool> quit_{false};
};

}  // namespace sakai::app
