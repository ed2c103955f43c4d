#include "core/format.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <vector>

namespace sakai::l10n {
namespace {

using std::chrono::seconds;

TEST(L10nNumbers, EachLanguageWritesItsOwnDigitsAndGrouping) {
  EXPECT_EQ(integer("en", 1234567), "1,234,567");
  EXPECT_EQ(integer("fa", 1234567), "۱٬۲۳۴٬۵۶۷");
  EXPECT_EQ(integer("ar", 1234567), "١٬٢٣٤٬٥٦٧");
  EXPECT_EQ(integer("en", 0), "0");
  EXPECT_EQ(integer("fa", 24), "۲۴");
  EXPECT_EQ(decimal("en", 0.25), "0.25");
  EXPECT_EQ(decimal("fa", 0.25), "۰٫۲۵");
  EXPECT_EQ(decimal("fa", 1.5, 2), "۱٫۵۰");
  // An unknown language code gets ICU's root formatting: ASCII digits, no surprises.
  EXPECT_EQ(integer("xx", 42), "42");
}

TEST(L10nNumbers, PlainNumbersAreRecognisedStrictly) {
  for (const char* yes : {"0", "7", "42", "-5", "+3", "0.25", "1,234", "12,345,678", "1,234.5"})
    EXPECT_TRUE(is_plain_number(yes)) << yes;
  for (const char* no : {"", "-", "v2", "2.5.1", "007", "1e5", "gemini-2.5", "1,23", "1234,567",
                         "12.", ".5", "1 000", "۱۲", "10m", "/ping", "3/10"})
    EXPECT_FALSE(is_plain_number(no)) << no;
}

TEST(L10nNumbers, PlainNumberKeepsItsDecimalsAndKnowsItsPluralCategory) {
  auto n = plain_number("fa", "0.50");
  ASSERT_TRUE(n);
  EXPECT_EQ(n->text, "۰٫۵۰");
  n = plain_number("en", "1,234");
  ASSERT_TRUE(n);
  EXPECT_EQ(n->text, "1,234");
  EXPECT_EQ(n->category, "other");
  EXPECT_EQ(plain_number("en", "1")->category, "one");
  // "1.0" is not "one" in English (CLDR: visible decimals make it plural).
  EXPECT_EQ(plain_number("en", "1.0")->category, "other");
  EXPECT_FALSE(plain_number("en", "gemini-2.5-flash"));
}

TEST(L10nPlurals, CategoriesFollowEachLanguagesRules) {
  EXPECT_EQ(plural_categories("en"), (std::vector<std::string>{"one", "other"}));
  EXPECT_EQ(plural_categories("fa"), (std::vector<std::string>{"one", "other"}));
  EXPECT_EQ(plural_categories("ar"),
            (std::vector<std::string>{"few", "many", "one", "other", "two", "zero"}));
  EXPECT_EQ(plural_category("en", 1), "one");
  EXPECT_EQ(plural_category("en", 2), "other");
  EXPECT_EQ(plural_category("ar", 0), "zero");
  EXPECT_EQ(plural_category("ar", 1), "one");
  EXPECT_EQ(plural_category("ar", 2), "two");
  EXPECT_EQ(plural_category("ar", 3), "few");
  EXPECT_EQ(plural_category("ar", 10), "few");
  EXPECT_EQ(plural_category("ar", 11), "many");
  EXPECT_EQ(plural_category("ar", 100), "other");
}

TEST(L10nDurations, ReadAsAPersonSaysThem) {
  EXPECT_EQ(human_duration("en", seconds(600)), "10 minutes");
  EXPECT_EQ(human_duration("fa", seconds(600)), "۱۰ دقیقه");
  EXPECT_EQ(human_duration("en", seconds(0)), "0 seconds");
  EXPECT_EQ(human_duration("fa", seconds(0)), "۰ ثانیه");
  EXPECT_EQ(human_duration("en", seconds(1)), "1 second");
  EXPECT_EQ(human_duration("en", seconds(65)), "1 minute, 5 seconds");
  EXPECT_EQ(human_duration("en", seconds(3900)), "1 hour, 5 minutes");
  EXPECT_EQ(human_duration("fa", seconds(3900)), "۱ ساعت و ۵ دقیقه");
  // Seconds are dropped from an hour on, minutes from a day on; a zero second unit is dropped.
  EXPECT_EQ(human_duration("en", seconds(3600 + 59)), "1 hour");
  EXPECT_EQ(human_duration("en", seconds(2 * 86400 + 3 * 3600 + 7)), "2 days, 3 hours");
  EXPECT_EQ(human_duration("en", seconds(-5)), "0 seconds");
  EXPECT_EQ(human_duration("en", seconds(3900), Width::kShort), "1 hr, 5 min");
  EXPECT_EQ(human_duration("en", seconds(3900), Width::kNarrow), "1h 5m");
  EXPECT_EQ(human_duration("ar", seconds(600)), "١٠ دقائق");
  // No Latin letters in a Persian or Arabic duration (the old "⁨0s⁩").
  for (const char* lang : {"fa", "ar"}) {
    for (long long s : {0LL, 5LL, 600LL, 3900LL, 90000LL}) {
      const std::string d = human_duration(lang, seconds(s));
      for (char c : d)
        EXPECT_FALSE((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) << lang << " " << d;
    }
  }
}

TEST(L10nMoney, DollarsWithCentsOrFractionsOfACent) {
  EXPECT_EQ(usd("en", 0), "$0.00");
  EXPECT_EQ(usd("en", 12'300), "$0.0123");
  EXPECT_EQ(usd("en", 500'000), "$0.50");
  EXPECT_EQ(usd("en", 12'500'000), "$12.50");
  EXPECT_EQ(usd("en", 1'234'560'000), "$1,234.56");
  EXPECT_EQ(usd("en", 40), "<$0.0001");
  EXPECT_EQ(usd("fa", 12'500'000), "\u200e$۱۲٫۵۰");
}

TEST(L10nBytes, SizesIn1024Steps) {
  EXPECT_EQ(bytes("en", 512), "512 bytes");
  EXPECT_EQ(bytes("en", 12 * 1024 + 300), "12.3 kB");
  EXPECT_EQ(bytes("en", 3 * 1024 * 1024 + 512 * 1024), "3.5 MB");
  EXPECT_EQ(bytes("fa", 3 * 1024 * 1024 + 512 * 1024, Width::kWide), "۳٫۵ مگابایت");
}

TEST(L10nDates, EachLanguageDatesInItsCalendarAndDigits) {
  constexpr std::int64_t kJan31_2025_Noon = 1738324800000;  // 2025-01-31 12:00 UTC
  EXPECT_EQ(date_time("en", kJan31_2025_Noon, "UTC"), "Jan 31, 2025, 12:00 UTC");
  // Persian readers: the Solar Hijri calendar (12 Bahman 1403) in Persian digits.
  EXPECT_EQ(date_time("fa", kJan31_2025_Noon, "UTC"), "۱۲ بهمن ۱۴۰۳، ۱۲:۰۰ (UTC)");
  EXPECT_EQ(date_time("ar", kJan31_2025_Noon, "UTC"), "٣١ يناير ٢٠٢٥، ١٢:٠٠ UTC");
  // The time zone moves the clock and is named.
  EXPECT_EQ(date_time("en", kJan31_2025_Noon, "Asia/Tehran"), "Jan 31, 2025, 15:30 GMT+3:30");
}

TEST(L10nThreads, FormattersAreSharedSafely) {
  // Many threads asking for a language at once build it once and read it concurrently.
  std::vector<std::thread> threads;
  std::vector<std::string> got(8);
  for (std::size_t i = 0; i < got.size(); ++i) {
    threads.emplace_back([&got, i] {
      std::string s;
      for (int k = 0; k < 200; ++k)
        s = integer(i % 2 ? "fa" : "ar", 1000 + k) + human_duration("fa", seconds(k));
      got[i] = s;
    });
  }
  for (auto& t : threads)
    t.join();
  for (std::size_t i = 0; i < got.size(); ++i)
    EXPECT_EQ(got[i], (i % 2 ? std::string("۱٬۱۹۹") : std::string("١٬١٩٩")) + "۳ دقیقه و ۱۹ ثانیه");
}

}  // namespace
}  // namespace sakai::l10n
