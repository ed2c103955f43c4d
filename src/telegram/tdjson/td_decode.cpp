#include "telegram/tdjson/td_decode.h"

#include <algorithm>
#include <cstring>

#include "telegram/tdjson/td_decode_support.h"
#include "telegram/tdjson/td_errors.h"

namespace sakai::telegram::tdjson {
namespace {

using namespace detail;  // NOLINT(google-build-using-namespace): this file's own helpers

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

// Someone else's reply in a known group, without media, whose text cannot be a command: quiet
// (td_decode.h). The scan decides this from the bytes; here for what the full decoder read.
void quiet_in_group(DecodedMessage& d, const GroupChats& groups) {
  const Message& m = d.message;
  if (d.quiet || d.sending || m.outgoing || !m.reply_to || m.media != MediaKind::kNone ||
      !groups.contains(m.chat.value()))
    return;
  // could_be_command reads the text as its JSON bytes: a copy of the first three, closed. A
  // quote there would read as the string's end, though JSON writes it \" (an escape, which may
  // start a command: '"' is a punctuation character a prefix may be).
  if (!m.text.empty() && m.text.front() == '"') return;
  char head[4] = {'"', '"', '"', '"'};
  std::memcpy(head, m.text.data(), std::min<std::size_t>(m.text.size(), 3));
  if (could_be_command(head)) return;
  d.quiet = true;
  d.message.text.clear();
  d.message.entities.clear();
}

// The field visitors of the updates the bot uses.
error_code new_message(Key key, Value& x, NewMessage& e) {
  return key == "message" ? message_value(x, e.message, true) : SUCCESS;
}
error_code send_succeeded(Key key, Value& x, MessageSendSucceeded& e) {
  if (key == "message") return message_value(x, e.message, false);
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
  const error_code error = content_value(x, c);
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

static_assert(kUpdates[0].first == "updateNewMessage");  // decode_td_object's quiet scan

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
    event.emplace<Ignored>().type = type;
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

// `decode`: decoder_for(type) when the type is known from the prefix (nullptr otherwise).
error_code decode_root(std::string_view json, std::string_view type, UpdateDecoder decode,
                       TdEvent& event) {
  od::document doc;
  SAKAI_TD_TRY(iterate(json).get(doc));
  od::object root;
  SAKAI_TD_TRY(doc.get_object().get(root));
  if (type.empty()) {
    SAKAI_TD_TRY(object_type(root, type));
    decode = decoder_for(type);
  }
  if (!is_update(type)) {
    SAKAI_TD_TRY(response_event(root, type, json, event));
  } else if (decode != nullptr) {
    SAKAI_TD_TRY(decode(root, event));
  } else {
    event.emplace<Ignored>().type = type;
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

TdEvent decode_td_object(std::string_view json, const GroupChats* groups) {
  TdEvent event;  // one object, returned from every path (no move of a decoded message)
  const std::string_view type = prefix_type(json);
  const UpdateDecoder decode = is_update(type) ? decoder_for(type) : nullptr;
  if (is_update(type) && decode == nullptr) {
    event.emplace<Ignored>().type = type;
  } else if (decode == kUpdates[0].second &&
             quiet_new_message(json, event.emplace<NewMessage>().message, groups)) {
    // someone else's chat line (kUpdates[0] is updateNewMessage): recognised without parsing
  } else if (decode_root(json, type, decode, event) != SUCCESS) {
    event.emplace<Ignored>().type = std::string_view("<malformed>");
  } else if (auto* m = std::get_if<NewMessage>(&event); m != nullptr && groups != nullptr) {
    quiet_in_group(m->message, *groups);  // as the scan would, for objects it left to simdjson
  }
  return event;
}

Result<DecodedMessage> decode_message(std::string_view json) {
  return decode_as<DecodedMessage>(json, "message", false,
                                   [](od::object& root, std::string_view, DecodedMessage& out) {
                                     return message_object(root, out, false);
                                   });
}

Result<std::vector<DecodedMessage>> decode_messages(std::string_view json) {
  using Messages = std::vector<DecodedMessage>;
  return decode_as<Messages>(
      json, "messages", false, [](od::object& root, std::string_view, Messages& out) {
        return array_field(root, "messages", [&](Value& v) -> error_code {
          od::object m;
          bool present = false;  // deleted messages come as null
          SAKAI_TD_TRY(open(v, m, present));
          return present ? message_object(m, out.emplace_back(), false) : SUCCESS;
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
