#pragma once
// Transport over TDLib: maps the engine's requests to TDLib requests (td_requests.h) and TDLib's
// updates (td_decode.h) to the engine's events.
//
// What it guarantees on top of TDLib:
// - A send completes only at updateMessageSendSucceeded, with the message's real id (TDLib's
//   sendMessage answers with a temporary message that cannot be edited yet).
// - Sends go through a budget: at most `max_sends_per_minute` overall and one per
//   `per_chat_interval` in each chat; TDLib's "429 Too Many Requests: retry after N" pauses
//   that chat for N seconds and the request is retried, up to `max_retries` times.
// - Edits of one message are throttled to one per `edit_interval`; edits arriving in between
//   are coalesced so only the newest text is sent. "MESSAGE_NOT_MODIFIED" counts as success.
// - Text longer than the run-time limit (message_text_length_max) is split on clean boundaries
//   and sent as several messages with (1/N) markers.
// - Every request has a deadline (TdClient).
// Thread-safety: event loop thread only; handle() is called there with decoded events.
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/clock.h"
#include "core/event_loop.h"
#include "core/log.h"
#include "telegram/tdjson/td_client.h"
#include "telegram/tdjson/td_events.h"
#include "telegram/transport.h"

namespace sakai::telegram::tdjson {

struct TdlibTransportOptions {
  int max_sends_per_minute = 20;
  Clock::Duration per_chat_interval = std::chrono::milliseconds(1100);
  Clock::Duration edit_interval = std::chrono::milliseconds(1500);
  Clock::Duration request_deadline = std::chrono::seconds(30);
  // Sending a message may include an upload; the deadline covers request to send-succeeded.
  Clock::Duration send_deadline = std::chrono::seconds(120);
  int max_retries = 3;
};

class TdlibTransport final : public Transport {
 public:
  TdlibTransport(TdClient& client, EventLoop& loop, Logger& log,
                 TdlibTransportOptions options = {});

  // One decoded TDLib object (update or unmatched response). Event loop thread.
  void handle(TdEvent event);
  // From TDLib's receive thread: queues the event for handle() on the loop. One task is posted
  // per burst of events, not one per event, so a flood of updates costs a lock and a move each.
  void enqueue(TdEvent event);
  void on_authorization_state(std::function<void(const AuthorizationState&)> observer) {
    auth_observer_ = std::move(observer);
  }
  void on_connection_state(std::function<void(const std::string&)> observer) {
    connection_observer_ = std::move(observer);
  }
  // Asks TDLib who we are (getMe) and remembers it as the owner.
  void fetch_self(std::function<void(Result<UserId>)> done);
  void set_self(UserId id) { self_ = id; }

  // Transport
  void set_update_handler(UpdateHandler* handler) override { handler_ = handler; }
  [[nodiscard]] UserId self_id() const override { return self_; }
  // From the last updateAuthorizationState and updateConnectionState TDLib sent: ready only when
  // logged in and connected.
  [[nodiscard]] ConnectionState connection_state() const override;
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
  // sendMessageAlbum; answers when every photo's updateMessageSendSucceeded came (or the first
  // updateMessageSendFailed, or the send deadline).
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
  // getMessage (for the file id) → deleteFile. tdlib_transport_chats.cpp.
  void delete_local_file(const Message& message, DoneCallback done) override;
  void get_user(UserId id, UserCallback done) override;
  void resolve_username(std::string username, UserCallback done) override;
  // getChats(chatListMain) → each chat from the updateNewChat cache or getChat; a supergroup's
  // forum flag from getSupergroup (td_api.tl keeps is_forum in `supergroup`, not in `chat`).
  // Chats TDLib cannot describe are left out (and logged). tdlib_transport_chats.cpp.
  void list_chats(int limit, std::function<void(Result<std::vector<ChatInfo>>)> done) override;
  // getForumTopics, every page (100 topics each), after checking the chat is a forum.
  void list_forum_topics(ChatId chat,
                         std::function<void(Result<std::vector<ForumTopicInfo>>)> done) override;

  struct Counters {
    std::uint64_t updates = 0;
    std::uint64_t messages_delivered = 0;
    std::uint64_t sends = 0;
    std::uint64_t edits_sent = 0;
    std::uint64_t edits_coalesced = 0;
    std::uint64_t flood_waits = 0;
  };
  [[nodiscard]] const Counters& counters() const { return counters_; }
  [[nodiscard]] std::size_t queued_sends() const { return send_queue_.size(); }

 private:
  struct QueuedSend {
    ChatId chat;
    std::string request;
    SendCallback done;  // an album's hears its failure only
    int attempts = 0;
    AlbumCallback album_done;  // set for sendMessageAlbum
  };
  struct EditState {
    std::optional<Clock::TimePoint> last_sent;  // none: never edited by us
    bool in_flight = false;
    bool timer_armed = false;
    std::optional<FormattedText> pending;
    std::vector<DoneCallback> waiting;  // callers whose text is in `pending`
  };

  void enqueue_send(ChatId chat, std::string request, SendCallback done);
  void pump_sends();
  void dispatch_send(QueuedSend send);
  // sendMessageAlbum answered with its temporary messages: waits for each one's real id.
  void await_album(const std::string& answer, AlbumCallback done);
  void send_parts(ChatId chat, std::vector<FormattedText> parts, std::size_t index,
                  SendOptions options, std::optional<MessageId> first, SendCallback done);
  void flush_edit(ChatId chat, MessageId id);
  static std::string send_text_request(ChatId chat, const FormattedText& text,
                                       const SendOptions& options);
  static std::string edit_text_request(ChatId chat, MessageId id, const FormattedText& text);
  Message finish_message(DecodedMessage decoded);
  void remember_user(const UserSeen& user);
  static std::string display_name(const UserSeen& user);
  std::optional<std::chrono::seconds> retry_after(const Status& status) const;
  void request(std::string json, std::function<void(Result<std::string>)> done);
  // The chat from the cache (answered through the loop) or from getChat (then cached).
  void with_chat(ChatId chat, std::function<void(Result<ChatSeen>)> done);
  // The TDLib file id of a media message (getMessage); kNotFound when it carries no file.
  void with_file_id(const Message& message, std::function<void(Result<std::int32_t>)> done);
  void chat_info(ChatId chat, std::function<void(Result<ChatInfo>)> done);
  void supergroup_is_forum(std::int64_t supergroup_id, std::function<void(Result<bool>)> done);
  void fetch_forum_topics(ChatId chat,
                          std::function<void(Result<std::vector<ForumTopicInfo>>)> done);

  TdClient& client_;
  EventLoop& loop_;
  Logger& log_;
  TdlibTransportOptions options_;
  UpdateHandler* handler_ = nullptr;
  std::function<void(const AuthorizationState&)> auth_observer_;
  std::function<void(const std::string&)> connection_observer_;
  std::string authorization_;  // the last authorization state's name ("" before the first)
  std::string connection_;     // the last connection state's name ("" before the first)
  UserId self_;
  int text_limit_ = 4096;
  int caption_limit_ = 1024;
  Counters counters_;

  std::unordered_map<std::int64_t, ChatSeen> chats_;
  std::unordered_map<std::int64_t, UserSeen> users_;
  // Temporary message id (TDLib's sendMessage answer) → who waits for the real one.
  std::map<std::pair<std::int64_t, std::int64_t>, SendCallback> awaiting_success_;
  // Outgoing sends, in order, with the budget.
  std::deque<QueuedSend> send_queue_;
  std::deque<Clock::TimePoint> recent_sends_;
  std::unordered_map<std::int64_t, Clock::TimePoint> chat_ready_at_;
  bool pump_armed_ = false;
  Clock::TimePoint pump_at_{};
  EventLoop::TimerId pump_timer_ = 0;
  std::map<std::pair<std::int64_t, std::int64_t>, EditState> edits_;
  // Events from the receive thread waiting for the loop (guarded by inbox_mu_).
  std::mutex inbox_mu_;
  std::vector<TdEvent> inbox_;
  std::vector<TdEvent> draining_;  // loop thread only
};

}  // namespace sakai::telegram::tdjson
