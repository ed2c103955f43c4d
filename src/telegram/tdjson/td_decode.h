#pragma once
// TDLib JSON (td_api.tl of 1.8.65) → the typed events of td_events.h, with simdjson On-Demand.
//
// decode_td_object() takes one object exactly as td_receive returns it. Updates the bot does not
// use are recognised from their "@type" prefix alone and never parsed further, so the common
// noise (updateUserStatus, updateChatReadInbox, ...) costs a few dozen bytes of scanning; such an
// ignored update is therefore not validated. Of a message only the fields the bot reads are
// looked up (td_decode_message.cpp); the document is still checked to its end, and malformed or
// truncated JSON yields Ignored{"<malformed>"}. Nothing here throws.
//
// Quiet messages: an updateNewMessage from someone else (not outgoing, not being sent by us)
// that replies to nothing (or, with decode_td_object's `groups`, replies in a group), carries no
// media the bot reads (voice note, audio, video note, photo, document, video) and whose text cannot
// be a command (it starts with a letter, digit, space or non-ASCII character other than a bidi
// mark; command prefixes are ASCII punctuation) — or has no text at all (stickers, polls, service
// messages) — comes back with DecodedMessage::quiet set and without its text and entities, which
// are never copied. The engine cannot act on such a message (CommandRouter::on_new_message would
// return at once), so the transport does not deliver it. Replies, media, the owner's messages,
// edits and deletions are always decoded in full. Most quiet messages are recognised from their
// bytes before any parsing (td_quiet_scan.cpp): TDLib's field order, a few key searches and the
// object's exact ending; those come back with only id, chat, sender and date, and, like ignored
// updates, are not validated further (a truncated object never matches). Anything the scan is
// unsure of goes to the full decoder.
//
// The response decoders take the "json" of a Response (or any object of the named type).
// They fail with kCorrupt on malformed JSON, with the TDLib error mapped by
// td_error_status() (td_errors.h) when handed an "error" object, and with kInvalidArgument when the
// object is of another type.
//
// Allocation: one std::string per decoded text and per file remote id (none for a quiet message or
// an ignored object); the parser and a padded input buffer are reused per thread, and an object
// whose padding bytes lie in its own memory page is parsed where it lies (td_decode_support.h).
// Thread-safety: every function may be called from any thread; each thread has its own parser.
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/result.h"
#include "telegram/tdjson/td_events.h"

namespace sakai::telegram::tdjson {

// The ids of the chats a client has seen announced as basic groups, supergroups or channels
// (updateNewChat always comes before any message of its chat).
using GroupChats = std::unordered_set<std::int64_t>;

// One object from td_receive. Objects carrying "@extra" (answers to our requests) become a
// Response whose request_id is that number; an "error" without "@extra" becomes a Response
// with request_id 0. With `groups`, someone else's reply in one of those chats (text that cannot
// be a command, no media) is quiet too: outside private chats a reply from someone else
// continues nothing (CommandRouter::try_continue), so the engine cannot act on it.
TdEvent decode_td_object(std::string_view json, const GroupChats* groups = nullptr);

// `message`. Sender chats (messageSenderChat) leave message.sender as UserId(0).
Result<DecodedMessage> decode_message(std::string_view json);
// `messages{total_count, messages}`; null entries (deleted messages) are skipped.
Result<std::vector<DecodedMessage>> decode_messages(std::string_view json);
// `chats{total_count, chat_ids}`.
Result<std::vector<ChatId>> decode_chats(std::string_view json);
// `chat`.
Result<ChatSeen> decode_chat(std::string_view json);
// `user`.
Result<UserSeen> decode_user(std::string_view json);
// `optionValueInteger|String|Boolean|Empty` as text: "4096", "1.8.65", "true", "".
Result<std::string> decode_option_value(std::string_view json);

// The answer to a request read by `decode` (one of the decoders above, or any function of the
// answer's JSON returning a Result): the request's own error when it failed.
template <typename Decode>
auto decode_reply(const Result<std::string>& reply, Decode decode) -> decltype(decode(*reply)) {
  if (!reply.is_ok()) return reply.status();
  return decode(*reply);
}

}  // namespace sakai::telegram::tdjson
