// The TDLib JSON decoder against objects shaped exactly as td_api.tl (TDLib 1.8.65) describes
// them: "@type" first, int53 as numbers, int64 as strings, optional objects null or absent.
#include <gtest/gtest.h>

#include <string>

#include "td_json_samples.h"
#include "telegram/tdjson/td_decode.h"
#include "telegram/tdjson/td_errors.h"

namespace sakai::telegram::tdjson {
namespace {

using namespace samples;  // NOLINT(google-build-using-namespace): the test objects

// A copy: the event is usually a temporary.
DecodedMessage decoded(const TdEvent& e) {
  const auto* nm = std::get_if<NewMessage>(&e);
  EXPECT_NE(nm, nullptr) << "not a NewMessage";
  return nm ? nm->message : DecodedMessage{};
}

std::string ignored_type(const TdEvent& e) {
  const auto* ig = std::get_if<Ignored>(&e);
  return ig ? std::string(ig->type.view()) : "<not ignored>";
}

TEST(TdDecode, NewTextMessageInPersianWithEntitiesAndReply) {
  Msg m;
  m.content =
      R"({"@type":"messageText","text":{"@type":"formattedText",)"
      R"("text":"سلام، امشب می‌آیی؟ 😍 **bold**","entities":[{"@type":"textEntity",)"
      R"("offset":0,"length":4,"type":{"@type":"textEntityTypeBold"}}]},)"
      R"("link_preview_options":null})";
  m.reply_to = R"({"@type":"messageReplyToMessage","chat_id":2001,"message_id":480,)"
               R"("checklist_task_id":0,"poll_option_id":"","origin_send_date":0})";
  const auto e = decode_td_object(new_message(m));
  const auto& d = decoded(e);
  EXPECT_EQ(d.message.id, MessageId(501));
  EXPECT_EQ(d.message.chat, ChatId(2001));
  EXPECT_EQ(d.message.sender, UserId(2001));
  EXPECT_EQ(d.message.text, "سلام، امشب می‌آیی؟ 😍 **bold**");
  EXPECT_EQ(d.message.reply_to, MessageId(480));
  EXPECT_EQ(d.message.date_unix, 1736900000);
  EXPECT_EQ(d.message.media, MediaKind::kNone);
  EXPECT_FALSE(d.message.outgoing);
  EXPECT_FALSE(d.message.edited);
  EXPECT_FALSE(d.sending);
  EXPECT_EQ(d.topic_id, 0);
  ASSERT_EQ(d.message.entities.size(), 1u);
  EXPECT_EQ(d.message.entities[0].type, EntityType::kBold);
  EXPECT_EQ(entity_text(d.message.text, d.message.entities[0]), "سلام");
}

TEST(TdDecode, EntitiesKeepLinksMentionsAndCodeAndSkipTheRest) {
  // "😍 see the report, ask Ali Rezaei #q3 `x` https://a.example": an emoji (two UTF-16 units)
  // before everything shifts the offsets.
  Msg m;
  m.content =
      R"({"@type":"messageText","text":{"@type":"formattedText",)"
      R"("text":"😍 see the report, ask Ali Rezaei #q3 `x` https://a.example","entities":[)"
      R"({"@type":"textEntity","offset":7,"length":10,"type":{"@type":"textEntityTypeTextUrl",)"
      R"("url":"https://docs.example/r?id=7"}},)"
      R"({"@type":"textEntity","offset":23,"length":10,"type":{"@type":)"
      R"("textEntityTypeMentionName","user_id":777000111}},)"
      R"({"@type":"textEntity","offset":34,"length":3,"type":{"@type":"textEntityTypeHashtag"}},)"
      R"({"@type":"textEntity","offset":38,"length":3,"type":{"@type":"textEntityTypePreCode",)"
      R"("language":"cpp"}},)"
      R"({"@type":"textEntity","offset":42,"length":17,"type":{"@type":"textEntityTypeUrl"}}]},)"
      R"("link_preview_options":null})";
  m.outgoing = "true";  // the owner's: someone else's would be quiet (QuietMessages)
  const auto d = decoded(decode_td_object(new_message(m)));
  const auto& es = d.message.entities;
  ASSERT_EQ(es.size(), 4u);  // the hashtag is not kept
  EXPECT_EQ(es[0].type, EntityType::kTextUrl);
  EXPECT_EQ(es[0].argument, "https://docs.example/r?id=7");
  EXPECT_EQ(entity_text(d.message.text, es[0]), "the report");
  EXPECT_EQ(es[1].type, EntityType::kMentionName);
  EXPECT_EQ(es[1].argument, "777000111");
  EXPECT_EQ(entity_text(d.message.text, es[1]), "Ali Rezaei");
  EXPECT_EQ(es[2].type, EntityType::kPre);
  EXPECT_EQ(es[2].argument, "cpp");
  EXPECT_EQ(es[3].type, EntityType::kUrl);
  EXPECT_EQ(entity_text(d.message.text, es[3]), "https://a.example");
  EXPECT_EQ(text_with_links(d.message.text, es),
            "😍 see the report (https://docs.example/r?id=7), ask Ali Rezaei #q3 `x` "
            "https://a.example");

  // An edit carries its entities too.
  const auto e = decode_td_object(
      R"({"@type":"updateMessageContent","chat_id":2001,"message_id":501,"new_content":)" +
      m.content + "}");
  const auto* c = std::get_if<MessageContentChanged>(&e);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->entities.size(), 4u);
}

TEST(TdDecode, EscapesInTextAreDecoded) {
  Msg m;
  m.content = text_content(R"(say \"hi\"\n\u0633\u0644\u0627\u0645 \\ \/ \ud83d\ude00)");
  m.outgoing = "true";
  EXPECT_EQ(decoded(decode_td_object(new_message(m))).message.text, "say \"hi\"\nسلام \\ / 😀");
}

TEST(TdDecode, ReplyToAnotherChatIsNotAReplyHere) {
  Msg m;
  m.reply_to = R"({"@type":"messageReplyToMessage","chat_id":-1009,"message_id":480})";
  EXPECT_FALSE(decoded(decode_td_object(new_message(m))).message.reply_to);
  m.reply_to = R"({"@type":"messageReplyToMessage","chat_id":0,"message_id":480})";
  EXPECT_EQ(decoded(decode_td_object(new_message(m))).message.reply_to, MessageId(480));
  m.reply_to = R"({"@type":"messageReplyToStory","story_poster_chat_id":2001,"story_id":7})";
  EXPECT_FALSE(decoded(decode_td_object(new_message(m))).message.reply_to);
}

TEST(TdDecode, SenderChatLeavesSenderZero) {
  Msg m;
  m.sender = R"({"@type":"messageSenderChat","chat_id":-1001234567890})";
  m.chat = "-1001234567890";
  m.content = text_content("/hello");
  const auto e = decode_td_object(new_message(m));
  EXPECT_EQ(decoded(e).message.sender, UserId(0));
  EXPECT_EQ(decoded(e).message.chat, ChatId(-1001234567890));
  EXPECT_EQ(decoded(e).message.text, "/hello");
}

TEST(TdDecode, ForumTopicSendingStateOutgoingEdited) {
  Msg m;
  m.topic_id = R"({"@type":"messageTopicForum","forum_topic_id":77})";
  m.sending_state = R"({"@type":"messageSendingStatePending","sending_id":3})";
  m.outgoing = "true";
  m.edit_date = "1736900100";
  const auto e = decode_td_object(new_message(m));
  EXPECT_EQ(decoded(e).topic_id, 77);
  EXPECT_TRUE(decoded(e).sending);
  EXPECT_TRUE(decoded(e).message.outgoing);
  EXPECT_TRUE(decoded(e).message.edited);
  m.topic_id = R"({"@type":"messageTopicThread","message_thread_id":12})";
  EXPECT_EQ(decoded(decode_td_object(new_message(m))).topic_id, 0);
}

TEST(TdDecode, AbsentOptionalFieldsAsTdlibOmitsThem) {
  const std::string json =
      R"({"@type":"updateNewMessage","message":{"@type":"message","id":9,"sender_id":)"
      R"({"@type":"messageSenderUser","user_id":5},"chat_id":5,"is_outgoing":true,)"
      R"("date":100,"edit_date":0,"unread_reactions":[],"content":)" +
      text_content("hi") + "}}";
  const auto& d = decoded(decode_td_object(json));
  EXPECT_EQ(d.message.id, MessageId(9));
  EXPECT_EQ(d.message.text, "hi");
  EXPECT_FALSE(d.sending);
  EXPECT_FALSE(d.message.reply_to);
}

TEST(TdDecode, VoiceNoteWithCaption) {
  Msg m;
  m.content = R"({"@type":"messageVoiceNote","voice_note":{"@type":"voiceNote","duration":7,)"
              R"("waveform":"AAIEBggKDA4QEhQWGBocHiAi","mime_type":"audio/ogg","voice":)" +
              file_json(42, "AwACAgQAAxkBAAIBVoice", 23456) + R"(},"caption":)" + text_json("ویس") +
              R"(,"is_listened":false})";
  const auto& d = decoded(decode_td_object(new_message(m)));
  EXPECT_EQ(d.message.media, MediaKind::kVoiceNote);
  EXPECT_EQ(d.duration, 7);
  EXPECT_EQ(d.file_id, 42);
  EXPECT_EQ(d.file_remote_id, "AwACAgQAAxkBAAIBVoice");
  EXPECT_EQ(d.message.text, "ویس");
  EXPECT_EQ(d.message.text, "ویس");
}

TEST(TdDecode, AudioVideoNoteDocumentVideo) {
  Msg m;
  m.content = R"({"@type":"messageAudio","audio":{"@type":"audio","duration":180,"title":"T",)"
              R"("performer":"P","file_name":"a.mp3","mime_type":"audio/mpeg",)"
              R"("external_album_covers":[],"audio":)" +
              file_json(11, "AUDIO", 3000000) + R"(},"caption":)" + text_json("song") + "}";
  auto d = decoded(decode_td_object(new_message(m)));
  EXPECT_EQ(d.message.media, MediaKind::kAudio);
  EXPECT_EQ(d.duration, 180);
  EXPECT_EQ(d.file_id, 11);
  EXPECT_EQ(d.file_remote_id, "AUDIO");
  EXPECT_EQ(d.message.text, "song");

  m.content = R"({"@type":"messageVideoNote","video_note":{"@type":"videoNote","duration":12,)"
              R"("waveform":"","length":384,"video":)" +
              file_json(12, "VNOTE", 900000) + R"(},"is_viewed":false,"is_secret":false})";
  d = decoded(decode_td_object(new_message(m)));
  EXPECT_EQ(d.message.media, MediaKind::kVideoNote);
  EXPECT_EQ(d.duration, 12);
  EXPECT_EQ(d.file_remote_id, "VNOTE");
  EXPECT_EQ(d.message.text, "");

  m.content = R"({"@type":"messageDocument","document":{"@type":"document",)"
              R"("file_name":"report.pdf","mime_type":"application/pdf","document":)" +
              file_json(13, "DOC", 52000) + R"(},"caption":)" + text_json("the report") + "}";
  d = decoded(decode_td_object(new_message(m)));
  EXPECT_EQ(d.message.media, MediaKind::kDocument);
  EXPECT_EQ(d.file_id, 13);
  EXPECT_EQ(d.message.text, "the report");

  m.content = R"({"@type":"messageVideo","video":{"@type":"video","duration":33,"width":1280,)"
              R"("height":720,"file_name":"clip.mp4","mime_type":"video/mp4",)"
              R"("has_stickers":false,"supports_streaming":true,"video":)" +
              file_json(14, "VIDEO", 4000000) +
              R"(},"alternative_videos":[],"storyboards":[],"start_timestamp":0,"caption":)" +
              text_json("clip") +
              R"(,"show_caption_above_media":false,"has_spoiler":false,"is_secret":false})";
  d = decoded(decode_td_object(new_message(m)));
  EXPECT_EQ(d.message.media, MediaKind::kVideo);
  EXPECT_EQ(d.duration, 33);
  EXPECT_EQ(d.file_remote_id, "VIDEO");
  EXPECT_EQ(d.message.text, "clip");
}

TEST(TdDecode, PhotoTakesTheLargestSize) {
  Msg m;
  m.content = R"({"@type":"messagePhoto","photo":{"@type":"photo","has_stickers":false,)"
              R"("minithumbnail":{"@type":"minithumbnail","width":40,"height":30,"data":"/9j/"},)"
              R"("sizes":[{"@type":"photoSize","type":"m","photo":)" +
              file_json(21, "SMALL", 10000) +
              R"(,"width":320,"height":240,"progressive_sizes":[]},)"
              R"({"@type":"photoSize","type":"y","photo":)" +
              file_json(23, "LARGE", 200000) +
              R"(,"width":1280,"height":960,"progressive_sizes":[10000,40000]},)"
              R"({"@type":"photoSize","type":"x","photo":)" +
              file_json(22, "MEDIUM", 80000) +
              R"(,"width":800,"height":600,"progressive_sizes":[]}]},"caption":)" +
              text_json("عکس") +
              R"(,"show_caption_above_media":false,"has_spoiler":false,"is_secret":false})";
  const auto& d = decoded(decode_td_object(new_message(m)));
  EXPECT_EQ(d.message.media, MediaKind::kPhoto);
  EXPECT_EQ(d.file_id, 23);
  EXPECT_EQ(d.file_remote_id, "LARGE");
  EXPECT_EQ(d.message.text, "عکس");
}

TEST(TdDecode, OtherContentHasNoText) {
  Msg m;
  m.content = R"({"@type":"messageSticker","sticker":{"@type":"sticker","id":"123"},)"
              R"("is_premium":false})";
  const auto& d = decoded(decode_td_object(new_message(m)));
  EXPECT_EQ(d.message.media, MediaKind::kNone);
  EXPECT_EQ(d.message.text, "");
  EXPECT_TRUE(d.quiet);  // nothing the engine could act on
}

// Someone else's chat line that replies to nothing, has no media and cannot be a command is
// quiet: the ids come back, the text is never copied. Anything else is decoded in full.
TEST(TdDecode, QuietMessages) {
  auto decode = [](const Msg& m) { return decoded(decode_td_object(new_message(m))); };
  for (const char* text :
       {"hello", "سلام، امشب می‌آیی؟", "42", "😂", " /ping", "Ok"}) {
    Msg m;
    m.content = text_content(text);
    const auto d = decode(m);
    EXPECT_TRUE(d.quiet) << text;
    EXPECT_EQ(d.message.text, "") << text;
    EXPECT_EQ(d.message.id, MessageId(501)) << text;
    EXPECT_EQ(d.message.chat, ChatId(2001)) << text;
    EXPECT_EQ(d.message.sender, UserId(2001)) << text;
    EXPECT_EQ(d.message.date_unix, 1736900000) << text;
  }
  // A prefix (any ASCII punctuation: the configured ones are among them), a bidi mark before
  // it, an escape: maybe a command.
  for (const char* text : {"/ping", "!ping", ".help", "\u200F/ping", "\u2068/help ping\u2069",
                           "\u061C/ping", "\\\"quoted\\\"", "(aside)"}) {
    Msg m;
    m.content = text_content(text);
    const auto d = decode(m);
    EXPECT_FALSE(d.quiet) << text;
    EXPECT_FALSE(d.message.text.empty()) << text;
  }
  Msg reply;
  reply.reply_to = R"({"@type":"messageReplyToMessage","chat_id":2001,"message_id":480})";
  EXPECT_FALSE(decode(reply).quiet);
  EXPECT_EQ(decode(reply).message.text, "hello");
  Msg owner;
  owner.outgoing = "true";
  EXPECT_FALSE(decode(owner).quiet);
  EXPECT_EQ(decode(owner).message.text, "hello");
  Msg sending;
  sending.sending_state = R"({"@type":"messageSendingStatePending","sending_id":3})";
  EXPECT_FALSE(decode(sending).quiet);
  Msg voice;
  voice.content = R"({"@type":"messageVoiceNote","voice_note":{"@type":"voiceNote","duration":7,)"
                  R"("voice":)" +
                  file_json(40, "AwACvoice", 9000) + R"(},"caption":)" + text_json("") +
                  R"(,"is_listened":false})";
  EXPECT_FALSE(decode(voice).quiet);
  EXPECT_EQ(decode(voice).message.media, MediaKind::kVoiceNote);
  // A reply to a message in another chat is no reply here: quiet.
  Msg elsewhere;
  elsewhere.reply_to = R"({"@type":"messageReplyToMessage","chat_id":-1009,"message_id":480})";
  EXPECT_TRUE(decode(elsewhere).quiet);

  // The same message as an answer to getMessage is never quiet.
  Msg m;
  auto full = decode_message(message_json(m));
  ASSERT_TRUE(full.is_ok());
  EXPECT_FALSE(full->quiet);
  EXPECT_EQ(full->message.text, "hello");
  // Quiet is no excuse for malformed JSON: every truncation is still refused.
  const std::string line = new_message(m);
  ASSERT_TRUE(decoded(decode_td_object(line)).quiet);
  for (std::size_t n = 0; n < line.size(); ++n)
    EXPECT_TRUE(std::holds_alternative<Ignored>(decode_td_object(line.substr(0, n)))) << n;
  // Nor for fields in another order than TDLib's (hand-written JSON, the scripted double).
  const auto shuffled = decode_td_object(
      R"({"@type":"updateNewMessage","message":{"content":)" + text_content("hi") +
      R"(,"reply_to":null,"is_outgoing":false,"chat_id":7,"id":8,"@type":"message",)"
      R"("sender_id":{"@type":"messageSenderUser","user_id":7}},"@client_id":1})");
  EXPECT_TRUE(decoded(shuffled).quiet);
  EXPECT_EQ(decoded(shuffled).message.id, MessageId(8));
  EXPECT_EQ(decoded(shuffled).message.chat, ChatId(7));
}

TEST(TdDecode, SendSucceededAndFailed) {
  Msg m;
  m.id = "1048576";
  m.outgoing = "true";
  auto e = decode_td_object(R"({"@type":"updateMessageSendSucceeded","message":)" +
                            message_json(m) + R"(,"old_message_id":-5})");
  const auto* ok = std::get_if<MessageSendSucceeded>(&e);
  ASSERT_NE(ok, nullptr);
  EXPECT_EQ(ok->message.message.id, MessageId(1048576));
  EXPECT_EQ(ok->old_message_id, MessageId(-5));

  m.sending_state =
      R"({"@type":"messageSendingStateFailed","error":{"@type":"error","code":400,)"
      R"("message":"MESSAGE_TOO_LONG"},"can_retry":false,"need_another_sender":false,)"
      R"("need_another_reply_quote":false,"need_drop_reply":false,)"
      R"("required_paid_message_star_count":0,"retry_after":0.0})";
  e = decode_td_object(R"({"@type":"updateMessageSendFailed","message":)" + message_json(m) +
                       R"(,"old_message_id":-6,"error":{"@type":"error","code":400,)"
                       R"("message":"MESSAGE_TOO_LONG"}})");
  const auto* failed = std::get_if<MessageSendFailed>(&e);
  ASSERT_NE(failed, nullptr);
  EXPECT_EQ(failed->chat, ChatId(2001));
  EXPECT_EQ(failed->old_message_id, MessageId(-6));
  EXPECT_EQ(failed->error_code, 400);
  EXPECT_EQ(failed->error_message, "MESSAGE_TOO_LONG");
}

TEST(TdDecode, ContentChangedAndDeleted) {
  auto e = decode_td_object(R"({"@type":"updateMessageContent","chat_id":-100777,)"
                            R"("message_id":3145728,"new_content":)" +
                            text_content("ویرایش شد") + "}");
  const auto* c = std::get_if<MessageContentChanged>(&e);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->chat, ChatId(-100777));
  EXPECT_EQ(c->message, MessageId(3145728));
  EXPECT_EQ(c->text, "ویرایش شد");
  EXPECT_EQ(c->media, MediaKind::kNone);

  e = decode_td_object(
      R"({"@type":"updateDeleteMessages","chat_id":2001,)"
      R"("message_ids":[1048576,2097152],"is_permanent":true,"from_cache":false})");
  const auto* d = std::get_if<MessagesDeleted>(&e);
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->chat, ChatId(2001));
  EXPECT_EQ(d->ids, (std::vector<MessageId>{MessageId(1048576), MessageId(2097152)}));
  EXPECT_TRUE(d->permanent);
  EXPECT_FALSE(d->from_cache);
}

std::string chat_json(const std::string& id, const std::string& type, const std::string& title) {
  return R"({"@type":"chat","id":)" + id + R"(,"type":)" + type + R"(,"title":")" + title +
         R"(","accent_color_id":3,"background_custom_emoji_id":"0",)"
         R"("permissions":{"@type":"chatPermissions","can_send_basic_messages":true},)"
         R"("positions":[],"chat_lists":[],"has_protected_content":false,"unread_count":0,)"
         R"("last_read_inbox_message_id":0,"last_read_outbox_message_id":0,"client_data":""})";
}

TEST(TdDecode, NewChatOfEveryType) {
  struct Case {
    std::string type;
    ChatKind kind;
  };
  const Case cases[] = {
      {R"({"@type":"chatTypePrivate","user_id":2001})", ChatKind::kPrivate},
      {R"({"@type":"chatTypeBasicGroup","basic_group_id":4001})", ChatKind::kGroup},
      {R"({"@type":"chatTypeSupergroup","supergroup_id":1234567890,"is_channel":false})",
       ChatKind::kSupergroup},
      {R"({"@type":"chatTypeSupergroup","supergroup_id":1234567891,"is_channel":true})",
       ChatKind::kChannel},
      {R"({"@type":"chatTypeSecret","secret_chat_id":9,"user_id":2002})", ChatKind::kPrivate},
  };
  for (const auto& c : cases) {
    const auto e = decode_td_object(R"({"@type":"updateNewChat","chat":)" +
                                    chat_json("-42", c.type, "گروه") + "}");
    const auto* chat = std::get_if<ChatSeen>(&e);
    ASSERT_NE(chat, nullptr) << c.type;
    EXPECT_EQ(chat->id, ChatId(-42));
    EXPECT_EQ(chat->kind, c.kind) << c.type;
    EXPECT_EQ(chat->title, "گروه");
  }
  auto e = decode_td_object(R"({"@type":"updateNewChat","chat":)" +
                            chat_json("2001", cases[0].type, "Ali") + "}");
  EXPECT_EQ(std::get<ChatSeen>(e).private_user, UserId(2001));
  e = decode_td_object(R"({"@type":"updateNewChat","chat":)" +
                       chat_json("-1001234567891", cases[3].type, "News") + "}");
  EXPECT_EQ(std::get<ChatSeen>(e).supergroup_id, 1234567891);
  EXPECT_TRUE(std::get<ChatSeen>(e).is_channel);
}

std::string user_json(const std::string& usernames) {
  return R"({"@type":"user","id":2001,"first_name":"علی","last_name":"Rezaei",)"
         R"("usernames":)" +
         usernames +
         R"(,"phone_number":"","status":{"@type":"userStatusRecently","by_my_privacy_settings":)"
         R"(false},"accent_color_id":1,"background_custom_emoji_id":"0","is_contact":true,)"
         R"("is_mutual_contact":true,"is_premium":false,"have_access":true,)"
         R"("type":{"@type":"userTypeRegular"},"language_code":"fa"})";
}

TEST(TdDecode, UserWithAndWithoutUsernames) {
  auto e = decode_td_object(R"({"@type":"updateUser","user":)" +
                            user_json(R"({"@type":"usernames","active_usernames":["ali_r","ali2"],)"
                                      R"("disabled_usernames":[],"editable_username":"ali_r",)"
                                      R"("collectible_usernames":[]})") +
                            "}");
  const auto* u = std::get_if<UserSeen>(&e);
  ASSERT_NE(u, nullptr);
  EXPECT_EQ(u->id, UserId(2001));
  EXPECT_EQ(u->first_name, "علی");
  EXPECT_EQ(u->last_name, "Rezaei");
  EXPECT_EQ(u->username, "ali_r");
  e = decode_td_object(R"({"@type":"updateUser","user":)" + user_json("null") + "}");
  EXPECT_EQ(std::get<UserSeen>(e).username, "");
}

TEST(TdDecode, OptionValues) {
  const std::pair<std::string, std::string> cases[] = {
      {R"({"@type":"optionValueInteger","value":"4096"})", "4096"},
      {R"({"@type":"optionValueInteger","value":"9007199254740993"})", "9007199254740993"},
      {R"({"@type":"optionValueInteger","value":"-12"})", "-12"},
      {R"({"@type":"optionValueString","value":"1.8.65"})", "1.8.65"},
      {R"({"@type":"optionValueBoolean","value":true})", "true"},
      {R"({"@type":"optionValueBoolean","value":false})", "false"},
      {R"({"@type":"optionValueEmpty"})", ""},
  };
  for (const auto& [value, text] : cases) {
    const auto e = decode_td_object(R"({"@type":"updateOption","name":"x","value":)" + value + "}");
    const auto* o = std::get_if<OptionChanged>(&e);
    ASSERT_NE(o, nullptr) << value;
    EXPECT_EQ(o->name, "x");
    EXPECT_EQ(o->value, text) << value;
    const auto r = decode_option_value(value);
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
    EXPECT_EQ(*r, text);
  }
}

TEST(TdDecode, ConnectionAndAuthorizationStates) {
  auto e = decode_td_object(
      R"({"@type":"updateConnectionState","state":{"@type":"connectionStateReady"}})");
  EXPECT_EQ(std::get<ConnectionStateChanged>(e).state, "connectionStateReady");

  e = decode_td_object(R"({"@type":"updateAuthorizationState","authorization_state":)"
                       R"({"@type":"authorizationStateWaitPhoneNumber"},"@client_id":1})");
  EXPECT_EQ(std::get<AuthorizationState>(e).state, "authorizationStateWaitPhoneNumber");

  e = decode_td_object(
      R"({"@type":"updateAuthorizationState","authorization_state":{"@type":)"
      R"("authorizationStateWaitOtherDeviceConfirmation","link":"tg://login?token=AQID"}})");
  EXPECT_EQ(std::get<AuthorizationState>(e).qr_link, "tg://login?token=AQID");

  e = decode_td_object(R"({"@type":"updateAuthorizationState","authorization_state":{"@type":)"
                       R"("authorizationStateWaitPassword","password_hint":"گربه",)"
                       R"("has_recovery_email_address":true,"has_passport_data":false,)"
                       R"("recovery_email_address_pattern":"a***@example.com"}})");
  EXPECT_EQ(std::get<AuthorizationState>(e).state, "authorizationStateWaitPassword");
  EXPECT_EQ(std::get<AuthorizationState>(e).password_hint, "گربه");

  e = decode_td_object(
      R"({"@type":"updateAuthorizationState","authorization_state":{"@type":)"
      R"("authorizationStateWaitCode","code_info":{"@type":"authenticationCodeInfo",)"
      R"("phone_number":"+989121234567","type":{"@type":"authenticationCodeTypeTelegramMessage",)"
      R"("length":5},"next_type":{"@type":"authenticationCodeTypeSms","length":5},)"
      R"("timeout":60}}})");
  const auto& a = std::get<AuthorizationState>(e);
  EXPECT_EQ(a.state, "authorizationStateWaitCode");
  EXPECT_EQ(a.code_type, "authenticationCodeTypeTelegramMessage");
  EXPECT_EQ(a.code_length, 5);
}

TEST(TdDecode, ResponsesCarryTheirExtra) {
  const std::string ok = R"({"@type":"ok","@extra":42,"@client_id":1})";
  auto e = decode_td_object(ok);
  const auto* r = std::get_if<Response>(&e);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->request_id, 42u);
  EXPECT_FALSE(r->is_error);
  EXPECT_EQ(r->type, "ok");
  EXPECT_EQ(r->json, ok);

  e = decode_td_object(R"({"@type":"error","code":429,"message":"Too Many Requests: retry after )"
                       R"(35","@extra":18446744073709551615,"@client_id":1})");
  r = std::get_if<Response>(&e);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->request_id, 18446744073709551615u);
  EXPECT_TRUE(r->is_error);
  EXPECT_EQ(r->error_code, 429);
  EXPECT_EQ(r->error_message, "Too Many Requests: retry after 35");

  // A message returned by getMessage is a response, not a new message.
  e = decode_td_object(message_json(Msg{}).insert(1, R"("@extra":7,)"));
  ASSERT_TRUE(std::holds_alternative<Response>(e));
  EXPECT_EQ(std::get<Response>(e).request_id, 7u);
  EXPECT_EQ(std::get<Response>(e).type, "message");

  e = decode_td_object(R"({"@type":"error","code":500,"message":"Request aborted"})");
  ASSERT_TRUE(std::holds_alternative<Response>(e));
  EXPECT_EQ(std::get<Response>(e).request_id, 0u);
  EXPECT_EQ(std::get<Response>(e).error_code, 500);
}

TEST(TdDecode, IrrelevantObjectsAreIgnoredByType) {
  EXPECT_EQ(ignored_type(decode_td_object(R"({"@type":"updateUserStatus","user_id":2001,"status":)"
                                          R"({"@type":"userStatusOnline","expires":1736900300}})")),
            "updateUserStatus");
  EXPECT_EQ(ignored_type(decode_td_object(R"({"@type":"updateChatReadInbox","chat_id":1,)"
                                          R"("last_read_inbox_message_id":5,"unread_count":0})")),
            "updateChatReadInbox");
  // Not an update and not an answer (no "@extra").
  EXPECT_EQ(ignored_type(decode_td_object(R"({"@type":"ok"})")), "ok");
  // "@type" not first, as hand-written JSON may have it.
  const auto e = decode_td_object(
      R"({"name":"version","value":{"value":"1.8.65","@type":"optionValueString"},)"
      R"("@type":"updateOption"})");
  EXPECT_EQ(std::get<OptionChanged>(e).value, "1.8.65");
  EXPECT_EQ(ignored_type(decode_td_object(R"( {"chat_id":1,"@type":"updateChatAction"})")),
            "updateChatAction");
}

TEST(TdDecode, MalformedAndTruncatedNeverThrow) {
  for (const char* bad : {"", "{", "}", "null", "[1,2]", "not json", "{\"@type\":",
                          "{\"@type\":\"updateNewMessage\"", "{\"@type\":\"updateOption\",,}",
                          "{\"@type\":\"updateOption\",\"name\":\"x\",\"value\":"
                          "{\"@type\":\"optionValueInteger\",\"value\":\"12a\"}}",
                          "{\"@type\":\"updateNewMessage\",\"message\":[]}",
                          "{\"@type\":\"updateDeleteMessages\",\"message_ids\":[1,2}"}) {
    EXPECT_EQ(ignored_type(decode_td_object(bad)), "<malformed>") << bad;
  }
  EXPECT_EQ(ignored_type(decode_td_object(R"({"@type":"updateNewChat","chat":{}} trailing)")),
            "<malformed>");
  Msg m;
  m.reply_to = R"({"@type":"messageReplyToMessage","chat_id":2001,"message_id":480})";
  m.content = text_content("سلام \\\"x\\\" 😀");
  const std::string full = new_message(m);
  ASSERT_TRUE(std::holds_alternative<NewMessage>(decode_td_object(full)));
  for (std::size_t n = 0; n < full.size(); ++n) {
    const auto e = decode_td_object(std::string_view(full).substr(0, n));
    EXPECT_TRUE(std::holds_alternative<Ignored>(e)) << n;
  }
}

TEST(TdDecode, ResponseDecoders) {
  Msg m;
  m.content = text_content("first");
  const std::string first = message_json(m);
  auto one = decode_message(first);
  ASSERT_TRUE(one.is_ok()) << one.status().to_string();
  EXPECT_EQ(one->message.text, "first");

  m.id = "502";
  m.content = text_content("second");
  auto many = decode_messages(R"({"@type":"messages","total_count":3,"messages":[)" + first +
                              ",null," + message_json(m) + R"(],"@extra":3,"@client_id":1})");
  ASSERT_TRUE(many.is_ok()) << many.status().to_string();
  ASSERT_EQ(many->size(), 2u);
  EXPECT_EQ((*many)[1].message.id, MessageId(502));
  EXPECT_EQ((*many)[1].message.text, "second");

  auto chats =
      decode_chats(R"({"@type":"chats","total_count":2,"chat_ids":[2001,-1001234567890]})");
  ASSERT_TRUE(chats.is_ok());
  EXPECT_EQ(*chats, (std::vector<ChatId>{ChatId(2001), ChatId(-1001234567890)}));

  auto chat = decode_chat(
      chat_json("-4001", R"({"@type":"chatTypeBasicGroup","basic_group_id":4001})", "Family"));
  ASSERT_TRUE(chat.is_ok());
  EXPECT_EQ(chat->kind, ChatKind::kGroup);
  EXPECT_EQ(chat->title, "Family");

  auto user = decode_user(user_json("null"));
  ASSERT_TRUE(user.is_ok());
  EXPECT_EQ(user->first_name, "علی");

  auto err = decode_message(R"({"@type":"error","code":404,"message":"Not Found","@extra":5})");
  ASSERT_FALSE(err.is_ok());
  EXPECT_EQ(err.status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(err.status().message(), "tdlib: 404 Not Found");

  auto wrong = decode_message(R"({"@type":"ok"})");
  EXPECT_EQ(wrong.status().code(), ErrorCode::kInvalidArgument);
  auto bad = decode_messages(R"({"@type":"messages","total_count":1,"messages":[{"@type")");
  EXPECT_EQ(bad.status().code(), ErrorCode::kCorrupt);
  EXPECT_EQ(decode_option_value("").status().code(), ErrorCode::kCorrupt);
}

TEST(TdDecode, TdErrorStatusCodes) {
  EXPECT_EQ(td_error_status(400, "MESSAGE_TOO_LONG").code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(td_error_status(429, "Too Many Requests").code(), ErrorCode::kRateLimited);
  EXPECT_EQ(td_error_status(500, "Request aborted").code(), ErrorCode::kCancelled);
  EXPECT_EQ(td_error_status(500, "Internal").code(), ErrorCode::kUnavailable);
  EXPECT_EQ(td_error_status(403, "CHAT_WRITE_FORBIDDEN").code(), ErrorCode::kPermissionDenied);
}

}  // namespace
}  // namespace sakai::telegram::tdjson
