#include "telegram/tdjson/td_requests.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "core/base64.h"
#include "core/text.h"
#include "net/url.h"
#include "telegram/format/td_entities_json.h"

namespace sakai::telegram::tdjson {
namespace {

using json = nlohmann::json;

json formatted(const FormattedText& t) {
  return json::parse(formatted_text_to_td_json(t));
}

json topic(std::int64_t topic_id) {
  if (topic_id == 0) return nullptr;
  return json{{"@type", "messageTopicForum"}, {"forum_topic_id", topic_id}};
}

json reply_to(const SendOptions& o) {
  if (!o.reply_to) return nullptr;
  return json{{"@type", "inputMessageReplyToMessage"},
              {"message_id", o.reply_to->value()},
              {"quote", nullptr},
              {"checklist_task_id", 0},
              {"poll_option_id", ""}};
}

json send_options(const SendOptions& o) {
  if (!o.silent) return nullptr;
  return json{{"@type", "messageSendOptions"}, {"disable_notification", true}};
}

std::string dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string send_message(ChatId chat, const SendOptions& o, json content) {
  return dump(json{{"@type", "sendMessage"},
                   {"chat_id", chat.value()},
                   {"topic_id", topic(o.topic_id)},
                   {"reply_to", reply_to(o)},
                   {"options", send_options(o)},
                   {"reply_markup", nullptr},
                   {"input_message_content", std::move(content)}});
}

json input_text(const FormattedText& t) {
  // Link previews of URLs in LLM answers are noise in a chat: disabled.
  return json{{"@type", "inputMessageText"},
              {"text", formatted(t)},
              {"link_preview_options", {{"@type", "linkPreviewOptions"}, {"is_disabled", true}}},
              {"clear_draft", false}};
}

std::string_view action_type(ChatAction a) {
  switch (a) {
    case ChatAction::kTyping:
      return "chatActionTyping";
    case ChatAction::kRecordingVoice:
      return "chatActionRecordingVoiceNote";
    case ChatAction::kUploadingVoice:
      return "chatActionUploadingVoiceNote";
    case ChatAction::kUploadingPhoto:
      return "chatActionUploadingPhoto";
    case ChatAction::kCancel:
      return "chatActionCancel";
  }
  return "chatActionTyping";
}

}  // namespace

std::string set_tdlib_parameters(const TdlibParameters& p) {
  return dump(json{{"@type", "setTdlibParameters"},
                   {"use_test_dc", p.use_test_dc},
                   {"database_directory", p.database_directory},
                   {"files_directory", p.files_directory},
                   {"database_encryption_key", base64_encode(p.encryption_key)},
                   {"use_file_database", true},
                   {"use_chat_info_database", true},
                   {"use_message_database", true},
                   {"use_secret_chats", false},
                   {"api_id", p.api_id},
                   {"api_hash", p.api_hash},
                   {"system_language_code", p.system_language_code},
                   {"device_model", p.device_model},
                   {"system_version", p.system_version},
                   {"application_version", p.application_version}});
}

std::string set_log_verbosity_level(int level) {
  return dump(json{{"@type", "setLogVerbosityLevel"}, {"new_verbosity_level", level}});
}

std::string get_option(std::string_view name) {
  return dump(json{{"@type", "getOption"}, {"name", name}});
}

std::string set_authentication_phone_number(std::string_view phone) {
  return dump(json{
      {"@type", "setAuthenticationPhoneNumber"}, {"phone_number", phone}, {"settings", nullptr}});
}

std::string check_authentication_code(std::string_view code) {
  return dump(json{{"@type", "checkAuthenticationCode"}, {"code", code}});
}

std::string check_authentication_password(std::string_view password) {
  return dump(json{{"@type", "checkAuthenticationPassword"}, {"password", password}});
}

std::string request_qr_code_authentication() {
  return dump(json{{"@type", "requestQrCodeAuthentication"}, {"other_user_ids", json::array()}});
}

std::string log_out() {
  return R"({"@type":"logOut"})";
}
std::string close() {
  return R"({"@type":"close"})";
}

Result<std::string> add_proxy(std::string_view raw) {
  const auto url = net::parse_url(raw);
  if (!url || url->port == 0) {
    return make_error(ErrorCode::kInvalidArgument,
                      "telegram.proxy must look like socks5://host:port, http://host:port or "
                      "mtproto://secret@host:port");
  }
  json type;
  if (url->scheme == "socks5" || url->scheme == "socks5h") {
    type = {{"@type", "proxyTypeSocks5"}, {"username", url->user}, {"password", url->password}};
  } else if (url->scheme == "http" || url->scheme == "https") {
    type = {{"@type", "proxyTypeHttp"},
            {"username", url->user},
            {"password", url->password},
            {"http_only", false}};
  } else if (url->scheme == "mtproto") {
    const std::string secret = url->user.empty() ? url->password : url->user;
    if (secret.empty()) {
      return make_error(ErrorCode::kInvalidArgument,
                        "an MTProto proxy needs its secret: mtproto://SECRET@host:port");
    }
    type = {{"@type", "proxyTypeMtproto"}, {"secret", secret}};
  } else {
    return make_error(ErrorCode::kInvalidArgument,
                      "telegram.proxy scheme '" + url->scheme +
                          "' is not supported; use socks5, http or mtproto");
  }
  return dump(json{
      {"@type", "addProxy"},
      {"proxy", {{"@type", "proxy"}, {"server", url->host}, {"port", url->port}, {"type", type}}},
      {"enable", true},
      {"comment", "sakaibot"}});
}

std::string send_text(ChatId chat, const FormattedText& text, const SendOptions& options) {
  return send_message(chat, options, input_text(text));
}

std::string edit_text(ChatId chat, MessageId id, const FormattedText& text) {
  return dump(json{{"@type", "editMessageText"},
                   {"chat_id", chat.value()},
                   {"message_id", id.value()},
                   {"reply_markup", nullptr},
                   {"input_message_content", input_text(text)}});
}

std::string delete_messages(ChatId chat, const std::vector<MessageId>& ids, bool revoke) {
  json arr = json::array();
  for (const auto& id : ids)
    arr.push_back(id.value());
  return dump(json{{"@type", "deleteMessages"},
                   {"chat_id", chat.value()},
                   {"message_ids", arr},
                   {"revoke", revoke}});
}

std::vector<std::vector<MessageId>> forward_messages_batches(std::vector<MessageId> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::vector<std::vector<MessageId>> out;
  for (std::size_t i = 0; i < ids.size(); i += 100) {
    out.emplace_back(ids.begin() + static_cast<std::ptrdiff_t>(i),
                     ids.begin() + static_cast<std::ptrdiff_t>(std::min(ids.size(), i + 100)));
  }
  return out;
}

std::string forward_messages(ChatId to, std::int64_t topic_id, ChatId from,
                             const std::vector<MessageId>& ids) {
  json arr = json::array();
  for (const auto& id : ids)
    arr.push_back(id.value());
  return dump(json{{"@type", "forwardMessages"},
                   {"chat_id", to.value()},
                   {"topic_id", topic(topic_id)},
                   {"from_chat_id", from.value()},
                   {"message_ids", arr},
                   {"options", nullptr},
                   {"send_copy", false},
                   {"remove_caption", false}});
}

std::string send_voice_note(ChatId chat, const VoiceNote& voice, const FormattedText& caption,
                            const SendOptions& options) {
  return send_message(chat, options,
                      json{{"@type", "inputMessageVoiceNote"},
                           {"voice_note", {{"@type", "inputFileLocal"}, {"path", voice.path}}},
                           {"duration", voice.duration_seconds},
                           {"waveform", base64_encode(voice.waveform)},
                           {"caption", formatted(caption)},
                           {"self_destruct_type", nullptr}});
}

namespace {
json input_photo(std::string_view path, const FormattedText& caption) {
  return json{{"@type", "inputMessagePhoto"},
              {"photo",
               {{"@type", "inputPhoto"},
                {"photo", {{"@type", "inputFileLocal"}, {"path", path}}},
                {"thumbnail", nullptr},
                {"video", nullptr},
                {"added_sticker_file_ids", json::array()},
                {"width", 0},
                {"height", 0}}},
              {"caption", formatted(caption)},
              {"show_caption_above_media", false},
              {"self_destruct_type", nullptr},
              {"has_spoiler", false}};
}
}  // namespace

std::string send_photo(ChatId chat, std::string_view path, const FormattedText& caption,
                       const SendOptions& options) {
  return send_message(chat, options, input_photo(path, caption));
}

std::string send_photo_album(ChatId chat, const std::vector<std::string>& paths,
                             const FormattedText& caption, const SendOptions& options) {
  json contents = json::array();
  for (std::size_t i = 0; i < paths.size(); ++i)
    contents.push_back(input_photo(paths[i], i == 0 ? caption : FormattedText()));
  return dump(json{{"@type", "sendMessageAlbum"},
                   {"chat_id", chat.value()},
                   {"topic_id", topic(options.topic_id)},
                   {"reply_to", reply_to(options)},
                   {"options", send_options(options)},
                   {"input_message_contents", std::move(contents)}});
}

std::string send_document(ChatId chat, std::string_view path, const FormattedText& caption,
                          const SendOptions& options) {
  return send_message(chat, options,
                      json{{"@type", "inputMessageDocument"},
                           {"document",
                            {{"@type", "inputDocument"},
                             {"document", {{"@type", "inputFileLocal"}, {"path", path}}},
                             {"thumbnail", nullptr},
                             {"disable_content_type_detection", false}}},
                           {"caption", formatted(caption)}});
}

std::string send_chat_action(ChatId chat, ChatAction action, std::int64_t topic_id) {
  return dump(json{{"@type", "sendChatAction"},
                   {"chat_id", chat.value()},
                   {"topic_id", topic(topic_id)},
                   {"business_connection_id", ""},
                   {"action", {{"@type", action_type(action)}}}});
}

std::string get_me() {
  return R"({"@type":"getMe"})";
}
std::string get_user(UserId id) {
  return dump(json{{"@type", "getUser"}, {"user_id", id.value()}});
}
std::string get_chat(ChatId id) {
  return dump(json{{"@type", "getChat"}, {"chat_id", id.value()}});
}

std::string get_chats(int limit) {
  return dump(
      json{{"@type", "getChats"}, {"chat_list", {{"@type", "chatListMain"}}}, {"limit", limit}});
}

std::string get_message(ChatId chat, MessageId id) {
  return dump(json{{"@type", "getMessage"}, {"chat_id", chat.value()}, {"message_id", id.value()}});
}

std::string search_public_chat(std::string_view username) {
  std::string u(text::trim(username));
  if (!u.empty() && u.front() == '@') u.erase(0, 1);
  return dump(json{{"@type", "searchPublicChat"}, {"username", u}});
}

std::string get_chat_history(ChatId chat, MessageId from, int offset, int limit) {
  return dump(json{{"@type", "getChatHistory"},
                   {"chat_id", chat.value()},
                   {"from_message_id", from.value()},
                   {"offset", offset},
                   {"limit", limit},
                   {"only_local", false}});
}

std::string get_forum_topics(ChatId chat, int limit) {
  return get_forum_topics(chat, limit, 0, 0, 0);
}

std::string get_forum_topics(ChatId chat, int limit, std::int32_t offset_date,
                             std::int64_t offset_message_id, std::int32_t offset_forum_topic_id) {
  return dump(json{{"@type", "getForumTopics"},
                   {"chat_id", chat.value()},
                   {"query", ""},
                   {"offset_date", offset_date},
                   {"offset_message_id", offset_message_id},
                   {"offset_forum_topic_id", offset_forum_topic_id},
                   {"limit", limit}});
}

std::string get_supergroup(std::int64_t supergroup_id) {
  return dump(json{{"@type", "getSupergroup"}, {"supergroup_id", supergroup_id}});
}

}  // namespace sakai::telegram::tdjson
