#include "core/message.h"

namespace sakai {

std::string_view chat_kind_name(ChatKind kind) {
  switch (kind) {
    case ChatKind::kPrivate:
      return "private";
    case ChatKind::kGroup:
      return "group";
    case ChatKind::kSupergroup:
      return "supergroup";
    case ChatKind::kForumTopic:
      return "forum_topic";
    case ChatKind::kChannel:
      return "channel";
    case ChatKind::kSavedMessages:
      return "saved_messages";
  }
  return "unknown";
}

std::optional<ChatKind> chat_kind_from_name(std::string_view name) {
  for (ChatKind kind : {ChatKind::kPrivate, ChatKind::kGroup, ChatKind::kSupergroup,
                        ChatKind::kForumTopic, ChatKind::kChannel, ChatKind::kSavedMessages}) {
    if (chat_kind_name(kind) == name) return kind;
  }
  return std::nullopt;
}

}  // namespace sakai
