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
//   :help  :quit       (:exit and :q too); there are no other directives
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
#include "telegram/memory/memory_transport.h"

namespace sakai::app {

struct ConsoleOptions {
  bool jsonl = false;
  bool interactive = false;  // stdin is a terminal
  bool ansi = false;         // draw bold, code, links... with ANSI attributes (console_wants_ansi)
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

  BotCore& core_;
  ConsoleOptions options_;
  std::istream& in_;
  std::ostream& out_;
  std::ostream& err_;
  telegram::MemoryTransport transport_;
  ChatId current_chat_;
  bool in_group_ = false;
  std::atomic<bool> quit_{false};
};

}  // namespace sakai::app
