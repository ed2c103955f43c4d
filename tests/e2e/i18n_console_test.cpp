// Persian and Arabic as a user meets them in the chat: commands copied out of a Persian message
// still work, commands and usages inside Persian sentences display in order (laid out by ICU's
// bidi algorithm, support/bidi_check.h), and numbers, plurals and durations read naturally in
// every language.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "e2e/console_runner.h"
#include "support/bidi_check.h"

namespace sakai::e2e {
namespace {

constexpr std::int64_t kAli = 2001;

// Every problem of every line of `text` laid out right to left.
std::string rtl_problems(const std::string& text) {
  std::string out;
  for (const auto& p : sakai::testing::rtl_problems(text, {}))
    out += p + "\n";
  return out;
}

// The line of `text` that contains `needle` ("" when none does).
std::string line_with(const std::string& text, const std::string& needle) {
  for (const auto& l : split_lines(text)) {
    if (contains(l, needle)) return l;
  }
  return {};
}

TEST(ConsoleBidi, CommandsCopiedFromPersianHelpAreAnswered) {
  Sandbox box;
  // The Persian help shows each command as code wrapped in isolates; Telegram copies them along.
  const auto help = box.console(script({"/lang fa", "/help"}));
  expect_clean(help);
  std::string copied_ping;
  for (const auto& [type, slice] : entity_slices(help.replies_to(3).at(0))) {
    if (type == "code" && contains(slice, "/ping")) copied_ping = slice;
  }
  ASSERT_EQ(copied_ping, "\u2068/ping\u2069");

  const auto r = box.console(
      script({copied_ping, "\u2068/help ping\u2069", "\u200F/ping", "\u2068/lang en\u2069"}));
  expect_clean(r);
  // The second console numbers its messages on from the first's: b + 1 is its first.
  const std::int64_t b = r.with_action("receive").at(0)["message_id"].get<std::int64_t>() - 1;
  ASSERT_EQ(r.receive_text(b + 1), copied_ping);
  EXPECT_TRUE(contains(r.answer_to(b + 1), "پونگ")) << r.out;
  // "⁨/help ping⁩" gets the help of /ping, in Persian.
  const std::string help_ping = r.answer_to(b + 3);
  EXPECT_TRUE(contains(help_ping, "بررسی زنده بودن")) << help_ping;
  EXPECT_TRUE(contains(r.answer_to(b + 5), "پونگ")) << r.out;
  EXPECT_EQ(r.answer_to(b + 7), "Done: I will answer you in English.");
}

TEST(ConsoleBidi, PersianUsagesAndErrorsDisplayInOrder) {
  Sandbox box;
  const auto r = box.console(script(
      {"/lang fa", "/help prompt", "/help translate", "/help tts", "/stt", "/tts", "/voices"}));
  expect_clean(r);
  // The usage line of /help <command>: the template left to right, the Persian clause after it
  // (to its left), the line itself right to left.
  for (std::int64_t id : {3, 5, 7}) {
    const std::string usage = line_with(r.answer_to(id), "طرز استفاده:");
    ASSERT_FALSE(usage.empty()) << r.answer_to(id);
    EXPECT_EQ(rtl_problems(usage), "") << usage;
  }
  EXPECT_TRUE(contains(r.answer_to(3),
                       "\u2068/prompt=<\u2067سؤال\u2069>[=think][=web]\u2069 "
                       "(یا در پاسخ به یک پیام)"))
      << r.answer_to(3);
  // "/stt" alone: the error names /stt inside a Persian sentence, isolated, not after an RLM.
  const std::string stt = r.answer_to(9);
  EXPECT_TRUE(contains(stt, "\u2068/stt\u2069 را در پاسخ")) << stt;
  EXPECT_FALSE(contains(stt, "\u200F")) << stt;
  EXPECT_EQ(rtl_problems(stt), "") << stt;
  const std::string tts = r.answer_to(11);
  EXPECT_EQ(rtl_problems(tts), "") << tts;
  // The /voices footer: "/tts voice=<صدا> <متن>" reads as one left-to-right template.
  const std::string hint = line_with(r.answer_to(13), "انتخاب کنید");
  ASSERT_FALSE(hint.empty()) << r.answer_to(13);
  EXPECT_EQ(rtl_problems(hint), "") << hint;
  EXPECT_TRUE(contains(hint, "\u2068/tts voice=<\u2067صدا\u2069> <\u2067متن\u2069>\u2069")) << hint;
}

TEST(ConsoleNumbers, PluralsAndDigitsFollowTheLanguage) {
  Sandbox box;
  const std::string long_line = "/ping " + std::string(8200, 'x');
  const auto r = box.console(script(
      {":chat ali", ":chat me", "/auth add @ali direct", "/auth remove @ali", "/clearcontext",
       long_line, "/lang fa", "/clearcontext", long_line, "/lang ar", "/clearcontext", long_line}));
  expect_clean(r);
  // English: singular for one, grouping for thousands.
  EXPECT_EQ(r.answer_to(3), "✅ Removed 1 access grant from ali.");
  EXPECT_TRUE(contains(r.answer_to(5), "(0 messages)")) << r.answer_to(5);
  EXPECT_TRUE(contains(r.answer_to(7), "at most 8,192 characters are accepted")) << r.out;
  // Persian: Persian digits and separators.
  EXPECT_TRUE(contains(r.answer_to(11), "(۰ پیام)")) << r.answer_to(11);
  EXPECT_TRUE(contains(r.answer_to(13), "حداکثر ۸٬۱۹۲ نویسه")) << r.answer_to(13);
  // Arabic: ICU's digits for "ar" and the plural form for 8192 (many: "حرفًا").
  EXPECT_TRUE(contains(r.answer_to(17), "(٠ رسالة)")) << r.answer_to(17);
  EXPECT_TRUE(contains(r.answer_to(19), "الحد الأقصى ٨٬١٩٢ حرفًا")) << r.answer_to(19);
}

TEST(ConsoleNumbers, WaitsAreDurationsInWords) {
  Sandbox box;
  box.set_env("SAKAIBOT_RATELIMIT_MAX_COMMANDS", "1");
  const auto r = box.console(script({":chat ali", ":chat me", "/auth add @ali direct",
                                     "@ali: /lang fa", "@ali: /ping", "@ali: /ping"}));
  expect_clean(r);
  std::string notice;
  for (const auto& s : r.sends_in(kAli)) {
    if (contains(s["text"].get<std::string>(), "آهسته‌تر")) notice = s["text"];
  }
  ASSERT_FALSE(notice.empty()) << r.out;
  // "۵۹ ثانیه دیگر" or "۱ دقیقه دیگر", never "60 s".
  EXPECT_TRUE(contains(notice, "۵۹ ثانیه دیگر") || contains(notice, "۱ دقیقه دیگر")) << notice;
  EXPECT_EQ(rtl_problems(notice), "") << notice;
}

TEST(ConsoleMarkdown, DebugRenderKeepsArithmeticAndUnmirrorsPersianTables) {
  Sandbox box;
  const auto r = box.run({"debug", "render-markdown"},
                         {"2*3*4 = 24\n\n| ویژگی | مقدار |\n|---|---|\n| سرعت | ۲ برابر |\n"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(r.lines.size(), 1u) << r.out;
  const json& ft = r.lines[0];
  const std::string text = ft["text"];
  EXPECT_EQ(text,
            "2*3*4 = 24\n\n\u200F• \u2068سرعت\u2069 — \u2068مقدار\u2069: \u2068۲ برابر\u2069");
  for (const auto& e : ft["entities"])
    EXPECT_NE(e["type"]["@type"], "textEntityTypePre") << ft.dump();
}

}  // namespace
}  // namespace sakai::e2e
