#pragma once
// An in-memory Telegram: users, private chats, groups and their messages, with every action the
// bot takes recorded. It backs the console chat (`sakaibot console`) and the tests, and behaves
// like Telegram where the engine could notice: the bot's own sends come back as outgoing
// messages, callbacks arrive later on the loop (never inside the call), edits of unknown
// messages fail, text longer than the limit is refused as MESSAGE_TOO_LONG and a caption longer
// than the caption limit as MEDIA_CAPTION_TOO_LONG.
// Thread-safety: event loop thread only.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/event_loop.h"
#include "telegram/transport.h"

namespace sakai::telegram {

struct TransportAction {
  // send, edit, delete, forward, voice, photo, document, chat_action, delete_file
  std::string kind;
  ChatId chat;
  MessageId message;                // the message sent or edited (send, edit, voice, photo)
  std::vector<MessageId> messages;  // delete, forward
  std::optional<MessageId> reply_to;
  FormattedText text;  // text or caption
  ChatId to_chat;      // forward
  std::int64_t topic_id = 0;
  std::string path;        // voice, photo, document, delete_file
  std::int64_t album = 0;  // photo: the album it was sent in (send_photos), 0 for none
  int duration_seconds = 0;
  std::string detail;  // chat_action name
};

class MemoryTransport final : public Transport {
 public:
  static constexpr std::int64_t kOwnerId = 1000;

  MemoryTransport(EventLoop& loop, std::string owner_name = "Owner");

  // Observers see every action the bot takes, in order, as it happens.
  void on_action(std::function<void(const TransportAction&)> observer) {
    observer_ = std::move(observer);
  }
  [[nodiscard]] const std::vector<TransportAction>& actions() const { return actions_; }
  void set_message_text_limit(int limit) { text_limit_ = limit; }
  void set_caption_limit(int limit) { caption_limit_ = limit; }
  // In the console every @name is a person, met or not: resolve_username creates them.
  void set_auto_create_users(bool on) { auto_create_users_ = on; }
  // The console's chat: the files it is sent are its messages (see Transport::keeps_sent_files).
  void set_keeps_sent_files(bool on) { keeps_sent_files_ = on; }
  [[nodiscard]] bool keeps_sent_files() const override { return keeps_sent_files_; }
  // Message ids are unique across chats and only grow, as Telegram never reuses one. The id the
  // next message gets; set_next_message_id() moves it forward (never back): the console starts a
  // session after the ids of its earlier sessions, which stored jobs and links still name.
  [[nodiscard]] std::int64_t next_message_id() const { return next_message_; }
  void set_next_message_id(std::int64_t id) {
    if (id > next_message_) next_message_ = id;
  }

  // The world. A user is created on first mention; private chat id == user id.
  UserId add_user(const std::string& display_name, const std::string& username = "");
  [[nodiscard]] std::optional<UserId> find_user(const std::string& name) const;
  // A supergroup; `forum` makes it a forum (its messages are kForumTopic, it can have topics).
  ChatId add_group(const std::string& title, bool forum = false);
  // A topic in a forum group; returns its id (as TDLib's forum_topic_id).
  std::int64_t add_forum_topic(ChatId group, const std::string& name);
  [[nodiscard]] std::optional<ChatId> find_group(const std::string& title) const;
  [[nodiscard]] ChatId saved_messages() const { return ChatId(kOwnerId); }

  // A message typed by a person (the owner or someone else) arrives; returns its id. The update
  // is delivered on the loop.
  MessageId receive(ChatId chat, UserId sender, std::string text,
                    std::optional<MessageId> reply_to = std::nullopt,
                    MediaKind media = MediaKind::kNone);
  // A media message (voice note, audio, video note, document) whose file is at `path`, sent by a
  // person; download_file() answers with `path`. `caption` is the message's text.
  MessageId receive_media(ChatId chat, UserId sender, MediaKind media, std::string path,
                          std::string caption = "",
                          std::optional<MessageId> reply_to = std::nullopt);
  // An edit by a person; delivered as on_message_edited.
  Status edit_by_user(ChatId chat, MessageId id, std::string text);
  [[nodiscard]] std::optional<Message> message(ChatId chat, MessageId id) const;

  // Transport
  void set_update_handler(UpdateHandler* handler) override { handler_ = handler; }
  [[nodiscard]] UserId self_id() const override { return UserId(kOwnerId); }
  // Always kReady unless a test says otherwise (set_connection_state).
  [[nodiscard]] ConnectionState connection_state() const override { return connection_; }
  void set_connection_state(ConnectionState state) { connection_ = state; }
  [[nodiscard]] int message_text_limit() const override { return text_limit_; }
  [[nodiscard]] int caption_limit() const override { return caption_limit_; }
  void send_text(ChatId chat, FormattedText text, SendOptions options, SendCallback done) override;
  void edit_text(ChatId chat, MessageId id, FormattedText text, DoneCallback done) override;
  void delete_messages(ChatId chat, std::vector<MessageId> ids, DoneCallback done) override;
  void forward_messages(ChatId from, std::vector<MessageId> ids, ChatId to, std::int64_t topic_id,
                        DoneCallback done) override;
  void send_voice(ChatId chat, VoiceNote voice, FormattedText caption, SendOptions options,
                  SendCallback done) override;
  void send_photo(ChatId chat, std::string path, FormattedText caption, SendOptions options,
                  SendCallback done) override;
  // One "photo" action per photo, all with the same album id; the caption on the first. Like
  // Telegram: 2–10 photos, a caption within caption_limit().
  void send_photos(ChatId chat, std::vector<std::string> paths, FormattedText caption,
                   SendOptions options, AlbumCallback done) override;
  void send_document(ChatId chat, std::string path, FormattedText caption, SendOptions options,
                     SendCallback done) override;
  void send_chat_action(ChatId chat, ChatAction action) override;
  void get_message(ChatId chat, MessageId id, MessageCallback done) override;
  void get_history(ChatId chat, int limit, std::function<void(int fetched)> progress,
                   std::function<void(Result<std::vector<Message>>)> done) override;
  void download_file(const Message& message,
                     std::function<void(Result<std::string>)> done) override;
  // Removes nothing (the file is the sender's): records a "delete_file" action with the
  // message and the file's path.
  void delete_local_file(const Message& message, DoneCallback done) override;
  void get_user(UserId id, UserCallback done) override;
  void resolve_username(std::string username, UserCallback done) override;
  // Every chat it knows (saved messages, private chats, groups), most recently active first.
  void list_chats(int limit, std::function<void(Result<std::vector<ChatInfo>>)> done) override;
  void list_forum_topics(ChatId chat,
                         std::function<void(Result<std::vector<ForumTopicInfo>>)> done) override;

 private:
  struct Chat {
    ChatKind kind = ChatKind::kPrivate;
    std::string title;
    std::map<std::int64_t, Message> messages;
    bool forum = false;
    std::vector<ForumTopicInfo> topics;
    std::int64_t activity = 0;  // larger: more recent (chat list order)
  };
  Chat& chat_for(ChatId id);
  MessageId store_outgoing(ChatId chat, const std::string& text, std::optional<MessageId> reply_to,
                           MediaKind media);
  // send_voice, send_photo and send_document: the message is stored as the bot's own, the action
  // recorded as `kind`, and `done` answered later on the loop.
  void send_media(ChatId chat, MediaKind media, std::string kind, std::string path,
                  int duration_seconds, FormattedText caption, const SendOptions& options,
                  SendCallback done);
  void record(TransportAction action);
  void deliver_new(const Message& m);

  EventLoop& loop_;
  UpdateHandler* handler_ = nullptr;
  std::function<void(const TransportAction&)> observer_;
  std::vector<TransportAction> actions_;
  std::map<std::int64_t, UserInfo> users_;
  std::map<std::int64_t, Chat> chats_;
  std::map<std::pair<std::int64_t, std::int64_t>, std::string> files_;  // (chat, message) → path
  std::int64_t next_message_ = 1;
  std::int64_t next_user_ = 2001;
  std::int64_t next_group_ = -1001;
  std::int64_t next_topic_ = 2;  // forum_topic_id 1 is a forum's General topic in Telegram
  std::int64_t next_activity_ = 1;
  std::int64_t next_album_ = 1;
  int text_limit_ = 4096;
  int caption_limit_ = 1024;
  bool auto_create_users_ = false;
  bool keeps_sent_files_ = false;
  ConnectionState connection_ = ConnectionState::kReady;
};

}  // namespace sakai::telegram
