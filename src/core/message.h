#pragma once
// The few Telegram facts the command engine needs, as plain values. Transports map their own
// representation (TDLib JSON, console lines) into these.
#include <cstdint>
#include <optional>
#include <string>

#include "core/ids.h"

namespace sakai {

enum class ChatKind { kPrivate, kGroup, kSupergroup, kForumTopic, kChannel, kSavedMessages };

std::string_view chat_kind_name(ChatKind kind);

enum class MediaKind { kNone, kVoiceNote, kAudio, kVideoNote, kPhoto, kDocument, kVideo };

struct Message {
  MessageId id;
  ChatId chat;
  UserId sender;
  std::string sender_name;  // display name, for analysis prompts and /auth listings
  ChatKind chat_kind = ChatKind::kPrivate;
  bool outgoing = false;  // sent by the account SakaiBot runs as (the owner)
  bool edited = false;
  std::optional<MessageId> reply_to;
  std::string text;  // UTF-8; caption for media
  MediaKind media = MediaKind::kNone;
  std::int64_t date_unix = 0;
};

}  // namespace sakai
