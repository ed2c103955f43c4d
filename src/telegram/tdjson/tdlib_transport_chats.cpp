// TdlibTransport: the chat list and forum topics. These answers are rare (a /chats refresh, a
// /topics), so their objects are read with nlohmann::json here rather than in td_decode.
#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>

#include "telegram/tdjson/td_decode.h"
#include "telegram/tdjson/td_requests.h"
#include "telegram/tdjson/tdlib_transport.h"

namespace sakai::telegram::tdjson {
namespace {

using nlohmann::json;

constexpr int kTopicsPerPage = 100;  // getForumTopics' maximum
constexpr int kMaxTopicPages = 50;

Status corrupt(std::string_view what) {
  return make_error(ErrorCode::kCorrupt, "tdlib: unexpected " + std::string(what) + " object");
}

std::optional<std::int64_t> int_field(const json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<std::int64_t>();
}

bool is_type(const json& object, std::string_view type) {
  if (!object.is_object()) return false;
  auto it = object.find("@type");
  return it != object.end() && it->is_string() && it->get<std::string>() == type;
}

// td_api.tl: supergroup{id, ..., is_forum:Bool, ...}.
Result<bool> parse_supergroup_is_forum(const std::string& text) {
  const json j = json::parse(text, nullptr, false);
  if (!is_type(j, "supergroup")) return corrupt("supergroup");
  auto it = j.find("is_forum");
  if (it == j.end() || !it->is_boolean()) return corrupt("supergroup");
  return it->get<bool>();
}

struct TopicsPage {
  std::vector<ForumTopicInfo> topics;
  std::int64_t total_count = 0;
  std::int32_t next_offset_date = 0;
  std::int64_t next_offset_message_id = 0;
  std::int32_t next_offset_forum_topic_id = 0;
};

// td_api.tl: forumTopics{total_count, topics: vector<forumTopic{info: forumTopicInfo{
// forum_topic_id:int32, name, ...}, ...}>, next_offset_date, next_offset_message_id,
// next_offset_forum_topic_id}.
Result<TopicsPage> parse_forum_topics(const std::string& text) {
  const json j = json::parse(text, nullptr, false);
  if (!is_type(j, "forumTopics")) return corrupt("forumTopics");
  auto topics = j.find("topics");
  if (topics == j.end() || !topics->is_array()) return corrupt("forumTopics");
  TopicsPage page;
  page.total_count = int_field(j, "total_count").value_or(0);
  page.next_offset_date = static_cast<std::int32_t>(int_field(j, "next_offset_date").value_or(0));
  page.next_offset_message_id = int_field(j, "next_offset_message_id").value_or(0);
  page.next_offset_forum_topic_id =
      static_cast<std::int32_t>(int_field(j, "next_offset_forum_topic_id").value_or(0));
  for (const json& topic : *topics) {
    if (!is_type(topic, "forumTopic")) return corrupt("forumTopic");
    auto info = topic.find("info");
    if (info == topic.end() || !is_type(*info, "forumTopicInfo")) return corrupt("forumTopicInfo");
    auto id = int_field(*info, "forum_topic_id");
    auto name = info->find("name");
    if (!id || name == info->end() || !name->is_string()) return corrupt("forumTopicInfo");
    page.topics.push_back(ForumTopicInfo{*id, name->get<std::string>()});
  }
  return page;
}

Status not_forum(ChatId chat) {
  return make_error(ErrorCode::kFailedPrecondition, "chat " + chat.str() + " is not a forum");
}

}  // namespace

void TdlibTransport::with_chat(ChatId chat, std::function<void(Result<ChatSeen>)> done) {
  if (auto it = chats_.find(chat.value()); it != chats_.end()) {
    ChatSeen seen = it->second;
    loop_.post([done, seen] { done(seen); });
    return;
  }
  request(tdjson::get_chat(chat), [this, chat, done](Result<std::string> r) {
    if (!r.is_ok()) {
      // TDLib answers an unknown chat with 400 "Chat not found".
      const ErrorCode code = r.status().code();
      done(code == ErrorCode::kInvalidArgument || code == ErrorCode::kNotFound
               ? make_error(ErrorCode::kNotFound,
                            "chat " + chat.str() + " not found: " + r.status().message())
               : r.status());
      return;
    }
    auto seen = decode_chat(*r);
    if (!seen.is_ok()) {
      done(seen.status());
      return;
    }
    chats_[seen->id.value()] = *seen;
    done(std::move(seen).value());
  });
}

void TdlibTransport::supergroup_is_forum(std::int64_t supergroup_id,
                                         std::function<void(Result<bool>)> done) {
  request(tdjson::get_supergroup(supergroup_id),
          [done](Result<std::string> r) { done(decode_reply(r, parse_supergroup_is_forum)); });
}

void TdlibTransport::chat_info(ChatId chat, std::function<void(Result<ChatInfo>)> done) {
  with_chat(chat, [this, done](Result<ChatSeen> seen) {
    if (!seen.is_ok()) {
      done(seen.status());
      return;
    }
    ChatInfo info;
    info.id = seen->id;
    info.kind = seen->kind;
    info.title = seen->title;
    if (info.kind == ChatKind::kPrivate && self_.valid() && seen->private_user == self_)
      info.kind = ChatKind::kSavedMessages;
    if (info.kind != ChatKind::kSupergroup) {
      done(std::move(info));
      return;
    }
    supergroup_is_forum(seen->supergroup_id, [this, done, info](Result<bool> forum) mutable {
      if (forum.is_ok()) {
        info.is_forum = *forum;
      } else {
        log_.warn("telegram", "could not tell whether a supergroup is a forum",
                  {{"chat", info.id.str()}, {"error", forum.status().to_string()}});
      }
      done(std::move(info));
    });
  });
}

void TdlibTransport::list_chats(int limit,
                                std::function<void(Result<std::vector<ChatInfo>>)> done) {
  request(get_chats(limit), [this, done](Result<std::string> r) {
    auto ids = decode_reply(r, decode_chats);
    if (!ids.is_ok()) {
      done(ids.status());
      return;
    }
    if (ids->empty()) {
      done(std::vector<ChatInfo>{});
      return;
    }
    struct Gather {
      std::vector<std::optional<ChatInfo>> slots;  // in chat list order
      std::size_t remaining = 0;
      std::function<void(Result<std::vector<ChatInfo>>)> done;
    };
    auto gather = std::make_shared<Gather>();
    gather->slots.resize(ids->size());
    gather->remaining = ids->size();
    gather->done = done;
    for (std::size_t i = 0; i < ids->size(); ++i) {
      const ChatId id = (*ids)[i];
      chat_info(id, [this, gather, i, id](Result<ChatInfo> info) {
        if (info.is_ok()) {
          gather->slots[i] = std::move(info).value();
        } else {
          log_.warn("telegram", "a chat of the chat list could not be read",
                    {{"chat", id.str()}, {"error", info.status().to_string()}});
        }
        if (--gather->remaining > 0) return;
        std::vector<ChatInfo> out;
        out.reserve(gather->slots.size());
        for (auto& slot : gather->slots) {
          if (slot) out.push_back(std::move(*slot));
        }
        gather->done(std::move(out));
      });
    }
  });
}

void TdlibTransport::list_forum_topics(
    ChatId chat, std::function<void(Result<std::vector<ForumTopicInfo>>)> done) {
  with_chat(chat, [this, chat, done](Result<ChatSeen> seen) {
    if (!seen.is_ok()) {
      done(seen.status());
      return;
    }
    if (seen->kind != ChatKind::kSupergroup) {
      done(not_forum(chat));
      return;
    }
    supergroup_is_forum(seen->supergroup_id, [this, chat, done](Result<bool> forum) {
      if (!forum.is_ok()) {
        done(forum.status());
        return;
      }
      if (!*forum) {
        done(not_forum(chat));
        return;
      }
      fetch_forum_topics(chat, done);
    });
  });
}

void TdlibTransport::fetch_forum_topics(
    ChatId chat, std::function<void(Result<std::vector<ForumTopicInfo>>)> done) {
  struct Pager {
    ChatId chat;
    std::function<void(Result<std::vector<ForumTopicInfo>>)> done;
    std::vector<ForumTopicInfo> got;
    std::set<std::int64_t> seen;
    int pages = 0;
  };
  auto pager = std::make_shared<Pager>(Pager{chat, std::move(done), {}, {}, 0});
  auto next = std::make_shared<std::function<void(std::int32_t, std::int64_t, std::int32_t)>>();
  *next = [this, pager, next](std::int32_t date, std::int64_t message, std::int32_t topic) {
    request(tdjson::get_forum_topics(pager->chat, kTopicsPerPage, date, message, topic),
            [pager, next](Result<std::string> r) {
              auto finish = [&](Result<std::vector<ForumTopicInfo>> result) {
                pager->done(std::move(result));
                *next = nullptr;  // break the self-reference
              };
              if (!r.is_ok()) {
                // 400 here means TDLib does not consider the chat a forum (any more).
                finish(r.status().code() == ErrorCode::kInvalidArgument
                           ? make_error(ErrorCode::kFailedPrecondition, r.status().message())
                           : r.status());
                return;
              }
              auto page = parse_forum_topics(*r);
              if (!page.is_ok()) {
                finish(page.status());
                return;
              }
              std::size_t added = 0;
              for (auto& t : page->topics) {
                if (!pager->seen.insert(t.id).second) continue;
                pager->got.push_back(std::move(t));
                ++added;
              }
              ++pager->pages;
              const bool no_offset = page->next_offset_date == 0 &&
                                     page->next_offset_message_id == 0 &&
                                     page->next_offset_forum_topic_id == 0;
              if (added == 0 || no_offset ||
                  static_cast<std::int64_t>(pager->got.size()) >= page->total_count ||
                  pager->pages >= kMaxTopicPages) {
                finish(std::move(pager->got));
                return;
              }
              (*next)(page->next_offset_date, page->next_offset_message_id,
                      page->next_offset_forum_topic_id);
            });
  };
  (*next)(0, 0, 0);
}

void TdlibTransport::with_file_id(const Message& message,
                                  std::function<void(Result<std::int32_t>)> done) {
  request(tdjson::get_message(message.chat, message.id), [done](Result<std::string> r) {
    auto m = decode_reply(r, decode_message);
    if (!m.is_ok()) {
      done(m.status());
      return;
    }
    if (m->file_id == 0) {
      done(make_error(ErrorCode::kNotFound, "the message has no file"));
      return;
    }
    done(m->file_id);
  });
}

// getMessage (for the file id) → downloadFile, synchronous: the answer is the `file` with
// local.path once the whole file is on disk.
void TdlibTransport::download_file(const Message& message,
                                   std::function<void(Result<std::string>)> done) {
  with_file_id(message, [this, done](Result<std::int32_t> file_id) {
    if (!file_id.is_ok()) {
      done(file_id.status());
      return;
    }
    const json req{{"@type", "downloadFile"},
                   {"file_id", *file_id},
                   {"priority", 1},
                   {"offset", 0},
                   {"limit", 0},
                   {"synchronous", true}};
    // A large file takes longer than an ordinary request.
    client_.send(
        req.dump(), std::max<Clock::Duration>(options_.request_deadline, std::chrono::minutes(10)),
        [done](Result<std::string> f) {
          if (!f.is_ok()) {
            done(f.status());
            return;
          }
          const json file = json::parse(*f, nullptr, false);
          if (!is_type(file, "file")) {
            done(corrupt("downloadFile"));
            return;
          }
          const json local = file.value("local", json::object());
          const std::string path =
              local.is_object() ? local.value("path", std::string()) : std::string();
          if (path.empty() || !local.value("is_downloading_completed", false)) {
            done(make_error(ErrorCode::kUnavailable, "tdlib: the download did not finish"));
            return;
          }
          done(path);
        });
  });
}

// getMessage (for the file id) → deleteFile: TDLib removes its local copy of the file (the
// message and the file on Telegram's servers stay).
void TdlibTransport::delete_local_file(const Message& message, DoneCallback done) {
  with_file_id(message, [this, done](Result<std::int32_t> file_id) {
    if (!file_id.is_ok()) {
      done(file_id.status());
      return;
    }
    const json req{{"@type", "deleteFile"}, {"file_id", *file_id}};
    request(req.dump(), [done](Result<std::string> ok) { done(ok.status()); });
  });
}

}  // namespace sakai::telegram::tdjson
