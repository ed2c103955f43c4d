#pragma once
// Builders for the TDLib requests SakaiBot sends, as JSON text with the exact constructor and
// field names of td_api.tl (TDLib 1.8.65). Pure functions; thread-safe.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/ids.h"
#include "core/result.h"
#include "telegram/formatted_text.h"
#include "telegram/transport.h"

namespace sakai::telegram::tdjson {

struct TdlibParameters {
  bool use_test_dc = false;
  std::string database_directory;
  std::string files_directory;
  std::string encryption_key;  // raw bytes; sent base64-encoded
  int api_id = 0;
  std::string api_hash;
  std::string system_language_code = "en";
  std::string device_model = "SakaiBot";
  std::string system_version;
  std::string application_version;
};

std::string set_tdlib_parameters(const TdlibParameters& p);
std::string set_log_verbosity_level(int level);
std::string get_option(std::string_view name);

// Login.
std::string set_authentication_phone_number(std::string_view phone);
std::string check_authentication_code(std::string_view code);
std::string check_authentication_password(std::string_view password);
std::string request_qr_code_authentication();
std::string log_out();
std::string close();

// Proxy from a URL: socks5://[user:pass@]host:port, http://[user:pass@]host:port,
// mtproto://secret@host:port.
Result<std::string> add_proxy(std::string_view url);

// Messages.
std::string send_text(ChatId chat, const FormattedText& text, const SendOptions& options);
std::string edit_text(ChatId chat, MessageId id, const FormattedText& text);
std::string delete_messages(ChatId chat, const std::vector<MessageId>& ids, bool revoke);
// `ids` must be at most 100, in increasing order (forward_messages_batches does that).
std::string forward_messages(ChatId to, std::int64_t topic_id, ChatId from,
                             const std::vector<MessageId>& ids);
std::vector<std::vector<MessageId>> forward_messages_batches(std::vector<MessageId> ids);
std::string send_voice_note(ChatId chat, const VoiceNote& voice, const FormattedText& caption,
                            const SendOptions& options);
std::string send_photo(ChatId chat, std::string_view path, const FormattedText& caption,
                       const SendOptions& options);
// sendMessageAlbum of inputMessagePhoto contents, the caption on the first.
std::string send_photo_album(ChatId chat, const std::vector<std::string>& paths,
                             const FormattedText& caption, const SendOptions& options);
std::string send_document(ChatId chat, std::string_view path, const FormattedText& caption,
                          const SendOptions& options);
std::string send_chat_action(ChatId chat, ChatAction action, std::int64_t topic_id);

// Reading.
std::string get_me();
std::string get_user(UserId id);
std::string get_chat(ChatId id);
std::string get_chats(int limit);
std::string get_message(ChatId chat, MessageId id);
std::string search_public_chat(std::string_view username);
std::string get_chat_history(ChatId chat, MessageId from, int offset, int limit);
std::string get_forum_topics(ChatId chat, int limit);
// The next page: the next_offset_* fields of the previous forumTopics.
std::string get_forum_topics(ChatId chat, int limit, std::int32_t offset_date,
                             std::int64_t offset_message_id, std::int32_t offset_forum_topic_id);
std::string get_supergroup(std::int64_t supergroup_id);

}  // namespace sakai::telegram::tdjson
