// End-to-end, through the real binary: what a newcomer reads from /auth (a name without "@", the
// confirm flow and /auth pending), a friend's /help, /status and /auth list in English, Persian
// and Arabic (laid out with ICU's bidi algorithm, support/bidi_check.h); `config validate` and
// `config show`; `console --help`; and the real time of console messages in /analyze.
#include <gtest/gtest.h>

#include <ctime>
#include <string>
#include <vector>

#include "core/format.h"
#include "e2e/console_runner.h"
#include "support/bidi_check.h"
#include "support/loopback_server.h"

namespace sakai::e2e {
namespace {

constexpr std::int64_t kAli = 2001;  // the first person who appears in a script

std::string rtl_problems(const std::string& text) {
  std::string out;
  for (const auto& p : sakai::testing::rtl_problems(text, {}))
    out += p + "\n";
  return out;
}

int occurrences(const std::string& haystack, const std::string& needle) {
  int n = 0;
  for (auto at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + needle.size()))
    ++n;
  return n;
}

// ---------------------------------------------------------------------------------------------
// /auth

TEST(ConsoleAuth, ANameWithoutTheAtIsSuggestedWithItInEveryLanguage) {
  Sandbox box;
  const auto r = box.console(script({"/auth add mallory", "/auth remove mallory", "/lang fa",
                                     "/auth add mallory", "/lang ar", "/auth remove mallory"}));
  expect_clean(r);
  EXPECT_TRUE(contains(r.answer_to(1),
                       "“mallory” is not a command. To name a person, write "
                       "@mallory (with the @)"))
      << r.answer_to(1);
  EXPECT_FALSE(contains(r.answer_to(1), "There is no command /mallory")) << r.answer_to(1);
  EXPECT_TRUE(contains(r.answer_to(3), "write @mallory")) << r.answer_to(3);
  const std::string fa = r.answer_to(7);
  EXPECT_TRUE(contains(fa, "بنویسید \u2068@mallory\u2069 (با @)")) << fa;
  EXPECT_EQ(rtl_problems(fa), "") << fa;
  const std::string ar = r.answer_to(11);
  EXPECT_TRUE(contains(ar, "اكتب \u2068@mallory\u2069")) << ar;
  EXPECT_EQ(rtl_problems(ar), "") << ar;
}

TEST(ConsoleAuth, OwnerConfirmsByReplyingToTheWaitingNotice) {
  Sandbox box;
  // #1 grant, #2 its answer; #3 ali's /ping, #4 the notice; #5 the owner's confirm to #4;
  // #6 Pong; #7 a second confirm; #8 /auth pending and #9 its answer.
  const auto r = box.console(script({":chat ali", ":chat me", "/auth add @ali", "@ali: /ping",
                                     ">4 confirm", ">4 confirm", ":chat me", "/auth pending"}));
  expect_clean(r);
  ASSERT_EQ(r.receive_text(5), "confirm");
  ASSERT_EQ(r.receive(5).value()["reply_to"], 4);
  const auto to_ali = r.replies_to(3);
  ASSERT_EQ(to_ali.size(), 2u) << r.out;
  EXPECT_EQ(to_ali[0]["text"], "Your request waits for the owner's confirmation.");
  EXPECT_EQ(to_ali[1]["chat"], kAli);
  EXPECT_EQ(to_ali[1]["text"], "🏓 Pong");
  // The notice says it was confirmed; the second confirm runs nothing.
  int notice_edits = 0;
  for (const auto& e : r.with_action("edit")) {
    if (e["message_id"] == 4) {
      ++notice_edits;
      EXPECT_EQ(e["text"], "✅ Confirmed by the owner: /ping");
    }
  }
  EXPECT_EQ(notice_edits, 1) << r.out;
  EXPECT_TRUE(r.replies_to(7).empty()) << r.out;
  EXPECT_EQ(r.answer_to(8), "No friend's command waits for your confirmation.");
}

TEST(ConsoleAuth, PendingListsTheWaitingRequestsInEnglishPersianAndArabic) {
  Sandbox box;
  const auto r = box.console(
      script({":chat ali", ":chat me", "/auth add @ali", "@ali: /ping", "@ali: /lang", ":chat me",
              "/auth pending", "/lang fa", "/auth pending", "/lang ar", "/auth pending"}));
  expect_clean(r);
  const std::string en = r.answer_to(7);
  EXPECT_TRUE(contains(en,
                       "2 requests wait for your confirmation\n• ali @ali (2001)\n   /ping — "
                       "asked 0 seconds ago, expires in "))
      << en;
  EXPECT_TRUE(contains(en, "   /lang — asked")) << en;
  const std::string fa = r.answer_to(11);
  EXPECT_TRUE(contains(fa, "۲ درخواست منتظر تأیید شماست")) << fa;
  EXPECT_TRUE(contains(fa, "\u2068/ping\u2069 — ۰ ثانیه پیش، ")) << fa;
  EXPECT_EQ(rtl_problems(fa), "") << fa;
  const std::string ar = r.answer_to(15);
  EXPECT_TRUE(contains(ar, "طلبان بانتظار تأكيدك")) << ar;
  EXPECT_EQ(rtl_problems(ar), "") << ar;
}

TEST(ConsoleAuth, GrantEndDatesAreLocalisedWithThePersianCalendar) {
  Sandbox box;
  box.set_env("TZ", "UTC");
  const auto r = box.console(script({":chat ali", ":chat me", "/auth add @ali ping for=7d",
                                     "/lang fa", "/auth list", "/lang ar", "/auth list"}));
  expect_clean(r);
  const std::int64_t in_a_week = (static_cast<std::int64_t>(std::time(nullptr)) + 7 * 86400) * 1000;
  // The date (not the minute, which may have turned while the script ran).
  const std::string fa_day = l10n::date_time("fa", in_a_week, "UTC");
  const std::string fa = r.answer_to(5);
  EXPECT_TRUE(contains(fa, fa_day.substr(0, fa_day.find("، ")))) << fa << "\nwanted " << fa_day;
  EXPECT_TRUE(contains(fa, "(UTC)")) << fa;
  EXPECT_EQ(rtl_problems(fa), "") << fa;
  const std::string ar_day = l10n::date_time("ar", in_a_week, "UTC");
  const std::string ar = r.answer_to(9);
  EXPECT_TRUE(contains(ar, ar_day.substr(0, ar_day.find("، ")))) << ar << "\nwanted " << ar_day;
  EXPECT_EQ(rtl_problems(ar), "") << ar;
}

// ---------------------------------------------------------------------------------------------
// /help and /status

TEST(ConsoleHelp, AFriendSeesOnlyTheCommandsTheyMayRun) {
  Sandbox box;
  const auto r =
      box.console(script({":chat ali", ":chat me", "/auth add @ali direct ping,help", "@ali: /help",
                          "@ali: /help status", "@ali: /lang fa", ":chat me",
                          "/auth add @ali direct lang", "@ali: /lang fa", "@ali: /help"}));
  expect_clean(r);
  const std::string help = r.answer_to(3);
  EXPECT_TRUE(contains(help, "/help — ")) << help;
  EXPECT_TRUE(contains(help, "/ping — ")) << help;
  for (const char* hidden : {"/status", "/auth", "/prompt", "/tts", "/lang", "Administration"})
    EXPECT_FALSE(contains(help, hidden)) << hidden << " in\n" << help;
  EXPECT_EQ(r.answer_to(5), "⚠️ There is no help for “status”. Topics: general.");
  // In Persian, after a grant for /lang too.
  const std::string fa = r.answer_to(13);
  EXPECT_TRUE(contains(fa, "\u2068/lang\u2069")) << fa;
  EXPECT_FALSE(contains(fa, "/status")) << fa;
  EXPECT_FALSE(contains(fa, "مدیریت")) << fa;
  EXPECT_EQ(rtl_problems(fa), "") << fa;
}

TEST(ConsoleStatus, UptimeAndSizeReadNaturallyInEachLanguage) {
  Sandbox box;
  const auto r = box.console(script({"/status", "/lang fa", "/status", "/lang ar", "/status"}));
  expect_clean(r);
  EXPECT_TRUE(contains(r.answer_to(1), "Up for 0 seconds\n")) << r.answer_to(1);
  EXPECT_TRUE(contains(r.answer_to(1), " kB, schema v")) << r.answer_to(1);
  const std::string fa = r.answer_to(5);
  EXPECT_TRUE(contains(fa, "مدت کارکرد: ۰ ثانیه\n")) << fa;
  EXPECT_TRUE(contains(fa, " کیلوبایت")) << fa;
  EXPECT_EQ(rtl_problems(fa), "") << fa;
  const std::string ar = r.answer_to(9);
  EXPECT_TRUE(contains(ar, "٠ ثانية")) << ar;
  EXPECT_EQ(rtl_problems(ar), "") << ar;
}

// ---------------------------------------------------------------------------------------------
// The command line

TEST(ConsoleCliHelp, ConsoleHelpListsEveryKindOfInputLine) {
  Sandbox box;
  const auto r = box.run({"console", "--help"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  for (const char* line :
       {"@name: text", ">12 text", "!voice PATH", "!audio PATH", "!videonote PATH", ":chat me|name",
        ":group title", ":help", ":quit", "NO_COLOR"}) {
    EXPECT_TRUE(contains(r.out, line)) << line << " missing in\n" << r.out;
  }
}

TEST(ConsoleCliHelp, PipedConsoleOutputHasNoTerminalAttributes) {
  Sandbox box;
  const auto r = box.run({"console"}, {script({"/help"})});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "SakaiBot commands")) << r.out;
  EXPECT_FALSE(contains(r.out, "\x1b[")) << r.out;
}

TEST(ConsoleConfig, ValidateNamesTheMissingKeyOnce) {
  Sandbox box;
  const auto r = box.run({"config", "validate"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(occurrences(r.out + r.err, "has no API key"), 1) << r.out << r.err;
  EXPECT_TRUE(contains(r.out, "Configuration is valid, with warnings")) << r.out;
  const auto show = box.run({"config", "show"});
  EXPECT_EQ(occurrences(show.out + show.err, "has no API key"), 1) << show.err;
}

TEST(ConsoleConfig, ShowGivesTheDataDirectoryInUse) {
  Sandbox box;
  box.unset_env("SAKAIBOT_DATA_DIR");
  box.set_env("XDG_DATA_HOME", box.file("xdg"));
  const auto r = box.run({"config", "show"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "\n[data]\ndir = \"" + box.file("xdg") + "/sakaibot\"")) << r.out;
  EXPECT_TRUE(contains(r.out, "# default, in use")) << r.out;
  EXPECT_FALSE(contains(r.out, "(not set)   # default, in use")) << r.out;
  EXPECT_TRUE(contains(r.out, "path = \"" + box.file("xdg") + "/sakaibot/sakaibot.db\"")) << r.out;
  // Every line is TOML: a table header, `name = value   # comment`, a comment or blank.
  for (const auto& line : split_lines(r.out)) {
    const bool ok = line.empty() || line[0] == '#' || line[0] == '[' ||
                    (line.find(" = ") != std::string::npos && line.find(' ') > 0);
    EXPECT_TRUE(ok) << line;
    EXPECT_FALSE(contains(line, "(not set)") && line[0] != '#') << line;
  }
}

// ---------------------------------------------------------------------------------------------
// Console messages carry the time they were written

TEST(ConsoleTime, AnalyzeSeesWhenEachConsoleMessageWasWritten) {
  test::LoopbackServer srv;
  srv.on("POST", "/v1/chat/completions", [](const httplib::Request& req, httplib::Response& res) {
    const json usage = {{"prompt_tokens", 9}, {"completion_tokens", 2}, {"total_tokens", 11}};
    if (json::parse(req.body).value("stream", false)) {
      const json chunk = {{"id", "c"},
                          {"object", "chat.completion.chunk"},
                          {"created", 1},
                          {"model", "gpt-4o-mini"},
                          {"choices",
                           {{{"index", 0},
                             {"delta", {{"role", "assistant"}, {"content", "A trip."}}},
                             {"finish_reason", "stop"}}}},
                          {"usage", usage}};
      res.set_content("data: " + chunk.dump() + "\n\ndata: [DONE]\n\n", "text/event-stream");
      return;
    }
    const json out = {{"id", "chatcmpl-1"},
                      {"object", "chat.completion"},
                      {"created", 1},
                      {"model", "gpt-4o-mini"},
                      {"choices",
                       {{{"index", 0},
                         {"message", {{"role", "assistant"}, {"content", "A trip."}}},
                         {"finish_reason", "stop"}}}},
                      {"usage", usage}};
    res.set_content(out.dump(), "application/json");
  });
  Sandbox box;
  box.set_env("SAKAIBOT_LLM_PROVIDER", "openai");
  box.set_env("OPENAI_BASE_URL", srv.url("/v1"));
  box.set_env("OPENAI_API_KEY", "test");
  const std::time_t before = std::time(nullptr);
  // The bot's own messages (the pong) are stamped too.
  const auto r = box.console(script({"we go to Paris", "/ping", "/analyze=10"}));
  const std::time_t after = std::time(nullptr);
  expect_clean(r);
  ASSERT_FALSE(srv.requests().empty()) << r.out;
  const json body = json::parse(srv.requests().back().body);
  const std::string transcript = body["messages"].back()["content"];
  // "[HH:MM] You: we go to Paris", stamped with the time of the run (UTC), not 00:00.
  auto stamp = [](std::time_t t) {
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[16];
    std::strftime(buf, sizeof buf, "[%H:%M] ", &tm);
    return std::string(buf);
  };
  EXPECT_TRUE(contains(transcript, stamp(before) + "You: we go to Paris") ||
              contains(transcript, stamp(after) + "You: we go to Paris"))
      << transcript;
  if (stamp(before) != "[00:00] " && stamp(after) != "[00:00] ") {
    EXPECT_FALSE(contains(transcript, "[00:00]")) << transcript;
  }
}

}  // namespace
}  // namespace sakai::e2e
