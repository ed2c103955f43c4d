#pragma once
// The LLM answers still being written, so they can be stopped: `/stop` (as a reply to the answer
// or to the command, or alone for the newest answer of whoever sends it in that chat) and
// deleting the command message. Event loop thread only; holds answers weakly (a finished answer
// simply drops out).
#include <memory>
#include <optional>
#include <vector>

#include "core/ids.h"

namespace sakai::assistant {

class StreamingAnswer;

class LiveAnswers {
 public:
  struct Entry {
    ChatId chat;
    MessageId command;  // the message that asked
    UserId asker;
    std::weak_ptr<StreamingAnswer> answer;
  };

  struct Found {
    std::shared_ptr<StreamingAnswer> answer;
    UserId asker;
  };

  void add(ChatId chat, MessageId command, UserId asker, std::weak_ptr<StreamingAnswer> answer);
  // The live answer in `chat` that `message` belongs to (its command or one of the answer's
  // messages); without a message, the newest one asked by `asker`. nullopt when none is running.
  std::optional<Found> find(ChatId chat, std::optional<MessageId> message, UserId asker);
  // Stops every live answer whose command is among `deleted` in `chat`; how many were stopped.
  int stop_deleted(ChatId chat, const std::vector<MessageId>& deleted);

 private:
  void prune();
  std::vector<Entry> entries_;
};

}  // namespace sakai::assistant
