// The router's policies with a clock the test drives: grants and their expiry, the confirm
// flow, rate limiting windows, input checks, and the promise that every command answers.
#include <stdexcept>

#include "engine_fixture.h"

namespace sakai::testing {
namespace {

using storage::GrantMode;

TEST_F(EngineTest, OwnerCommandIsAnsweredAsAReplyAndLogged) {
  const auto id = owner_says(owner_chat_, "/ping");
  ASSERT_EQ(sends(), 1u);
  const auto& a = transport_->actions().front();
  EXPECT_EQ(a.reply_to, id);
  EXPECT_NE(a.text.text.find("Pong"), std::string::npos);
  auto recent = store_->command_log().recent(10);
  ASSERT_TRUE(recent.is_ok());
  ASSERT_EQ(recent->size(), 1u);
  EXPECT_EQ(recent->front().command, "ping");
  EXPECT_EQ(recent->front().outcome, "ok");
}

TEST_F(EngineTest, StrangersAndGroupsAreIgnoredSilently) {
  const UserId bob = transport_->add_user("Bob", "bob");
  user_says(bob, "/ping");
  user_says(bob, "/help");
  // Even a granted friend is ignored outside private chats.
  grant(ali_, "*", GrantMode::kDirect);
  const ChatId group = transport_->add_group("Team");
  transport_->receive(group, ali_, "/ping");
  loop_.run_ready();
  EXPECT_EQ(sends(), 0u);
  EXPECT_EQ(router_->counters().ignored, 3u);
}

TEST_F(EngineTest, ExpiredGrantNoLongerWorks) {
  const auto in_one_hour = to_unix_ms(clock_.wall_now()) + 3600 * 1000;
  grant(ali_, "ping", GrantMode::kDirect, in_one_hour);
  user_says(ali_, "/ping");
  EXPECT_EQ(sends(), 1u);
  clock_.advance(std::chrono::hours(2));
  user_says(ali_, "/ping");
  EXPECT_EQ(sends(), 1u) << "an expired grant must be ignored like a stranger";
}

TEST_F(EngineTest, CommandSpecificGrantDoesNotOpenOtherCommands) {
  grant(ali_, "ping", GrantMode::kDirect);
  user_says(ali_, "/help");
  ASSERT_EQ(sends(), 1u);
  EXPECT_NE(last_sent().find("do not have access to /help"), std::string::npos) << last_sent();
}

TEST_F(EngineTest, OwnerOnlyCommandsNeverRunForFriends) {
  grant(ali_, "*", GrantMode::kDirect);
  user_says(ali_, "/auth list");
  ASSERT_EQ(sends(), 1u);
  EXPECT_NE(last_sent().find("/auth"), std::string::npos);
  EXPECT_EQ(last_sent().find("People who may"), std::string::npos);
}

TEST_F(EngineTest, ConfirmFlowRunsOnceOnTheFriendsBehalf) {
  grant(ali_, "*", GrantMode::kConfirm);
  const auto request = user_says(ali_, "/lang");
  ASSERT_EQ(sends(), 1u);
  EXPECT_NE(last_sent().find("waits for the owner"), std::string::npos);
  owner_says(ChatId(ali_.value()), "Confirm", request);
  ASSERT_EQ(sends(), 2u);
  EXPECT_NE(last_sent().find("Your language"), std::string::npos);
  EXPECT_EQ(transport_->actions().back().reply_to, request) << "the answer replies to the friend";
  owner_says(ChatId(ali_.value()), "confirm", request);
  EXPECT_EQ(sends(), 2u) << "a second confirm runs nothing";
}

TEST_F(EngineTest, PersianConfirmWordWorksAndPlainRepliesAreNotCommands) {
  grant(ali_, "*", GrantMode::kConfirm);
  const auto request = user_says(ali_, "/ping");
  const auto chat_msg = user_says(ali_, "just chatting");
  owner_says(ChatId(ali_.value()), "confirm", chat_msg);
  EXPECT_EQ(sends(), 1u) << "confirming a non-command does nothing";
  owner_says(ChatId(ali_.value()), "تایید", request);
  EXPECT_EQ(sends(), 2u);
}

TEST_F(EngineTest, ConfirmTooLateIsRefused) {
  config_.set("bot.confirm_timeout", "10m", "test");
  build();
  grant(ali_, "*", GrantMode::kConfirm);
  const auto request = user_says(ali_, "/ping");
  clock_.advance(std::chrono::minutes(11));
  owner_says(ChatId(ali_.value()), "confirm", request);
  EXPECT_NE(last_sent().find("too old"), std::string::npos) << last_sent();
}

TEST_F(EngineTest, RateLimitNotifiesOnceThenRecoversAfterTheWindow) {
  config_.set("ratelimit.max_commands", "2", "test");
  config_.set("ratelimit.window", "60s", "test");
  build();
  grant(ali_, "*", GrantMode::kDirect);
  for (int i = 0; i < 5; ++i)
    user_says(ali_, "/ping");
  auto texts = sent_texts();
  ASSERT_EQ(texts.size(), 3u);
  EXPECT_NE(texts[2].find("Slow down"), std::string::npos);
  clock_.advance(std::chrono::seconds(61));
  user_says(ali_, "/ping");
  EXPECT_EQ(sends(), 4u);
  EXPECT_NE(last_sent().find("Pong"), std::string::npos);
}

TEST_F(EngineTest, OwnerIsExemptFromTheRateLimitByDefault) {
  config_.set("ratelimit.max_commands", "1", "test");
  build();
  for (int i = 0; i < 4; ++i)
    owner_says(owner_chat_, "/ping");
  EXPECT_EQ(sends(), 4u);
}

TEST_F(EngineTest, BadInputGetsAClearErrorNotACrash) {
  config_.set("bot.max_input_chars", "20", "test");
  build();
  owner_says(owner_chat_, "/help " + std::string(40, 'x'));
  EXPECT_NE(last_sent().find("too long"), std::string::npos);
  owner_says(owner_chat_, "/help \xff\xfe");
  EXPECT_NE(last_sent().find("UTF-8"), std::string::npos);
  owner_says(owner_chat_, std::string("/help a\x01") + "b");
  EXPECT_NE(last_sent().find("control"), std::string::npos);
}

TEST_F(EngineTest, UnknownCommandsAndOrdinaryTextStaySilent) {
  owner_says(owner_chat_, "/start");
  owner_says(owner_chat_, "/path/to/file");
  owner_says(owner_chat_, "hello there");
  EXPECT_EQ(sends(), 0u);
}

TEST_F(EngineTest, AliasesAndCaseAreTheSameCommand) {
  owner_says(owner_chat_, "/H");
  owner_says(owner_chat_, "/COMMANDS");
  owner_says(owner_chat_, "/help");
  auto t = sent_texts();
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0], t[2]);
  EXPECT_EQ(t[1], t[2]);
  auto log = store_->command_log().recent(3);
  ASSERT_TRUE(log.is_ok());
  for (const auto& e : *log)
    EXPECT_EQ(e.command, "help");
}

TEST_F(EngineTest, LanguagePreferenceIsPerUser) {
  grant(ali_, "*", GrantMode::kDirect);
  user_says(ali_, "/lang fa");
  EXPECT_NE(last_sent().find("فارسی"), std::string::npos);
  user_says(ali_, "/ping");
  EXPECT_NE(last_sent().find("پونگ"), std::string::npos);
  owner_says(owner_chat_, "/ping");
  EXPECT_NE(last_sent().find("Pong"), std::string::npos) << "the owner keeps English";
}

TEST_F(EngineTest, AHandlerThatThrowsStillAnswersAndTheEngineLivesOn) {
  ASSERT_TRUE(registry_
                  .add(commands::CommandSpec{
                      "boom",
                      {},
                      "general",
                      commands::Access::kOwner,
                      {},
                      [](commands::CommandContext) { throw std::runtime_error("kaboom"); }})
                  .is_ok());
  owner_says(owner_chat_, "/boom");
  ASSERT_EQ(sends(), 1u);
  EXPECT_NE(last_sent().find("/boom stopped without an answer"), std::string::npos) << last_sent();
  owner_says(owner_chat_, "/ping");
  EXPECT_EQ(sends(), 2u);
}

// A programming error in a handler (Config reading a key with the wrong type throws
// std::logic_error, core/config.h) costs one answer, not the process.
TEST_F(EngineTest, AConfigLogicErrorInAHandlerIsCaughtAndTheEngineLivesOn) {
  ASSERT_TRUE(registry_
                  .add(commands::CommandSpec{"cfgbug",
                                             {},
                                             "general",
                                             commands::Access::kOwner,
                                             {},
                                             [](commands::CommandContext ctx) {
                                               (void)ctx.services.config.get_int("bot.language");
                                               ctx.reply.done_silently();
                                             }})
                  .is_ok());
  owner_says(owner_chat_, "/cfgbug");
  ASSERT_EQ(sends(), 1u);
  EXPECT_NE(last_sent().find("/cfgbug stopped without an answer"), std::string::npos)
      << last_sent();
  EXPECT_NE(log_sink_.str().find("bot.language"), std::string::npos) << "the log names the key";
  owner_says(owner_chat_, "/ping");
  EXPECT_EQ(sends(), 2u);
}

TEST_F(EngineTest, AHandlerThatForgetsToAnswerIsAnsweredForIt) {
  ASSERT_TRUE(registry_
                  .add(commands::CommandSpec{"forgetful",
                                             {},
                                             "general",
                                             commands::Access::kOwner,
                                             {},
                                             [](commands::CommandContext) {}})
                  .is_ok());
  owner_says(owner_chat_, "/forgetful");
  ASSERT_EQ(sends(), 1u);
  auto log = store_->command_log().recent(1);
  ASSERT_TRUE(log.is_ok());
  EXPECT_EQ(log->front().outcome, "cancelled");
}

TEST_F(EngineTest, AnsweringTwiceSendsOnce) {
  ASSERT_TRUE(registry_
                  .add(commands::CommandSpec{"twice",
                                             {},
                                             "general",
                                             commands::Access::kOwner,
                                             {},
                                             [](commands::CommandContext ctx) {
                                               ctx.reply.ok("one");
                                               ctx.reply.ok("two");
                                             }})
                  .is_ok());
  owner_says(owner_chat_, "/twice");
  EXPECT_EQ(sent_texts(), (std::vector<std::string>{"one"}));
}

TEST_F(EngineTest, RepliedToMessageReachesTheHandler) {
  std::string seen;
  ASSERT_TRUE(registry_
                  .add(commands::CommandSpec{"echo",
                                             {},
                                             "general",
                                             commands::Access::kOwner,
                                             {},
                                             [&seen](commands::CommandContext ctx) {
                                               seen = ctx.replied ? ctx.replied->text : "<none>";
                                               ctx.reply.ok("ok");
                                             }})
                  .is_ok());
  const auto target = user_says(ali_, "translate me");
  owner_says(ChatId(ali_.value()), "/echo", target);
  EXPECT_EQ(seen, "translate me");
}

TEST_F(EngineTest, AuthAddByReplyWithDurationThenRemove) {
  const auto hello = user_says(ali_, "hi!");
  owner_says(ChatId(ali_.value()), "/auth add direct ping for=2h", hello);
  EXPECT_NE(last_sent().find("Ali may now use /ping"), std::string::npos) << last_sent();
  user_says(ali_, "/ping");
  EXPECT_NE(last_sent().find("Pong"), std::string::npos);
  clock_.advance(std::chrono::hours(3));
  const auto before = sends();
  user_says(ali_, "/ping");
  EXPECT_EQ(sends(), before) << "the grant expired";
  owner_says(owner_chat_, "/auth remove @ali");
  EXPECT_NE(last_sent().find("Removed 1"), std::string::npos) << last_sent();
  owner_says(owner_chat_, "/auth remove @ali");
  EXPECT_NE(last_sent().find("had no such access"), std::string::npos);
}

TEST_F(EngineTest, AuthRefusesUnknownAndOwnerOnlyCommandsAndBadDurations) {
  owner_says(owner_chat_, "/auth add @ali nosuch");
  EXPECT_NE(last_sent().find("There is no command /nosuch"), std::string::npos) << last_sent();
  owner_says(owner_chat_, "/auth add @ali status");
  EXPECT_NE(last_sent().find("only for the account owner"), std::string::npos);
  owner_says(owner_chat_, "/auth add @ali for=soon");
  EXPECT_NE(last_sent().find("not a duration"), std::string::npos);
  owner_says(owner_chat_, "/auth add @nobody_here");
  EXPECT_NE(last_sent().find("Could not find"), std::string::npos);
  auto grants = store_->grants().list();
  ASSERT_TRUE(grants.is_ok());
  EXPECT_TRUE(grants->empty());
}

}  // namespace
}  // namespace sakai::testing
