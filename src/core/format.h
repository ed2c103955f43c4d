#pragma once
// Numbers, plural categories, durations, money and sizes written the way a language writes them:
// en "1,234", fa "۱٬۲۳۴", ar "١٬٢٣٤"; "10 minutes", "۱۰ دقیقه", "١٠ دقائق". The data and the rules
// are ICU's (CLDR, from Debian's libicu); ICU stays inside format.cpp, this header is plain C++.
//
// `lang` is a catalog language code ("en", "fa", "ar"); an unknown code gets ICU's root
// formatting (Latin digits, no grouping surprises). Nothing here throws or fails: when ICU cannot
// build a formatter the result is the plain ASCII number.
// Thread-safety: every function may be called from any thread. The ICU formatters of a language
// are built on first use, cached for the life of the process and only read afterwards.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sakai::l10n {

// A whole number with the language's digits, grouping and minus sign.
std::string integer(std::string_view lang, long long value);
// A number with exactly `fraction_digits` decimals (0..6), or as many as it needs (up to 6) when
// `fraction_digits` is negative: fa decimal(0.25) = "۰٫۲۵".
std::string decimal(std::string_view lang, double value, int fraction_digits = -1);

// True for a plain ASCII number as code writes it: an optional sign, digits (no leading zero
// unless the whole part is "0"), optionally grouped by commas in threes ("1,234"), optionally a
// decimal point and digits. "v2", "2.5.1", "0123", "1e5", "gemini-2.5" are not plain numbers.
bool is_plain_number(std::string_view s);

struct LocalNumber {
  std::string text;      // the number as `lang` writes it ("۱٬۲۳۴")
  std::string category;  // its plural category in `lang` ("one", "few", ...)
};
// A plain number (see is_plain_number) written per `lang`, keeping its decimals ("0.50" stays two
// decimals), with the plural category that number takes; nullopt for anything else.
std::optional<LocalNumber> plain_number(std::string_view lang, std::string_view ascii);

// The plural category of `value` in `lang`: "zero", "one", "two", "few", "many" or "other".
std::string plural_category(std::string_view lang, double value);
// The categories `lang` distinguishes (en: one, other; ar: zero, one, two, few, many, other),
// sorted.
std::vector<std::string> plural_categories(std::string_view lang);

enum class Width {
  kWide,    // "1 hour, 5 minutes"; fa "۱ ساعت و ۵ دقیقه"
  kShort,   // "1 hr, 5 min"
  kNarrow,  // "1h 5m"
};

// A span of time as a person says it: at most two units, the smaller dropped when it is zero;
// seconds only below an hour, minutes only below a day. 600 s: "10 minutes" / "۱۰ دقیقه";
// 3900 s: "1 hour, 5 minutes"; 0 s: "0 seconds" / "۰ ثانیه". Negative spans count as zero.
std::string human_duration(std::string_view lang, std::chrono::seconds span,
                           Width width = Width::kWide);

// US dollars from micro-dollars, in the language's currency pattern: "$0.0123", "$12.50",
// fa "‎$۰٫۰۱۲۳". Below one dollar up to four decimals are kept (AI calls cost fractions of
// a cent); an amount too small to show is written as "<" and the smallest amount ("<$0.0001").
std::string usd(std::string_view lang, std::int64_t micro_usd);

// A size in bytes with 1024-based units: "512 bytes", "12.3 kB", "3.5 MB", "1.2 GB" (one decimal
// from a kilobyte on), with the language's unit names.
std::string bytes(std::string_view lang, std::uint64_t n, Width width = Width::kShort);

// A moment as a date and time with its time zone, the way `lang` writes it: en "Jan 31, 2025,
// 12:00 UTC"; fa in the Solar Hijri calendar with Persian digits, "۱۲ بهمن ۱۴۰۳، ۱۲:۰۰ (UTC)";
// ar "٣١ يناير ٢٠٢٥، ١٢:٠٠ UTC". `zone` is an IANA time zone ("UTC", "Asia/Tehran"); empty means
// the process's (TZ, else the system's). Falls back to "2025-01-31 12:00 UTC" when ICU fails.
std::string date_time(std::string_view lang, std::int64_t unix_ms, std::string_view zone = {});

}  // namespace sakai::l10n
