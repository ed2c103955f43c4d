#include "core/i18n_message.h"

#include <gtest/gtest.h>

#include "core/i18n.h"

namespace sakai {
namespace {

// A catalog per language with the same messages, as a translator would write them.
I18n catalogs() {
  I18n i18n;
  EXPECT_TRUE(i18n.add_catalog("en", R"toml([t]
msgs = "{count, plural, one {# message} other {# messages}} from {user}"
exact = "{n, plural, =0 {no keys} one {one key} other {# keys}}"
offset = "{n, plural, offset:1 =1 {you} one {you and # other} other {you and # others}}"
wait = "Try again in {seconds, duration}."
id = "No chat {chat, text}."
reason = "(reason: {reason, select, content_filter {content filter} other {{reason}}})"
auto = "{a} and {b}"
)toml")
                  .is_ok());
  EXPECT_TRUE(i18n.add_catalog("fa", R"toml([meta]
direction = "rtl"
[t]
msgs = "{count, plural, one {# پیام} other {# پیام}} از {user}"
wait = "{seconds, duration} دیگر دوباره امتحان کنید."
id = "گفتگوی {chat, text} نیست."
reason = "(دلیل: {reason, select, content_filter {پالایش محتوا} other {{reason}}})"
auto = "{a} و {b}"
)toml")
                  .is_ok());
  EXPECT_TRUE(i18n.add_catalog("ar", R"toml([meta]
direction = "rtl"
[t]
msgs = "{count, plural, zero {لا رسائل} one {رسالة واحدة} two {رسالتان} few {# رسائل} many {# رسالة} other {# رسالة}}"
)toml")
                  .is_ok());
  return i18n;
}

TEST(I18nMessage, PluralBlocksPickTheFormByTheLanguagesRules) {
  const I18n i18n = catalogs();
  EXPECT_EQ(i18n.tr("en", "t.msgs", {{"count", "1"}, {"user", "Ali"}}), "1 message from Ali");
  EXPECT_EQ(i18n.tr("en", "t.msgs", {{"count", "2"}, {"user", "Ali"}}), "2 messages from Ali");
  EXPECT_EQ(i18n.tr("en", "t.msgs", {{"count", "1234"}, {"user", "Ali"}}),
            "1,234 messages from Ali");
  // Persian: Persian digits, and the Latin name isolated.
  EXPECT_EQ(i18n.tr("fa", "t.msgs", {{"count", "1234"}, {"user", "Ali"}}),
            "۱٬۲۳۴ پیام از \u2068Ali\u2069");
  // Arabic has six forms.
  const std::pair<const char*, const char*> ar[] = {{"0", "لا رسائل"},  {"1", "رسالة واحدة"},
                                                    {"2", "رسالتان"},   {"3", "٣ رسائل"},
                                                    {"11", "١١ رسالة"}, {"100", "١٠٠ رسالة"}};
  for (const auto& [n, want] : ar)
    EXPECT_EQ(i18n.tr("ar", "t.msgs", {{"count", n}}), want) << n;
}

TEST(I18nMessage, ExactBranchesAndOffset) {
  const I18n i18n = catalogs();
  EXPECT_EQ(i18n.tr("en", "t.exact", {{"n", "0"}}), "no keys");
  EXPECT_EQ(i18n.tr("en", "t.exact", {{"n", "1"}}), "one key");
  EXPECT_EQ(i18n.tr("en", "t.exact", {{"n", "5"}}), "5 keys");
  EXPECT_EQ(i18n.tr("en", "t.offset", {{"n", "1"}}), "you");
  EXPECT_EQ(i18n.tr("en", "t.offset", {{"n", "2"}}), "you and 1 other");
  EXPECT_EQ(i18n.tr("en", "t.offset", {{"n", "4"}}), "you and 3 others");
}

TEST(I18nMessage, ANonNumberInAPluralBlockTakesOtherAndStaysText) {
  const I18n i18n = catalogs();
  EXPECT_EQ(i18n.tr("en", "t.exact", {{"n", "many"}}), "many keys");
  EXPECT_EQ(i18n.tr("fa", "t.msgs", {{"count", "x1"}, {"user", "علی"}}),
            "\u2068x1\u2069 پیام از علی");
}

TEST(I18nMessage, DurationsAreWrittenInWords) {
  const I18n i18n = catalogs();
  EXPECT_EQ(i18n.tr("en", "t.wait", {{"seconds", "600"}}), "Try again in 10 minutes.");
  EXPECT_EQ(i18n.tr("en", "t.wait", {{"seconds", "30"}}), "Try again in 30 seconds.");
  EXPECT_EQ(i18n.tr("fa", "t.wait", {{"seconds", "600"}}), "۱۰ دقیقه دیگر دوباره امتحان کنید.");
  // A value that is already words (from older code) is shown as it is, isolated.
  EXPECT_EQ(i18n.tr("fa", "t.wait", {{"seconds", "10m 0s"}}),
            "\u206810m 0s\u2069 دیگر دوباره امتحان کنید.");
}

TEST(I18nMessage, TextPlaceholdersKeepIdsAsTheyAre) {
  const I18n i18n = catalogs();
  EXPECT_EQ(i18n.tr("en", "t.id", {{"chat", "-1001234567890"}}), "No chat -1001234567890.");
  EXPECT_EQ(i18n.tr("fa", "t.id", {{"chat", "-1001234567890"}}),
            "گفتگوی \u2068-1001234567890\u2069 نیست.");
}

TEST(I18nMessage, SelectLocalisesKnownCodes) {
  const I18n i18n = catalogs();
  EXPECT_EQ(i18n.tr("fa", "t.reason", {{"reason", "content filter"}}), "(دلیل: پالایش محتوا)");
  EXPECT_EQ(i18n.tr("en", "t.reason", {{"reason", "content filter"}}), "(reason: content filter)");
  // An unknown code falls back to the value itself, isolated in a Persian sentence.
  EXPECT_EQ(i18n.tr("fa", "t.reason", {{"reason", "moderation: hate"}}),
            "(دلیل: \u2068moderation: hate\u2069)");
}

TEST(I18nMessage, PlainNumbersAreLocalisedOtherDigitsAreNot) {
  const I18n i18n = catalogs();
  EXPECT_EQ(i18n.tr("en", "t.auto", {{"a", "1234"}, {"b", "0.25"}}), "1,234 and 0.25");
  EXPECT_EQ(i18n.tr("fa", "t.auto", {{"a", "1234"}, {"b", "0.25"}}), "۱٬۲۳۴ و ۰٫۲۵");
  // Values that merely contain digits keep Latin digits and are isolated.
  EXPECT_EQ(i18n.tr("fa", "t.auto", {{"a", "gemini-2.5-flash"}, {"b", "/ping 5"}}),
            "\u2068gemini-2.5-flash\u2069 و \u2068/ping 5\u2069");
  EXPECT_EQ(i18n.tr("fa", "t.auto", {{"a", "https://example.com/a1"}, {"b", "v2"}}),
            "\u2068https://example.com/a1\u2069 و \u2068v2\u2069");
  EXPECT_EQ(i18n.tr("fa", "t.auto", {{"a", "2.5.1"}, {"b", "007"}}),
            "\u20682.5.1\u2069 و \u2068007\u2069");
}

TEST(I18nMessage, PlaceholdersAreListedWithTypesAndBranches) {
  auto p = i18n_message::placeholders(
      "{count, plural, one {# from {user}} other {# from {user, text}}} in {wait, duration}");
  ASSERT_TRUE(p.is_ok()) << p.status().to_string();
  ASSERT_EQ(p->size(), 4u);
  EXPECT_EQ((*p)[0].name, "count");
  EXPECT_EQ((*p)[0].type, "plural");
  EXPECT_EQ((*p)[0].selectors, (std::vector<std::string>{"one", "other"}));
  EXPECT_EQ((*p)[1].name, "user");
  EXPECT_EQ((*p)[2].type, "text");
  EXPECT_EQ((*p)[3].type, "duration");
}

TEST(I18nMessage, MalformedBlocksAreRefusedWhenTheCatalogLoads) {
  for (const char* bad : {"{n, plural, one {# x}}", "{n, plural, one {# x} other {# y}",
                          "{n, plural, one # x other {y}}", "{n, fancy}", "{n, plural}", "a } b",
                          "{n, select, a {x} other {y}"}) {
    EXPECT_FALSE(i18n_message::placeholders(bad).is_ok()) << bad;
    I18n i18n;
    const Status st = i18n.add_catalog("zz", std::string("[t]\nx = \"") + bad + "\"\n");
    EXPECT_FALSE(st.is_ok()) << bad;
    EXPECT_NE(st.message().find("t.x"), std::string::npos) << st.message();
  }
  // Text that merely contains a brace or a hash is fine.
  for (const char* good : {"#{position} in queue", "{a}", "plain", "{n, plural, other {#}}"})
    EXPECT_TRUE(i18n_message::placeholders(good).is_ok()) << good;
}

}  // namespace
}  // namespace sakai
