// What the owner and friends read from /auth, /help and the confirm flow, in English, Persian and
// Arabic, with a clock the test drives: a username without its "@", the friends' commands
// waiting for a confirm (/auth pending), confirming by a reply to the waiting notice (also after
// a restart), a friend's /help that shows only what they may run, and /status's uptime.
#include "engine_fixture.h"

namespace sakai::testing {
namespace {

using storage::GrantMode;

constexpr std::string_view kFsi = "\u2068";
constexpr std::string_view kPdi = "\u2069";

std::string isolated(std::string_view s) {
  return std::string(kFsi) + std::string(s) + std::string(kPdi);
}

bool has(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

class AuthHelpTest : public EngineTest {
 protected:
  void owner_speaks(const std::string& lang) {
    ASSERT_TRUE(store_->preferences().set(transport_->self_id(), "language", lang).is_ok());
  }
  void friend_speaks(const std::string& lang) {
    ASSERT_TRUE(store_->preferences().set(ali_, "language", lang).is_ok());
  }
  ChatId ali_chat() const { return ChatId(ali_.value()); }
  // The message id of the last thing the bot sent.
  MessageId last_send_id() const {
    for (auto it = transport_->actions().rbegin(); it != transport_->actions().rend(); ++it) {
      if (it->kind == "send") return it->message;
    }
    return MessageId();
  }
  std::vector<telegram::TransportAction> edits_of(MessageId id) const {
    std::vector<telegram::TransportAction> out;
    for (const auto& a : transport_->actions()) {
      if (a.kind == "edit" && a.message == id) out.push_back(a);
    }
    return out;
  }
  std::size_t sends_replying_to(MessageId id) const {
    std::size_t n = 0;
    for (const auto& a : transport_->actions())
      n += a.kind == "send" && a.reply_to == id ? 1 : 0;
    return n;
  }
};

// ---------------------------------------------------------------------------------------------
// /auth add|remove with a name but no "@"

TEST_F(AuthHelpTest, AUsernameWithoutTheAtIsSuggestedWithIt) {
  owner_says(owner_chat_, "/auth add mallory");
  EXPECT_TRUE(has(last_sent(),
                  "⚠️ “mallory” is not a command. To name a person, write @mallory "
                  "(with the @), or reply to one of their messages."))
      << last_sent();
  EXPECT_TRUE(has(last_sent(), "Usage: /auth list")) << last_sent();
  EXPECT_FALSE(has(last_sent(), "There is no command")) << last_sent();
  owner_says(owner_chat_, "/auth remove mallory");
  EXPECT_TRUE(has(last_sent(), "“mallory” is not a command. To name a person, write @mallory"))
      << last_sent();
  // A command that is misspelt after a person gets the command it resembles.
  owner_says(owner_chat_, "/auth add @ali promt");
  EXPECT_TRUE(has(last_sent(), "There is no command /promt. Did you mean /prompt?")) << last_sent();
  // Nothing was granted by any of it.
  auto grants = store_->grants().list();
  ASSERT_TRUE(grants.is_ok());
  EXPECT_TRUE(grants->empty());
}

TEST_F(AuthHelpTest, AUsernameWithoutTheAtInPersianAndArabic) {
  owner_speaks("fa");
  owner_says(owner_chat_, "/auth add mallory");
  EXPECT_TRUE(has(last_sent(), "«" + isolated("mallory") +
                                   "» دستور نیست. برای نام بردن از یک نفر بنویسید " +
                                   isolated("@mallory")))
      << last_sent();
  owner_says(owner_chat_, "/auth remove mallory");
  EXPECT_TRUE(has(last_sent(), isolated("@mallory"))) << last_sent();
  owner_speaks("ar");
  owner_says(owner_chat_, "/auth add mallory");
  EXPECT_TRUE(has(last_sent(), "ليس أمرًا. لتسمية شخص اكتب " + isolated("@mallory"))) << last_sent();
}

// ---------------------------------------------------------------------------------------------
// /auth pending

TEST_F(AuthHelpTest, PendingListsWhoAskedWhatWhenAndUntilWhen) {
  owner_says(owner_chat_, "/auth pending");
  EXPECT_EQ(last_sent(), "No friend's command waits for your confirmation.");
  grant(ali_, "*", GrantMode::kConfirm);
  user_says(ali_, "/ping");
  clock_.advance(std::chrono::minutes(5));
  owner_says(owner_chat_, "/auth pending");
  EXPECT_TRUE(has(last_sent(), "1 request waits for your confirmation\n")) << last_sent();
  EXPECT_TRUE(has(last_sent(), "• Ali (" + ali_.str() + ")\n")) << last_sent();
  EXPECT_TRUE(has(last_sent(), "   /ping — asked 5 minutes ago, expires in 55 minutes\n"))
      << last_sent();
  EXPECT_TRUE(has(last_sent(), "To run one, reply confirm to it")) << last_sent();
  user_says(ali_, "/prompt=what is the capital of France? Answer in one short sentence please");
  owner_says(owner_chat_, "/auth pending");
  EXPECT_TRUE(has(last_sent(), "2 requests wait for your confirmation")) << last_sent();
  // A long request is cut.
  EXPECT_TRUE(has(last_sent(),
                  "/prompt=what is the capital of France? Answer in one short s… — asked 0 "
                  "seconds ago, expires in 1 hour"))
      << last_sent();
  // Past the confirm timeout the first has gone, the second has 5 minutes left.
  clock_.advance(std::chrono::minutes(55));
  owner_says(owner_chat_, "/auth pending");
  EXPECT_TRUE(has(last_sent(), "1 request waits")) << last_sent();
  EXPECT_FALSE(has(last_sent(), "/ping")) << last_sent();
  EXPECT_TRUE(has(last_sent(), "expires in 5 minutes")) << last_sent();
}

TEST_F(AuthHelpTest, PendingInPersianAndArabicWithTheirDigitsAndPlurals) {
  grant(ali_, "*", GrantMode::kConfirm);
  user_says(ali_, "/ping");
  clock_.advance(std::chrono::minutes(5));
  owner_speaks("fa");
  owner_says(owner_chat_, "/auth pending");
  EXPECT_TRUE(has(last_sent(), "یک درخواست منتظر تأیید شماست\n")) << last_sent();
  EXPECT_TRUE(has(last_sent(), isolated("/ping") + " — ۵ دقیقه پیش، ۵۵ دقیقه تا انقضا"))
      << last_sent();
  EXPECT_TRUE(has(last_sent(), "(" + isolated(ali_.str()) + ")")) << last_sent();
  EXPECT_TRUE(has(last_sent(), "پاسخ دهید: تایید")) << last_sent();
  user_says(ali_, "/lang");
  user_says(ali_, "/help");
  owner_says(owner_chat_, "/auth pending");
  EXPECT_TRUE(has(last_sent(), "۳ درخواست منتظر تأیید شماست")) << last_sent();
  owner_speaks("ar");
  owner_says(owner_chat_, "/auth pending");
  EXPECT_TRUE(has(last_sent(), "٣ طلبات بانتظار تأكيدك")) << last_sent();
  EXPECT_TRUE(has(last_sent(), isolated("/ping") + " — قبل ٥ دقائق، ينتهي بعد ٥٥ دقيقة"))
      << last_sent();
  owner_says(ali_chat(), "confirm", MessageId(transport_->actions()[0].reply_to->value()));
  owner_says(owner_chat_, "/auth pending");
  EXPECT_TRUE(has(last_sent(), "طلبان بانتظار تأكيدك")) << last_sent();
}

// ---------------------------------------------------------------------------------------------
// The confirm flow

TEST_F(AuthHelpTest, ConfirmingTheWaitingNoticeRunsTheRequestOnceAndSaysSo) {
  grant(ali_, "*", GrantMode::kConfirm);
  const MessageId request = user_says(ali_, "/ping");
  ASSERT_EQ(last_sent(), "Your request waits for the owner's confirmation.");
  const MessageId notice = last_send_id();
  owner_says(ali_chat(), "confirm", notice);
  // The notice now says it was confirmed, and the command answered the friend's message.
  const auto edited = edits_of(notice);
  ASSERT_EQ(edited.size(), 1u);
  EXPECT_EQ(edited[0].text.text, "✅ Confirmed by the owner: /ping");
  EXPECT_EQ(sends_replying_to(request), 2u);
  EXPECT_TRUE(has(last_sent(), "Pong")) << last_sent();
  // A second confirm, to the notice or to the request, runs nothing.
  const std::size_t before = transport_->actions().size();
  owner_says(ali_chat(), "confirm", notice);
  owner_says(ali_chat(), "تایید", request);
  EXPECT_EQ(transport_->actions().size(), before);
  owner_says(owner_chat_, "/auth pending");
  EXPECT_EQ(last_sent(), "No friend's command waits for your confirmation.");
}

TEST_F(AuthHelpTest, TheNoticeIsEditedInTheFriendsLanguage) {
  grant(ali_, "*", GrantMode::kConfirm);
  friend_speaks("fa");
  user_says(ali_, "/ping");
  EXPECT_EQ(last_sent(), "درخواست شما منتظر تأیید صاحب حساب است.");
  const MessageId notice = last_send_id();
  owner_says(ali_chat(), "تأیید", notice);
  const auto edited = edits_of(notice);
  ASSERT_EQ(edited.size(), 1u);
  EXPECT_EQ(edited[0].text.text, "✅ صاحب حساب تأیید کرد: " + isolated("/ping"));
  friend_speaks("ar");
  user_says(ali_, "/ping");
  const MessageId second = last_send_id();
  owner_says(ali_chat(), "تأكيد", second);
  ASSERT_EQ(edits_of(second).size(), 1u);
  EXPECT_EQ(edits_of(second)[0].text.text, "✅ أكّد مالك الحساب: " + isolated("/ping"));
}

TEST_F(AuthHelpTest, ConfirmingTheNoticeWorksAfterARestart) {
  grant(ali_, "*", GrantMode::kConfirm);
  const MessageId request = user_says(ali_, "/ping");
  const MessageId notice = last_send_id();
  restart_engine();  // the waiting list is gone; the replies in the chat remain
  owner_says(ali_chat(), "confirm", notice);
  EXPECT_EQ(sends_replying_to(request), 2u);
  ASSERT_EQ(edits_of(notice).size(), 1u);
  EXPECT_EQ(edits_of(notice)[0].text.text, "✅ Confirmed by the owner: /ping");
  // Replying `confirm` to any other message of the bot runs nothing.
  const MessageId pong = last_send_id();
  const std::size_t before = sends();
  owner_says(ali_chat(), "confirm", pong);
  EXPECT_EQ(sends(), before);
}

TEST_F(AuthHelpTest, AnExpiredRequestIsRefusedAndItsNoticeSaysSo) {
  config_.set("bot.confirm_timeout", "10m", "test");
  build();
  grant(ali_, "*", GrantMode::kConfirm);
  user_says(ali_, "/ping");
  const MessageId notice = last_send_id();
  clock_.advance(std::chrono::minutes(11));
  owner_says(ali_chat(), "confirm", notice);
  EXPECT_EQ(last_sent(), "⚠️ That request is too old to confirm. Ask them to send it again.");
  ASSERT_EQ(edits_of(notice).size(), 1u);
  EXPECT_EQ(edits_of(notice)[0].text.text,
            "⌛ This request was not confirmed in time. Send it again if you still need it.");
  EXPECT_FALSE(has(last_sent(), "Pong"));
}

// ---------------------------------------------------------------------------------------------
// /help for friends

TEST_F(AuthHelpTest, AFriendsHelpListsOnlyWhatTheirGrantsAllow) {
  grant(ali_, "ping", GrantMode::kDirect);
  grant(ali_, "help", GrantMode::kDirect);
  user_says(ali_, "/help");
  const std::string help = last_sent();
  EXPECT_TRUE(has(help, "/help — list commands")) << help;
  EXPECT_TRUE(has(help, "/ping — check that SakaiBot is alive")) << help;
  for (const char* hidden : {"/lang", "/prompt", "/tts", "/status", "/auth", "/chats",
                             "Administration", "AI\n", "Voice"}) {
    EXPECT_FALSE(has(help, hidden)) << hidden << " in:\n" << help;
  }
  // Nor do they learn of the others by asking.
  user_says(ali_, "/help status");
  EXPECT_EQ(last_sent(), "⚠️ There is no help for “status”. Topics: general.");
  user_says(ali_, "/help admin");
  EXPECT_EQ(last_sent(), "⚠️ There is no help for “admin”. Topics: general.");
  user_says(ali_, "/help prompt");
  EXPECT_FALSE(has(last_sent(), "ask the AI")) << last_sent();
  user_says(ali_, "/help ping");
  EXPECT_TRUE(has(last_sent(), "/ping — check")) << last_sent();
  EXPECT_FALSE(has(last_sent(), "Only the account owner")) << last_sent();
}

TEST_F(AuthHelpTest, TheHelpExampleIsACommandTheFriendMayRun) {
  grant(ali_, "help", GrantMode::kDirect);
  grant(ali_, "lang", GrantMode::kDirect);
  user_says(ali_, "/help");
  EXPECT_TRUE(has(last_sent(), "Details of one command: /help lang")) << last_sent();
  EXPECT_FALSE(has(last_sent(), "/ping")) << last_sent();
}

TEST_F(AuthHelpTest, AFriendWithEveryFriendCommandSeesNoOwnerCommand) {
  grant(ali_, "*", GrantMode::kDirect);
  user_says(ali_, "/help");
  const std::string help = last_sent();
  for (const char* shown : {"/ping", "/lang", "/prompt", "/tts"})
    EXPECT_TRUE(has(help, shown)) << shown << " missing in:\n" << help;
  for (const char* hidden : {"/status", "/health", "/auth", "/chats", "/topics", "Administration"})
    EXPECT_FALSE(has(help, hidden)) << hidden << " in:\n" << help;
  // An expired grant shows nothing more than it allows: here, after it ends, nothing at all.
  ASSERT_TRUE(store_->grants().remove(ali_, "*").is_ok());
  grant(ali_, "help", GrantMode::kDirect);
  grant(ali_, "ping", GrantMode::kDirect, to_unix_ms(clock_.wall_now()) + 1000);
  clock_.advance(std::chrono::seconds(2));
  user_says(ali_, "/help");
  EXPECT_FALSE(has(last_sent(), "/ping")) << last_sent();
}

TEST_F(AuthHelpTest, OneCommandsHelpStartsRightToLeftInPersian) {
  owner_speaks("fa");
  owner_says(owner_chat_, "/help ping");
  // The command is isolated, so the line is laid out right to left.
  EXPECT_EQ(last_sent().rfind(isolated("/ping") + " — ", 0), 0u) << last_sent();
  const auto& a = transport_->actions().back();
  ASSERT_FALSE(a.text.entities.empty());
  EXPECT_EQ(a.text.entities[0].type, EntityType::kBold);
  EXPECT_EQ(entity_text(a.text.text, a.text.entities[0]), isolated("/ping"));
  // The usage keeps one pair of isolates.
  owner_says(owner_chat_, "/help auth");
  EXPECT_FALSE(has(last_sent(), std::string(kFsi) + std::string(kFsi))) << last_sent();
}

// ---------------------------------------------------------------------------------------------
// /status

TEST_F(AuthHelpTest, StatusUptimeInWordsAndDigitsOfTheReader) {
  clock_.advance(std::chrono::seconds(3 * 3600 + 5 * 60 + 7));
  owner_says(owner_chat_, "/status");
  EXPECT_TRUE(has(last_sent(), "Up for 3 hours, 5 minutes\n")) << last_sent();
  owner_speaks("fa");
  owner_says(owner_chat_, "/status");
  EXPECT_TRUE(has(last_sent(), "مدت کارکرد: ۳ ساعت و ۵ دقیقه\n")) << last_sent();
  owner_speaks("ar");
  owner_says(owner_chat_, "/status");
  EXPECT_TRUE(has(last_sent(), "٣ ساعات")) << last_sent();
}

}  // namespace
}  // namespace sakai::testing
