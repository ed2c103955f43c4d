// End-to-end tests: the real `sakaibot` binary, driven through `console --jsonl`, checked for what
// a user sees. Message ids in the scripts are deterministic (every received and every sent
// message takes the next id); each test checks the id it relies on names the message it expects.
#include <gtest/gtest.h>

#include <ctime>
#include <regex>

#include "core/format.h"
#include "e2e/console_runner.h"

namespace sakai::e2e {
namespace {

constexpr std::int64_t kSaved = 1000;  // Saved Messages
constexpr std::int64_t kAli = 2001;    // the first person who appears in a script

// The moment `days` from now as /auth writes its "until" dates in English with TZ=UTC
// ("Jan 31, 2025, 12:00 UTC").
std::string utc_in_days(int days) {
  const std::int64_t t = static_cast<std::int64_t>(std::time(nullptr)) + days * 86400LL;
  return l10n::date_time("en", t * 1000, "UTC");
}

// The day of such a date ("Jan 31, 2025").
std::string day_of(const std::string& date) {
  return date.substr(0, date.rfind(", "));
}

int count_containing(const std::vector<json>& actions, const std::string& needle) {
  int n = 0;
  for (const auto& a : actions)
    n += contains(a["text"].get<std::string>(), needle) ? 1 : 0;
  return n;
}

// ---------------------------------------------------------------------------------------------
// Built-in commands, as the owner

TEST(ConsoleChat, HelpListsCommandsWithBoldHeadings) {
  Sandbox box;
  const auto r = box.console(script({"/help"}));
  expect_clean(r);
  ASSERT_EQ(r.receive_text(1), "/help");
  const auto help = r.replies_to(1);
  ASSERT_EQ(help.size(), 1u) << r.out;
  EXPECT_EQ(help[0]["chat"], kSaved);
  const std::string text = help[0]["text"];
  for (const char* cmd :
       {"/help", "/status", "/health", "/ping", "/lang", "/auth", "/chats", "/topics"}) {
    EXPECT_TRUE(contains(text, cmd)) << cmd << " missing from:\n" << text;
  }
  std::vector<std::string> bold, code;
  for (const auto& [type, slice] : entity_slices(help[0])) {
    (type == "bold" ? bold : code).push_back(slice);
  }
  ASSERT_FALSE(bold.empty());
  EXPECT_EQ(bold[0], split_lines(text)[0]);  // the title
  EXPECT_EQ(bold[0], "SakaiBot commands");
  EXPECT_NE(std::find(bold.begin(), bold.end(), "General"), bold.end());
  EXPECT_NE(std::find(code.begin(), code.end(), "/ping"), code.end());
  // One code span per command: the foundation's eight plus the AI commands.
  EXPECT_GE(code.size(), 8u);
  for (const char* cmd : {"/prompt", "/model", "/persona", "/clearcontext", "/summary"}) {
    EXPECT_NE(std::find(code.begin(), code.end(), cmd), code.end()) << cmd;
  }
  EXPECT_NE(std::find(bold.begin(), bold.end(), "AI"), bold.end());
}

TEST(ConsoleChat, PersianHelpEntitiesUseUtf16Offsets) {
  Sandbox box;
  const auto r = box.console(script({"/lang fa", "/help"}));
  expect_clean(r);
  ASSERT_EQ(r.receive_text(3), "/help");
  const auto help = r.replies_to(3);
  ASSERT_EQ(help.size(), 1u);
  const std::string text = help[0]["text"];
  ASSERT_TRUE(has_arabic_letter(text)) << text;
  const auto lines = split_lines(text);
  const auto slices = entity_slices(help[0]);
  ASSERT_GE(slices.size(), 8u);
  // The title and the topic headings are bold and each is a whole line.
  EXPECT_EQ(slices[0].first, "bold");
  EXPECT_EQ(slices[0].second, lines[0]);
  EXPECT_TRUE(contains(slices[0].second, "SakaiBot"));
  int commands = 0;
  for (const auto& [type, slice] : slices) {
    if (type == "bold") {
      EXPECT_NE(std::find(lines.begin(), lines.end(), slice), lines.end()) << slice;
      EXPECT_TRUE(has_arabic_letter(slice)) << slice;
    } else {
      // Command names are code, isolated from the Persian text around them.
      EXPECT_EQ(type, "code");
      EXPECT_EQ(slice.rfind("\u2068/", 0), 0u) << slice;
      EXPECT_EQ(slice.substr(slice.size() - 3), "\u2069");
      ++commands;
    }
  }
  EXPECT_GE(commands, 6);
}

TEST(ConsoleChat, AuthListEntitiesCountAstralCharactersAsTwoUnits) {
  Sandbox box;
  const auto r = box.console(script({"@😀ali: hi", "@bob: hi", ":chat me", "/auth add @😀ali direct",
                                     "/auth add @bob direct", "/auth list"}));
  expect_clean(r);
  ASSERT_EQ(r.receive_text(7), "/auth list");
  const auto list = r.replies_to(7);
  ASSERT_EQ(list.size(), 1u);
  std::vector<std::string> bold;
  for (const auto& [type, slice] : entity_slices(list[0])) {
    if (type == "bold") bold.push_back(slice);
  }
  // The second name comes after an emoji (two UTF-16 units): a code-point offset would be off.
  ASSERT_EQ(bold.size(), 3u) << list[0].dump();
  EXPECT_EQ(bold[1], "😀ali @😀ali");
  EXPECT_EQ(bold[2], "bob @bob");
}

TEST(ConsoleChat, PingSendsThenEditsTheSameMessage) {
  Sandbox box;
  const auto r = box.console(script({"/ping"}));
  expect_clean(r);
  ASSERT_EQ(r.lines.size(), 3u) << r.out;
  const auto sends = r.sends();
  const auto edits = r.with_action("edit");
  ASSERT_EQ(sends.size(), 1u);
  ASSERT_EQ(edits.size(), 1u);
  EXPECT_EQ(sends[0]["reply_to"], 1);
  EXPECT_EQ(sends[0]["text"], "🏓 Pong");
  EXPECT_EQ(edits[0]["message_id"], sends[0]["message_id"]);
  EXPECT_EQ(edits[0]["chat"], kSaved);
  EXPECT_TRUE(std::regex_match(edits[0]["text"].get<std::string>(),
                               std::regex("🏓 Pong — [0-9]+\\.[0-9] ms")))
      << edits[0]["text"];
}

TEST(ConsoleChat, StatusMentionsVersionAndSqlite) {
  Sandbox box;
  const auto v = box.run({"--version"});
  ASSERT_EQ(v.exit_code, 0);
  const std::string version = split_lines(v.out).at(0).substr(std::string("sakaibot ").size());
  const auto r = box.console(script({"/status"}));
  expect_clean(r);
  const std::string status = r.answer_to(1);
  EXPECT_TRUE(contains(status, "SakaiBot " + version)) << status;
  EXPECT_TRUE(contains(status, "sqlite at " + box.dir() + "/data/sakaibot.db")) << status;
  EXPECT_TRUE(contains(status, "no API key configured")) << status;
}

TEST(ConsoleChat, HealthReportsEachPart) {
  Sandbox box;
  const auto r = box.console(script({"/health"}));
  expect_clean(r);
  const std::string health = r.answer_to(1);
  EXPECT_EQ(split_lines(health)[0], "Working, with warnings");  // no AI key
  EXPECT_TRUE(contains(health, "✅ Storage accepts writes")) << health;
  EXPECT_TRUE(contains(health, "console")) << health;
  EXPECT_TRUE(contains(health, "No AI provider has a key yet")) << health;
  EXPECT_TRUE(contains(health, "✅ Disk: ") || contains(health, "⚠️ Disk almost full: "))
      << health;  // the data directory's disk
}

TEST(ConsoleChat, LanguageChoicePersistsAcrossProcesses) {
  Sandbox box;
  const auto first = box.console(script({"/lang fa"}));
  expect_clean(first);
  EXPECT_TRUE(has_arabic_letter(first.answer_to(1)));

  const auto second = box.console(script({"/ping", "/lang", "/lang xx", "/lang en", "/ping"}));
  expect_clean(second);
  // The second console numbers its messages on from the first's: b + 1 is its first.
  const std::int64_t b = second.with_action("receive").at(0)["message_id"].get<std::int64_t>() - 1;
  ASSERT_EQ(second.receive_text(b + 3), "/lang");
  EXPECT_TRUE(has_arabic_letter(second.answer_to(b + 1)));
  EXPECT_FALSE(contains(second.answer_to(b + 1), "Pong"));
  // LTR values inside the Persian sentences are isolated.
  EXPECT_TRUE(contains(second.answer_to(b + 3), "\u2068fa\u2069")) << second.answer_to(b + 3);
  EXPECT_TRUE(contains(second.answer_to(b + 5), "\u2068xx\u2069")) << second.answer_to(b + 5);
  EXPECT_EQ(second.answer_to(b + 7), "Done: I will answer you in English.");
  EXPECT_EQ(second.answer_to(b + 9), "🏓 Pong");
}

TEST(ConsoleChat, EnglishIsolatesOnlyRightToLeftValues) {
  Sandbox box;
  const auto r = box.console(script({"/help", "/lang xx", "/auth", "/status"}));
  expect_clean(r);
  EXPECT_FALSE(contains(r.answer_to(1), "\u2068")) << r.answer_to(1);
  EXPECT_FALSE(contains(r.answer_to(5), "\u2068")) << r.answer_to(5);
  EXPECT_FALSE(contains(r.answer_to(7), "\u2068")) << r.answer_to(7);
  // "xx" is left alone; the list of language names holds Arabic script, so it is isolated.
  const std::string unknown = r.answer_to(3);
  EXPECT_TRUE(contains(unknown, "“xx” is not a language")) << unknown;
  EXPECT_TRUE(contains(unknown, "\u2068ar (العربية), en (English), fa (فارسی)\u2069")) << unknown;
}

TEST(ConsoleChat, ArabicIsAvailable) {
  Sandbox box;
  const auto r = box.console(script({"/lang ar", "/ping"}));
  expect_clean(r);
  EXPECT_TRUE(has_arabic_letter(r.answer_to(1)));
  EXPECT_TRUE(has_arabic_letter(r.sends().at(1)["text"]));
}

TEST(ConsoleChat, CommandNamesIgnoreCaseAndAliasesWork) {
  Sandbox box;
  const auto r = box.console(
      script({"/PING", "/h", "/commands", "/Help", "/language", "/help=ping", "/help ping"}));
  expect_clean(r);
  ASSERT_EQ(r.receive_text(13), "/help ping");
  EXPECT_EQ(r.answer_to(1), "🏓 Pong");  // #2 is the pong; its edit keeps the id
  EXPECT_EQ(r.answer_to(3), r.answer_to(7));
  EXPECT_EQ(r.answer_to(5), r.answer_to(7));
  EXPECT_TRUE(contains(r.answer_to(7), "SakaiBot commands"));
  EXPECT_TRUE(contains(r.answer_to(9), "Your language: English (en)")) << r.answer_to(9);
  EXPECT_EQ(r.answer_to(11), r.answer_to(13));
  EXPECT_TRUE(contains(r.answer_to(11), "Usage: /ping")) << r.answer_to(11);
}

TEST(ConsoleChat, BadUsageGetsTheUsageLine) {
  Sandbox box;
  const auto r = box.console(script({"/auth", "/lang xx", "/auth frob", "/auth add"}));
  expect_clean(r);
  EXPECT_EQ(r.answer_to(1).rfind("Usage: /auth list", 0), 0u) << r.answer_to(1);
  EXPECT_TRUE(contains(r.answer_to(3), "“xx” is not a language")) << r.answer_to(3);
  EXPECT_TRUE(contains(r.answer_to(3), "Usage: /lang [en|fa|ar]")) << r.answer_to(3);
  EXPECT_TRUE(contains(r.answer_to(5), "“frob” is not an /auth action")) << r.answer_to(5);
  EXPECT_TRUE(contains(r.answer_to(7), "Say who")) << r.answer_to(7);
  EXPECT_TRUE(contains(r.answer_to(7), "Usage: /auth")) << r.answer_to(7);
}

TEST(ConsoleChat, UnknownCommandsAndPlainTextStaySilent) {
  Sandbox box;
  const auto r = box.console(
      script({"/start", "/foo", "/foo bar", "hello", "confirm", "/ping@otherbot", "/ping"}));
  expect_clean(r);
  ASSERT_EQ(r.receive_text(7), "/ping");
  ASSERT_EQ(r.sends().size(), 1u) << r.out;
  EXPECT_EQ(r.sends()[0]["reply_to"], 7);
}

TEST(ConsoleChat, QuitEndsTheSessionAndExitsZero) {
  Sandbox box;
  const auto r = box.console(script({"/ping", ":quit", "/help"}));
  expect_clean(r);
  EXPECT_EQ(r.with_action("receive").size(), 1u);
  EXPECT_EQ(r.sends().size(), 1u);
}

TEST(ConsoleChat, OutputStaysJsonForHostileInput) {
  Sandbox box;
  const std::string long_line = "/help " + std::string(10000, 'x');
  const auto r =
      box.console(script({"say \"quoted\" \\ back\\slash", "bad \xff\xfe bytes",
                          "ctl \x01\x02\x1b[31m", "\u202e/ping reversed", long_line, "/ping\r",
                          ":frobnicate", "@: nobody", ">99 no such message"}));
  expect_clean(r);
  EXPECT_FALSE(r.lines.empty());
  // "/ping\r" (a CRLF script) is still a command.
  EXPECT_EQ(count_containing(r.sends(), "Pong"), 1) << r.out;
  EXPECT_TRUE(contains(r.err, "unknown directive")) << r.err;
  EXPECT_TRUE(contains(r.err, "no message #99")) << r.err;
}

// ---------------------------------------------------------------------------------------------
// Who may use the bot

TEST(ConsoleAccess, StrangersAreIgnoredSilently) {
  Sandbox box;
  const auto r =
      box.console(script({"@bob: /ping", "@bob: /help", "@bob: /lang fa", "@bob: /status"}));
  expect_clean(r);
  EXPECT_EQ(r.with_action("receive").size(), 4u);
  EXPECT_EQ(r.lines.size(), 4u) << "a stranger got an answer:\n" << r.out;
}

TEST(ConsoleAccess, DirectGrantAnswersTheFriendInTheirChat) {
  Sandbox box;
  const auto r = box.console(
      script({":chat ali", ":chat me", "/auth add @ali direct", "@ali: /ping", "@ali: /help"}));
  expect_clean(r);
  EXPECT_TRUE(contains(r.answer_to(1), "ali may now use all friend commands (runs at once"))
      << r.answer_to(1);
  ASSERT_EQ(r.receive(3).value()["chat"], kAli);
  const auto pong = r.replies_to(3);
  ASSERT_EQ(pong.size(), 1u);
  EXPECT_EQ(pong[0]["chat"], kAli);
  EXPECT_EQ(pong[0]["text"], "🏓 Pong");
  ASSERT_EQ(r.with_action("edit").size(), 1u);
  EXPECT_EQ(r.with_action("edit")[0]["message_id"], pong[0]["message_id"]);
  // A friend's /help lists only what friends may run.
  const std::string help = r.answer_to(5);
  EXPECT_TRUE(contains(help, "/ping"));
  EXPECT_FALSE(contains(help, "/status")) << help;
  EXPECT_FALSE(contains(help, "/auth")) << help;
}

TEST(ConsoleAccess, GrantByReplyingToTheFriend) {
  Sandbox box;
  const auto r = box.console(script({"@ali: hello", ">1 /auth add direct", "@ali: /ping"}));
  expect_clean(r);
  ASSERT_EQ(r.receive(2).value()["reply_to"], 1);
  EXPECT_TRUE(contains(r.answer_to(2), "ali may now use")) << r.answer_to(2);
  EXPECT_EQ(r.answer_to(4), "🏓 Pong");
}

TEST(ConsoleAccess, ConfirmModeWaitsForTheOwner) {
  Sandbox box;
  const auto r = box.console(script(
      {":chat ali", ":chat me", "/auth add @ali", "@ali: /ping", ">3 confirm", ">3 confirm"}));
  expect_clean(r);
  EXPECT_TRUE(contains(r.answer_to(1), "needs your confirm")) << r.answer_to(1);
  ASSERT_EQ(r.receive_text(3), "/ping");
  ASSERT_EQ(r.receive_text(5), "confirm");
  ASSERT_EQ(r.receive_text(7), "confirm");
  const auto to_ali = r.replies_to(3);
  ASSERT_EQ(to_ali.size(), 2u) << r.out;
  EXPECT_EQ(to_ali[0]["chat"], kAli);
  EXPECT_EQ(to_ali[0]["text"], "Your request waits for the owner's confirmation.");
  // The owner's confirm runs the command for ali, in ali's chat, answering ali's message.
  EXPECT_EQ(to_ali[1]["chat"], kAli);
  EXPECT_EQ(to_ali[1]["text"], "🏓 Pong");
  // Two edits: the waiting notice (#4) says it was confirmed, and the pong gets its time.
  const auto edits = r.with_action("edit");
  ASSERT_EQ(edits.size(), 2u) << r.out;
  EXPECT_EQ(edits[0]["message_id"], 4);
  EXPECT_EQ(edits[0]["text"], "✅ Confirmed by the owner: /ping");
  // The second confirm does nothing.
  EXPECT_TRUE(r.replies_to(5).empty());
  EXPECT_TRUE(r.replies_to(7).empty());
  EXPECT_EQ(r.sends().size(), 3u) << r.out;
}

TEST(ConsoleAccess, PersianConfirmWordWorks) {
  Sandbox box;
  const auto r =
      box.console(script({":chat ali", ":chat me", "/auth add @ali", "@ali: /ping", ">3 تایید"}));
  expect_clean(r);
  ASSERT_EQ(r.replies_to(3).size(), 2u) << r.out;
  EXPECT_EQ(r.replies_to(3)[1]["text"], "🏓 Pong");
}

TEST(ConsoleAccess, ConfirmingAnOwnerOnlyCommandIsRefused) {
  Sandbox box;
  const auto r = box.console(
      script({":chat ali", ":chat me", "/auth add @ali", "@ali: /status", ">3 confirm"}));
  expect_clean(r);
  EXPECT_EQ(r.answer_to(3), "⚠️ You do not have access to /status.");
  EXPECT_EQ(r.answer_to(5), "⚠️ /status is only for the account owner.");
  EXPECT_FALSE(contains(r.out, "Up for")) << "the status was shown:\n" << r.out;
}

TEST(ConsoleAccess, ConfirmAfterTheTimeoutIsTooOld) {
  Sandbox box;
  box.set_env("SAKAIBOT_BOT_CONFIRM_TIMEOUT", "1m");
  // Two minutes pass between the request and the confirm (the console's developer clock).
  const auto r = box.run({"console", "--jsonl", "--dev-clock"},
                         {script({":chat ali", ":chat me", "/auth add @ali", "@ali: /ping",
                                  ":advance 2m", ">3 confirm"})});
  expect_clean(r);
  ASSERT_EQ(r.receive_text(5), "confirm");
  EXPECT_EQ(r.answer_to(5),
            "⚠️ That request is too old to confirm. Ask them to send it again.");
  EXPECT_EQ(count_containing(r.sends(), "Pong"), 0);
}

TEST(ConsoleClock, AdvanceNeedsTheDeveloperOptionWhichHelpDoesNotList) {
  Sandbox box;
  const auto r = box.console(script(
      {":chat ali", ":chat me", "/auth add @ali direct for=1h", ":advance 2h", "@ali: /ping"}));
  expect_clean(r);
  EXPECT_TRUE(contains(r.err, "unknown directive ':advance 2h'")) << r.err;
  EXPECT_EQ(r.answer_to(3), "🏓 Pong");  // the grant still holds: no time passed

  const auto bad = box.run({"console", "--jsonl", "--dev-clock"}, {script({":advance soon"})});
  expect_clean(bad);
  EXPECT_TRUE(contains(bad.err, "write ':advance DURATION'")) << bad.err;

  const auto help = box.run({"console", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_TRUE(contains(help.out, "--jsonl")) << help.out;
  EXPECT_FALSE(contains(help.out, "dev-clock")) << help.out;
}

TEST(ConsoleAccess, PerCommandGrant) {
  Sandbox box;
  const auto r = box.console(script(
      {":chat ali", ":chat me", "/auth add @ali direct ping", "@ali: /ping", "@ali: /help"}));
  expect_clean(r);
  EXPECT_TRUE(contains(r.answer_to(1), "ali may now use /ping (runs at once")) << r.answer_to(1);
  EXPECT_EQ(r.answer_to(3), "🏓 Pong");
  EXPECT_EQ(r.answer_to(5), "⚠️ You do not have access to /help.");
}

TEST(ConsoleAccess, GrantWithDurationShowsItsEndDate) {
  Sandbox box;
  box.set_env("TZ", "UTC");
  const std::string before = utc_in_days(7);
  const auto r =
      box.console(script({":chat ali", ":chat me", "/auth add @ali ping for=7d", "/auth list",
                          "/auth add @ali for=abc", "/auth add @ali for=0s", "/auth list"}));
  const std::string after = utc_in_days(7);
  expect_clean(r);
  const std::string list = r.answer_to(3);
  EXPECT_TRUE(contains(list, "/ping — needs your confirm, until " + before) ||
              contains(list, "/ping — needs your confirm, until " + after))
      << list << "\nexpected the date " << before;
  EXPECT_TRUE(contains(r.answer_to(5), "“abc” is not a duration")) << r.answer_to(5);
  EXPECT_TRUE(contains(r.answer_to(5), "Usage: /auth")) << r.answer_to(5);
  EXPECT_TRUE(contains(r.answer_to(7), "A grant for “0s” would end at once")) << r.answer_to(7);
  EXPECT_EQ(r.answer_to(9), list);  // the refused grants changed nothing
}

TEST(ConsoleAccess, ExpiredGrantStopsWorking) {
  Sandbox box;
  const auto r =
      box.run({"console", "--jsonl", "--dev-clock"},
              {script({":chat ali", ":chat me", "/auth add @ali direct for=1h", "@ali: /ping",
                       ":advance 61m", "@ali: /ping", ":chat me", "/auth list"})});
  expect_clean(r);
  EXPECT_EQ(r.answer_to(3), "🏓 Pong");
  ASSERT_EQ(r.receive_text(5), "/ping");
  EXPECT_TRUE(r.replies_to(5).empty()) << "an expired friend is a stranger again:\n" << r.out;
  EXPECT_TRUE(contains(r.answer_to(6), "Only you can use SakaiBot")) << r.answer_to(6);
}

TEST(ConsoleAccess, RemoveRevokesAccess) {
  Sandbox box;
  const auto r =
      box.console(script({":chat ali", ":chat me", "/auth add @ali direct", "/auth remove @ali",
                          "@ali: /ping", ":chat me", "/auth remove @ali", "/auth list"}));
  expect_clean(r);
  EXPECT_EQ(r.answer_to(3), "✅ Removed 1 access grant from ali.");
  EXPECT_TRUE(r.replies_to(5).empty()) << r.out;
  EXPECT_EQ(r.answer_to(6), "⚠️ ali had no such access.");
  EXPECT_TRUE(contains(r.answer_to(8), "Only you can use SakaiBot")) << r.answer_to(8);
}

TEST(ConsoleAccess, OwnerOnlyCommandsAreRefusedToFriends) {
  Sandbox box;
  const auto r = box.console(script({":chat ali", ":chat me", "/auth add @ali direct",
                                     "@ali: /status", "@ali: /health", "@ali: /auth list"}));
  expect_clean(r);
  EXPECT_EQ(r.answer_to(3), "⚠️ You do not have access to /status.");
  EXPECT_EQ(r.answer_to(5), "⚠️ You do not have access to /health.");
  EXPECT_EQ(r.answer_to(7), "⚠️ You do not have access to /auth.");
}

TEST(ConsoleAccess, FriendsAreIgnoredInGroups) {
  Sandbox box;
  const auto r = box.console(script(
      {":chat ali", ":chat me", "/auth add @ali direct", ":group devs", "@ali: /ping", "/ping"}));
  expect_clean(r);
  ASSERT_EQ(r.receive_text(3), "/ping");
  EXPECT_LT(r.receive(3).value()["chat"].get<std::int64_t>(), 0);
  EXPECT_TRUE(r.replies_to(3).empty()) << r.out;
  EXPECT_EQ(r.answer_to(4), "🏓 Pong");  // the owner is answered in the group
}

TEST(ConsoleAccess, RateLimitGivesOneNoticeThenSilence) {
  Sandbox box;
  box.set_env("SAKAIBOT_RATELIMIT_MAX_COMMANDS", "2");
  const auto r =
      box.console(script({":chat ali", ":chat me", "/auth add @ali direct", "@ali: /ping",
                          "@ali: /ping", "@ali: /ping", "@ali: /ping", "@ali: /ping", ":chat me",
                          "/ping", "/ping", "/ping", "/ping", "/ping"}));
  expect_clean(r);
  const auto to_ali = r.sends_in(kAli);
  EXPECT_EQ(count_containing(to_ali, "Pong"), 2) << r.out;
  EXPECT_EQ(count_containing(to_ali, "Slow down"), 1) << r.out;
  EXPECT_EQ(to_ali.size(), 3u) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("Slow down a little: you can send more commands "
                                                  "in (59 seconds|1 minute)\\.")))
      << r.out;
  // The owner is exempt.
  EXPECT_EQ(count_containing(r.sends_in(kSaved), "Pong"), 5) << r.out;
}

// ---------------------------------------------------------------------------------------------
// Input checks

TEST(ConsoleInput, InvalidUtf8IsRejectedPolitely) {
  Sandbox box;
  const auto r = box.console(script({"/ping \xff", "/help ping\xc3", "not a command \xff"}));
  expect_clean(r);
  const std::string expected =
      "⚠️ That message contains bytes that are not valid text (UTF-8). Please retype it.";
  EXPECT_EQ(r.answer_to(1), expected);
  EXPECT_EQ(r.answer_to(3), expected);
  EXPECT_TRUE(r.replies_to(5).empty());
  EXPECT_TRUE(contains(r.receive_text(1), "\uFFFD"));  // echoed with a replacement character
}

TEST(ConsoleInput, ControlCharactersAreRejected) {
  Sandbox box;
  const auto r =
      box.console(script({"/ping \x01"
                          "x",
                          "/help \x7f", "/ping\ttab"}));
  expect_clean(r);
  const std::string expected =
      "⚠️ That message contains invisible control characters. Please retype it without them.";
  EXPECT_EQ(r.answer_to(1), expected);
  EXPECT_EQ(r.answer_to(3), expected);
  EXPECT_EQ(r.answer_to(5), "🏓 Pong");  // a tab is whitespace, not a control character
}

TEST(ConsoleInput, OverlongCommandsAreRejected) {
  Sandbox box;
  box.set_env("SAKAIBOT_BOT_MAX_INPUT_CHARS", "20");
  // 20 characters of Persian are 34 bytes: the limit counts characters.
  const std::string persian_20 = "/help " + std::string("سلامسلامسلامسل");
  const auto r = box.console(script({"/help " + std::string(30, 'a'), "/help ping", persian_20}));
  expect_clean(r);
  EXPECT_EQ(r.answer_to(1), "⚠️ That command is too long: at most 20 characters are accepted.");
  EXPECT_TRUE(contains(r.answer_to(3), "Usage: /ping")) << r.answer_to(3);
  EXPECT_TRUE(contains(r.answer_to(5), "There is no help for")) << r.answer_to(5);
}

TEST(ConsoleInput, PersianDigitsWorkInIdsAndDurations) {
  Sandbox box;
  box.set_env("TZ", "UTC");
  const std::string in_2_days = utc_in_days(2);
  const auto r = box.console(script({":chat ali", ":chat me", "/auth add ۲۰۰۱ direct",
                                     "@ali: /ping", ":chat me", "/auth add @ali ping for=۲d"}));
  expect_clean(r);
  EXPECT_TRUE(contains(r.answer_to(1), "ali may now use all friend commands")) << r.answer_to(1);
  EXPECT_EQ(r.answer_to(3), "🏓 Pong");
  EXPECT_TRUE(contains(r.answer_to(5), "until " + day_of(in_2_days))) << r.answer_to(5);
}

// ---------------------------------------------------------------------------------------------
// Secrets

TEST(ConsoleSecrets, ApiKeyNeverAppearsInOutputOrLogs) {
  const std::string commands = script({"/status", "/health", "/ping", "/help", "/lang fa",
                                       "/status", "/auth list", "/auth add @nobody"});
  for (const auto& format : {"human", "json"}) {
    Sandbox box;
    box.set_env("GEMINI_API_KEY", kGeminiKey);
    const auto r = box.console(commands, {"--log-level", "debug", "--log-format", format});
    expect_clean(r);
    EXPECT_TRUE(contains(r.answer_to(1), "ready, 1 key")) << r.answer_to(1);
    EXPECT_FALSE(r.err.empty()) << "debug logging wrote nothing";
    EXPECT_FALSE(contains(r.out, kGeminiKey)) << r.out;
    EXPECT_FALSE(contains(r.err, kGeminiKey)) << r.err;
    EXPECT_FALSE(contains(r.err, "TESTKEY")) << r.err;
  }
}

// ---------------------------------------------------------------------------------------------
// Known problems (see the report that came with these tests). Enable once fixed.

// The console only knows people once they have written (or `:chat name` was used), so
// `/auth add @ali` before ali says anything answers "Could not find @ali on Telegram."
TEST(ConsoleAccess, AuthAddFindsSomeoneWhoHasNotWrittenYet) {
  Sandbox box;
  const auto r = box.console(script({"/auth add @ali direct", "@ali: /ping"}));
  expect_clean(r);
  EXPECT_TRUE(contains(r.answer_to(1), "ali may now use")) << r.answer_to(1);
  EXPECT_EQ(r.answer_to(3), "🏓 Pong");
}

}  // namespace
}  // namespace sakai::e2e
