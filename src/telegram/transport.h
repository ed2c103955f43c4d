#pragma once
// What the command engine can ask of Telegram, and how Telegram tells it things.
// Implementations: MemoryTransport (an in-memory Telegram for tests and the console chat);
// the TDLib transport (issue 3).
// Thread-safety: every method is called on the event loop thread, and every callback and
// update is delivered on the event loop thread, never synchronously from inside the call.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/ids.h"
#include "core/message.h"
#include "core/result.h"
#include "telegram/formatted_text.h"

namespace sakai::telegram {

struct SendOptions {
  std::optional<MessageId> reply_to;
  std::int64_t topic_id = 0;  // forum topic, 0 for none
  bool silent = false;
};

enum class ChatAction { kTyping, kRecordingVoice, kUploadingVoice, kUploadingPhoto, kCancel };
std::string_view chat_action_name(ChatAction action);

struct UserInfo {
  UserId id;
  std::string display_name;
  std::string username;
};

struct VoiceNote {
  std::string path;  // OGG/Opus file
  int duration_seconds = 0;
  std::string waveform;  // Telegram's 5-bit packed waveform, raw bytes
};

using SendCallback = std::function<void(Result<MessageId>)>;
// Every message of a group sent at once (an album), in order.
using AlbumCallback = std::function<void(Result<std::vector<MessageId>>)>;
using DoneCallback = std::function<void(Status)>;
using MessageCallback = std::function<void(Result<Message>)>;
using UserCallback = std::function<void(Result<UserInfo>)>;

// Whether messages can flow now (for /health).
enum class ConnectionState {
  kReady,              // logged in and connected
  kStarting,           // nothing reported yet
  kConnecting,         // connecting to Telegram
  kConnectingToProxy,  // connecting to the configured proxy
  kUpdating,           // connected, catching up on what happened meanwhile
  kWaitingForNetwork,  // no network
  kLoggedOut,          // the session is not logged in
  kClosed,             // the session is closing or closed
};
std::string_view connection_state_name(ConnectionState state);

class UpdateHandler {
 public:
  virtual ~UpdateHandler() = default;
  virtual void on_new_message(const Message& message) = 0;
  virtual void on_message_edited(const Message& /*message*/) {}
  virtual void on_messages_deleted(ChatId /*chat*/, const std::vector<MessageId>& /*ids*/) {}
};

class Transport {
 public:
  virtual ~Transport() = default;

  // Not owned; must outlive the transport's use. nullptr stops delivery.
  virtual void set_update_handler(UpdateHandler* handler) = 0;
  // The account SakaiBot runs as (the owner).
  [[nodiscard]] virtual UserId self_id() const = 0;
  // Whether messages can flow now: TDLib's connection and authorization state; the console's
  // in-memory chat is always ready.
  [[nodiscard]] virtual ConnectionState connection_state() const = 0;
  // Current limit of a message's text, in UTF-16 code units.
  [[nodiscard]] virtual int message_text_limit() const = 0;
  // Current limit of a media caption, in UTF-16 code units (TDLib's run-time option
  // message_caption_length_max); a longer caption is refused.
  [[nodiscard]] virtual int caption_limit() const { return 1024; }

  virtual void send_text(ChatId chat, FormattedText text, SendOptions options,
                         SendCallback done) = 0;
  virtual void edit_text(ChatId chat, MessageId id, FormattedText text, DoneCallback done) = 0;
  virtual void delete_messages(ChatId chat, std::vector<MessageId> ids, DoneCallback done) = 0;
  virtual void forward_messages(ChatId from, std::vector<MessageId> ids, ChatId to,
                                std::int64_t topic_id, DoneCallback done) = 0;
  virtual void send_voice(ChatId chat, VoiceNote voice, FormattedText caption, SendOptions options,
                          SendCallback done) = 0;
  virtual void send_photo(ChatId chat, std::string path, FormattedText caption, SendOptions options,
                          SendCallback done) = 0;
  // 2–10 photos (local files) as one album, the caption under the first; `done` hears every
  // photo's message id, in order, once all were sent (or the first failure).
  virtual void send_photos(ChatId chat, std::vector<std::string> paths, FormattedText caption,
                           SendOptions options, AlbumCallback done) = 0;
  // Any file as a document (a transcript, a chart, a log).
  virtual void send_document(ChatId chat, std::string path, FormattedText caption,
                             SendOptions options, SendCallback done) = 0;
  virtual void send_chat_action(ChatId chat, ChatAction action) = 0;

  virtual void get_message(ChatId chat, MessageId id, MessageCallback done) = 0;
  // The last `limit` messages of the chat, newest first, fetched in pages; `progress` hears the
  // running count after each page. Fewer come back when the chat is shorter.
  virtual void get_history(ChatId chat, int limit, std::function<void(int fetched)> progress,
                           std::function<void(Result<std::vector<Message>>)> done) = 0;
  // Downloads the file of a media message (voice note, audio, video note, document) and answers
  // with its local path. kNotFound when the message carries no file.
  virtual void download_file(const Message& message,
                             std::function<void(Result<std::string>)> done) = 0;
  // Removes the local copy download_file() made of a media message's file, once it has been
  // read (TDLib: deleteFile for the message's file id; the message itself stays). Where the
  // file is not a copy (MemoryTransport: it belongs to whoever sent it) nothing is removed.
  // kNotFound when the message carries no file.
  virtual void delete_local_file(const Message& message, DoneCallback done) = 0;
  // True when a file SakaiBot sends stays the message's content after the send (the console's
  // in-memory chat shows the voice note as its file): the sender must not delete it then. TDLib
  // has its own copy once the send succeeded.
  [[nodiscard]] virtual bool keeps_sent_files() const { return false; }
  virtual void get_user(UserId id, UserCallback done) = 0;
  // "@name" or "name"; kNotFound when nobody has it.
  virtual void resolve_username(std::string username, UserCallback done) = 0;

  // The first `limit` chats of the main chat list, most recent first. Private chats with the
  // account itself come as kSavedMessages; forum supergroups as kSupergroup with is_forum.
  virtual void list_chats(int limit, std::function<void(Result<std::vector<ChatInfo>>)> done) = 0;
  // The topics of a forum supergroup. kNotFound when the chat is unknown, kFailedPrecondition
  // when it is not a forum.
  virtual void list_forum_topics(ChatId chat,
                                 std::function<void(Result<std::vector<ForumTopicInfo>>)> done) = 0;
};

}  // namespace sakai::telegram
