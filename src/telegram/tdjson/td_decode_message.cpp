// TDLib's `message` and MessageContent objects (td_api.tl of 1.8.65) → DecodedMessage.
//
// A message has ~45 fields; the bot reads ten of them. Each is looked up where TDLib writes it
// (with_field), so the fields in between are skipped by simdjson without being read, and the
// text of a new message the engine cannot act on (someone else's chat line: no reply, no media,
// no command) is never copied out of the parser (DecodedMessage::quiet).
#include "telegram/tdjson/td_decode_support.h"

namespace sakai::telegram::tdjson::detail {
namespace {

// The textEntityType* kinds the bot uses; nullopt for the rest (hashtags, custom emoji, ...).
std::optional<EntityType> entity_kind(std::string_view type) {
  static constexpr std::pair<std::string_view, EntityType> kKinds[] = {
      {"textEntityTypeBold", EntityType::kBold},
      {"textEntityTypeItalic", EntityType::kItalic},
      {"textEntityTypeUnderline", EntityType::kUnderline},
      {"textEntityTypeStrikethrough", EntityType::kStrikethrough},
      {"textEntityTypeSpoiler", EntityType::kSpoiler},
      {"textEntityTypeCode", EntityType::kCode},
      {"textEntityTypePre", EntityType::kPre},
      {"textEntityTypePreCode", EntityType::kPre},
      {"textEntityTypeTextUrl", EntityType::kTextUrl},
      {"textEntityTypeBlockQuote", EntityType::kBlockQuote},
      {"textEntityTypeExpandableBlockQuote", EntityType::kBlockQuote},
      {"textEntityTypeMention", EntityType::kMention},
      {"textEntityTypeMentionName", EntityType::kMentionName},
      {"textEntityTypeUrl", EntityType::kUrl},
  };
  for (const auto& [name, kind] : kKinds) {
    if (name == type) return kind;
  }
  return std::nullopt;
}

// textEntity{offset, length, type}; the type's argument (url, language, user_id) as text.
error_code text_entity(Value& v, std::vector<TextEntity>& out) {
  TextEntity e;
  std::optional<EntityType> kind;
  SAKAI_TD_TRY(fields_of(v, [&](Key key, Value& x) -> error_code {
    if (key == "offset") return get_int(x, e.offset);
    if (key == "length") return get_int(x, e.length);
    if (key != "type") return SUCCESS;
    return fields_of(x, [&](Key k, Value& y) -> error_code {
      if (k == "@type") {
        std::string_view type;
        SAKAI_TD_TRY(y.get_string().get(type));
        kind = entity_kind(type);
        return SUCCESS;
      }
      if (k == "url" || k == "language") return get_text(y, e.argument);
      if (k != "user_id") return SUCCESS;
      std::int64_t user = 0;
      SAKAI_TD_TRY(get_int(y, user));
      e.argument = std::to_string(user);
      return SUCCESS;
    });
  }));
  if (kind) {
    e.type = *kind;
    out.push_back(std::move(e));
  }
  return SUCCESS;
}

// formattedText{text, entities}. With `quiet_unless_command`, a text that cannot be a command
// is neither copied nor its entities read, and `quiet` is set.
error_code formatted_text(Value& v, std::string& text, std::vector<TextEntity>& entities,
                          bool quiet_unless_command = false, bool* quiet = nullptr) {
  od::object obj;
  SAKAI_TD_TRY(v.get_object().get(obj));
  bool skip = false;
  SAKAI_TD_TRY(with_field(obj, "text", [&](Value& x) -> error_code {
    if (quiet_unless_command) {
      od::raw_json_string raw;
      SAKAI_TD_TRY(x.get_raw_json_string().get(raw));
      if (!could_be_command(raw.raw())) {
        skip = true;
        *quiet = true;
        return SUCCESS;
      }
      std::string_view s;
      SAKAI_TD_TRY(x.get_string().get(s));
      text.assign(s);
      return SUCCESS;
    }
    return get_text(x, text);
  }));
  if (skip) return SUCCESS;
  return with_field(obj, "entities", [&](Value& x) {
    return elements(x, [&](Value& item) { return text_entity(item, entities); });
  });
}

// file{id, size, expected_size, local, remote{id, unique_id, ...}}
error_code file_object(Value& v, std::int32_t& id, std::string_view& remote_id) {
  od::object file;
  bool present = false;
  SAKAI_TD_TRY(open(v, file, present));
  if (!present) return SUCCESS;
  SAKAI_TD_TRY(with_field(file, "id", [&](Value& x) { return get_int(x, id); }));
  return with_field(file, "remote", [&](Value& x) {
    od::object remote;
    bool there = false;
    SAKAI_TD_TRY(open(x, remote, there));
    if (!there) return SUCCESS;
    return with_field(remote, "id", [&](Value& y) { return y.get_string().get(remote_id); });
  });
}

// photo{..., sizes: [photoSize{type, photo, width, height, ...}]}: the largest size.
error_code photo_sizes(Value& v, Content& out) {
  std::int64_t best_area = -1;
  return elements(v, [&](Value& element) {
    od::object size;
    SAKAI_TD_TRY(element.get_object().get(size));
    std::int64_t width = 0;
    std::int64_t height = 0;
    std::int32_t id = 0;
    std::string_view remote_id;
    SAKAI_TD_TRY(
        with_field(size, "photo", [&](Value& x) { return file_object(x, id, remote_id); }));
    SAKAI_TD_TRY(with_field(size, "width", [&](Value& x) { return get_int(x, width); }));
    SAKAI_TD_TRY(with_field(size, "height", [&](Value& x) { return get_int(x, height); }));
    if (width * height >= best_area) {
      best_area = width * height;
      out.file_id = id;
      out.file_remote_id = remote_id;
    }
    return SUCCESS;
  });
}

struct MediaShape {
  std::string_view content_type;
  MediaKind kind;
  std::string_view media_key;  // the content's media field
  std::string_view file_key;   // the media object's file field ("" for photos: sizes)
  bool has_duration;
};
constexpr MediaShape kMedia[] = {
    {"messageVoiceNote", MediaKind::kVoiceNote, "voice_note", "voice", true},
    {"messageAudio", MediaKind::kAudio, "audio", "audio", true},
    {"messageVideoNote", MediaKind::kVideoNote, "video_note", "video", true},
    {"messagePhoto", MediaKind::kPhoto, "photo", "", false},
    {"messageDocument", MediaKind::kDocument, "document", "document", false},
    {"messageVideo", MediaKind::kVideo, "video", "video", true},
};

// The shape of a content type whose media the bot reads; nullptr for any other.
const MediaShape* media_shape(std::string_view content_type) {
  for (const auto& m : kMedia) {
    if (m.content_type == content_type) return &m;
  }
  return nullptr;
}

// The media object of a content (voiceNote, audio, videoNote, photo, document, video).
error_code media_object(Value& v, const MediaShape& shape, Content& out) {
  od::object media;
  bool present = false;
  SAKAI_TD_TRY(open(v, media, present));
  if (!present) return SUCCESS;
  if (shape.has_duration) {
    SAKAI_TD_TRY(with_field(media, "duration", [&](Value& x) { return get_int(x, out.duration); }));
  }
  if (shape.file_key.empty()) {
    return with_field(media, "sizes", [&](Value& x) { return photo_sizes(x, out); });
  }
  return with_field(media, shape.file_key,
                    [&](Value& x) { return file_object(x, out.file_id, out.file_remote_id); });
}

// See Content. `quiet` (may be null): set when the content is text that cannot be a command,
// or carries neither text nor media the bot reads; only asked for when the rest of the message
// already allows it.
error_code content_object(Value& v, Content& out, bool* quiet) {
  od::object obj;
  SAKAI_TD_TRY(v.get_object().get(obj));
  std::string_view type;
  SAKAI_TD_TRY(obj.find_field_unordered("@type").get_string().get(type));
  if (type == "messageText") {
    return with_field(obj, "text", [&](Value& x) {
      return formatted_text(x, out.text, out.entities, quiet != nullptr, quiet);
    });
  }
  const MediaShape* shape = media_shape(type);
  if (shape == nullptr) {  // a sticker, a poll, a service message: nothing the engine reads
    if (quiet != nullptr) *quiet = true;
    return SUCCESS;
  }
  out.media = shape->kind;
  SAKAI_TD_TRY(
      with_field(obj, shape->media_key, [&](Value& x) { return media_object(x, *shape, out); }));
  return with_field(obj, "caption",
                    [&](Value& x) { return formatted_text(x, out.text, out.entities); });
}

}  // namespace

bool is_read_media(std::string_view content_type) {
  return media_shape(content_type) != nullptr;
}

error_code content_value(Value& v, Content& out) {
  return content_object(v, out, nullptr);
}

error_code message_object(od::object& obj, DecodedMessage& out, bool may_be_quiet) {
  Message& m = out.message;
  std::int64_t reply_chat = 0;
  std::int64_t reply_message = 0;
  // In the order TDLib writes them: each lookup scans on from the one before.
  SAKAI_TD_TRY(with_field(obj, "id", [&](Value& x) { return get_id(x, m.id); }));
  SAKAI_TD_TRY(with_field(obj, "sender_id", [&](Value& x) -> error_code {
    // messageSenderUser{user_id}; messageSenderChat{chat_id} leaves the sender 0.
    od::object sender;
    bool present = false;
    SAKAI_TD_TRY(open(x, sender, present));
    if (!present) return SUCCESS;
    return with_field(sender, "user_id", [&](Value& y) { return get_id(y, m.sender); });
  }));
  SAKAI_TD_TRY(with_field(obj, "chat_id", [&](Value& x) { return get_id(x, m.chat); }));
  SAKAI_TD_TRY(with_field(obj, "sending_state", [&](Value& x) -> error_code {
    bool is_null = false;
    SAKAI_TD_TRY(x.is_null().get(is_null));
    out.sending = !is_null;
    return SUCCESS;
  }));
  SAKAI_TD_TRY(
      with_field(obj, "is_outgoing", [&](Value& x) { return x.get_bool().get(m.outgoing); }));
  SAKAI_TD_TRY(with_field(obj, "date", [&](Value& x) { return get_int(x, m.date_unix); }));
  SAKAI_TD_TRY(with_field(obj, "edit_date", [&](Value& x) -> error_code {
    std::int64_t edit_date = 0;
    SAKAI_TD_TRY(get_int(x, edit_date));
    m.edited = edit_date != 0;
    return SUCCESS;
  }));
  SAKAI_TD_TRY(with_field(obj, "reply_to", [&](Value& x) -> error_code {
    // messageReplyToMessage{chat_id, message_id, ...}; messageReplyToStory has neither.
    od::object reply;
    bool present = false;
    SAKAI_TD_TRY(open(x, reply, present));
    if (!present) return SUCCESS;
    SAKAI_TD_TRY(with_field(reply, "chat_id", [&](Value& y) { return get_int(y, reply_chat); }));
    return with_field(reply, "message_id", [&](Value& y) { return get_int(y, reply_message); });
  }));
  if (reply_message != 0 && (reply_chat == 0 || reply_chat == m.chat.value())) {
    m.reply_to = MessageId(reply_message);
  }
  SAKAI_TD_TRY(with_field(obj, "topic_id", [&](Value& x) -> error_code {
    od::object topic;  // only messageTopicForum has forum_topic_id
    bool present = false;
    SAKAI_TD_TRY(open(x, topic, present));
    if (!present) return SUCCESS;
    return with_field(topic, "forum_topic_id", [&](Value& y) { return get_int(y, out.topic_id); });
  }));
  // Only someone else's message that replies to nothing may be quiet (the owner's plain text
  // may be a `confirm`, a reply may continue an answer).
  const bool quiet_candidate = may_be_quiet && !m.outgoing && !m.reply_to && !out.sending;
  Content content;
  SAKAI_TD_TRY(with_field(obj, "content", [&](Value& x) {
    return content_object(x, content, quiet_candidate ? &out.quiet : nullptr);
  }));
  SAKAI_TD_TRY(finish(obj));
  m.media = content.media;
  out.file_id = content.file_id;
  out.file_remote_id.assign(content.file_remote_id);
  out.duration = content.duration;
  m.text = std::move(content.text);
  m.entities = std::move(content.entities);
  return SUCCESS;
}

error_code message_value(Value& v, DecodedMessage& out, bool may_be_quiet) {
  od::object obj;
  SAKAI_TD_TRY(v.get_object().get(obj));
  return message_object(obj, out, may_be_quiet);
}

}  // namespace sakai::telegram::tdjson::detail
