#pragma once
// TDLib 1.8.65 objects as TDLib writes them (td_api.tl: every constructor's full field list,
// int53 as JSON numbers, int64 as strings, "@type" on every object), and a TdJsonApi wrapper
// around ScriptedTdJson that lets a test wait until everything delivered so far has been
// dispatched by the TdJsonHub receive thread. Shared by telegram_tests and app_tests.
#include <chrono>
#include <cstdint>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "support/scripted_tdjson.h"
#include "telegram/tdjson/td_json_api.h"

namespace sakai::telegram::tdjson::td_json {

using nlohmann::json;

inline json formatted_text(std::string text) {
  return json{{"@type", "formattedText"}, {"text", std::move(text)}, {"entities", json::array()}};
}

inline json message_text(std::string text) {
  return json{{"@type", "messageText"},
              {"text", formatted_text(std::move(text))},
              {"link_preview", nullptr},
              {"link_preview_options", nullptr}};
}

// td_api.tl `file` of a local file being uploaded (remote part not yet known).
inline json local_file(std::int32_t id, std::string path, std::int64_t size) {
  return json{{"@type", "file"},
              {"id", id},
              {"size", size},
              {"expected_size", size},
              {"local",
               {{"@type", "localFile"},
                {"path", std::move(path)},
                {"can_be_downloaded", true},
                {"can_be_deleted", true},
                {"is_downloading_active", false},
                {"is_downloading_completed", true},
                {"download_offset", 0},
                {"downloaded_prefix_size", size},
                {"downloaded_size", size}}},
              {"remote",
               {{"@type", "remoteFile"},
                {"id", ""},
                {"unique_id", ""},
                {"is_uploading_active", true},
                {"is_uploading_completed", false},
                {"uploaded_size", 0}}}};
}

// messageVoiceNote{voice_note: voiceNote{...}, caption, is_listened}; `waveform` is base64.
inline json message_voice_note(std::int32_t duration, std::string waveform, json file,
                               std::string caption) {
  return json{{"@type", "messageVoiceNote"},
              {"voice_note",
               {{"@type", "voiceNote"},
                {"duration", duration},
                {"waveform", std::move(waveform)},
                {"mime_type", "audio/ogg"},
                {"speech_recognition_result", nullptr},
                {"voice", std::move(file)}}},
              {"caption", formatted_text(std::move(caption))},
              {"is_listened", false}};
}

// messagePhoto{photo: photo{has_stickers, minithumbnail, sizes}, ...} with one size.
inline json message_photo(json file, std::int32_t width, std::int32_t height, std::string caption) {
  return json{{"@type", "messagePhoto"},
              {"photo",
               {{"@type", "photo"},
                {"has_stickers", false},
                {"minithumbnail", nullptr},
                {"sizes", json::array({json{{"@type", "photoSize"},
                                            {"type", "x"},
                                            {"photo", std::move(file)},
                                            {"width", width},
                                            {"height", height},
                                            {"progressive_sizes", json::array()}}})}}},
              {"video", nullptr},
              {"caption", formatted_text(std::move(caption))},
              {"show_caption_above_media", false},
              {"has_spoiler", false},
              {"is_secret", false}};
}

inline json sender_user(std::int64_t user_id) {
  return json{{"@type", "messageSenderUser"}, {"user_id", user_id}};
}

// messageSendingStatePending{sending_id}: a message this client is still sending.
inline json pending_state(std::int32_t sending_id = 0) {
  return json{{"@type", "messageSendingStatePending"}, {"sending_id", sending_id}};
}

struct MessageSpec {
  std::int64_t chat_id = 0;
  std::int64_t id = 0;
  std::int64_t sender_user_id = 0;
  std::string text;
  bool is_outgoing = false;
  json sending_state = nullptr;  // null, or pending_state()
  std::int32_t date = 1'700'000'000;
  json content = nullptr;                // null: messageText of `text`
  json topic_id = nullptr;               // messageTopicForum, or null
  std::int64_t reply_to_message_id = 0;  // messageReplyToMessage in the same chat, or none
};

// td_api.tl `message` with every field of the constructor.
inline json message(const MessageSpec& s) {
  return json{{"@type", "message"},
              {"id", s.id},
              {"sender_id", sender_user(s.sender_user_id)},
              {"chat_id", s.chat_id},
              {"sending_state", s.sending_state},
              {"scheduling_state", nullptr},
              {"is_outgoing", s.is_outgoing},
              {"is_pinned", false},
              {"is_from_offline", false},
              {"can_be_saved", true},
              {"has_timestamped_media", true},
              {"is_channel_post", false},
              {"is_paid_star_suggested_post", false},
              {"is_paid_ton_suggested_post", false},
              {"contains_unread_mention", false},
              {"contains_unread_poll_votes", false},
              {"date", s.date},
              {"edit_date", 0},
              {"forward_info", nullptr},
              {"import_info", nullptr},
              {"interaction_info", nullptr},
              {"unread_reactions", json::array()},
              {"fact_check", nullptr},
              {"suggested_post_info", nullptr},
              {"reply_to", s.reply_to_message_id == 0 ? json(nullptr)
                                                      : json{{"@type", "messageReplyToMessage"},
                                                             {"chat_id", s.chat_id},
                                                             {"message_id", s.reply_to_message_id},
                                                             {"quote", nullptr},
                                                             {"checklist_task_id", 0},
                                                             {"poll_option_id", ""},
                                                             {"origin", nullptr},
                                                             {"origin_send_date", 0},
                                                             {"content", nullptr}}},
              {"topic_id", s.topic_id},
              {"self_destruct_type", nullptr},
              {"self_destruct_in", 0.0},
              {"auto_delete_in", 0.0},
              {"via_bot_user_id", 0},
              {"guest_bot_caller_id", nullptr},
              {"sender_business_bot_user_id", 0},
              {"sender_boost_count", 0},
              {"sender_tag", ""},
              {"paid_message_star_count", 0},
              {"author_signature", ""},
              {"media_album_id", "0"},
              {"effect_id", "0"},
              {"restriction_info", nullptr},
              {"summary_language_code", ""},
              {"content", s.content.is_null() ? message_text(s.text) : s.content},
              {"reply_markup", nullptr}};
}

inline json messages(const std::vector<json>& list, std::int32_t total_count) {
  return json{{"@type", "messages"}, {"total_count", total_count}, {"messages", list}};
}

inline json chat_type_private(std::int64_t user_id) {
  return json{{"@type", "chatTypePrivate"}, {"user_id", user_id}};
}

inline json chat_type_supergroup(std::int64_t supergroup_id, bool is_channel) {
  return json{{"@type", "chatTypeSupergroup"},
              {"supergroup_id", supergroup_id},
              {"is_channel", is_channel}};
}

inline json chat_permissions() {
  json p{{"@type", "chatPermissions"}};
  for (const char* key :
       {"can_send_basic_messages", "can_send_audios", "can_send_documents", "can_send_photos",
        "can_send_videos", "can_send_video_notes", "can_send_voice_notes", "can_send_polls",
        "can_send_other_messages", "can_add_link_previews", "can_react_to_messages", "can_edit_tag",
        "can_change_info", "can_invite_users", "can_pin_messages", "can_create_topics"}) {
    p[key] = true;
  }
  return p;
}

inline json notification_settings() {
  return json{{"@type", "chatNotificationSettings"},
              {"use_default_mute_for", true},
              {"mute_for", 0},
              {"use_default_sound", true},
              {"sound_id", "0"},
              {"use_default_show_preview", true},
              {"show_preview", true},
              {"use_default_mute_stories", true},
              {"mute_stories", false},
              {"use_default_story_sound", true},
              {"story_sound_id", "0"},
              {"use_default_show_story_poster", true},
              {"show_story_poster", true},
              {"use_default_disable_pinned_message_notifications", true},
              {"disable_pinned_message_notifications", false},
              {"use_default_disable_mention_notifications", true},
              {"disable_mention_notifications", false}};
}

// td_api.tl `chat` with every field of the constructor.
inline json chat(std::int64_t id, json type, std::string title) {
  return json{
      {"@type", "chat"},
      {"id", id},
      {"type", std::move(type)},
      {"title", std::move(title)},
      {"photo", nullptr},
      {"accent_color_id", 0},
      {"background_custom_emoji_id", "0"},
      {"upgraded_gift_colors", nullptr},
      {"profile_accent_color_id", -1},
      {"profile_background_custom_emoji_id", "0"},
      {"permissions", chat_permissions()},
      {"last_message", nullptr},
      {"positions", json::array()},
      {"chat_lists", json::array()},
      {"message_sender_id", nullptr},
      {"block_list", nullptr},
      {"has_protected_content", false},
      {"is_translatable", false},
      {"is_marked_as_unread", false},
      {"view_as_topics", false},
      {"has_scheduled_messages", false},
      {"can_be_deleted_only_for_self", true},
      {"can_be_deleted_for_all_users", true},
      {"can_be_reported", false},
      {"default_disable_notification", false},
      {"unread_count", 0},
      {"last_read_inbox_message_id", 0},
      {"last_read_outbox_message_id", 0},
      {"unread_mention_count", 0},
      {"unread_reaction_count", 0},
      {"unread_poll_vote_count", 0},
      {"notification_settings", notification_settings()},
      {"available_reactions", {{"@type", "chatAvailableReactionsAll"}, {"max_reaction_count", 11}}},
      {"message_auto_delete_time", 0},
      {"emoji_status", nullptr},
      {"background", nullptr},
      {"theme", nullptr},
      {"action_bar", nullptr},
      {"business_bot_manage_bar", nullptr},
      {"video_chat",
       {{"@type", "videoChat"},
        {"group_call_id", 0},
        {"has_participants", false},
        {"default_participant_id", nullptr}}},
      {"pending_join_requests", nullptr},
      {"reply_markup_message_id", 0},
      {"draft_message", nullptr},
      {"client_data", ""}};
}

// td_api.tl `user` with every field of the constructor.
inline json user(std::int64_t id, std::string first_name, std::string last_name,
                 std::string username = {}) {
  json active = json::array();
  if (!username.empty()) active.push_back(username);
  return json{{"@type", "user"},
              {"id", id},
              {"first_name", std::move(first_name)},
              {"last_name", std::move(last_name)},
              {"usernames",
               {{"@type", "usernames"},
                {"active_usernames", active},
                {"disabled_usernames", json::array()},
                {"editable_username", username},
                {"collectible_usernames", json::array()}}},
              {"phone_number", ""},
              {"status", {{"@type", "userStatusRecently"}, {"by_my_privacy_settings", false}}},
              {"profile_photo", nullptr},
              {"accent_color_id", 0},
              {"background_custom_emoji_id", "0"},
              {"upgraded_gift_colors", nullptr},
              {"profile_accent_color_id", -1},
              {"profile_background_custom_emoji_id", "0"},
              {"emoji_status", nullptr},
              {"is_contact", false},
              {"is_mutual_contact", false},
              {"is_close_friend", false},
              {"verification_status", nullptr},
              {"is_premium", false},
              {"is_support", false},
              {"restriction_info", nullptr},
              {"active_story_state", nullptr},
              {"restricts_new_chats", false},
              {"paid_message_star_count", 0},
              {"have_access", true},
              {"type", {{"@type", "userTypeRegular"}}},
              {"language_code", ""},
              {"added_to_attachment_menu", false}};
}

inline json update_new_chat(json c) {
  return json{{"@type", "updateNewChat"}, {"chat", std::move(c)}};
}
inline json update_user(json u) {
  return json{{"@type", "updateUser"}, {"user", std::move(u)}};
}
inline json update_new_message(json m) {
  return json{{"@type", "updateNewMessage"}, {"message", std::move(m)}};
}
// updateOption with optionValueInteger (int64: a string).
inline json update_option_integer(std::string name, std::int64_t value) {
  return json{{"@type", "updateOption"},
              {"name", std::move(name)},
              {"value", {{"@type", "optionValueInteger"}, {"value", std::to_string(value)}}}};
}
inline json update_send_succeeded(json m, std::int64_t old_message_id) {
  return json{{"@type", "updateMessageSendSucceeded"},
              {"message", std::move(m)},
              {"old_message_id", old_message_id}};
}
// The message carries sending_state messageSendingStateFailed, as TDLib sends it.
inline json update_send_failed(json m, std::int64_t old_message_id, int code,
                               std::string error_message) {
  const json error{{"@type", "error"}, {"code", code}, {"message", error_message}};
  m["sending_state"] = json{{"@type", "messageSendingStateFailed"},
                            {"error", error},
                            {"can_retry", false},
                            {"need_another_sender", false},
                            {"need_another_reply_quote", false},
                            {"need_drop_reply", false},
                            {"required_paid_message_star_count", 0},
                            {"retry_after", 0.0}};
  return json{{"@type", "updateMessageSendFailed"},
              {"message", std::move(m)},
              {"old_message_id", old_message_id},
              {"error", error}};
}

// Delegates to a ScriptedTdJson; idle() is true once every object delivered so far has been
// received and handed to TdClient::dispatch (the hub thread came back for the next one).
class SettlingTdJson final : public TdJsonApi {
 public:
  explicit SettlingTdJson(ScriptedTdJson& td) : td_(td) {}

  int create_client_id() override { return td_.create_client_id(); }
  void send(int client_id, std::string_view request) override { td_.send(client_id, request); }
  std::string execute(std::string_view request) override { return td_.execute(request); }
  void set_log_callback(int max_verbosity,
                        std::function<void(int, std::string_view)> callback) override {
    td_.set_log_callback(max_verbosity, std::move(callback));
  }
  std::optional<std::string> receive(double timeout_seconds) override {
    const auto until = std::chrono::steady_clock::now() +
                       std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                           std::chrono::duration<double>(timeout_seconds));
    {
      std::lock_guard lock(mu_);
      dispatched_ = returned_;  // the receive thread is back: the last object was dispatched
    }
    while (true) {
      {
        std::lock_guard lock(mu_);
        if (td_.queued() > 0) {
          auto object = td_.receive(0.0);
          if (object) {
            ++returned_;
            return object;
          }
        }
      }
      if (std::chrono::steady_clock::now() >= until) return std::nullopt;
      std::this_thread::sleep_for(std::chrono::microseconds(300));
    }
  }

  [[nodiscard]] bool idle() const {
    std::lock_guard lock(mu_);
    return td_.queued() == 0 && dispatched_ == returned_;
  }

 private:
  ScriptedTdJson& td_;
  mutable std::mutex mu_;
  std::uint64_t returned_ = 0;
  std::uint64_t dispatched_ = 0;
};

}  // namespace sakai::telegram::tdjson::td_json
