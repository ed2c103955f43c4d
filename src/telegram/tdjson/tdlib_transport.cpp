#include "telegram/tdjson/tdlib_transport.h"

#include <algorithm>

#include "core/text.h"
#include "telegram/format/splitter.h"
#include "telegram/tdjson/td_decode.h"
#include "telegram/tdjson/td_errors.h"
#include "telegram/tdjson/td_requests.h"

namespace sakai::telegram::tdjson {
namespace {

using Key = std::pair<std::int64_t, std::int64_t>;

Key key_of(ChatId chat, MessageId id) {
  return {chat.value(), id.value()};
}

bool is_not_modified(const Status& st) {
  return st.message().find("MESSAGE_NOT_MODIFIED") != std::string::npos;
}

}  // namespace

TdlibTransport::TdlibTransport(TdClient& client, EventLoop& loop, Logger& log,
                               TdlibTransportOptions options)
    : client_(client), loop_(loop), log_(log), options_(options) {}

void TdlibTransport::request(std::string json, std::function<void(Result<std::string>)> done) {
  client_.send(std::move(json), options_.request_deadline, std::move(done));
}

std::optional<std::chrono::seconds> TdlibTransport::retry_after(const Status& status) const {
  if (status.code() != ErrorCode::kRateLimited) return std::nullopt;
  // A 429 without a hint still means "not now": wait a little.
  return std::chrono::seconds(retry_after_seconds(status).value_or(5));
}

std::string TdlibTransport::display_name(const UserSeen& u) {
  std::string name = u.first_name;
  if (!u.last_name.empty()) name += (name.empty() ? "" : " ") + u.last_name;
  if (name.empty()) name = u.username.empty() ? u.id.str() : u.username;
  return name;
}

void TdlibTransport::remember_user(const UserSeen& user) {
  users_[user.id.value()] = user;
}

Message TdlibTransport::finish_message(DecodedMessage decoded) {
  Message m = std::move(decoded.message);
  auto c = chats_.find(m.chat.value());
  if (c != chats_.end()) {
    m.chat_kind = c->second.kind;
    if (m.chat_kind == ChatKind::kPrivate && c->second.private_user == self_ && self_.valid()) {
      m.chat_kind = ChatKind::kSavedMessages;
    }
  }
  if (decoded.topic_id != 0 && m.chat_kind == ChatKind::kSupergroup)
    m.chat_kind = ChatKind::kForumTopic;
  if (auto u = users_.find(m.sender.value()); u != users_.end())
    m.sender_name = display_name(u->second);
  return m;
}

void TdlibTransport::enqueue(TdEvent event) {
  bool first = false;
  {
    std::lock_guard lock(inbox_mu_);
    first = inbox_.empty();
    inbox_.push_back(std::move(event));
  }
  if (!first) return;  // the drain already posted will take this one too
  loop_.post([this] {
    {
      std::lock_guard lock(inbox_mu_);
      draining_.swap(inbox_);
    }
    for (auto& e : draining_)
      handle(std::move(e));
    draining_.clear();
  });
}

void TdlibTransport::handle(TdEvent event) {
  ++counters_.updates;
  std::visit(
      [this](auto&& ev) {
        using T = std::decay_t<decltype(ev)>;
        if constexpr (std::is_same_v<T, NewMessage>) {
          // Our own sends come back with a sending_state; they are not news to the engine.
          if (ev.message.sending) return;
          Message m = finish_message(std::move(ev.message));
          ++counters_.messages_delivered;
          if (handler_) handler_->on_new_message(m);
        } else if constexpr (std::is_same_v<T, MessageSendSucceeded>) {
          auto it = awaiting_success_.find(key_of(ev.message.message.chat, ev.old_message_id));
          if (it == awaiting_success_.end()) return;
          auto done = std::move(it->second);
          awaiting_success_.erase(it);
          if (done) done(ev.message.message.id);
        } else if constexpr (std::is_same_v<T, MessageSendFailed>) {
          auto it = awaiting_success_.find(key_of(ev.chat, ev.old_message_id));
          if (it == awaiting_success_.end()) return;
          auto done = std::move(it->second);
          awaiting_success_.erase(it);
          const ErrorCode code = ev.error_code == 429   ? ErrorCode::kRateLimited
                                 : ev.error_code == 400 ? ErrorCode::kInvalidArgument
                                 : ev.error_code == 403 ? ErrorCode::kPermissionDenied
                                                        : ErrorCode::kUnavailable;
          if (done)
            done(make_error(code, "tdlib: send failed: " + std::to_string(ev.error_code) + " " +
                                      ev.error_message));
        } else if constexpr (std::is_same_v<T, MessageContentChanged>) {
          if (!handler_) return;
          Message m;
          m.chat = ev.chat;
          m.id = ev.message;
          m.text = ev.text;
          m.entities = ev.entities;
          m.media = ev.media;
          m.edited = true;
          if (auto c = chats_.find(m.chat.value()); c != chats_.end()) m.chat_kind = c->second.kind;
          handler_->on_message_edited(m);
        } else if constexpr (std::is_same_v<T, MessagesDeleted>) {
          if (ev.permanent && !ev.from_cache && handler_)
            handler_->on_messages_deleted(ev.chat, ev.ids);
        } else if constexpr (std::is_same_v<T, ChatSeen>) {
          chats_[ev.id.value()] = ev;
        } else if constexpr (std::is_same_v<T, UserSeen>) {
          remember_user(ev);
        } else if constexpr (std::is_same_v<T, OptionChanged>) {
          if (ev.name == "message_text_length_max") {
            text_limit_ = static_cast<int>(text::parse_int(ev.value).value_or(4096));
          } else if (ev.name == "message_caption_length_max") {
            caption_limit_ = static_cast<int>(text::parse_int(ev.value).value_or(1024));
          } else if (ev.name == "my_id") {
            if (auto id = text::parse_int(ev.value)) self_ = UserId(*id);
          }
        } else if constexpr (std::is_same_v<T, AuthorizationState>) {
          authorization_ = ev.state;
          if (auth_observer_) auth_observer_(ev);
        } else if constexpr (std::is_same_v<T, ConnectionStateChanged>) {
          connection_ = ev.state;
          log_.info("telegram", "connection state", {{"state", ev.state}});
          if (connection_observer_) connection_observer_(ev.state);
        }
      },
      std::move(event));
}

ConnectionState TdlibTransport::connection_state() const {
  if (authorization_.empty()) return ConnectionState::kStarting;
  if (authorization_ == "authorizationStateClosing" ||
      authorization_ == "authorizationStateClosed" ||
      authorization_ == "authorizationStateLoggingOut") {
    return ConnectionState::kClosed;
  }
  if (authorization_ != "authorizationStateReady") return ConnectionState::kLoggedOut;
  if (connection_ == "connectionStateReady") return ConnectionState::kReady;
  if (connection_ == "connectionStateUpdating") return ConnectionState::kUpdating;
  if (connection_ == "connectionStateConnectingToProxy") {
    return ConnectionState::kConnectingToProxy;
  }
  if (connection_ == "connectionStateWaitingForNetwork") {
    return ConnectionState::kWaitingForNetwork;
  }
  if (connection_ == "connectionStateConnecting") return ConnectionState::kConnecting;
  return ConnectionState::kStarting;  // logged in, no connection state yet
}

void TdlibTransport::fetch_self(std::function<void(Result<UserId>)> done) {
  request(get_me(), [this, done](Result<std::string> r) {
    auto user = decode_reply(r, decode_user);
    if (!user.is_ok()) {
      done(user.status());
      return;
    }
    remember_user(*user);
    self_ = user->id;
    done(self_);
  });
}

// ---- sending, with the budget ----

void TdlibTransport::enqueue_send(ChatId chat, std::string request_json, SendCallback done) {
  send_queue_.push_back(QueuedSend{chat, std::move(request_json), std::move(done), 0, nullptr});
  pump_sends();
}

void TdlibTransport::pump_sends() {
  const auto now = loop_.clock().now();
  while (!recent_sends_.empty() && now - recent_sends_.front() >= std::chrono::minutes(1))
    recent_sends_.pop_front();
  std::optional<Clock::TimePoint> wake;
  std::vector<std::int64_t> blocked_chats;  // keep each chat's order: only its first send may go
  for (auto it = send_queue_.begin(); it != send_queue_.end();) {
    const std::int64_t chat = it->chat.value();
    if (std::find(blocked_chats.begin(), blocked_chats.end(), chat) != blocked_chats.end()) {
      // Its chat just sent (or is paused): wake when that chat is ready again, or this send
      // would wait for an unrelated later pump.
      const auto ready = chat_ready_at_.find(chat);
      const auto t = ready != chat_ready_at_.end() ? std::max(ready->second, now) : now;
      wake = wake ? std::min(*wake, t) : t;
      ++it;
      continue;
    }
    if (static_cast<int>(recent_sends_.size()) >= options_.max_sends_per_minute) {
      const auto t = recent_sends_.front() + std::chrono::minutes(1);
      wake = wake ? std::min(*wake, t) : t;
      break;
    }
    auto ready = chat_ready_at_.find(chat);
    if (ready != chat_ready_at_.end() && ready->second > now) {
      wake = wake ? std::min(*wake, ready->second) : ready->second;
      blocked_chats.push_back(chat);
      ++it;
      continue;
    }
    QueuedSend send = std::move(*it);
    it = send_queue_.erase(it);
    recent_sends_.push_back(now);
    chat_ready_at_[chat] = now + options_.per_chat_interval;
    dispatch_send(std::move(send));
    blocked_chats.push_back(chat);
  }
  // Re-arm when this wake is earlier than the armed one (e.g. armed for a long flood wait).
  if (wake && (!pump_armed_ || *wake < pump_at_)) {
    if (pump_armed_) loop_.cancel(pump_timer_);
    pump_armed_ = true;
    pump_at_ = *wake;
    pump_timer_ = loop_.post_after(*wake - now, [this] {
      pump_armed_ = false;
      pump_sends();
    });
  }
}

void TdlibTransport::dispatch_send(QueuedSend send) {
  ++counters_.sends;
  const std::string request_copy = send.request;
  request(request_copy, [this, send = std::move(send)](Result<std::string> r) mutable {
    if (!r.is_ok()) {
      if (auto wait = retry_after(r.status()); wait && send.attempts < options_.max_retries) {
        ++counters_.flood_waits;
        log_.warn("telegram", "flood wait: pausing the chat",
                  {{"chat", send.chat.str()}, {"seconds", std::to_string(wait->count())}});
        chat_ready_at_[send.chat.value()] = loop_.clock().now() + *wait;
        ++send.attempts;
        send_queue_.push_front(std::move(send));
        pump_sends();
        return;
      }
      if (send.done) send.done(r.status());
      return;
    }
    if (send.album_done) {
      await_album(*r, std::move(send.album_done));
      return;
    }
    auto temp = decode_message(*r);
    if (!temp.is_ok()) {
      // forwardMessages answers with `messages` (null for each message that cannot be
      // forwarded): accepted is done; the forwarded copies' send-succeeded is not awaited.
      if (auto forwarded = decode_messages(*r); forwarded.is_ok()) {
        if (!send.done) return;
        if (forwarded->empty()) {
          send.done(make_error(ErrorCode::kInvalidArgument,
                               "tdlib: none of the messages could be forwarded"));
        } else {
          send.done(forwarded->front().message.id);
        }
        return;
      }
      if (send.done) send.done(temp.status());
      return;
    }
    const Key key = key_of(temp->message.chat, temp->message.id);
    awaiting_success_[key] = std::move(send.done);
    // TDLib answers a send that never leaves (offline, upload stuck) with silence.
    loop_.post_after(
        options_.send_deadline,
        [this, key] {
          auto it = awaiting_success_.find(key);
          if (it == awaiting_success_.end()) return;
          auto done = std::move(it->second);
          awaiting_success_.erase(it);
          if (done)
            done(make_error(ErrorCode::kDeadlineExceeded,
                            "tdlib: the message was not delivered in time"));
        },
        false);
  });
}

void TdlibTransport::send_parts(ChatId chat, std::vector<FormattedText> parts, std::size_t index,
                                SendOptions options, std::optional<MessageId> first,
                                SendCallback done) {
  if (index >= parts.size()) {
    done(first ? Result<MessageId>(*first)
               : Result<MessageId>(make_error(ErrorCode::kInternal, "nothing to send")));
    return;
  }
  std::string req = send_text_request(chat, parts[index], options);
  enqueue_send(chat, std::move(req),
               [this, chat, parts = std::move(parts), index, options, first,
                done](Result<MessageId> sent) mutable {
                 if (!sent.is_ok()) {
                   // A later part that fails makes the answer incomplete: say so, do not hide it.
                   done(sent.status().with_context(first ? "the rest of a long message" : "send"));
                   return;
                 }
                 SendOptions next = options;
                 next.reply_to.reset();  // later parts follow the first, they do not reply again
                 send_parts(chat, std::move(parts), index + 1, next,
                            first ? first : std::optional<MessageId>(*sent), std::move(done));
               });
}

std::string TdlibTransport::send_text_request(ChatId chat, const FormattedText& text,
                                              const SendOptions& options) {
  return tdjson::send_text(chat, text, options);
}

void TdlibTransport::send_text(ChatId chat, FormattedText text, SendOptions options,
                               SendCallback done) {
  if (text::trim(text.text).empty()) {
    loop_.post([done] {
      done(make_error(ErrorCode::kInvalidArgument, "an empty message cannot be sent"));
    });
    return;
  }
  if (static_cast<int>(text::utf16_length(text.text)) <= text_limit_) {
    enqueue_send(chat, send_text_request(chat, text, options), std::move(done));
    return;
  }
  send_parts(chat, split_formatted(text, text_limit_), 0, options, std::nullopt, std::move(done));
}

// ---- edits, throttled and coalesced ----

void TdlibTransport::edit_text(ChatId chat, MessageId id, FormattedText text, DoneCallback done) {
  if (static_cast<int>(text::utf16_length(text.text)) > text_limit_) {
    loop_.post([done] { done(make_error(ErrorCode::kInvalidArgument, "MESSAGE_TOO_LONG")); });
    return;
  }
  EditState& st = edits_[key_of(chat, id)];
  if (st.pending) ++counters_.edits_coalesced;
  st.pending = std::move(text);
  st.waiting.push_back(std::move(done));
  if (st.in_flight || st.timer_armed) return;
  const auto now = loop_.clock().now();
  const auto next = st.last_sent ? *st.last_sent + options_.edit_interval : now;
  if (next <= now) {
    flush_edit(chat, id);
    return;
  }
  st.timer_armed = true;
  loop_.post_after(next - now, [this, chat, id] {
    edits_[key_of(chat, id)].timer_armed = false;
    flush_edit(chat, id);
  });
}

void TdlibTransport::flush_edit(ChatId chat, MessageId id) {
  auto it = edits_.find(key_of(chat, id));
  if (it == edits_.end() || !it->second.pending || it->second.in_flight) return;
  EditState& st = it->second;
  FormattedText text = std::move(*st.pending);
  st.pending.reset();
  auto waiting = std::move(st.waiting);
  st.waiting.clear();
  st.in_flight = true;
  st.last_sent = loop_.clock().now();
  ++counters_.edits_sent;
  request(edit_text_request(chat, id, text),
          [this, chat, id, text, waiting = std::move(waiting)](Result<std::string> r) mutable {
            EditState& s = edits_[key_of(chat, id)];
            s.in_flight = false;
            Status outcome = r.is_ok() || is_not_modified(r.status()) ? Status::ok() : r.status();
            if (auto wait = retry_after(outcome)) {
              ++counters_.flood_waits;
              // Keep the newest text: a newer pending edit supersedes this one.
              if (!s.pending) s.pending = std::move(text);
              for (auto& w : waiting)
                s.waiting.push_back(std::move(w));
              s.last_sent =
                  loop_.clock().now() + *wait - options_.edit_interval;  // next try after *wait
              if (!s.timer_armed) {
                s.timer_armed = true;
                loop_.post_after(*wait, [this, chat, id] {
                  edits_[key_of(chat, id)].timer_armed = false;
                  flush_edit(chat, id);
                });
              }
              return;
            }
            for (auto& w : waiting) {
              if (w) w(outcome);
            }
            if (s.pending && !s.timer_armed) {
              s.timer_armed = true;
              loop_.post_after(options_.edit_interval, [this, chat, id] {
                edits_[key_of(chat, id)].timer_armed = false;
                flush_edit(chat, id);
              });
            } else if (!s.pending && !s.timer_armed) {
              // Forget idle messages once their interval has passed, so the map stays small.
              loop_.post_after(
                  options_.edit_interval,
                  [this, chat, id] {
                    auto e = edits_.find(key_of(chat, id));
                    if (e != edits_.end() && !e->second.pending && !e->second.in_flight &&
                        !e->second.timer_armed) {
                      edits_.erase(e);
                    }
                  },
                  false);
            }
          });
}

std::string TdlibTransport::edit_text_request(ChatId chat, MessageId id,
                                              const FormattedText& text) {
  return tdjson::edit_text(chat, id, text);
}

// ---- the rest ----

void TdlibTransport::delete_messages(ChatId chat, std::vector<MessageId> ids, DoneCallback done) {
  request(tdjson::delete_messages(chat, ids, true),
          [done](Result<std::string> r) { done(r.status()); });
}

void TdlibTransport::forward_messages(ChatId from, std::vector<MessageId> ids, ChatId to,
                                      std::int64_t topic_id, DoneCallback done) {
  auto batches = forward_messages_batches(std::move(ids));
  if (batches.empty()) {
    loop_.post([done] { done(make_error(ErrorCode::kInvalidArgument, "nothing to forward")); });
    return;
  }
  auto remaining = std::make_shared<std::size_t>(batches.size());
  auto first_error = std::make_shared<Status>();
  for (auto& batch : batches) {
    // forwardMessages answers with the temporary messages; like a send, it is budgeted.
    enqueue_send(to, tdjson::forward_messages(to, topic_id, from, batch),
                 [remaining, first_error, done](Result<MessageId> r) {
                   if (!r.is_ok() && first_error->is_ok()) *first_error = r.status();
                   if (--*remaining == 0) done(*first_error);
                 });
  }
}

void TdlibTransport::send_voice(ChatId chat, VoiceNote voice, FormattedText caption,
                                SendOptions options, SendCallback done) {
  enqueue_send(chat, tdjson::send_voice_note(chat, voice, caption, options), std::move(done));
}

void TdlibTransport::send_photo(ChatId chat, std::string path, FormattedText caption,
                                SendOptions options, SendCallback done) {
  enqueue_send(chat, tdjson::send_photo(chat, path, caption, options), std::move(done));
}

void TdlibTransport::send_photos(ChatId chat, std::vector<std::string> paths, FormattedText caption,
                                 SendOptions options, AlbumCallback done) {
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
  SendCallback failed = [done](const Result<MessageId>& r) {
    if (!r.is_ok()) done(r.status());
  };
  send_queue_.push_back(QueuedSend{chat, tdjson::send_photo_album(chat, paths, caption, options),
                                   std::move(failed), 0, std::move(done)});
  pump_sends();
}

void TdlibTransport::await_album(const std::string& answer, AlbumCallback done) {
  auto temps = decode_messages(answer);
  if (!temps.is_ok() || temps->empty()) {
    done(temps.is_ok() ? make_error(ErrorCode::kInternal, "tdlib: an empty album came back")
                       : temps.status());
    return;
  }
  struct Album {
    std::vector<std::optional<MessageId>> ids;
    std::size_t left = 0;
    AlbumCallback done;
  };
  auto album = std::make_shared<Album>();
  album->ids.resize(temps->size());
  album->left = temps->size();
  album->done = std::move(done);
  for (std::size_t i = 0; i < temps->size(); ++i) {
    const Key key = key_of((*temps)[i].message.chat, (*temps)[i].message.id);
    awaiting_success_[key] = [album, i](Result<MessageId> sent) {
      if (!album->done) return;  // answered already (a failure)
      if (!sent.is_ok()) {
        std::exchange(album->done, nullptr)(sent.status());
        return;
      }
      album->ids[i] = sent.value();
      if (--album->left > 0) return;
      std::vector<MessageId> ids;
      for (const auto& id : album->ids)
        ids.push_back(*id);
      std::exchange(album->done, nullptr)(std::move(ids));
    };
    loop_.post_after(
        options_.send_deadline,
        [this, key] {
          auto it = awaiting_success_.find(key);
          if (it == awaiting_success_.end()) return;
          auto waiting = std::move(it->second);
          awaiting_success_.erase(it);
          if (waiting)
            waiting(make_error(ErrorCode::kDeadlineExceeded,
                               "tdlib: the album was not delivered in time"));
        },
        false);
  }
}

void TdlibTransport::send_document(ChatId chat, std::string path, FormattedText caption,
                                   SendOptions options, SendCallback done) {
  enqueue_send(chat, tdjson::send_document(chat, path, caption, options), std::move(done));
}

void TdlibTransport::send_chat_action(ChatId chat, ChatAction action) {
  request(tdjson::send_chat_action(chat, action, 0), [](Result<std::string>) {});
}

void TdlibTransport::get_message(ChatId chat, MessageId id, MessageCallback done) {
  request(tdjson::get_message(chat, id), [this, done](Result<std::string> r) {
    auto m = decode_reply(r, decode_message);
    if (!m.is_ok()) {
      done(m.status());
      return;
    }
    done(finish_message(std::move(m).value()));
  });
}

void TdlibTransport::get_history(ChatId chat, int limit, std::function<void(int fetched)> progress,
                                 std::function<void(Result<std::vector<Message>>)> done) {
  struct Pager {
    ChatId chat;
    int limit;
    std::vector<Message> got;
    std::function<void(int)> progress;
    std::function<void(Result<std::vector<Message>>)> done;
    int empty_pages = 0;
  };
  auto pager =
      std::make_shared<Pager>(Pager{chat, limit, {}, std::move(progress), std::move(done)});
  auto next = std::make_shared<std::function<void()>>();
  *next = [this, pager, next] {
    const MessageId from = pager->got.empty() ? MessageId(0) : pager->got.back().id;
    // With offset 0 TDLib may include from_message_id itself, which we already have: ask one more.
    const int want =
        std::min(100, pager->limit - static_cast<int>(pager->got.size()) + (from.valid() ? 1 : 0));
    request(tdjson::get_chat_history(pager->chat, from, 0, want),
            [this, pager, next](Result<std::string> r) {
              auto page = decode_reply(r, decode_messages);
              if (!page.is_ok()) {
                pager->done(page.status());
                *next = nullptr;  // break the self-reference
                return;
              }
              std::size_t added = 0;
              for (auto& d : *page) {
                // A page may repeat from_message_id; never more than asked for.
                if (!pager->got.empty() && d.message.id >= pager->got.back().id) continue;
                if (static_cast<int>(pager->got.size()) >= pager->limit) break;
                pager->got.push_back(finish_message(std::move(d)));
                ++added;
              }
              if (pager->progress && added > 0)
                pager->progress(static_cast<int>(pager->got.size()));
              // TDLib may return fewer than asked (even 0 before it has loaded the chat); two empty
              // pages in a row mean the chat has no more.
              pager->empty_pages = added == 0 ? pager->empty_pages + 1 : 0;
              if (static_cast<int>(pager->got.size()) >= pager->limit || pager->empty_pages >= 2) {
                pager->done(std::move(pager->got));
                *next = nullptr;
                return;
              }
              (*next)();
            });
  };
  (*next)();
}

void TdlibTransport::get_user(UserId id, UserCallback done) {
  if (auto it = users_.find(id.value()); it != users_.end()) {
    UserInfo info{id, display_name(it->second), it->second.username};
    loop_.post([done, info] { done(info); });
    return;
  }
  request(tdjson::get_user(id), [this, done](Result<std::string> r) {
    auto u = decode_reply(r, decode_user);
    if (!u.is_ok()) {
      done(u.status());
      return;
    }
    remember_user(*u);
    done(UserInfo{u->id, display_name(*u), u->username});
  });
}

void TdlibTransport::resolve_username(std::string username, UserCallback done) {
  request(search_public_chat(username), [this, done, username](Result<std::string> r) {
    if (!r.is_ok()) {
      done(make_error(ErrorCode::kNotFound, "no Telegram user is called " + username));
      return;
    }
    auto chat = decode_chat(*r);
    if (!chat.is_ok() || !chat->private_user.valid()) {
      done(make_error(ErrorCode::kNotFound, username + " is not a person"));
      return;
    }
    chats_[chat->id.value()] = *chat;
    get_user(chat->private_user, done);
  });
}

}  // namespace sakai::telegram::tdjson
