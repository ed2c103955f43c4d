// Quiet new messages recognised from their bytes (td_quiet_scan.cpp). The scan may only say
// "quiet" where the full decoder says so too: a wrong "quiet" would be a command or a reply the
// bot silently never sees. Every case is therefore decoded twice — as TDLib writes it, and with
// one space before its last brace, which the scan never accepts (so simdjson decodes it in full).
#include <gtest/gtest.h>

#include <optional>
#include <random>
#include <string>
#include <vector>

#include "td_json_samples.h"
#include "telegram/tdjson/td_decode.h"
#include "telegram/tdjson/td_decode_support.h"

namespace sakai::telegram::tdjson {
namespace {

using namespace samples;  // NOLINT(google-build-using-namespace): the test objects

// The same object, valid JSON still, that only the full decoder accepts.
std::string for_the_full_decoder(std::string line) {
  line.insert(line.size() - 1, " ");
  return line;
}

bool scanned_quiet(const std::string& line) {
  DecodedMessage d;
  return detail::quiet_new_message(line, d);
}

bool decoded_quiet(const std::string& line) {
  const auto event = decode_td_object(line);
  const auto* m = std::get_if<NewMessage>(&event);
  EXPECT_NE(m, nullptr) << line;
  return m != nullptr && m->message.quiet;
}

struct Case {
  const char* what;
  Msg msg;
  bool quiet;    // what the full decoder says
  bool scanned;  // whether the scan recognises it (only ever where the decoder says quiet)
};

Msg with(void (*change)(Msg&)) {
  Msg m;
  change(m);
  return m;
}

std::vector<Case> cases() {
  return {
      {"someone's chat line", Msg{}, true, true},
      {"Persian text",
       with([](Msg& m) { m.content = text_content("سلام، امشب می‌آیی؟"); }), true,
       true},
      {"a sticker", with([](Msg& m) {
         m.content = R"({"@type":"messageSticker","sticker":{"@type":"sticker","id":"1"},)"
                     R"("is_premium":false})";
       }),
       true, true},
      {"a chat as sender",
       with([](Msg& m) { m.sender = R"({"@type":"messageSenderChat","chat_id":-1001})"; }), true,
       true},
      {"a forward whose source was the owner's", with([](Msg& m) {
         m.forward_info =
             R"({"@type":"messageForwardInfo","origin":{"@type":"messageOriginUser",)"
             R"("sender_user_id":9},"date":1,"source":{"@type":"forwardSource","chat_id":9,)"
             R"("message_id":3,"sender_id":null,"sender_name":"","date":1,"is_outgoing":true},)"
             R"("public_service_announcement_type":""})";
       }),
       true, true},
      {"replies counted, a fact check with text", with([](Msg& m) {
         m.interaction_info =
             R"({"@type":"messageInteractionInfo","view_count":3,"forward_count":0,)"
             R"("reply_info":{"@type":"messageReplyInfo","reply_count":2,)"
             R"("recent_replier_ids":[],"last_read_inbox_message_id":0,)"
             R"("last_read_outbox_message_id":0,"last_message_id":0},"reactions":null})";
         m.fact_check = R"({"@type":"factCheck","text":)" + text_json("/not a command") +
                        R"(,"country_code":"IR"})";
       }),
       true, true},
      {"text quoting keys", with([](Msg& m) {
         m.content = text_content(R"(he wrote \",\"is_outgoing\":true,\"reply_to\":{)");
       }),
       true, true},
      {"a command", with([](Msg& m) { m.content = text_content("/ping"); }), false, false},
      {"a command behind a bidi mark",
       with([](Msg& m) { m.content = text_content("\u200F/ping"); }), false, false},
      {"an escape first", with([](Msg& m) { m.content = text_content(R"(\"hi\")"); }), false,
       false},
      {"the owner's", with([](Msg& m) { m.outgoing = "true"; }), false, false},
      {"a forward of someone's by the owner", with([](Msg& m) {
         m.outgoing = "true";
         m.forward_info =
             R"({"@type":"messageForwardInfo","origin":{"@type":"messageOriginUser",)"
             R"("sender_user_id":9},"date":1,"source":{"@type":"forwardSource","chat_id":9,)"
             R"("message_id":3,"sender_id":null,"sender_name":"","date":1,"is_outgoing":false},)"
             R"("public_service_announcement_type":""})";
       }),
       false, false},
      {"being sent", with([](Msg& m) {
         m.sending_state = R"({"@type":"messageSendingStatePending","sending_id":3})";
       }),
       false, false},
      {"a reply", with([](Msg& m) {
         m.reply_to = R"({"@type":"messageReplyToMessage","chat_id":2001,"message_id":480,)"
                      R"("quote":null,"checklist_task_id":0,"poll_option_id":"","origin":null,)"
                      R"("origin_send_date":0,"content":null})";
       }),
       false, false},
      {"a voice note", with([](Msg& m) {
         m.content = R"({"@type":"messageVoiceNote","voice_note":{"@type":"voiceNote",)"
                     R"("duration":7,"voice":)" +
                     file_json(40, "AwAC", 9000) + R"(},"caption":)" + text_json("hi") +
                     R"(,"is_listened":false})";
       }),
       false, false},
      {"a video (not a video note)", with([](Msg& m) {
         m.content = R"({"@type":"messageVideo","video":{"@type":"video","duration":7,)"
                     R"("video":)" +
                     file_json(41, "BAAC", 9000) + R"(},"caption":)" + text_json("") + "}";
       }),
       false, false},
      // The full decoder finds these quiet; the scan leaves them to it.
      {"a reply to another chat", with([](Msg& m) {
         m.reply_to = R"({"@type":"messageReplyToMessage","chat_id":-1009,"message_id":480})";
       }),
       true, false},
      {"a reply keyboard", with([](Msg& m) {
         m.reply_markup = R"({"@type":"replyMarkupRemoveKeyboard","is_personal":false})";
       }),
       true, false},
      {"an id of 19 digits", with([](Msg& m) { m.id = "1234567890123456789"; }), true, false},
  };
}

TEST(TdQuietScan, SaysQuietOnlyWhereTheFullDecoderDoes) {
  for (const Case& c : cases()) {
    const std::string line = new_message(c.msg);
    EXPECT_EQ(decoded_quiet(for_the_full_decoder(line)), c.quiet) << c.what;
    EXPECT_EQ(scanned_quiet(line), c.scanned) << c.what;
    EXPECT_EQ(decoded_quiet(line), c.quiet) << c.what;  // with the scan in front
  }
}

// Outside a private chat, a reply from someone else continues nothing: in a chat the client saw
// announced as a group, such a reply is quiet too — recognised by the scan, or by the full
// decoder when the scan leaves the object to it.
TEST(TdQuietScan, RepliesAreQuietOnlyInAKnownGroup) {
  const GroupChats groups = {-1001500000000};
  const std::string reply_to =
      R"({"@type":"messageReplyToMessage","chat_id":-1001500000000,"message_id":480,)"
      R"("quote":null,"checklist_task_id":0,"poll_option_id":"","origin":null,)"
      R"("origin_send_date":0,"content":null})";
  auto line = [&](void (*change)(Msg&)) {
    Msg m;
    m.chat = "-1001500000000";
    m.reply_to = reply_to;
    change(m);
    return new_message(m);
  };
  auto quiet = [&](const std::string& json, const GroupChats* known) {
    const auto event = decode_td_object(json, known);
    const auto* m = std::get_if<NewMessage>(&event);
    EXPECT_NE(m, nullptr);
    return m != nullptr && m->message.quiet;
  };
  auto scanned = [&](const std::string& json) {
    DecodedMessage d;
    return detail::quiet_new_message(json, d, &groups);
  };
  const std::string plain = line([](Msg&) {});
  EXPECT_TRUE(scanned(plain));
  EXPECT_TRUE(quiet(plain, &groups));
  EXPECT_TRUE(quiet(for_the_full_decoder(plain), &groups));
  EXPECT_FALSE(quiet(plain, nullptr));  // no chats known
  const GroupChats others = {-1001500000001};
  EXPECT_FALSE(quiet(plain, &others));
  EXPECT_FALSE(quiet(for_the_full_decoder(plain), &others));

  // Never quiet: a command, one behind a quote (a prefix may be '"'), the owner's reply, a voice
  // note; left to the full decoder: a reply that carries the replied message's content.
  for (const std::string& json :
       {line([](Msg& m) { m.content = text_content("/ask why"); }),
        line([](Msg& m) { m.content = text_content(R"(\"ask why)"); }),
        line([](Msg& m) { m.outgoing = "true"; }), line([](Msg& m) {
          m.content = R"({"@type":"messageVoiceNote","voice_note":{"@type":"voiceNote",)"
                      R"("duration":7,"voice":)" +
                      file_json(40, "AwAC", 9000) + R"(},"caption":)" + text_json("") +
                      R"(,"is_listened":false})";
        })}) {
    EXPECT_FALSE(scanned(json));
    EXPECT_FALSE(quiet(json, &groups));
    EXPECT_FALSE(quiet(for_the_full_decoder(json), &groups));
  }
  Msg quoting;
  quoting.chat = "-1001500000000";
  quoting.reply_to = reply_to.substr(0, reply_to.size() - 5) + text_content("earlier") + "}";
  EXPECT_FALSE(scanned(new_message(quoting)));
  EXPECT_TRUE(quiet(new_message(quoting), &groups));
}

// Random one- and two-byte changes to every case (keys renamed, values swapped, quotes and
// braces moved): whenever the scan still says quiet and the object is valid JSON, the full
// decoder must say quiet too. (A malformed object is garbage either way: TDLib never writes one.)
TEST(TdQuietScan, ChangedObjectsNeverFoolTheScan) {
  std::mt19937 rng(20261204);
  const std::string alphabet = R"(",:{}[]/\ tfnul0123456789-_aeioprsy)";
  const GroupChats groups = {2001, -1001500000000};
  int scanned = 0;
  int compared = 0;
  for (const Case& c : cases()) {
    const std::string line = new_message(c.msg);
    for (int i = 0; i < 3000; ++i) {
      std::string changed = line;
      const int edits = 1 + static_cast<int>(rng() % 2);
      for (int e = 0; e < edits; ++e)
        changed[rng() % changed.size()] = alphabet[rng() % alphabet.size()];
      DecodedMessage d;
      if (!detail::quiet_new_message(changed, d, &groups)) continue;
      ++scanned;
      simdjson::dom::parser validator;  // the full decoder does not validate what it skips
      if (validator.parse(simdjson::padded_string(changed)).error() != simdjson::SUCCESS) continue;
      const auto event = decode_td_object(for_the_full_decoder(changed), &groups);
      if (const auto* m = std::get_if<NewMessage>(&event)) {
        ++compared;
        EXPECT_TRUE(m->message.quiet) << changed;
      }
    }
  }
  EXPECT_GT(scanned, 1000);  // the changes left plenty of objects the scan still takes
  EXPECT_GT(compared, 500);  // and plenty of them valid JSON
}

TEST(TdQuietScan, KeepsTheIdsOfWhatItDrops) {
  Msg m;
  m.id = "2097152";
  m.sender = R"({"@type":"messageSenderUser","user_id":5000000})";
  m.chat = "-1001500000000";
  DecodedMessage d;
  ASSERT_TRUE(detail::quiet_new_message(new_message(m), d));
  EXPECT_TRUE(d.quiet);
  EXPECT_EQ(d.message.id, MessageId(2097152));
  EXPECT_EQ(d.message.sender, UserId(5000000));
  EXPECT_EQ(d.message.chat, ChatId(-1001500000000));
  EXPECT_EQ(d.message.date_unix, 1736900000);
  EXPECT_EQ(d.message.text, "");
}

TEST(TdQuietScan, TakesTheObjectWithOrWithoutTheClientId) {
  const std::string with_id = new_message(Msg{});
  ASSERT_TRUE(with_id.ends_with(R"(,"@client_id":1})"));
  const std::string without =
      with_id.substr(0, with_id.size() - std::string(R"(,"@client_id":1})").size()) + "}";
  EXPECT_TRUE(scanned_quiet(with_id));
  EXPECT_TRUE(scanned_quiet(without));
  EXPECT_FALSE(scanned_quiet(without.substr(0, without.size() - 1)));  // the update not closed
  EXPECT_FALSE(scanned_quiet(with_id.substr(0, with_id.size() - 2) + "x}"));
}

TEST(TdQuietScan, NoTruncationIsTakenForAQuietMessage) {
  const std::string line = new_message(Msg{});
  for (std::size_t n = 0; n < line.size(); ++n)
    EXPECT_FALSE(scanned_quiet(line.substr(0, n))) << n;
}

TEST(TdQuietScan, KeysAreFoundAcrossEveryAlignment) {
  // The key search reads 16 or 32 bytes at a time: shifting the message by 0..63 bytes (a longer
  // id, a longer sender id) moves every key across those blocks.
  for (int pad = 0; pad < 64; ++pad) {
    Msg m;
    m.content = text_content(std::string(static_cast<std::size_t>(pad), 'a'));
    m.sender =
        R"({"@type":"messageSenderUser","user_id":)" + std::to_string(1000000 + pad * 7919) + "}";
    m.interaction_info = pad % 2 == 0
                             ? "null"
                             : R"({"@type":"messageInteractionInfo","view_count":)" +
                                   std::string(static_cast<std::size_t>(pad % 9 + 1), '7') +
                                   R"(,"forward_count":0,"reply_info":null,"reactions":null})";
    EXPECT_TRUE(scanned_quiet(new_message(m))) << pad;
    m.outgoing = "true";
    EXPECT_FALSE(scanned_quiet(new_message(m))) << pad;
  }
}

TEST(TdDecodeSupport, IntegersAreDigitsThatFitIn64Bits) {
  auto parse = [](std::string_view raw) -> std::optional<std::int64_t> {
    std::int64_t x = 0;
    if (detail::parse_int64(raw, x) != simdjson::SUCCESS) return std::nullopt;
    return x;
  };
  EXPECT_EQ(parse("42"), 42);
  EXPECT_EQ(parse("\"-1001500000000\""), -1001500000000);
  EXPECT_EQ(parse("7 \n"), 7);
  EXPECT_EQ(parse("9223372036854775807"), INT64_MAX);
  EXPECT_EQ(parse("\"-9223372036854775808\""), INT64_MIN);
  EXPECT_EQ(parse("9223372036854775808"), std::nullopt);
  EXPECT_EQ(parse("99999999999999999999"), std::nullopt);
  EXPECT_EQ(parse("-"), std::nullopt);
  EXPECT_EQ(parse(""), std::nullopt);
  EXPECT_EQ(parse("1.5"), std::nullopt);
  EXPECT_EQ(parse("\"12"), std::nullopt);
  EXPECT_EQ(parse("true"), std::nullopt);
}

}  // namespace
}  // namespace sakai::telegram::tdjson
