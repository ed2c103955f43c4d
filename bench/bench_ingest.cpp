// Ingest throughput: TDLib updates, one JSON object per line exactly as td_receive returns
// them, through the path the bot runs: TdClient::dispatch (decode once) → typed event posted to
// the event loop → TdlibTransport::handle (chat/user caches) → CommandRouter::on_new_message of a
// real router with SQLite.
//
//   bench_ingest --generate N FILE [--mix P]
//       writes a realistic stream of N updates (td_api.tl 1.8.65) in which P % (1..99, default
//       45) are full updateNewMessage objects; the other kinds keep their proportions among the
//       rest. `--mix 45` is the stream of the first version of this bench (plus the owner's
//       commands), `--mix 80` a busy account in many groups.
//   bench_ingest FILE                loads FILE, runs it repeatedly for >= 2 s of CPU time,
//                                    prints the breakdown and, last, "updates/s: N"
//   bench_ingest FILE --passes N     exactly N passes over FILE and no breakdown by kind: for
//                                    valgrind --tool=callgrind (instruction counts)
//
// The file is read into memory first; only decoding and routing are timed. The rate is per
// second of the process's CPU time (CLOCK_PROCESS_CPUTIME_ID), so a machine busy with other
// work measures the same one-core figure; wall time is printed too.
#include <time.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <climits>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "app/bot_core.h"
#include "bench_support.h"
#include "support/scripted_tdjson.h"
#include "telegram/memory/memory_transport.h"
#include "telegram/tdjson/td_client.h"
#include "telegram/tdjson/td_decode.h"
#include "telegram/tdjson/tdlib_transport.h"

namespace {

using namespace sakai;
namespace td = sakai::telegram::tdjson;

// ---- generator ---------------------------------------------------------------------------

constexpr std::int64_t kOwner = telegram::MemoryTransport::kOwnerId;
constexpr std::int64_t kNow = 1736900000;

// Chat texts, already JSON-escaped: the shared sample chat, then these.
const char* const kMoreTexts[] = {
    "مرسی 🙏",
    "He said \\\"we ship on Monday\\\"\\nthen left the call",
    // clang-format counts bytes and re-splits Persian text differently on every run.
    // clang-format off
    "بچه‌ها جلسه فردا ساعت ۱۰ صبح برگزار میشه، گزارش‌ها رو امشب بفرستید",
    // clang-format on
    "Quick update on the release: the migration finished overnight, error rates are back to "
    "normal and the dashboard looks fine. I'll keep an eye on it until noon and post again if "
    "anything changes. Thanks everyone for staying late yesterday!",
    "👍",
    "kojayi? montazeretam jolo dar",
};
const std::vector<const char*> kTexts = bench::chat_phrases(bench::kChatPhrases.size(), kMoreTexts);
const int kTextCount = static_cast<int>(kTexts.size());
// Commands from strangers (ignored: no grants) and other bots' commands.
const char* const kCommands[] = {"/ping", "/help", "/start", "/start@somebot", "/ping@sakaibot"};
// The owner's own commands (outgoing messages): these run, answer and are logged in SQLite.
const char* const kOwnerCommands[] = {"/ping", "/help"};

struct World {
  std::mt19937_64 rng{42};
  std::vector<std::int64_t> users;
  std::vector<std::int64_t> privates, groups, supergroups, forums, channels;
  std::int64_t next_message = 4000;
  int pick(int n) { return static_cast<int>(rng() % static_cast<std::uint64_t>(n)); }
  std::int64_t any(const std::vector<std::int64_t>& v) { return v[rng() % v.size()]; }
  bool chance(int percent) { return pick(100) < percent; }
};

std::string sender_user(std::int64_t user) {
  return R"({"@type":"messageSenderUser","user_id":)" + std::to_string(user) + "}";
}

std::string formatted(const std::string& text, bool entities) {
  std::string s = R"({"@type":"formattedText","text":")" + text + R"(","entities":[)";
  if (entities) {
    s += R"({"@type":"textEntity","offset":0,"length":2,"type":{"@type":"textEntityTypeBold"}},)"
         R"({"@type":"textEntity","offset":3,"length":4,"type":{"@type":"textEntityTypeUrl"}})";
  }
  return s + "]}";
}

std::string file(World& w, int size, const char* prefix) {
  const std::string id = std::to_string(100 + w.pick(100000));
  const std::string n = std::to_string(size);
  return R"({"@type":"file","id":)" + id + R"(,"size":)" + n + R"(,"expected_size":)" + n +
         R"(,"local":{"@type":"localFile","path":"","can_be_downloaded":true,)"
         R"("can_be_deleted":false,"is_downloading_active":false,"is_downloading_completed":false,)"
         R"("download_offset":0,"downloaded_prefix_size":0,"downloaded_size":0},)"
         R"("remote":{"@type":"remoteFile","id":")" +
         prefix + "AgQAAxkBAAIB" + id + R"(xR3mK9pQ2vL8nYw4ZtHcUa7sEb","unique_id":"AgAD)" + id +
         R"(","is_uploading_active":false,"is_uploading_completed":true,"uploaded_size":)" + n +
         "}}";
}

std::string content(World& w, int kind, const std::string& text, bool entities) {
  switch (kind) {
    case 1:
      return R"({"@type":"messageVoiceNote","voice_note":{"@type":"voiceNote","duration":)" +
             std::to_string(2 + w.pick(60)) +
             R"(,"waveform":"AAAAIUIQhSEYQhCEIQhCEIQhCEIQhCEIQhCEIQhCEIQhCEIQhCEIQhCE",)"
             R"("mime_type":"audio/ogg","voice":)" +
             file(w, 20000 + w.pick(200000), "AwAC") + R"(},"caption":)" + formatted("", false) +
             R"(,"is_listened":false})";
    case 2: {
      std::string sizes;
      const int dims[][2] = {{90, 67}, {320, 240}, {800, 600}, {1280, 960}};
      const char* types[] = {"s", "m", "x", "y"};
      for (int i = 0; i < 4; ++i) {
        if (i) sizes += ",";
        sizes += R"({"@type":"photoSize","type":")" + std::string(types[i]) + R"(","photo":)" +
                 file(w, 2000 * (i + 1) * (i + 1), "AgAC") + R"(,"width":)" +
                 std::to_string(dims[i][0]) + R"(,"height":)" + std::to_string(dims[i][1]) +
                 R"(,"progressive_sizes":[]})";
      }
      return R"({"@type":"messagePhoto","photo":{"@type":"photo","has_stickers":false,)"
             R"("minithumbnail":{"@type":"minithumbnail","width":40,"height":30,"data":)"
             R"("/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDACgcHiMeGSgjISMtKygwPGRBPDc3PHtYXUlkkYCZlo+A"},)"
             R"("sizes":[)" +
             sizes + R"(]},"caption":)" + formatted(text, false) +
             R"(,"show_caption_above_media":false,"has_spoiler":false,"is_secret":false})";
    }
    case 3:
      return R"({"@type":"messageDocument","document":{"@type":"document","file_name":)"
             R"("report-2025.pdf","mime_type":"application/pdf","document":)" +
             file(w, 500000, "BQAC") + R"(},"caption":)" + formatted(text, false) + "}";
    case 4:
      return R"({"@type":"messageSticker","sticker":{"@type":"sticker","id":")" +
             std::to_string(5000000000000000000LL + w.pick(1000)) +
             R"(","set_id":"773947703670341676","width":512,"height":512,"emoji":"😂",)"
             R"("format":{"@type":"stickerFormatWebp"},"full_type":{"@type":)"
             R"("stickerFullTypeRegular"},"sticker":)" +
             file(w, 30000, "CAAC") + R"(},"is_premium":false})";
    default:
      return R"({"@type":"messageText","text":)" + formatted(text, entities) + "}";
  }
}

// A full `message` with every field of td_api.tl 1.8.65, in order.
std::string message(World& w, std::int64_t chat, std::int64_t sender, bool outgoing,
                    std::int64_t id, const std::string& body, bool reply, bool forum,
                    bool with_interaction) {
  std::string reply_to = "null";
  if (reply) {
    reply_to = R"({"@type":"messageReplyToMessage","chat_id":)" + std::to_string(chat) +
               R"(,"message_id":)" + std::to_string(id - 1048576 * (1 + w.pick(20))) +
               R"(,"quote":null,"checklist_task_id":0,"poll_option_id":"","origin":null,)"
               R"("origin_send_date":0,"content":null})";
  }
  const std::string topic = forum ? R"({"@type":"messageTopicForum","forum_topic_id":)" +
                                        std::to_string(1 + w.pick(8)) + "}"
                                  : "null";
  const std::string interaction =
      with_interaction
          ? R"({"@type":"messageInteractionInfo","view_count":)" + std::to_string(w.pick(5000)) +
                R"(,"forward_count":0,"reply_info":null,"reactions":null})"
          : "null";
  return R"({"@type":"message","id":)" + std::to_string(id) + R"(,"sender_id":)" +
         sender_user(sender) + R"(,"chat_id":)" + std::to_string(chat) +
         R"(,"sending_state":null,"scheduling_state":null,"is_outgoing":)" +
         (outgoing ? "true" : "false") +
         R"(,"is_pinned":false,"is_from_offline":false,"can_be_saved":true,)"
         R"("has_timestamped_media":true,"is_channel_post":false,)"
         R"("is_paid_star_suggested_post":false,"is_paid_ton_suggested_post":false,)"
         R"("contains_unread_mention":false,"contains_unread_poll_votes":false,"date":)" +
         std::to_string(kNow + w.pick(86400)) +
         R"(,"edit_date":0,"forward_info":null,"import_info":null,"interaction_info":)" +
         interaction +
         R"(,"unread_reactions":[],"fact_check":null,"suggested_post_info":null,"reply_to":)" +
         reply_to + R"(,"topic_id":)" + topic +
         R"(,"self_destruct_type":null,"self_destruct_in":0.0,"auto_delete_in":0.0,)"
         R"("via_bot_user_id":0,"guest_bot_caller_id":null,"sender_business_bot_user_id":0,)"
         R"("sender_boost_count":0,"sender_tag":"","paid_message_star_count":0,)"
         R"("author_signature":"","media_album_id":"0","effect_id":"0",)"
         R"("restriction_info":null,"summary_language_code":"","content":)" +
         body + R"(,"reply_markup":null})";
}

// One random message: the chat, its sender and its content.
std::string random_message(World& w, std::int64_t* chat_out = nullptr) {
  const int where = w.pick(100);
  std::int64_t chat = 0;
  bool forum = false;
  if (where < 35) {
    chat = w.any(w.privates);
  } else if (where < 55) {
    chat = w.any(w.groups);
  } else if (where < 90) {
    chat = w.any(w.supergroups);
  } else {
    chat = w.any(w.forums);
    forum = true;
  }
  const bool outgoing = w.chance(8);
  const std::int64_t sender = outgoing ? kOwner : (where < 35 ? chat : w.any(w.users));
  const int c = w.pick(100);
  const int kind = c < 6 ? 1 : c < 11 ? 2 : c < 13 ? 3 : c < 14 ? 4 : 0;
  std::string text = kTexts[w.pick(kTextCount)];
  if (!outgoing && kind == 0 && w.chance(2)) text = kCommands[w.pick(5)];
  if (outgoing && kind == 0 && w.chance(2)) text = kOwnerCommands[w.pick(2)];
  const std::int64_t id = 1048576 * (w.next_message++);
  if (chat_out) *chat_out = chat;
  return message(w, chat, sender, outgoing, id, content(w, kind, text, w.chance(20)), w.chance(25),
                 forum, where >= 55 && w.chance(30));
}

std::string chat_json(std::int64_t id, const std::string& type, const std::string& title) {
  return R"({"@type":"updateNewChat","chat":{"@type":"chat","id":)" + std::to_string(id) +
         R"(,"type":)" + type + R"(,"title":")" + title +
         R"(","accent_color_id":3,"background_custom_emoji_id":"0",)"
         R"("upgraded_gift_colors":null,"profile_accent_color_id":-1,)"
         R"("profile_background_custom_emoji_id":"0","permissions":{"@type":"chatPermissions",)"
         R"("can_send_basic_messages":true,"can_send_audios":true,"can_send_documents":true,)"
         R"("can_send_photos":true,"can_send_videos":true,"can_send_video_notes":true,)"
         R"("can_send_voice_notes":true,"can_send_polls":true,"can_send_other_messages":true,)"
         R"("can_add_link_previews":true,"can_react_to_messages":true,"can_edit_tag":false,)"
         R"("can_change_info":false,"can_invite_users":true,"can_pin_messages":false,)"
         R"("can_create_topics":false},"positions":[],"chat_lists":[],)"
         R"("has_protected_content":false,"is_translatable":false,"is_marked_as_unread":false,)"
         R"("view_as_topics":false,"has_scheduled_messages":false,)"
         R"("can_be_deleted_only_for_self":true,"can_be_deleted_for_all_users":false,)"
         R"("can_be_reported":false,"default_disable_notification":false,"unread_count":0,)"
         R"("last_read_inbox_message_id":0,"last_read_outbox_message_id":0,)"
         R"("unread_mention_count":0,"unread_reaction_count":0,"unread_poll_vote_count":0,)"
         R"("message_auto_delete_time":0,"reply_markup_message_id":0,"client_data":""}})";
}

std::string user_json(std::int64_t id, int i) {
  const char* first[] = {"Ali", "Sara", "رضا", "مریم", "John", "Neda"};
  return R"({"@type":"updateUser","user":{"@type":"user","id":)" + std::to_string(id) +
         R"(,"first_name":")" + first[i % 6] +
         R"(","last_name":"",)"
         R"("usernames":{"@type":"usernames","active_usernames":["user)" +
         std::to_string(id) + R"("],"disabled_usernames":[],"editable_username":"user)" +
         std::to_string(id) +
         R"(","collectible_usernames":[]},"phone_number":"",)"
         R"("status":{"@type":"userStatusRecently","by_my_privacy_settings":false},)"
         R"("accent_color_id":2,"background_custom_emoji_id":"0","profile_accent_color_id":-1,)"
         R"("profile_background_custom_emoji_id":"0","is_contact":false,)"
         R"("is_mutual_contact":false,"is_close_friend":false,"is_premium":false,)"
         R"("is_support":false,"restricts_new_chats":false,"paid_message_star_count":0,)"
         R"("have_access":true,"type":{"@type":"userTypeRegular"},"language_code":"fa",)"
         R"("added_to_attachment_menu":false}})";
}

std::string option(const std::string& name, const std::string& value) {
  return R"({"@type":"updateOption","name":")" + name + R"(","value":)" + value + "}";
}

// `mix`: per cent of updateNewMessage. The other kinds are laid out for the first version's
// 45 %; a draw past `mix` is stretched onto that layout, so mix 45 draws exactly as it did.
std::string random_update(World& w, int mix) {
  int r = w.pick(1000);
  const std::string chat = std::to_string(w.any(w.supergroups));
  const std::string msg_id = std::to_string(1048576 * (w.next_message - 1 - w.pick(50)));
  if (r < 10 * mix) return R"({"@type":"updateNewMessage","message":)" + random_message(w) + "}";
  r = 450 + (r - 10 * mix) * 550 / (1000 - 10 * mix);
  if (r < 570) {
    return R"({"@type":"updateChatReadInbox","chat_id":)" + std::to_string(w.any(w.privates)) +
           R"(,"last_read_inbox_message_id":)" + msg_id + R"(,"unread_count":)" +
           std::to_string(w.pick(30)) + "}";
  }
  if (r < 680) {
    return R"({"@type":"updateUserStatus","user_id":)" + std::to_string(w.any(w.users)) +
           (w.chance(50) ? R"(,"status":{"@type":"userStatusOnline","expires":)" +
                               std::to_string(kNow + 300) + "}}"
                         : R"(,"status":{"@type":"userStatusOffline","was_online":)" +
                               std::to_string(kNow - 60) + "}}");
  }
  if (r < 760) {
    return R"({"@type":"updateChatAction","chat_id":)" + chat + R"(,"topic_id":null,"sender_id":)" +
           sender_user(w.any(w.users)) + R"(,"action":{"@type":)" +
           (w.chance(70) ? R"("chatActionTyping"}})" : R"("chatActionRecordingVoiceNote"}})");
  }
  if (r < 840) {
    return R"({"@type":"updateMessageInteractionInfo","chat_id":)" + chat + R"(,"message_id":)" +
           msg_id + R"(,"interaction_info":{"@type":"messageInteractionInfo","view_count":)" +
           std::to_string(w.pick(9000)) +
           R"(,"forward_count":2,"reply_info":null,"reactions":{"@type":"messageReactions",)"
           R"("reactions":[{"@type":"messageReaction","type":{"@type":"reactionTypeEmoji",)"
           R"("emoji":"👍"},"total_count":)" +
           std::to_string(1 + w.pick(40)) +
           R"(,"is_chosen":false,"used_sender_id":null,"recent_sender_ids":[)" +
           sender_user(w.any(w.users)) +
           R"(]}],"are_tags":false,"paid_reactors":[],"can_get_added_reactions":true}}})";
  }
  if (r < 890) {
    std::int64_t c = 0;
    const std::string m = random_message(w, &c);
    return R"({"@type":"updateChatLastMessage","chat_id":)" + std::to_string(c) +
           R"(,"last_message":)" + m +
           R"(,"positions":[{"@type":"chatPosition","list":{"@type":"chatListMain"},"order":")" +
           std::to_string(9221294784512000000LL + w.pick(100000)) +
           R"(","is_pinned":false,"source":null}]})";
  }
  if (r < 920) {
    return R"({"@type":"updateMessageContent","chat_id":)" + chat + R"(,"message_id":)" + msg_id +
           R"(,"new_content":)" + content(w, 0, kTexts[w.pick(kTextCount)], false) + "}";
  }
  if (r < 950) {
    return R"({"@type":"updateDeleteMessages","chat_id":)" + chat + R"(,"message_ids":[)" + msg_id +
           R"(],"is_permanent":true,"from_cache":false})";
  }
  if (r < 975) {
    return option("unix_time",
                  R"({"@type":"optionValueInteger","value":")" + std::to_string(kNow + r) + "\"}");
  }
  if (r < 990) return user_json(w.any(w.users), w.pick(6));
  std::int64_t c = 0;
  std::string m = random_message(w, &c);
  return R"({"@type":"updateMessageSendSucceeded","message":)" + m + R"(,"old_message_id":)" +
         std::to_string(-w.pick(1000) - 1) + "}";
}

int generate(long count, const std::string& path, int mix) {
  World w;
  for (int i = 0; i < 60; ++i)
    w.users.push_back(5000000 + 7919 * i);
  std::vector<std::string> head = {
      option("version", R"({"@type":"optionValueString","value":"1.8.65"})"),
      option("my_id",
             R"({"@type":"optionValueInteger","value":")" + std::to_string(kOwner) + "\"}"),
      option("message_text_length_max", R"({"@type":"optionValueInteger","value":"4096"})"),
      R"({"@type":"updateAuthorizationState","authorization_state":{"@type":)"
      R"("authorizationStateReady"}})",
      R"({"@type":"updateConnectionState","state":{"@type":"connectionStateReady"}})"};
  for (int i = 0; i < 60; ++i)
    head.push_back(user_json(w.users[static_cast<std::size_t>(i)], i));
  for (int i = 0; i < 25; ++i) {
    const std::int64_t user = w.users[static_cast<std::size_t>(i)];
    w.privates.push_back(user);
    head.push_back(
        chat_json(user, R"({"@type":"chatTypePrivate","user_id":)" + std::to_string(user) + "}",
                  "Friend " + std::to_string(i)));
  }
  for (int i = 0; i < 12; ++i) {
    w.groups.push_back(-(4000000 + i));
    head.push_back(chat_json(
        -(4000000 + i),
        R"({"@type":"chatTypeBasicGroup","basic_group_id":)" + std::to_string(4000000 + i) + "}",
        "خانواده " + std::to_string(i)));
  }
  for (int i = 0; i < 20; ++i) {
    const std::int64_t sg = 1500000000 + i;
    (i < 4 ? w.forums : w.supergroups).push_back(-1000000000000 - sg);
    head.push_back(chat_json(-1000000000000 - sg,
                             R"({"@type":"chatTypeSupergroup","supergroup_id":)" +
                                 std::to_string(sg) + R"(,"is_channel":false})",
                             "Group " + std::to_string(i)));
  }
  std::ofstream out(path, std::ios::binary);
  if (!out) {
    std::cerr << "bench_ingest: cannot write " << path << "\n";
    return 1;
  }
  long written = 0;
  const std::string tail = R"(,"@client_id":1})";
  auto put = [&](std::string line) {
    line.pop_back();  // td_receive appends "@client_id" to every object
    out << line << tail << '\n';
    ++written;
  };
  for (auto& line : head) {
    if (written < count) put(std::move(line));
  }
  while (written < count)
    put(random_update(w, mix));
  std::cout << "wrote " << written << " updates to " << path << "\n";
  return out.good() ? 0 : 1;
}

// ---- runner ------------------------------------------------------------------------------

const char* const kEventNames[] = {"Ignored",
                                   "Response",
                                   "AuthorizationState",
                                   "NewMessage",
                                   "MessageSendSucceeded",
                                   "MessageSendFailed",
                                   "MessageContentChanged",
                                   "MessagesDeleted",
                                   "ChatSeen",
                                   "UserSeen",
                                   "OptionChanged",
                                   "ConnectionStateChanged"};
static_assert(std::size(kEventNames) == std::variant_size_v<td::TdEvent>);

// The bot's own path from td_receive onwards: TdClient::dispatch decodes the object once (on what
// would be the TdJsonHub's receive thread) and hands the typed event to the sink, which posts it
// to the event loop; there TdlibTransport::handle keeps the chat/user caches, turns a new message
// into the core Message and gives it to the CommandRouter. No live TDLib: the recorded objects are
// fed to dispatch() directly, and the loop is drained every few hundred objects.
class Ingest {
 public:
  explicit Ingest(app::BotCore& core)
      : core_(core),
        hub_(api_, core.log()),
        client_(hub_, core.loop(), core.log(), core.loop().clock()),
        transport_(client_, core.loop(), core.log(), unbudgeted()) {
    client_.set_update_sink([this](std::string_view, td::TdEvent&& event) {
      ++by_event_[event.index()];
      transport_.enqueue(std::move(event));
    });
    transport_.set_self(UserId(kOwner));
    core_.attach(transport_, "tdlib");
  }

  void feed(std::string_view line) {
    client_.dispatch(line);  // the hub hands the client TDLib's own buffer, a view, too
    if (++since_drain_ == 256) drain();
  }
  void drain() {
    since_drain_ = 0;
    core_.loop().run_ready();
  }
  std::array<long, std::variant_size_v<td::TdEvent>>& by_event() { return by_event_; }

 private:
  // The owner's commands answer through the transport; Telegram's send budget (20 a minute)
  // would only queue them here, so it is lifted. No client is started, so each answer fails
  // at once ("sent before the client started") and is logged like a failed send.
  static td::TdlibTransportOptions unbudgeted() {
    td::TdlibTransportOptions o;
    o.max_sends_per_minute = INT_MAX;
    o.per_chat_interval = {};
    return o;
  }

  app::BotCore& core_;
  td::ScriptedTdJson api_;  // no client is started: nothing is received from it
  td::TdJsonHub hub_;
  td::TdClient client_;
  td::TdlibTransport transport_;
  std::array<long, std::variant_size_v<td::TdEvent>> by_event_{};
  int since_drain_ = 0;
};

std::string_view type_of(std::string_view line) {
  const auto start = line.find("\"@type\":\"");
  if (start == std::string_view::npos) return "?";
  const auto from = start + 9;
  return line.substr(from, line.find('"', from) - from);
}

// The process's CPU time and the wall time, in seconds.
struct Times {
  double cpu = 0;
  double wall = 0;
  static Times now() {
    timespec ts{};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
    return {static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9, wall};
  }
  Times operator-(const Times& o) const { return {cpu - o.cpu, wall - o.wall}; }
};

int run(const std::string& path, long fixed_passes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "bench_ingest: cannot read " << path << "\n";
    return 1;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string data = buffer.str();
  std::vector<std::string_view> lines;
  for (std::size_t pos = 0; pos < data.size();) {
    std::size_t end = data.find('\n', pos);
    if (end == std::string::npos) end = data.size();
    if (end > pos) lines.emplace_back(data.data() + pos, end - pos);
    pos = end + 1;
  }
  if (lines.empty()) {
    std::cerr << "bench_ingest: no updates in " << path << "\n";
    return 1;
  }

  bench::BenchCore core("ingest");
  if (!core.ok()) {
    std::cerr << "bench_ingest: " << core.status().to_string() << "\n";
    return 1;
  }

  std::size_t bytes = 0;
  std::map<std::string_view, long> by_type;
  for (auto line : lines) {
    bytes += line.size();
    ++by_type[type_of(line)];
  }

  Ingest ingest(*core);
  auto& by_event = ingest.by_event();
  // Whole passes over `subset` until `min_cpu` seconds of CPU time (or exactly `passes`):
  // {passes, times}.
  auto measure = [&](const std::vector<std::string_view>& subset, double min_cpu, long passes) {
    const Times start = Times::now();
    long n = 0;
    Times took;
    do {
      for (auto line : subset)
        ingest.feed(line);
      ingest.drain();
      ++n;
      took = Times::now() - start;
    } while (passes > 0 ? n < passes : took.cpu < min_cpu);
    return std::pair{n, took};
  };
  // The same path for the new messages alone and for the rest alone, to show where time goes.
  std::vector<std::string_view> messages, others;
  for (auto line : lines)
    (type_of(line) == "updateNewMessage" ? messages : others).push_back(line);
  auto rate = [&](const std::vector<std::string_view>& subset) {
    if (subset.empty() || fixed_passes > 0) return 0.0;
    const auto [n, t] = measure(subset, 0.5, 0);
    return static_cast<double>(subset.size()) * static_cast<double>(n) / t.cpu;
  };
  const double message_rate = rate(messages);
  const double other_rate = rate(others);
  by_event = {};
  const auto& counters = core->router()->counters();
  const auto before = counters;
  const auto [passes, took] = measure(lines, 2.0, fixed_passes);

  const double updates = static_cast<double>(lines.size()) * static_cast<double>(passes);
  std::printf("file: %s, %zu updates, %.1f MB, %.0f bytes/update on average\n", path.c_str(),
              lines.size(), static_cast<double>(bytes) / 1e6,
              static_cast<double>(bytes) / static_cast<double>(lines.size()));
  std::printf("TDLib types in the file:\n");
  for (const auto& [type, n] : by_type) {
    std::printf("  %-32.*s %8ld  %5.1f%%\n", static_cast<int>(type.size()), type.data(), n,
                100.0 * static_cast<double>(n) / static_cast<double>(lines.size()));
  }
  std::printf("decoded events (timed run):\n");
  for (std::size_t i = 0; i < by_event.size(); ++i) {
    if (by_event[i]) std::printf("  %-32s %10ld\n", kEventNames[i], by_event[i]);
  }
  std::printf("router: %llu messages, %llu commands run, %llu commands ignored\n",
              static_cast<unsigned long long>(counters.messages - before.messages),
              static_cast<unsigned long long>(counters.commands - before.commands),
              static_cast<unsigned long long>(counters.ignored - before.ignored));
  std::printf("passes: %ld in %.3f s CPU, %.3f s wall\n", passes, took.cpu, took.wall);
  std::printf("bytes/s: %.0f (%.1f MB/s)\n", static_cast<double>(bytes) * passes / took.cpu,
              static_cast<double>(bytes) * passes / took.cpu / 1e6);
  std::printf("ns/update: %.1f (wall: %.1f)\n", took.cpu * 1e9 / updates,
              took.wall * 1e9 / updates);
  if (fixed_passes == 0) {
    std::printf("updateNewMessage lines alone: %.0f/s; all other lines alone: %.0f/s\n",
                message_rate, other_rate);
  }
  std::printf("updates/s: %.0f\n", updates / took.cpu);
  core.reset();
  return 0;
}

int usage() {
  std::cerr << "usage: bench_ingest FILE [--passes N] | bench_ingest --generate N FILE [--mix P]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  auto number = [](const std::string& s) { return std::strtol(s.c_str(), nullptr, 10); };
  if (!args.empty() && args[0] == "--generate") {
    if (args.size() != 3 && !(args.size() == 5 && args[3] == "--mix")) return usage();
    const long n = number(args[1]);
    const long mix = args.size() == 5 ? number(args[4]) : 45;
    if (n <= 0) {
      std::cerr << "bench_ingest: N must be positive\n";
      return 2;
    }
    if (mix < 1 || mix > 99) {
      std::cerr << "bench_ingest: --mix is a per cent of updateNewMessage, 1 to 99\n";
      return 2;
    }
    return generate(n, args[2], static_cast<int>(mix));
  }
  if (args.size() == 1 && args[0] != "--help") return run(args[0], 0);
  if (args.size() == 3 && args[1] == "--passes" && number(args[2]) > 0)
    return run(args[0], number(args[2]));
  return usage();
}
