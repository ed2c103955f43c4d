// Request builders: exact td_api.tl constructor and field names for the requests whose shape
// a reader cannot see in other tests (proxies, documents, chat actions, login).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "telegram/tdjson/td_requests.h"

namespace sakai::telegram::tdjson {
namespace {

using nlohmann::json;

TEST(TdRequests, Socks5ProxyWithCredentials) {
  auto r = add_proxy("socks5://alice:s3cret@10.1.2.3:1080");
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  const json j = json::parse(*r);
  EXPECT_EQ(j["@type"], "addProxy");
  EXPECT_EQ(j["enable"], true);
  EXPECT_EQ(j["proxy"]["@type"], "proxy");
  EXPECT_EQ(j["proxy"]["server"], "10.1.2.3");
  EXPECT_EQ(j["proxy"]["port"], 1080);
  EXPECT_EQ(j["proxy"]["type"]["@type"], "proxyTypeSocks5");
  EXPECT_EQ(j["proxy"]["type"]["username"], "alice");
  EXPECT_EQ(j["proxy"]["type"]["password"], "s3cret");
}

TEST(TdRequests, HttpAndMtprotoProxies) {
  auto http = add_proxy("http://proxy.local:8080");
  ASSERT_TRUE(http.is_ok());
  const json h = json::parse(*http);
  EXPECT_EQ(h["proxy"]["type"]["@type"], "proxyTypeHttp");
  EXPECT_EQ(h["proxy"]["type"]["http_only"], false);
  auto mt = add_proxy("mtproto://ee0123456789abcdef@mt.example:443");
  ASSERT_TRUE(mt.is_ok());
  const json m = json::parse(*mt);
  EXPECT_EQ(m["proxy"]["type"]["@type"], "proxyTypeMtproto");
  EXPECT_EQ(m["proxy"]["type"]["secret"], "ee0123456789abcdef");
  EXPECT_EQ(m["proxy"]["port"], 443);
}

TEST(TdRequests, BadProxiesAreRefusedWithTheFix) {
  for (const char* bad : {"socks5://host", "ftp://host:21", "mtproto://host:443", "nonsense"}) {
    auto r = add_proxy(bad);
    ASSERT_FALSE(r.is_ok()) << bad;
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument) << bad;
  }
}

TEST(TdRequests, DocumentVoiceAndChatAction) {
  const json doc =
      json::parse(send_document(ChatId(5), "/tmp/a.txt", FormattedText("caption"), {}));
  EXPECT_EQ(doc["@type"], "sendMessage");
  EXPECT_EQ(doc["input_message_content"]["@type"], "inputMessageDocument");
  EXPECT_EQ(doc["input_message_content"]["document"]["@type"], "inputDocument");
  EXPECT_EQ(doc["input_message_content"]["document"]["document"]["@type"], "inputFileLocal");
  EXPECT_EQ(doc["input_message_content"]["document"]["document"]["path"], "/tmp/a.txt");
  EXPECT_EQ(doc["input_message_content"]["caption"]["@type"], "formattedText");

  VoiceNote v{"/tmp/v.ogg", 3, std::string("\x01\x02\x03", 3)};
  SendOptions o;
  o.reply_to = MessageId(42);
  o.topic_id = 7;
  const json voice = json::parse(send_voice_note(ChatId(-100), v, FormattedText(""), o));
  EXPECT_EQ(voice["reply_to"]["@type"], "inputMessageReplyToMessage");
  EXPECT_EQ(voice["reply_to"]["message_id"], 42);
  EXPECT_EQ(voice["topic_id"]["@type"], "messageTopicForum");
  EXPECT_EQ(voice["topic_id"]["forum_topic_id"], 7);
  EXPECT_EQ(voice["input_message_content"]["waveform"], "AQID");  // base64 of 01 02 03
  EXPECT_EQ(voice["input_message_content"]["duration"], 3);

  const json action = json::parse(send_chat_action(ChatId(5), ChatAction::kRecordingVoice, 0));
  EXPECT_EQ(action["@type"], "sendChatAction");
  EXPECT_EQ(action["action"]["@type"], "chatActionRecordingVoiceNote");
  EXPECT_TRUE(action["topic_id"].is_null());
}

TEST(TdRequests, LoginRequestsAndParameters) {
  EXPECT_EQ(json::parse(set_authentication_phone_number("+989121234567"))["phone_number"],
            "+989121234567");
  EXPECT_EQ(json::parse(check_authentication_code("12345"))["@type"], "checkAuthenticationCode");
  EXPECT_EQ(json::parse(request_qr_code_authentication())["other_user_ids"], json::array());
  TdlibParameters p;
  p.database_directory = "/d";
  p.encryption_key = std::string("\xff\x00\x10", 3);
  p.api_id = 1;
  p.api_hash = "h";
  p.application_version = "0.1.0";
  const json sp = json::parse(set_tdlib_parameters(p));
  EXPECT_EQ(sp["@type"], "setTdlibParameters");
  EXPECT_EQ(sp["database_encryption_key"], "/wAQ");
  EXPECT_EQ(sp["use_message_database"], true);
  EXPECT_EQ(sp["use_secret_chats"], false);
}

TEST(TdRequests, ForwardBatchesAreSortedAndAtMostAHundred) {
  std::vector<MessageId> ids;
  for (int i = 250; i > 0; --i)
    ids.emplace_back(i);
  ids.emplace_back(5);  // a duplicate
  const auto batches = forward_messages_batches(ids);
  ASSERT_EQ(batches.size(), 3u);
  EXPECT_EQ(batches[0].size(), 100u);
  EXPECT_EQ(batches[2].size(), 50u);
  EXPECT_EQ(batches[0].front(), MessageId(1));
  EXPECT_EQ(batches[2].back(), MessageId(250));
}

}  // namespace
}  // namespace sakai::telegram::tdjson
