#pragma once
// Who may run what. The owner (the account's own outgoing messages) may run everything. Other
// people may run a command only in a private chat with the owner and only with a grant for it
// (or for "*", every command open to friends); a "direct" grant runs at once, a "confirm" grant
// waits for the owner to reply `confirm`. Everyone else is ignored without a reply, so SakaiBot
// never reveals itself to strangers.
// Thread-safety: event loop thread only.
#include "commands/command_spec.h"
#include "core/clock.h"
#include "core/message.h"
#include "core/result.h"
#include "storage/store.h"

namespace sakai::commands {

enum class Verdict {
  kRun,           // run now
  kAwaitConfirm,  // a confirm-mode grant: wait for the owner's `confirm`
  kNotGranted,    // a known friend without a grant for this command: tell them politely
  kIgnore,        // a stranger, a group, or a channel: stay silent
};

class AccessPolicy {
 public:
  AccessPolicy(storage::GrantRepository& grants, const Clock& clock)
      : grants_(grants), clock_(clock) {}
  Result<Verdict> decide(const Message& message, const CommandSpec& spec);

 private:
  storage::GrantRepository& grants_;
  const Clock& clock_;
};

// Problems with the text of a command, checked before it is parsed.
enum class InputProblem { kNone, kTooLong, kInvalidUtf8, kControlChar };
InputProblem check_input(std::string_view text, std::size_t max_chars);

}  // namespace sakai::commands
