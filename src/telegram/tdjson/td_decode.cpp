#include "telegram/tdjson/td_decode.h"

#include "telegram/tdjson/td_errors.h"

// Only the error-code API of simdjson is used; this keeps any throwing accessor out.
#define SIMDJSON_EXCEPTIONS 0
#include <simdjson.h>

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstring>
#include <memory>
#include <utility>

namespace sakai::telegram::tdjson {
namespace {

namespace od = simdjson::ondemand;
using simdjson::error_code;
using simdjson::SUCCESS;
using Value = od::value;
using Key = std::string_view;

// Returns the error of `expr`, if any. The variable is named per expansion: these nest.
#define SAKAI_TD_CAT2(a, b) a##b
#define SAKAI_TD_CAT(a, b) SAKAI_TD_CAT2(a, b)
#define SAKAI_TD_TRY(expr) SAKAI_TD_TRY_N(expr, SAKAI_TD_CAT(td_error_, __COUNTER__))
#define SAKAI_TD_TRY_N(expr, var)                                  \
  do {                                                             \
    if (const error_code var = (expr); var != SUCCESS) return var; \
  } while (0)

// ---- input and small readers -------------------------------------------------------------

// On-Demand reads up to SIMDJSON_PADDING bytes past the input: each thread copies its input
// into one growing, zero-padded buffer and reuses one parser, so decoding allocates nothing.
struct Scratch {
  od::parser parser;
  std::unique_ptr<char[]> buffer;
  std::size_t capacity = 0;
};

simdjson::simdjson_result<od::document> iterate(std::string_view json) {
  thread_local Scratch s;
  const std::size_t need = json.size() + simdjson::SIMDJSON_PADDING;
  if (need > s.capacity) {
    s.capacity = std::max<std::size_t>(need, std::max<std::size_t>(4096, 2 * s.capacity));
    s.buffer = std::make_unique_for_overwrite<char[]>(s.capacity);
  }
  if (!json.empty()) std::memcpy(s.buffer.get(), json.data(), json.size());
  std::memset(s.buffer.get() + json.size(), 0, simdjson::SIMDJSON_PADDING);
  return s.parser.iterate(s.buffer.get(), json.size(), s.capacity);
}

// After the root object: nothing may follow it.
error_code at_end(od::document& doc) {
  return doc.current_location().error() == simdjson::OUT_OF_BOUNDS ? SUCCESS
                                                                   : simdjson::TRAILING_CONTENT;
}

// A field's key as written, found eight bytes at a time (a message has ~45 keys). TDLib keys
// never contain escapes; an escaped key simply matches nothing. The scan stops at a NUL too,
// and the zeroed padding makes the over-read safe.
Key key_of(const od::field& f) {
  const char* p = f.key().raw();
  if constexpr (std::endian::native != std::endian::little) {
    std::size_t n = 0;
    while (p[n] != '"' && p[n] != '\0')
      ++n;
    return {p, n};
  }
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
  for (std::size_t n = 0;; n += 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, p + n, 8);
    const std::uint64_t quote = word ^ (kOnes * '"');
    const std::uint64_t hit =
        ((quote - kOnes) & ~quote & kHighs) | ((word - kOnes) & ~word & kHighs);
    if (hit != 0) return {p, n + static_cast<std::size_t>(std::countr_zero(hit)) / 8};
  }
}

// int53 travels as a number, int64 as a string; both are accepted for any integer.
template <class Int>
error_code get_int(Value& v, Int& out) {
  std::int64_t x = 0;
  auto r = v.get_int64();
  if (r.error() != simdjson::INCORRECT_TYPE) {
    SAKAI_TD_TRY(std::move(r).get(x));
  } else {
    std::string_view s;
    SAKAI_TD_TRY(v.get_string().get(s));
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), x);
    if (ec != std::errc() || end != s.data() + s.size()) return simdjson::NUMBER_ERROR;
  }
  out = static_cast<Int>(x);
  return SUCCESS;
}

template <class Tag>
error_code get_id(Value& v, StrongId<Tag>& out) {
  std::int64_t x = 0;
  SAKAI_TD_TRY(get_int(v, x));
  out = StrongId<Tag>(x);
  return SUCCESS;
}

error_code get_text(Value& v, std::string& out) {
  std::string_view s;
  SAKAI_TD_TRY(v.get_string().get(s));
  out.assign(s);
  return SUCCESS;
}

// The object's "@type". TDLib writes it first; the object is rewound afterwards so the caller's
// field loop sees every field whatever the order (it skips "@type" itself).
error_code object_type(od::object& obj, std::string_view& type) {
  SAKAI_TD_TRY(obj.find_field_unordered("@type").get_string().get(type));
  bool not_empty = false;
  return obj.reset().get(not_empty);
}

template <class F>  // F: error_code(Key key, Value& value)
error_code for_each_field(od::object& obj, F&& visit) {
  for (auto result : obj) {
    // value_unsafe() after the error check: moving the field out costs a store-forwarding
    // stall per key, measurable on a ~45-key message.
    SAKAI_TD_TRY(result.error());
    od::field& field = result.value_unsafe();
    SAKAI_TD_TRY(visit(key_of(field), field.value()));
  }
  return SUCCESS;
}

// Opens an object value that may be null (then `present` is false).
error_code open(Value& v, od::object& obj, bool& present) {
  bool is_null = false;
  SAKAI_TD_TRY(v.is_null().get(is_null));
  present = !is_null;
  return is_null ? SUCCESS : v.get_object().get(obj);
}

// Visits the fields of an object value; null visits nothing.
template <class F>
error_code fields_of(Value& v, F&& visit) {
  od::object obj;
  bool present = false;
  SAKAI_TD_TRY(open(v, obj, present));
  return present ? for_each_field(obj, visit) : SUCCESS;
}

// The same with the object's "@type" first (empty for null).
template <class F>  // F: error_code(std::string_view type, Key key, Value& value)
error_code typed_fields_of(Value& v, F&& visit) {
  od::object obj;
  bool present = false;
  SAKAI_TD_TRY(open(v, obj, present));
  if (!present) return SUCCESS;
  std::string_view type;
  SAKAI_TD_TRY(object_type(obj, type));
  return for_each_field(obj, [&](Key key, Value& value) { return visit(type, key, value); });
}

// The elements of an array value, each handed to `element`.
template <class F>  // F: error_code(Value& element)
error_code elements(Value& v, F&& element) {
  od::array arr;
  SAKAI_TD_TRY(v.get_array().get(arr));
  for (auto item : arr) {
    SAKAI_TD_TRY(item.error());
    SAKAI_TD_TRY(element(item.value_unsafe()));
  }
  return SUCCESS;
}

// error{code, message}
error_code error_field(Key key, Value& x, int& code, std::string& message) {
  if (key == "code") return get_int(x, code);
  return key == "message" ? get_text(x, message) : SUCCESS;
}

error_code error_value(Value& v, int& code, std::string& message) {
  return fields_of(v, [&](Key key, Value& x) { return error_field(key, x, code, message); });
}

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

// formattedText{text, entities}.
error_code formatted_text(Value& v, std::string& text, std::vector<TextEntity>& entities) {
  return fields_of(v, [&](Key key, Value& x) -> error_code {
    if (key == "text") return get_text(x, text);
    if (key != "entities") return SUCCESS;
    return elements(x, [&](Value& item) { return text_entity(item, entities); });
  });
}

// ---- message -----------------------------------------------------------------------------

struct FileRef {
  std::int32_t id = 0;
  std::string_view remote_id;  // points into the parser's string buffer
};

struct Content {
  std::string text;
  std::vector<TextEntity> entities;
  MediaKind media = MediaKind::kNone;
  FileRef file;
  std::int32_t duration = 0;
};

// file{id, size, expected_size, local, remote{id, unique_id, ...}}
error_code file_object(Value& v, FileRef& out) {
  return fields_of(v, [&](Key key, Value& x) {
    if (key == "id") return get_int(x, out.id);
    if (key != "remote") return SUCCESS;
    return fields_of(x, [&](Key k, Value& y) {
      return k == "id" ? y.get_string().get(out.remote_id) : SUCCESS;
    });
  });
}

// photo{..., sizes: [photoSize{type, photo, width, height, ...}]}: the largest size.
error_code photo_sizes(Value& v, Content& out) {
  od::array sizes;
  SAKAI_TD_TRY(v.get_array().get(sizes));
  std::int64_t best_area = -1;
  for (auto element : sizes) {
    SAKAI_TD_TRY(element.error());
    Value& size = element.value_unsafe();
    std::int64_t width = 0;
    std::int64_t height = 0;
    FileRef file;
    SAKAI_TD_TRY(fields_of(size, [&](Key k, Value& x) {
      if (k == "width") return get_int(x, width);
      if (k == "height") return get_int(x, height);
      return k == "photo" ? file_object(x, file) : SUCCESS;
    }));
    if (width * height >= best_area) {
      best_area = width * height;
      out.file = file;
    }
  }
  return SUCCESS;
}

struct MediaShape {
  std::string_view content_type;
  MediaKind kind;
  std::string_view media_key;  // the content's media field
  std::string_view file_key;   // the media object's file field ("" for photos: sizes)
};
constexpr MediaShape kMedia[] = {
    {"messageVoiceNote", MediaKind::kVoiceNote, "voice_note", "voice"},
    {"messageAudio", MediaKind::kAudio, "audio", "audio"},
    {"messageVideoNote", MediaKind::kVideoNote, "video_note", "video"},
    {"messagePhoto", MediaKind::kPhoto, "photo", ""},
    {"messageDocument", MediaKind::kDocument, "document", "document"},
    {"messageVideo", MediaKind::kVideo, "video", "video"},
};

// MessageContent: text of messageText, caption and file of media; nothing of other kinds
// (stickers, polls, service messages).
error_code content_object(Value& v, Content& out) {
  const MediaShape* shape = nullptr;
  return typed_fields_of(v, [&](std::string_view type, Key key, Value& x) {
    if (type == "messageText") {
      return key == "text" ? formatted_text(x, out.text, out.entities) : SUCCESS;
    }
    if (shape == nullptr) {
      for (const auto& m : kMedia) {
        if (m.content_type == type) shape = &m;
      }
      if (shape == nullptr) return SUCCESS;
      out.media = shape->kind;
    }
    if (key == "caption") return formatted_text(x, out.text, out.entities);
    if (key != shape->media_key) return SUCCESS;
    return fields_of(x, [&](Key k, Value& y) {
      if (k == "duration") return get_int(y, out.duration);
      if (shape->file_key.empty()) return k == "sizes" ? photo_sizes(y, out) : SUCCESS;
      return k == shape->file_key ? file_object(y, out.file) : SUCCESS;
    });
  });
}

error_code message_object(od::object& obj, DecodedMessage& out) {
  Message& m = out.message;
  std::int64_t reply_chat = 0;
  std::int64_t reply_message = 0;
  Content content;
  SAKAI_TD_TRY(for_each_field(obj, [&](Key key, Value& x) -> error_code {
    switch (key.size()) {  // by length first: most of the ~45 keys match nothing
      case 2:
        return key == "id" ? get_id(x, m.id) : SUCCESS;
      case 4:
        return key == "date" ? get_int(x, m.date_unix) : SUCCESS;
      case 7:
        if (key == "chat_id") return get_id(x, m.chat);
        return key == "content" ? content_object(x, content) : SUCCESS;
      case 8:
        if (key == "reply_to") {  // messageReplyToMessage; messageReplyToStory has neither
          return fields_of(x, [&](Key k, Value& y) {
            if (k == "chat_id") return get_int(y, reply_chat);
            return k == "message_id" ? get_int(y, reply_message) : SUCCESS;
          });
        }
        if (key != "topic_id") return SUCCESS;
        return fields_of(x, [&](Key k, Value& y) {  // only messageTopicForum has it
          return k == "forum_topic_id" ? get_int(y, out.topic_id) : SUCCESS;
        });
      case 9:
        if (key == "edit_date") {
          std::int64_t edit_date = 0;
          SAKAI_TD_TRY(get_int(x, edit_date));
          m.edited = edit_date != 0;
          return SUCCESS;
        }
        if (key != "sender_id") return SUCCESS;
        // messageSenderUser{user_id}; messageSenderChat{chat_id} leaves the sender 0.
        return fields_of(
            x, [&](Key k, Value& y) { return k == "user_id" ? get_id(y, m.sender) : SUCCESS; });
      case 11:
        return key == "is_outgoing" ? x.get_bool().get(m.outgoing) : SUCCESS;
      case 13:
        if (key != "sending_state") return SUCCESS;
        {
          bool is_null = false;
          SAKAI_TD_TRY(x.is_null().get(is_null));
          out.sending = !is_null;
        }
        return SUCCESS;
      default:
        return SUCCESS;
    }
  }));
  if (reply_message != 0 && (reply_chat == 0 || reply_chat == m.chat.value())) {
    m.reply_to = MessageId(reply_message);
  }
  m.media = content.media;
  out.file_id = content.file.id;
  out.file_remote_id.assign(content.file.remote_id);
  out.duration = content.duration;
  m.text = std::move(content.text);
  m.entities = std::move(content.entities);
  return SUCCESS;
}

error_code message_value(Value& v, DecodedMessage& out) {
  od::object obj;
  SAKAI_TD_TRY(v.get_object().get(obj));
  return message_object(obj, out);
}

// ---- chats, users, options, authorization ------------------------------------------------

// A field of `chat`.
error_code chat_field(Key key, Value& x, ChatSeen& out) {
  if (key == "id") return get_id(x, out.id);
  if (key == "title") return get_text(x, out.title);
  if (key != "type") return SUCCESS;
  SAKAI_TD_TRY(typed_fields_of(x, [&](std::string_view type, Key k, Value& y) {
    // chatTypePrivate and chatTypeSecret are private chats.
    out.kind = type == "chatTypeBasicGroup"   ? ChatKind::kGroup
               : type == "chatTypeSupergroup" ? ChatKind::kSupergroup
                                              : ChatKind::kPrivate;
    if (k == "user_id") return get_id(y, out.private_user);
    if (k == "supergroup_id") return get_int(y, out.supergroup_id);
    return k == "is_channel" ? y.get_bool().get(out.is_channel) : SUCCESS;
  }));
  if (out.kind == ChatKind::kSupergroup && out.is_channel) out.kind = ChatKind::kChannel;
  return SUCCESS;
}

// A field of `user`: the first active username is the username.
error_code user_field(Key key, Value& x, UserSeen& out) {
  if (key == "id") return get_id(x, out.id);
  if (key == "first_name") return get_text(x, out.first_name);
  if (key == "last_name") return get_text(x, out.last_name);
  if (key != "usernames") return SUCCESS;
  return fields_of(x, [&](Key k, Value& y) {
    if (k != "active_usernames") return SUCCESS;
    bool first = true;
    return elements(y, [&](Value& name) {
      if (!std::exchange(first, false)) return SUCCESS;
      return get_text(name, out.username);
    });
  });
}

// optionValue* (its "@type" known) → text.
error_code option_value(std::string_view type, Key key, Value& x, std::string& out) {
  if (key != "value") return SUCCESS;
  if (type == "optionValueString") return get_text(x, out);
  if (type == "optionValueInteger") {
    std::int64_t n = 0;
    SAKAI_TD_TRY(get_int(x, n));
    out = std::to_string(n);
  } else if (type == "optionValueBoolean") {
    bool b = false;
    SAKAI_TD_TRY(x.get_bool().get(b));
    out = b ? "true" : "false";
  }
  return SUCCESS;
}

error_code authorization_state(Value& v, AuthorizationState& out) {
  return typed_fields_of(v, [&](std::string_view type, Key key, Value& x) {
    out.state.assign(type);  // the loop visits "@type" too, so states without fields get here
    if (key == "link") return get_text(x, out.qr_link);
    if (key == "password_hint") return get_text(x, out.password_hint);
    if (key != "code_info") return SUCCESS;
    // authenticationCodeInfo{phone_number, type: authenticationCodeType*{length?}, ...}
    return fields_of(x, [&](Key k, Value& y) {
      if (k != "type") return SUCCESS;
      return typed_fields_of(y, [&](std::string_view code_type, Key f, Value& z) {
        out.code_type.assign(code_type);
        return f == "length" ? get_int(z, out.code_length) : SUCCESS;
      });
    });
  });
}

// ---- updates and responses ---------------------------------------------------------------

// The "@type" of an object written as td_receive writes it ({"@type":"name",...), without
// parsing; empty when the object starts otherwise.
std::string_view prefix_type(std::string_view json) {
  constexpr std::string_view kPrefix = R"({"@type":")";
  if (!json.starts_with(kPrefix)) return {};
  const std::size_t end = json.find('"', kPrefix.size());
  if (end == std::string_view::npos || end - kPrefix.size() > 128) return {};
  const std::string_view type = json.substr(kPrefix.size(), end - kPrefix.size());
  return type.find('\\') == std::string_view::npos ? type : std::string_view{};
}

// The field visitors of the updates the bot uses.
error_code new_message(Key key, Value& x, NewMessage& e) {
  return key == "message" ? message_value(x, e.message) : SUCCESS;
}
error_code send_succeeded(Key key, Value& x, MessageSendSucceeded& e) {
  if (key == "message") return message_value(x, e.message);
  return key == "old_message_id" ? get_id(x, e.old_message_id) : SUCCESS;
}
error_code send_failed(Key key, Value& x, MessageSendFailed& e) {
  if (key == "old_message_id") return get_id(x, e.old_message_id);
  if (key == "error") return error_value(x, e.error_code, e.error_message);
  if (key != "message") return SUCCESS;
  return fields_of(x,
                   [&](Key k, Value& y) { return k == "chat_id" ? get_id(y, e.chat) : SUCCESS; });
}
error_code content_changed(Key key, Value& x, MessageContentChanged& e) {
  if (key == "chat_id") return get_id(x, e.chat);
  if (key == "message_id") return get_id(x, e.message);
  if (key != "new_content") return SUCCESS;
  Content c;
  const error_code error = content_object(x, c);
  e.text = std::move(c.text);
  e.entities = std::move(c.entities);
  e.media = c.media;
  return error;
}
error_code messages_deleted(Key key, Value& x, MessagesDeleted& e) {
  if (key == "chat_id") return get_id(x, e.chat);
  if (key == "is_permanent") return x.get_bool().get(e.permanent);
  if (key == "from_cache") return x.get_bool().get(e.from_cache);
  if (key != "message_ids") return SUCCESS;
  return elements(x, [&](Value& id) { return get_id(id, e.ids.emplace_back()); });
}
error_code new_chat(Key key, Value& x, ChatSeen& e) {
  if (key != "chat") return SUCCESS;
  return fields_of(x, [&](Key k, Value& y) { return chat_field(k, y, e); });
}
error_code user_changed(Key key, Value& x, UserSeen& e) {
  if (key != "user") return SUCCESS;
  return fields_of(x, [&](Key k, Value& y) { return user_field(k, y, e); });
}
error_code option_changed(Key key, Value& x, OptionChanged& e) {
  if (key == "name") return get_text(x, e.name);
  if (key != "value") return SUCCESS;
  return typed_fields_of(
      x, [&](std::string_view type, Key k, Value& y) { return option_value(type, k, y, e.value); });
}
error_code connection_changed(Key key, Value& x, ConnectionStateChanged& e) {
  if (key != "state") return SUCCESS;
  return typed_fields_of(x, [&](std::string_view type, Key, Value&) {
    e.state.assign(type);  // the loop visits "@type" too: there is always a call
    return SUCCESS;
  });
}
error_code authorization_changed(Key key, Value& x, AuthorizationState& e) {
  return key == "authorization_state" ? authorization_state(x, e) : SUCCESS;
}

using UpdateDecoder = error_code (*)(od::object& root, TdEvent& event);

// Emplaces the event E and visits the update's fields with it.
template <class E, error_code (*Field)(Key, Value&, E&)>
error_code decode_update(od::object& root, TdEvent& event) {
  auto& e = event.emplace<E>();
  return for_each_field(root, [&](Key key, Value& x) { return Field(key, x, e); });
}

// The updates the bot uses; every other update becomes Ignored without being parsed.
constexpr std::pair<std::string_view, UpdateDecoder> kUpdates[] = {
    {"updateNewMessage", decode_update<NewMessage, new_message>},
    {"updateMessageSendSucceeded", decode_update<MessageSendSucceeded, send_succeeded>},
    {"updateMessageSendFailed", decode_update<MessageSendFailed, send_failed>},
    {"updateMessageContent", decode_update<MessageContentChanged, content_changed>},
    {"updateDeleteMessages", decode_update<MessagesDeleted, messages_deleted>},
    {"updateNewChat", decode_update<ChatSeen, new_chat>},
    {"updateUser", decode_update<UserSeen, user_changed>},
    {"updateOption", decode_update<OptionChanged, option_changed>},
    {"updateConnectionState", decode_update<ConnectionStateChanged, connection_changed>},
    {"updateAuthorizationState", decode_update<AuthorizationState, authorization_changed>},
};

// nullptr for an update the bot does not use (and for anything that is not an update).
UpdateDecoder decoder_for(std::string_view type) {
  for (const auto& [name, decoder] : kUpdates) {
    if (name == type) return decoder;
  }
  return nullptr;
}

bool is_update(std::string_view type) {
  return type.starts_with("update");
}

// A non-update object: an answer to a request when it carries "@extra".
error_code response_event(od::object& root, std::string_view type, std::string_view json,
                          TdEvent& event) {
  bool has_extra = false;
  std::uint64_t extra = 0;
  int code = 0;
  std::string message;
  const bool is_error = type == "error";
  SAKAI_TD_TRY(for_each_field(root, [&](Key key, Value& x) -> error_code {
    if (key == "@extra") {  // we send numbers; anything else is not ours and stays 0
      has_extra = true;
      if (x.get_uint64().get(extra) != SUCCESS) extra = 0;
      return SUCCESS;
    }
    if (!is_error) return SUCCESS;
    if (key == "code") return get_int(x, code);
    return key == "message" ? get_text(x, message) : SUCCESS;
  }));
  if (!has_extra && !is_error) {
    event.emplace<Ignored>().type.assign(type);
    return SUCCESS;
  }
  auto& r = event.emplace<Response>();
  r.request_id = extra;
  r.is_error = is_error;
  r.error_code = code;
  r.error_message = std::move(message);
  r.type.assign(type);
  r.json.assign(json);
  return SUCCESS;
}

error_code decode_root(std::string_view json, std::string_view type, TdEvent& event) {
  od::document doc;
  SAKAI_TD_TRY(iterate(json).get(doc));
  od::object root;
  SAKAI_TD_TRY(doc.get_object().get(root));
  if (type.empty()) SAKAI_TD_TRY(object_type(root, type));
  if (!is_update(type)) {
    SAKAI_TD_TRY(response_event(root, type, json, event));
  } else if (const UpdateDecoder decode = decoder_for(type)) {
    SAKAI_TD_TRY(decode(root, event));
  } else {
    event.emplace<Ignored>().type.assign(type);
    return SUCCESS;
  }
  return at_end(doc);
}

// Decodes a response of type `expected` (or of any type starting so, with `prefix`).
template <class T, class Fill>  // Fill: error_code(od::object& root, std::string_view type, T&)
Result<T> decode_as(std::string_view json, std::string_view expected, bool prefix, Fill&& fill) {
  T out{};
  std::string wrong_type;
  bool td_error = false;
  int td_code = 0;
  std::string td_message;
  const error_code e = [&]() -> error_code {
    od::document doc;
    SAKAI_TD_TRY(iterate(json).get(doc));
    od::object root;
    SAKAI_TD_TRY(doc.get_object().get(root));
    std::string_view type;
    SAKAI_TD_TRY(object_type(root, type));
    if (type == "error") {
      td_error = true;
      return for_each_field(
          root, [&](Key key, Value& x) { return error_field(key, x, td_code, td_message); });
    }
    if (prefix ? !type.starts_with(expected) : type != expected) {
      wrong_type.assign(type);
      return SUCCESS;
    }
    SAKAI_TD_TRY(fill(root, type, out));
    return at_end(doc);
  }();
  if (e != SUCCESS) {
    return make_error(ErrorCode::kCorrupt, "tdjson: malformed " + std::string(expected) + ": " +
                                               simdjson::error_message(e));
  }
  if (td_error) return td_error_status(td_code, td_message);
  if (!wrong_type.empty()) {
    return make_error(ErrorCode::kInvalidArgument,
                      "tdjson: expected " + std::string(expected) + ", got " + wrong_type);
  }
  return out;
}

// A decoder of the root object from a field visitor, as decode_as() takes it.
template <class T, error_code (*Field)(Key, Value&, T&)>
error_code whole(od::object& root, std::string_view /*type*/, T& out) {
  return for_each_field(root, [&](Key key, Value& x) { return Field(key, x, out); });
}

// Visits the elements of the array field `name` of `root`.
template <class F>
error_code array_field(od::object& root, Key name, F&& element) {
  return for_each_field(
      root, [&](Key key, Value& x) { return key == name ? elements(x, element) : SUCCESS; });
}

}  // namespace

TdEvent decode_td_object(std::string_view json) {
  const std::string_view type = prefix_type(json);
  if (is_update(type) && decoder_for(type) == nullptr) return Ignored{std::string(type)};
  TdEvent event;
  if (decode_root(json, type, event) != SUCCESS) return Ignored{"<malformed>"};
  return event;
}

Result<DecodedMessage> decode_message(std::string_view json) {
  return decode_as<DecodedMessage>(json, "message", false,
                                   [](od::object& root, std::string_view, DecodedMessage& out) {
                                     return message_object(root, out);
                                   });
}

Result<std::vector<DecodedMessage>> decode_messages(std::string_view json) {
  using Messages = std::vector<DecodedMessage>;
  return decode_as<Messages>(json, "messages", false,
                             [](od::object& root, std::string_view, Messages& out) {
                               return array_field(root, "messages", [&](Value& v) -> error_code {
                                 od::object m;
                                 bool present = false;  // deleted messages come as null
                                 SAKAI_TD_TRY(open(v, m, present));
                                 return present ? message_object(m, out.emplace_back()) : SUCCESS;
                               });
                             });
}

Result<std::vector<ChatId>> decode_chats(std::string_view json) {
  using Chats = std::vector<ChatId>;
  return decode_as<Chats>(json, "chats", false, [](od::object& root, std::string_view, Chats& out) {
    return array_field(root, "chat_ids", [&](Value& v) { return get_id(v, out.emplace_back()); });
  });
}

Result<ChatSeen> decode_chat(std::string_view json) {
  return decode_as<ChatSeen>(json, "chat", false, whole<ChatSeen, chat_field>);
}

Result<UserSeen> decode_user(std::string_view json) {
  return decode_as<UserSeen>(json, "user", false, whole<UserSeen, user_field>);
}

Result<std::string> decode_option_value(std::string_view json) {
  return decode_as<std::string>(
      json, "optionValue", true, [](od::object& root, std::string_view type, std::string& out) {
        return for_each_field(root, [&](Key k, Value& x) { return option_value(type, k, x, out); });
      });
}

}  // namespace sakai::telegram::tdjson
