#include "assistant/conversation.h"

#include "commands/services.h"

namespace sakai::assistant::memory {

using commands::Services;

int estimate_tokens(std::string_view text) {
  return static_cast<int>((text.size() + 3) / 4);
}

std::optional<storage::HistoryEntry> find(Services& services, ChatId chat, MessageId message) {
  auto found = services.store.conversations().find_by_message(chat, message);
  if (!found.is_ok()) {
    services.log.warn("ai", "conversation lookup failed", {{"error", found.status().to_string()}});
    return std::nullopt;
  }
  return *found;
}

std::vector<ai::ChatMessage> history(Services& services, ChatId chat, std::int64_t thread) {
  const int max_messages = static_cast<int>(services.config.get_int("ai.memory_messages"));
  const long long max_tokens = services.config.get_int("ai.memory_tokens");
  std::vector<ai::ChatMessage> out;
  if (max_messages <= 0) return out;
  auto entries = services.store.conversations().recent(chat, thread, max_messages);
  if (!entries.is_ok()) {
    services.log.warn("ai", "could not read the conversation",
                      {{"error", entries.status().to_string()}});
    return out;
  }
  // Newest backwards until the token budget is spent.
  long long tokens = 0;
  std::size_t first = entries->size();
  while (first > 0) {
    const auto& e = (*entries)[first - 1];
    const long long t = e.tokens > 0 ? e.tokens : estimate_tokens(e.text);
    if (tokens + t > max_tokens) break;
    tokens += t;
    --first;
  }
  // A history never starts with the assistant's half of an exchange.
  while (first < entries->size() && (*entries)[first].role != "user")
    ++first;
  for (std::size_t i = first; i < entries->size(); ++i) {
    const auto& e = (*entries)[i];
    if (e.role != "user" && e.role != "assistant") continue;
    out.push_back(ai::ChatMessage{
        e.role == "assistant" ? ai::ChatRole::kAssistant : ai::ChatRole::kUser, e.text});
  }
  return out;
}

void remember(Services& services, const Exchange& x) {
  const int max_messages = static_cast<int>(services.config.get_int("ai.memory_messages"));
  const int max_tokens = static_cast<int>(services.config.get_int("ai.memory_tokens"));
  if (max_messages <= 0) return;
  auto& repo = services.store.conversations();
  const std::int64_t now = to_unix_ms(services.clock.wall_now());
  storage::HistoryEntry q;
  q.chat = x.chat;
  q.thread = x.thread;
  q.role = "user";
  q.text = x.question;
  q.tokens = estimate_tokens(x.question);
  q.message_id = x.question_message;
  q.created_ms = now;
  Status st = repo.append(q).status();
  // The answer is found by its last message; its earlier parts are linked to it.
  if (st.is_ok() && !x.answer_messages.empty()) {
    storage::HistoryEntry a;
    a.chat = x.chat;
    a.thread = x.thread;
    a.role = "assistant";
    a.text = x.answer;
    a.tokens = static_cast<int>(x.answer_tokens > 0 ? x.answer_tokens : estimate_tokens(x.answer));
    a.message_id = x.answer_messages.back();
    a.created_ms = now;
    auto id = repo.append(a);
    st = id.status();
    // A long answer's earlier messages lead back to it too.
    for (std::size_t i = 0; st.is_ok() && i + 1 < x.answer_messages.size(); ++i)
      st = repo.link_message(x.chat, x.answer_messages[i], *id);
  }
  if (st.is_ok()) st = repo.trim(x.chat, x.thread, max_messages, max_tokens).status();
  if (st.is_ok()) {
    st = services.store.settings().set(chat_setting_key(x.chat, "last_thread"),
                                       std::to_string(x.thread));
  }
  if (!st.is_ok()) {
    services.log.warn("ai", "could not store the conversation", {{"error", st.to_string()}});
  }
}

std::string chat_setting_key(ChatId chat, std::string_view name) {
  return "chat." + chat.str() + "." + std::string(name);
}

std::optional<std::string> chat_setting(Services& services, ChatId chat, std::string_view name) {
  auto v = services.store.settings().get(chat_setting_key(chat, name));
  if (!v.is_ok() || !v->has_value() || (*v)->empty()) return std::nullopt;
  return **v;
}

}  // namespace sakai::assistant::memory
