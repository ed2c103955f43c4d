#include "telegram/memory/memory_transport.h"

#include <algorithm>

#include "core/text.h"

namespace sakai::telegram {

MemoryTransport::MemoryTransport(EventLoop& loop, std::string owner_name) : loop_(loop) {
  users_[kOwnerId] = UserInfo{UserId(kOwnerId), std::move(owner_name), "me"};
  Chat& saved = chats_[kOwnerId];
  saved.kind = ChatKind::kSavedMessages;
  saved.title = "Saved Messages";
  saved.activity = next_activity_++;
}

UserId MemoryTransport::add_user(const std::string& display_name, const std::string& username) {
  if (auto existing = find_user(username.empty() ? display_name : username)) return *existing;
  const UserId id(next_user_++);
  users_[id.value()] =
      UserInfo{id, display_name, username.empty() ? text::ascii_lower(display_name) : username};
  Chat& c = chats_[id.value()];
  c.kind = ChatKind::kPrivate;
  c.title = display_name;
  c.activity = next_activity_++;
  return id;
}

std::optional<UserId> MemoryTransport::find_user(const std::string& name) const {
  std::string wanted = text::ascii_lower(name);
  if (!wanted.empty() && wanted.front() == '@') wanted.erase(0, 1);
  for (const auto& [id, u] : users_) {
    if (text::ascii_lower(u.username) == wanted || text::ascii_lower(u.display_name) == wanted) {
      return u.id;
    }
  }
  return std::nullopt;
}

ChatId MemoryTransport::add_group(const std::string& title, bool forum) {
  if (auto existing = find_group(title)) return *existing;
  const ChatId id(next_group_--);
  Chat& c = chats_[id.value()];
  c.kind = forum ? ChatKind::kForumTopic : ChatKind::kSupergroup;
  c.title = title;
  c.forum = forum;
  c.activity = next_activity_++;
  return id;
}

std::int64_t MemoryTransport::add_forum_topic(ChatId group, const std::string& name) {
  Chat& c = chat_for(group);
  const std::int64_t id = next_topic_++;
  c.topics.push_back(ForumTopicInfo{id, name});
  return id;
}

std::optional<ChatId> MemoryTransport::find_group(const std::string& title) const {
  for (const auto& [id, c] : chats_) {
    if (id < 0 && text::ascii_lower(c.title) == text::ascii_lower(title)) return ChatId(id);
  }
  return std::nullopt;
}

MemoryTransport::Chat& MemoryTransport::chat_for(ChatId id) {
  return chats_[id.value()];
}

MessageId MemoryTransport::receive(ChatId chat, UserId sender, std::string text,
                                   std::optional<MessageId> reply_to, MediaKind media) {
  Chat& c = chat_for(chat);
  Message m;
  m.id = MessageId(next_message_++);
  m.chat = chat;
  m.sender = sender;
  auto u = users_.find(sender.value());
  m.sender_name = u == users_.end() ? sender.str() : u->second.display_name;
  m.chat_kind = c.kind;
  m.outgoing = sender.value() == kOwnerId;
  m.reply_to = reply_to;
  m.text = std::move(text);
  m.media = media;
  c.activity = next_activity_++;
  m.date_unix =
      std::chrono::duration_cast<std::chrono::seconds>(loop_.clock().wall_now().time_since_epoch())
          .count();
  c.messages[m.id.value()] = m;
  deliver_new(m);
  return m.id;
}

MessageId MemoryTransport::receive_media(ChatId chat, UserId sender, MediaKind media,
                                         std::string path, std::string caption,
                                         std::optional<MessageId> reply_to) {
  // Registered before the update is delivered (receive() only posts it).
  const MessageId id(next_message_);
  files_[{chat.value(), id.value()}] = std::move(path);
  return receive(chat, sender, std::move(caption), reply_to, media);
}

void MemoryTransport::download_file(const Message& message,
                                    std::function<void(Result<std::string>)> done) {
  auto it = files_.find({message.chat.value(), message.id.value()});
  std::optional<std::string> path;
  if (it != files_.end()) path = it->second;
  loop_.post([done = std::move(done), path] {
    if (path) {
      done(*path);
    } else {
      done(make_error(ErrorCode::kNotFound, "the message has no file"));
    }
  });
}

void MemoryTransport::delete_local_file(const Message& message, DoneCallback done) {
  auto it = files_.find({message.chat.value(), message.id.value()});
  if (it == files_.end()) {
    loop_.post([done = std::move(done)] {
      done(make_error(ErrorCode::kNotFound, "the message has no file"));
    });
    return;
  }
  TransportAction a;
  a.kind = "delete_file";
  a.chat = message.chat;
  a.message = message.id;
  a.path = it->second;
  record(std::move(a));
  loop_.post([done = std::move(done)] { done(Status::ok()); });
}

Status MemoryTransport::edit_by_user(ChatId chat, MessageId id, std::string text) {
  Chat& c = chat_for(chat);
  auto it = c.messages.find(id.value());
  if (it == c.messages.end()) return make_error(ErrorCode::kNotFound, "no such message");
  it->second.text = std::move(text);
  it->second.edited = true;
  Message copy = it->second;
  loop_.post([this, copy] {
    if (handler_) handler_->on_message_edited(copy);
  });
  return Status::ok();
}

std::optional<Message> MemoryTransport::message(ChatId chat, MessageId id) const {
  auto c = chats_.find(chat.value());
  if (c == chats_.end()) return std::nullopt;
  auto m = c->second.messages.find(id.value());
  if (m == c->second.messages.end()) return std::nullopt;
  return m->second;
}

void MemoryTransport::deliver_new(const Message& m) {
  loop_.post([this, m] {
    if (handler_) handler_->on_new_message(m);
  });
}

MessageId MemoryTransport::store_outgoing(ChatId chat, const std::string& text,
                                          std::optional<MessageId> reply_to, MediaKind media) {
  // Like TDLib with the sending client, the bot's own sends are not delivered back to it as new
  // messages; only what people type is.
  Chat& c = chat_for(chat);
  Message m;
  m.id = MessageId(next_message_++);
  m.chat = chat;
  m.sender = UserId(kOwnerId);
  m.sender_name = users_[kOwnerId].display_name;
  m.chat_kind = c.kind;
  m.outgoing = true;
  m.reply_to = reply_to;
  m.text = text;
  m.media = media;
  // Stamped like a received message, so history readers (/analyze) see when it was sent.
  m.date_unix =
      std::chrono::duration_cast<std::chrono::seconds>(loop_.clock().wall_now().time_since_epoch())
          .count();
  c.messages[m.id.value()] = m;
  c.activity = next_activity_++;
  return m.id;
}

void MemoryTransport::record(TransportAction action) {
  actions_.push_back(action);
  if (observer_) observer_(actions_.back());
}

void MemoryTransport::send_text(ChatId chat, FormattedText text, SendOptions options,
                                SendCallback done) {
  if (static_cast<int>(text::utf16_length(text.text)) > text_limit_) {
    loop_.post([done] { done(make_error(ErrorCode::kInvalidArgument, "MESSAGE_TOO_LONG")); });
    return;
  }
  if (text::trim(text.text).empty()) {
    loop_.post([done] { done(make_error(ErrorCode::kInvalidArgument, "MESSAGE_EMPTY")); });
    return;
  }
  const MessageId id = store_outgoing(chat, text.text, options.reply_to, MediaKind::kNone);
  TransportAction a;
  a.kind = "send";
  a.chat = chat;
  a.message = id;
  a.reply_to = options.reply_to;
  a.topic_id = options.topic_id;
  a.text = std::move(text);
  record(std::move(a));
  loop_.post([done, id] { done(id); });
}

void MemoryTransport::edit_text(ChatId chat, MessageId id, FormattedText text, DoneCallback done) {
  Chat& c = chat_for(chat);
  auto it = c.messages.find(id.value());
  Status st;
  if (it == c.messages.end()) {
    st = make_error(ErrorCode::kNotFound, "MESSAGE_ID_INVALID");
  } else if (!it->second.outgoing) {
    st = make_error(ErrorCode::kPermissionDenied, "MESSAGE_AUTHOR_REQUIRED");
  } else if (static_cast<int>(text::utf16_length(text.text)) > text_limit_) {
    st = make_error(ErrorCode::kInvalidArgument, "MESSAGE_TOO_LONG");
  } else if (it->second.text == text.text) {
    st = make_error(ErrorCode::kInvalidArgument, "MESSAGE_NOT_MODIFIED");
  } else {
    it->second.text = text.text;
    it->second.edited = true;
    TransportAction a;
    a.kind = "edit";
    a.chat = chat;
    a.message = id;
    a.text = std::move(text);
    record(std::move(a));
  }
  loop_.post([done, st] { done(st); });
}

void MemoryTransport::delete_messages(ChatId chat, std::vector<MessageId> ids, DoneCallback done) {
  Chat& c = chat_for(chat);
  for (const auto& id : ids)
    c.messages.erase(id.value());
  TransportAction a;
  a.kind = "delete";
  a.chat = chat;
  a.messages = ids;
  record(std::move(a));
  loop_.post([this, chat, ids, done] {
    if (handler_) handler_->on_messages_deleted(chat, ids);
    done(Status::ok());
  });
}

void MemoryTransport::forward_messages(ChatId from, std::vector<MessageId> ids, ChatId to,
                                       std::int64_t topic_id, DoneCallback done) {
  Status st;
  for (const auto& id : ids) {
    if (!message(from, id)) st = make_error(ErrorCode::kNotFound, "MESSAGE_ID_INVALID");
  }
  if (st.is_ok()) {
    for (const auto& id : ids) {
      const Message original = *message(from, id);
      store_outgoing(to, original.text, std::nullopt, original.media);
    }
    TransportAction a;
    a.kind = "forward";
    a.chat = from;
    a.messages = ids;
    a.to_chat = to;
    a.topic_id = topic_id;
    record(std::move(a));
  }
  loop_.post([done, st] { done(st); });
}

void MemoryTransport::send_media(ChatId chat, MediaKind media, std::string kind, std::string path,
                                 int duration_seconds, FormattedText caption,
                                 const SendOptions& options, SendCallback done) {
  if (static_cast<int>(text::utf16_length(caption.text)) > caption_limit_) {
    loop_.post([done] { done(make_error(ErrorCode::kInvalidArgument, "MEDIA_CAPTION_TOO_LONG")); });
    return;
  }
  const MessageId id = store_outgoing(chat, caption.text, options.reply_to, media);
  TransportAction a;
  a.kind = std::move(kind);
  a.chat = chat;
  a.message = id;
  a.reply_to = options.reply_to;
  a.text = std::move(caption);
  a.path = std::move(path);
  a.duration_seconds = duration_seconds;
  // download_file() finds the file of a voice note the bot sent, as of one it received.
  if (media == MediaKind::kVoiceNote) files_[{chat.value(), id.value()}] = a.path;
  record(std::move(a));
  loop_.post([done, id] { done(id); });
}

void MemoryTransport::send_voice(ChatId chat, VoiceNote voice, FormattedText caption,
                                 SendOptions options, SendCallback done) {
  send_media(chat, MediaKind::kVoiceNote, "voice", std::move(voice.path), voice.duration_seconds,
             std::move(caption), options, std::move(done));
}

void MemoryTransport::send_photo(ChatId chat, std::string path, FormattedText caption,
                                 SendOptions options, SendCallback done) {
  send_media(chat, MediaKind::kPhoto, "photo", std::move(path), 0, std::move(caption), options,
             std::move(done));
}

void MemoryTransport::send_photos(ChatId chat, std::vector<std::string> paths,
                                  FormattedText caption, SendOptions options, AlbumCallback done) {
  Status refused;
  if (paths.size() < 2 || paths.size() > 10) {
    refused = make_error(ErrorCode::kInvalidArgument, "an album has 2 to 10 photos");
  } else if (static_cast<int>(text::utf16_length(caption.text)) > caption_limit_) {
    refused = make_error(ErrorCode::kInvalidArgument, "MEDIA_CAPTION_TOO_LONG");
  }
  if (!refused.is_ok()) {
    loop_.post([done, refused] { done(refused); });
    return;
  }
  const std::int64_t album = next_album_++;
  std::vector<MessageId> ids;
  for (std::size_t i = 0; i < paths.size(); ++i) {
    const FormattedText text = i == 0 ? caption : FormattedText();
    const MessageId id = store_outgoing(chat, text.text, options.reply_to, MediaKind::kPhoto);
    TransportAction a;
    a.kind = "photo";
    a.chat = chat;
    a.message = id;
    a.reply_to = options.reply_to;
    a.topic_id = options.topic_id;
    a.text = text;
    a.path = std::move(paths[i]);
    a.album = album;
    record(std::move(a));
    ids.push_back(id);
  }
  loop_.post([done, ids] { done(ids); });
}

void MemoryTransport::send_document(ChatId chat, std::string path, FormattedText caption,
                                    SendOptions options, SendCallback done) {
  send_media(chat, MediaKind::kDocument, "document", std::move(path), 0, std::move(caption),
             options, std::move(done));
}

void MemoryTransport::send_chat_action(ChatId chat, ChatAction action) {
  TransportAction a;
  a.kind = "chat_action";
  a.chat = chat;
  a.detail = std::string(chat_action_name(action));
  record(std::move(a));
}

void MemoryTransport::get_message(ChatId chat, MessageId id, MessageCallback done) {
  auto m = message(chat, id);
  loop_.post([done, m] {
    if (m) {
      done(*m);
    } else {
      done(make_error(ErrorCode::kNotFound, "message not found"));
    }
  });
}

void MemoryTransport::get_history(ChatId chat, int limit, std::function<void(int fetched)> progress,
                                  std::function<void(Result<std::vector<Message>>)> done) {
  std::vector<Message> out;
  auto c = chats_.find(chat.value());
  if (c != chats_.end()) {
    for (auto it = c->second.messages.rbegin();
         it != c->second.messages.rend() && static_cast<int>(out.size()) < limit; ++it) {
      out.push_back(it->second);
    }
  }
  // Pages of 100, as Telegram gives them, so progress reporting behaves the same.
  const int total = static_cast<int>(out.size());
  loop_.post([progress, done, total, out = std::move(out)]() mutable {
    for (int fetched = std::min(100, total); fetched > 0;
         fetched = fetched == total ? 0 : std::min(total, fetched + 100)) {
      if (progress) progress(fetched);
    }
    done(std::move(out));
  });
}

void MemoryTransport::get_user(UserId id, UserCallback done) {
  auto it = users_.find(id.value());
  std::optional<UserInfo> u;
  if (it != users_.end()) u = it->second;
  loop_.post([done, u] {
    if (u) {
      done(*u);
    } else {
      done(make_error(ErrorCode::kNotFound, "user not found"));
    }
  });
}

void MemoryTransport::resolve_username(std::string username, UserCallback done) {
  std::optional<UserInfo> u;
  std::string name = username;
  if (!name.empty() && name.front() == '@') name.erase(0, 1);
  if (auto id = find_user(name)) {
    u = users_[id->value()];
  } else if (auto_create_users_ && !name.empty()) {
    u = users_[add_user(name).value()];
  }
  loop_.post([done, u] {
    if (u) {
      done(*u);
    } else {
      done(make_error(ErrorCode::kNotFound, "USERNAME_NOT_OCCUPIED"));
    }
  });
}

void MemoryTransport::list_chats(int limit,
                                 std::function<void(Result<std::vector<ChatInfo>>)> done) {
  std::vector<std::pair<std::int64_t, ChatInfo>> all;
  for (const auto& [id, c] : chats_) {
    ChatInfo info;
    info.id = ChatId(id);
    // A forum is a supergroup; kForumTopic only describes its messages.
    info.kind = c.kind == ChatKind::kForumTopic ? ChatKind::kSupergroup : c.kind;
    info.title = c.title;
    info.is_forum = c.forum;
    all.emplace_back(c.activity, std::move(info));
  }
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<ChatInfo> out;
  for (auto& [activity, info] : all) {
    if (static_cast<int>(out.size()) >= limit) break;
    out.push_back(std::move(info));
  }
  loop_.post([done, out = std::move(out)]() mutable { done(std::move(out)); });
}

void MemoryTransport::list_forum_topics(
    ChatId chat, std::function<void(Result<std::vector<ForumTopicInfo>>)> done) {
  Result<std::vector<ForumTopicInfo>> result = std::vector<ForumTopicInfo>{};
  auto c = chats_.find(chat.value());
  if (c == chats_.end()) {
    result = make_error(ErrorCode::kNotFound, "CHAT_NOT_FOUND");
  } else if (!c->second.forum) {
    result = make_error(ErrorCode::kFailedPrecondition, "CHANNEL_FORUM_MISSING");
  } else {
    result = c->second.topics;
  }
  loop_.post([done, result = std::move(result)]() mutable { done(std::move(result)); });
}

}  // namespace sakai::telegram
