#pragma once
// UTF-8 helpers shared by every layer. Pure functions, thread-safe.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sakai::text {

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool is_valid_utf8(std::string_view s);

// First disallowed control character (C0 other than \t \n \r, DEL, C1), if any.
std::optional<char32_t> find_control_char(std::string_view s);

// Decodes valid UTF-8 into code points (call is_valid_utf8 first; invalid bytes become U+FFFD).
std::u32string decode(std::string_view s);
std::string encode(char32_t cp);
std::string encode(std::u32string_view s);

// Number of code points / of UTF-16 code units (Telegram's unit for lengths and offsets).
std::size_t codepoint_count(std::string_view s);
std::size_t utf16_length(std::string_view s);

// Persian (U+06F0..) and Arabic-Indic (U+0660..) digits to ASCII; everything else unchanged.
std::string normalize_digits(std::string_view s);

// ASCII-only lower-casing (command names are ASCII); other bytes are left alone.
std::string ascii_lower(std::string_view s);

std::string_view trim(std::string_view s);
std::vector<std::string> split(std::string_view s, char sep);
// The parts with `sep` between them.
std::string join(const std::vector<std::string>& parts, std::string_view sep);
// Splits on runs of Unicode-agnostic ASCII whitespace.
std::vector<std::string> split_whitespace(std::string_view s);

// Parses a non-negative decimal integer after normalize_digits; nullopt on anything else.
std::optional<long long> parse_int(std::string_view s);

// True when the code point is a strong right-to-left letter (Hebrew, Arabic, Syriac, Thaana, NKo
// and their presentation forms).
bool is_rtl_letter(char32_t cp);
// True when the code point is a strong left-to-right letter (Latin, Greek, Cyrillic, CJK ...).
bool is_ltr_letter(char32_t cp);

// How quote_escaped() writes what it must escape beyond \" \\ \n \r \t: JSON leaves DEL as it
// is and writes \u001f; a TOML basic string must escape DEL too, written \u007F.
enum class QuoteStyle { kJson, kToml };
// `s` in double quotes with \" \\ \n \r \t escaped and every other control character written as
// \uXXXX; all other bytes (UTF-8 included) are copied as they are.
std::string quote_escaped(std::string_view s, QuoteStyle style);

// Truncates to at most `max_codepoints`, never inside a code point, and backs off so a
// ZWNJ-joined word or a combining sequence is not cut in half. Appends `ellipsis` when cut.
std::string truncate(std::string_view s, std::size_t max_codepoints,
                     std::string_view ellipsis = "…");

}  // namespace sakai::text
