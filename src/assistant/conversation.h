#pragma once
// Conversation memory of the features that talk with the LLM (/prompt, voice mode), on top of
// storage::ConversationRepository.
// A conversation (thread) starts with a /prompt that replies to nothing known; its id is that
// command's message id. Replying to an answer (or to a /prompt) of the thread continues it.
// History sent to the LLM is bounded by [ai] memory_messages and memory_tokens (tokens as the
// provider reported them, else estimated as characters / 4).
// Per-chat settings (model, persona, the last thread) live in the settings store under
// "chat.<chat id>.<name>".
// Thread-safety: event loop thread only.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ai/llm/chat.h"
#include "core/ids.h"
#include "storage/store.h"

namespace sakai::commands {
struct Services;
}

namespace sakai::assistant::memory {

int estimate_tokens(std::string_view text);

// The thread a message belongs to, when it is part of a stored conversation.
std::optional<storage::HistoryEntry> find(commands::Services& services, ChatId chat,
                                          MessageId message);

// Oldest first, within the configured bounds.
std::vector<ai::ChatMessage> history(commands::Services& services, ChatId chat,
                                     std::int64_t thread);

struct Exchange {
  ChatId chat;
  std::int64_t thread = 0;
  MessageId question_message;
  std::string question;
  std::vector<MessageId> answer_messages;
  std::string answer;
  long long answer_tokens = 0;  // 0: estimate
};
// Stores both sides, trims the thread to the bounds and remembers it as the chat's last one.
void remember(commands::Services& services, const Exchange& exchange);

std::string chat_setting_key(ChatId chat, std::string_view name);
std::optional<std::string> chat_setting(commands::Services& services, ChatId chat,
                                        std::string_view name);

}  // namespace sakai::assistant::memory
