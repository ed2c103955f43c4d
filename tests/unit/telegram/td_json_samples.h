#pragma once
// TDLib objects for the decoder tests, shaped exactly as td_api.tl (TDLib 1.8.65) describes them
// and as td_receive writes them: every field, in the schema's order.
#include <string>

namespace sakai::telegram::tdjson::samples {

inline std::string file_json(int id, const std::string& remote_id, int size) {
  const std::string n = std::to_string(size);
  return R"({"@type":"file","id":)" + std::to_string(id) + R"(,"size":)" + n +
         R"(,"expected_size":)" + n +
         R"(,"local":{"@type":"localFile","path":"","can_be_downloaded":true,)"
         R"("can_be_deleted":false,"is_downloading_active":false,)"
         R"("is_downloading_completed":false,"download_offset":0,"downloaded_prefix_size":0,)"
         R"("downloaded_size":0},"remote":{"@type":"remoteFile","id":")" +
         remote_id + R"(","unique_id":"AgAD)" + std::to_string(id) +
         R"(","is_uploading_active":false,"is_uploading_completed":true,"uploaded_size":)" + n +
         "}}";
}

inline std::string text_json(const std::string& text) {
  return R"({"@type":"formattedText","text":")" + text + R"(","entities":[]})";
}

inline std::string text_content(const std::string& text) {
  return R"({"@type":"messageText","text":)" + text_json(text) + "}";
}

struct Msg {
  std::string id = "501";
  std::string sender = R"({"@type":"messageSenderUser","user_id":2001})";
  std::string chat = "2001";
  std::string sending_state = "null";
  std::string outgoing = "false";
  std::string edit_date = "0";
  std::string reply_to = "null";
  std::string topic_id = "null";
  std::string content = text_content("hello");
  std::string forward_info = "null";
  std::string interaction_info = "null";
  std::string fact_check = "null";
  std::string reply_markup = "null";
};

// A full `message` with every field of td_api.tl, in its order.
inline std::string message_json(const Msg& m) {
  return R"({"@type":"message","id":)" + m.id + R"(,"sender_id":)" + m.sender + R"(,"chat_id":)" +
         m.chat + R"(,"sending_state":)" + m.sending_state +
         R"(,"scheduling_state":null,"is_outgoing":)" + m.outgoing +
         R"(,"is_pinned":false,"is_from_offline":false,"can_be_saved":true,)"
         R"("has_timestamped_media":true,"is_channel_post":false,)"
         R"("is_paid_star_suggested_post":false,"is_paid_ton_suggested_post":false,)"
         R"("contains_unread_mention":false,"contains_unread_poll_votes":false,)"
         R"("date":1736900000,"edit_date":)" +
         m.edit_date + R"(,"forward_info":)" + m.forward_info +
         R"(,"import_info":null,"interaction_info":)" + m.interaction_info +
         R"(,"unread_reactions":[],"fact_check":)" + m.fact_check +
         R"(,"suggested_post_info":null,"reply_to":)" + m.reply_to + R"(,"topic_id":)" +
         m.topic_id +
         R"(,"self_destruct_type":null,"self_destruct_in":0.0,"auto_delete_in":0.0,)"
         R"("via_bot_user_id":0,"guest_bot_caller_id":null,"sender_business_bot_user_id":0,)"
         R"("sender_boost_count":0,"sender_tag":"","paid_message_star_count":0,)"
         R"("author_signature":"","media_album_id":"0","effect_id":"0",)"
         R"("restriction_info":null,"summary_language_code":"","content":)" +
         m.content + R"(,"reply_markup":)" + m.reply_markup + "}";
}

inline std::string new_message(const Msg& m) {
  return R"({"@type":"updateNewMessage","message":)" + message_json(m) + R"(,"@client_id":1})";
}

}  // namespace sakai::telegram::tdjson::samples
