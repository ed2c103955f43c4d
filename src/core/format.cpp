#include "core/format.h"

#include <unicode/dtptngen.h>
#include <unicode/listformatter.h>
#include <unicode/locid.h>
#include <unicode/measunit.h>
#include <unicode/numberformatter.h>
#include <unicode/plurrule.h>
#include <unicode/smpdtfmt.h>
#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <map>
#include <memory>
#include <mutex>

namespace sakai::l10n {
namespace {

namespace number = icu::number;

constexpr std::size_t kWidths = 3;

std::size_t width_index(Width w) {
  return static_cast<std::size_t>(w);
}

UNumberUnitWidth unit_width(Width w) {
  switch (w) {
    case Width::kShort:
      return UNUM_UNIT_WIDTH_SHORT;
    case Width::kNarrow:
      return UNUM_UNIT_WIDTH_NARROW;
    case Width::kWide:
      break;
  }
  return UNUM_UNIT_WIDTH_FULL_NAME;
}

UListFormatterWidth list_width(Width w) {
  switch (w) {
    case Width::kShort:
      return ULISTFMT_WIDTH_SHORT;
    case Width::kNarrow:
      return ULISTFMT_WIDTH_NARROW;
    case Width::kWide:
      break;
  }
  return ULISTFMT_WIDTH_WIDE;
}

std::string utf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

enum Unit : std::size_t { kSecond, kMinute, kHour, kDay, kUnitCount };

// Everything ICU needs for one language, built once. LocalizedNumberFormatter is immutable and
// thread-safe; PluralRules::select is const. ListFormatter is made per call (ICU caches its data).
struct Formatters {
  icu::Locale locale;
  bool ok = false;
  number::LocalizedNumberFormatter plain;
  std::unique_ptr<icu::PluralRules> plural;
  std::array<std::array<number::LocalizedNumberFormatter, kWidths>, kUnitCount> time_units;
};

std::unique_ptr<Formatters> build(const std::string& lang) {
  auto f = std::make_unique<Formatters>();
  f->locale = icu::Locale(lang.c_str());
  UErrorCode status = U_ZERO_ERROR;
  f->plain = number::NumberFormatter::withLocale(f->locale);
  f->plural.reset(icu::PluralRules::forLocale(f->locale, status));
  if (U_FAILURE(status)) f->plural.reset();
  const icu::MeasureUnit units[kUnitCount] = {
      icu::MeasureUnit::getSecond(), icu::MeasureUnit::getMinute(), icu::MeasureUnit::getHour(),
      icu::MeasureUnit::getDay()};
  for (std::size_t u = 0; u < kUnitCount; ++u) {
    for (std::size_t w = 0; w < kWidths; ++w) {
      f->time_units[u][w] = f->plain.unit(units[u]).unitWidth(unit_width(static_cast<Width>(w)));
    }
  }
  f->ok = true;
  return f;
}

const Formatters& formatters(std::string_view lang) {
  static std::mutex mu;
  static std::map<std::string, std::unique_ptr<Formatters>, std::less<>> cache;
  const std::lock_guard<std::mutex> lock(mu);
  auto it = cache.find(lang);
  if (it == cache.end()) it = cache.emplace(std::string(lang), build(std::string(lang))).first;
  return *it->second;
}

// `formatted` as UTF-8, or `fallback` when ICU reported an error.
std::string result_or(const number::FormattedNumber& formatted, UErrorCode& status,
                      const std::string& fallback) {
  if (U_FAILURE(status)) return fallback;
  icu::UnicodeString s = formatted.toString(status);
  return U_FAILURE(status) ? fallback : utf8(s);
}

std::string category_of(const Formatters& f, const number::FormattedNumber& n) {
  if (!f.plural) return "other";
  UErrorCode status = U_ZERO_ERROR;
  const icu::UnicodeString c = f.plural->select(n, status);
  return U_FAILURE(status) ? std::string("other") : utf8(c);
}

std::string ascii_decimal(double value, int fraction_digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", fraction_digits < 0 ? 6 : fraction_digits, value);
  std::string s(buf);
  if (fraction_digits < 0 && s.find('.') != std::string::npos) {
    while (s.back() == '0')
      s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s;
}

}  // namespace

std::string integer(std::string_view lang, long long value) {
  const Formatters& f = formatters(lang);
  UErrorCode status = U_ZERO_ERROR;
  const auto n = f.plain.formatInt(value, status);
  return result_or(n, status, std::to_string(value));
}

std::string decimal(std::string_view lang, double value, int fraction_digits) {
  const Formatters& f = formatters(lang);
  UErrorCode status = U_ZERO_ERROR;
  const int digits = std::min(fraction_digits, 6);
  const auto n =
      digits < 0
          ? f.plain.precision(number::Precision::maxFraction(6)).formatDouble(value, status)
          : f.plain.precision(number::Precision::fixedFraction(digits)).formatDouble(value, status);
  return result_or(n, status, ascii_decimal(value, digits));
}

bool is_plain_number(std::string_view s) {
  if (s.empty() || s.size() > 40) return false;
  std::size_t i = 0;
  if (s[0] == '-' || s[0] == '+') ++i;
  const std::size_t whole_start = i;
  std::size_t group = 0;  // digits since the last comma
  bool grouped = false;   // a comma was seen
  while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == ',')) {
    if (s[i] == ',') {
      if (group == 0 || (grouped && group != 3) || (!grouped && group > 3)) return false;
      grouped = true;
      group = 0;
    } else {
      ++group;
    }
    ++i;
  }
  if (i == whole_start || group == 0) return false;
  if (grouped && group != 3) return false;
  // No leading zero on a whole part longer than one digit: "007" is a code, not a quantity.
  if (s[whole_start] == '0' && i - whole_start > 1) return false;
  if (i == s.size()) return true;
  if (s[i] != '.') return false;
  ++i;
  if (i == s.size()) return false;
  for (; i < s.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

std::optional<LocalNumber> plain_number(std::string_view lang, std::string_view ascii) {
  if (!is_plain_number(ascii)) return std::nullopt;
  std::string digits;
  digits.reserve(ascii.size());
  for (char c : ascii) {
    if (c != ',' && c != '+') digits += c;
  }
  const auto point = digits.find('.');
  const int fraction = point == std::string::npos ? 0 : static_cast<int>(digits.size() - point - 1);
  const Formatters& f = formatters(lang);
  UErrorCode status = U_ZERO_ERROR;
  const auto n =
      f.plain.precision(number::Precision::fixedFraction(std::min(fraction, 15)))
          .formatDecimal(icu::StringPiece(digits.data(), static_cast<int32_t>(digits.size())),
                         status);
  LocalNumber out;
  out.text = result_or(n, status, digits);
  out.category = U_FAILURE(status) ? std::string("other") : category_of(f, n);
  return out;
}

std::string plural_category(std::string_view lang, double value) {
  const Formatters& f = formatters(lang);
  UErrorCode status = U_ZERO_ERROR;
  const auto n = f.plain.formatDouble(value, status);
  return U_FAILURE(status) ? std::string("other") : category_of(f, n);
}

std::vector<std::string> plural_categories(std::string_view lang) {
  std::vector<std::string> out;
  const Formatters& f = formatters(lang);
  if (f.plural) {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::StringEnumeration> words(f.plural->getKeywords(status));
    while (U_SUCCESS(status) && words) {
      int32_t len = 0;
      const char* w = words->next(&len, status);
      if (w == nullptr || U_FAILURE(status)) break;
      out.emplace_back(w, static_cast<std::size_t>(len));
    }
  }
  if (out.empty()) out.emplace_back("other");
  std::sort(out.begin(), out.end());
  return out;
}

std::string human_duration(std::string_view lang, std::chrono::seconds span, Width width) {
  const long long t = std::max<long long>(span.count(), 0);
  const long long days = t / 86400;
  const long long hours = (t % 86400) / 3600;
  const long long minutes = (t % 3600) / 60;
  const long long seconds = t % 60;
  struct Part {
    Unit unit;
    long long value;
  };
  std::vector<Part> parts;
  if (days > 0) {
    parts = {{kDay, days}, {kHour, hours}};
  } else if (hours > 0) {
    parts = {{kHour, hours}, {kMinute, minutes}};
  } else if (minutes > 0) {
    parts = {{kMinute, minutes}, {kSecond, seconds}};
  } else {
    parts = {{kSecond, seconds}};
  }
  if (parts.size() == 2 && parts[1].value == 0) parts.pop_back();

  const Formatters& f = formatters(lang);
  UErrorCode status = U_ZERO_ERROR;
  std::vector<icu::UnicodeString> items;
  std::string fallback;
  static constexpr const char* kAscii[kUnitCount] = {"s", "m", "h", "d"};
  for (const Part& p : parts) {
    const auto n = f.time_units[p.unit][width_index(width)].formatInt(p.value, status);
    if (U_SUCCESS(status)) items.push_back(n.toString(status));
    fallback += (fallback.empty() ? "" : " ") + std::to_string(p.value) + kAscii[p.unit];
  }
  if (U_FAILURE(status)) return fallback;
  if (items.size() == 1) return utf8(items[0]);
  std::unique_ptr<icu::ListFormatter> list(
      icu::ListFormatter::createInstance(f.locale, ULISTFMT_TYPE_UNITS, list_width(width), status));
  if (U_FAILURE(status) || !list) return fallback;
  icu::UnicodeString joined;
  list->format(items.data(), static_cast<int32_t>(items.size()), joined, status);
  return U_FAILURE(status) ? fallback : utf8(joined);
}

std::string usd(std::string_view lang, std::int64_t micro_usd) {
  const Formatters& f = formatters(lang);
  UErrorCode status = U_ZERO_ERROR;
  const icu::CurrencyUnit dollar(u"USD", status);
  if (U_FAILURE(status)) return "$" + ascii_decimal(static_cast<double>(micro_usd) / 1e6, 4);
  const auto money = f.plain.unit(dollar);
  if (micro_usd <= 0) {
    const auto n = money.formatInt(0, status);
    return result_or(n, status, "$0");
  }
  if (micro_usd < 100) {
    const auto n =
        money.precision(number::Precision::fixedFraction(4)).formatDouble(0.0001, status);
    return "<" + result_or(n, status, "$0.0001");
  }
  const double amount = static_cast<double>(micro_usd) / 1e6;
  const auto precision =
      amount < 1 ? number::Precision::minMaxFraction(2, 4) : number::Precision::fixedFraction(2);
  const auto n = money.precision(precision).formatDouble(amount, status);
  return result_or(n, status, "$" + ascii_decimal(amount, amount < 1 ? 4 : 2));
}

std::string bytes(std::string_view lang, std::uint64_t n, Width width) {
  const Formatters& f = formatters(lang);
  UErrorCode status = U_ZERO_ERROR;
  constexpr double kKiB = 1024.0;
  const double v = static_cast<double>(n);
  if (n < 1024) {
    // The short English form of a byte is "byte" whatever the number: the full name reads better.
    const auto out = f.plain.unit(icu::MeasureUnit::getByte())
                         .unitWidth(UNUM_UNIT_WIDTH_FULL_NAME)
                         .formatInt(static_cast<int64_t>(n), status);
    return result_or(out, status, std::to_string(n) + " B");
  }
  icu::MeasureUnit unit = icu::MeasureUnit::getKilobyte();
  double scaled = v / kKiB;
  const char* ascii = " KB";
  if (v >= kKiB * kKiB * kKiB) {
    unit = icu::MeasureUnit::getGigabyte();
    scaled = v / (kKiB * kKiB * kKiB);
    ascii = " GB";
  } else if (v >= kKiB * kKiB) {
    unit = icu::MeasureUnit::getMegabyte();
    scaled = v / (kKiB * kKiB);
    ascii = " MB";
  }
  const auto out = f.plain.unit(unit)
                       .unitWidth(unit_width(width))
                       .precision(number::Precision::fixedFraction(1))
                       .formatDouble(scaled, status);
  return result_or(out, status, ascii_decimal(std::round(scaled * 10) / 10, 1) + ascii);
}

namespace {

// The calendar a language's readers date things by: Persian readers the Solar Hijri one.
icu::Locale date_locale(std::string_view lang) {
  if (lang == "fa") return icu::Locale("fa@calendar=persian");
  return icu::Locale(std::string(lang).c_str());
}

std::string ascii_date_time(std::int64_t unix_ms) {
  const std::time_t t = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d UTC", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min);
  return buf;
}

}  // namespace

std::string date_time(std::string_view lang, std::int64_t unix_ms, std::string_view zone) {
  // A pattern generator and a formatter per call: dates are shown rarely (grant lists), and
  // SimpleDateFormat is not safe to share between threads.
  const icu::Locale locale = date_locale(lang);
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::DateTimePatternGenerator> generator(
      icu::DateTimePatternGenerator::createInstance(locale, status));
  if (U_FAILURE(status) || !generator) return ascii_date_time(unix_ms);
  const icu::UnicodeString pattern = generator->getBestPattern(u"yMMMdHHmmz", status);
  icu::SimpleDateFormat format(pattern, locale, status);
  if (U_FAILURE(status)) return ascii_date_time(unix_ms);
  if (!zone.empty()) {
    format.adoptTimeZone(icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(
        icu::StringPiece(zone.data(), static_cast<int32_t>(zone.size())))));
  }
  icu::UnicodeString out;
  format.format(static_cast<UDate>(unix_ms), out);
  return out.isEmpty() ? ascii_date_time(unix_ms) : utf8(out);
}

}  // namespace sakai::l10n
