#pragma once
// What TDLib sends us, decoded from its JSON into typed values at the edge (td_decode.h).
// Only what the bot uses crosses into these types; everything else decodes to Ignored.
// Field names follow td_api.tl of TDLib 1.8.65.
#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/message.h"

namespace sakai::telegram::tdjson {

// A message as TDLib describes it. The chat's kind is not in TDLib's message object: the
// transport fills message.chat_kind from its chat cache (updateNewChat / getChat).
struct DecodedMessage {
  Message message;
  // A new message the engine cannot act on (decode_td_object decides, is_quiet() says how):
  // its text and entities were not copied, and the transport does not deliver it.
  bool quiet = false;
  bool sending = false;        // has sending_state: sent by this client, not yet confirmed
  std::int64_t topic_id = 0;   // messageTopicForum.forum_topic_id, 0 when none
  std::string file_remote_id;  // voice/audio/video note/photo/document file, if any
  std::int32_t file_id = 0;
  std::int32_t duration = 0;  // voice/audio/video note seconds
};

struct AuthorizationState {
  // The TDLib constructor name, e.g. "authorizationStateWaitPhoneNumber".
  std::string state;
  std::string qr_link;        // authorizationStateWaitOtherDeviceConfirmation.link
  std::string password_hint;  // authorizationStateWaitPassword.password_hint
  std::string code_type;      // authorizationStateWaitCode.code_info.type["@type"]
  int code_length = 0;
};

struct NewMessage {
  DecodedMessage message;
};
struct MessageSendSucceeded {
  DecodedMessage message;
  MessageId old_message_id;
};
struct MessageSendFailed {
  ChatId chat;
  MessageId old_message_id;
  int error_code = 0;
  std::string error_message;
};
struct MessageContentChanged {  // updateMessageContent (an edit's new text)
  ChatId chat;
  MessageId message;
  std::string text;
  std::vector<TextEntity> entities;
  MediaKind media = MediaKind::kNone;
};
struct MessagesDeleted {
  ChatId chat;
  std::vector<MessageId> ids;
  bool permanent = false;
  bool from_cache = false;
};
struct ChatSeen {  // updateNewChat
  ChatId id;
  ChatKind kind = ChatKind::kPrivate;
  std::string title;
  UserId private_user;  // chatTypePrivate.user_id
  std::int64_t supergroup_id = 0;
  bool is_channel = false;
};
struct UserSeen {  // updateUser
  UserId id;
  std::string first_name;
  std::string last_name;
  std::string username;  // first active username, "" when none
};
struct OptionChanged {  // updateOption; value as text ("4096", "true", "1.8.65")
  std::string name;
  std::string value;
};
struct ConnectionStateChanged {
  std::string state;  // "connectionStateReady", "connectionStateConnecting", ...
};
// A reply to one of our requests, matched by "@extra". `json` is the whole object, for the
// requester's own decoder; errors are pre-decoded.
struct Response {
  std::uint64_t request_id = 0;  // our "@extra"
  bool is_error = false;
  int error_code = 0;
  std::string error_message;
  std::string type;  // "@type" of the response object
  std::string json;
};
// An object the bot does not use, by its "@type" (the first 55 bytes of it; "<malformed>" for
// JSON that could not be read). Kept inline: ignoring an update allocates nothing.
class TypeName {
 public:
  TypeName() = default;
  TypeName(std::string_view name)  // NOLINT(google-explicit-constructor): a name is a name
      : size_(static_cast<std::uint8_t>(std::min(name.size(), kCapacity))) {
    std::copy_n(name.data(), size_, chars_.data());
  }
  [[nodiscard]] std::string_view view() const { return {chars_.data(), size_}; }
  operator std::string_view() const { return view(); }  // NOLINT(google-explicit-constructor)
  friend bool operator==(const TypeName& a, std::string_view b) { return a.view() == b; }

 private:
  static constexpr std::size_t kCapacity = 55;
  std::array<char, kCapacity> chars_{};
  std::uint8_t size_ = 0;
};

struct Ignored {
  TypeName type;
};

using TdEvent =
    std::variant<Ignored, Response, AuthorizationState, NewMessage, MessageSendSucceeded,
                 MessageSendFailed, MessageContentChanged, MessagesDeleted, ChatSeen, UserSeen,
                 OptionChanged, ConnectionStateChanged>;

}  // namespace sakai::telegram::tdjson
