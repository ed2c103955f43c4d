#include "assistant/live_answers.h"

#include <algorithm>

#include "assistant/streaming_answer.h"

namespace sakai::assistant {

void LiveAnswers::prune() {
  std::erase_if(entries_, [](const Entry& e) {
    auto a = e.answer.lock();
    return !a || !a->running();
  });
}

void LiveAnswers::add(ChatId chat, MessageId command, UserId asker,
                      std::weak_ptr<StreamingAnswer> answer) {
  prune();
  entries_.push_back(Entry{chat, command, asker, std::move(answer)});
}

std::optional<LiveAnswers::Found> LiveAnswers::find(ChatId chat, std::optional<MessageId> message,
                                                    UserId asker) {
  prune();
  for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
    if (it->chat != chat) continue;
    auto answer = it->answer.lock();
    if (!answer) continue;
    if (message) {
      const auto& ids = answer->messages();
      if (it->command == *message || std::find(ids.begin(), ids.end(), *message) != ids.end()) {
        return Found{std::move(answer), it->asker};
      }
    } else if (it->asker == asker) {
      return Found{std::move(answer), it->asker};
    }
  }
  return std::nullopt;
}

int LiveAnswers::stop_deleted(ChatId chat, const std::vector<MessageId>& deleted) {
  prune();
  int stopped = 0;
  for (const auto& e : entries_) {
    if (e.chat != chat || std::find(deleted.begin(), deleted.end(), e.command) == deleted.end()) {
      continue;
    }
    if (auto answer = e.answer.lock(); answer && answer->stop()) ++stopped;
  }
  return stopped;
}

}  // namespace sakai::assistant
