#pragma once
// The few Telegram facts the command engine needs, as plain values. Transports map their own
// representation (TDLib JSON, console lines) into these.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/formatted_text.h"
#include "core/ids.h"

namespace sakai {

enum class ChatKind { kPrivate, kGroup, kSupergroup, kForumTopic, kChannel, kSavedMessages };

std::string_view chat_kind_name(ChatKind kind);
// The inverse of chat_kind_name; nullopt for an unknown name.
std::optional<ChatKind> chat_kind_from_name(std::string_view name);

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
  // The text's entities as Telegram sent them (links behind text, mentions of users without a
  // username, formatting); UTF-16 offsets into `text`.
  std::vector<TextEntity> entities;
  MediaKind media = MediaKind::kNone;
  std::int64_t date_unix = 0;
};

// A chat in the account's chat list. Forum supergroups have kind kSupergroup and is_forum set
// (kForumTopic describes messages in a topic, never a chat of the list).
struct ChatInfo {
  ChatId id;
  ChatKind kind = ChatKind::kPrivate;
  std::string title;
  bool is_forum = false;
};

// A topic of a forum supergroup; id is TDLib's forum_topic_id (SendOptions::topic_id).
struct ForumTopicInfo {
  std::int64_t id = 0;
  std::string name;
};

}  // namespace sakai
