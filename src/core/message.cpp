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

}  // namespace sakai
