#pragma once
// The handle through which a command answers. Every command answers exactly once — a result, a
// localised error, or its usage — and the handle enforces it: answering twice is ignored (and
// logged), and a handle dropped without an answer tells the user the command ended without one.
// When the answer is out, the router's completion callback records the outcome and latency.
// Thread-safety: event loop thread only. Move-only.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/i18n.h"
#include "core/ids.h"
#include "core/result.h"
#include "telegram/formatted_text.h"

namespace sakai::commands {

struct Services;

enum class Outcome { kOk, kError, kInvalid, kDenied, kRateLimited, kCancelled };
std::string_view outcome_name(Outcome outcome);

class Reply {
 public:
  struct Target {
    ChatId chat;
    MessageId reply_to;
    std::string lang;
    std::string command;  // for logging and the usage text
  };
  using Completion = std::function<void(Outcome)>;

  Reply(Services& services, Target target, Completion on_complete);
  Reply(Reply&&) noexcept;
  Reply& operator=(Reply&&) noexcept;
  Reply(const Reply&) = delete;
  Reply& operator=(const Reply&) = delete;
  ~Reply();

  // The command's result (already localised or user content).
  void ok(telegram::FormattedText text);
  // As ok(), and `sent` learns the id of the answer (to edit it later, as /ping does); of its
  // first message when the transport had to split it.
  void ok(telegram::FormattedText text, std::function<void(Result<MessageId>)> sent);
  // A localised error from the catalog.
  void error(std::string_view key, std::initializer_list<TrArg> args = {});
  // The command's usage line, after an optional localised reason.
  void usage(std::string_view reason_key = {}, std::initializer_list<TrArg> args = {});
  // Finished without sending anything (e.g. the answer was a forward, or the owner asked for
  // silence). Outcome ok.
  void done_silently();
  // The answer was delivered by other means (e.g. a streamed status message edited into the
  // result or into an error): records `outcome` without sending anything. Exactly-once like the
  // rest: a later answer is dropped.
  void delivered(Outcome outcome);

  [[nodiscard]] bool answered() const;
  [[nodiscard]] const Target& target() const;

 private:
  struct State;
  void finish(Outcome outcome, std::optional<telegram::FormattedText> text,
              std::function<void(Result<MessageId>)> sent = nullptr);
  std::unique_ptr<State> state_;
};

}  // namespace sakai::commands
