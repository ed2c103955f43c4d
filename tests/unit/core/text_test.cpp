#include "core/text.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace sakai::text {
namespace {

// Persian words used below. "می‌خواهم" (I want) is one word written with a ZWNJ (U+200C).
const std::string kZwnj = "\u200C";
const std::string kMikhaham = "می" + kZwnj + "خواهم";  // 8 code points

TEST(CoreText, ValidUtf8IsAccepted) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("hello"));
  EXPECT_TRUE(is_valid_utf8("سلام دنیا"));
  EXPECT_TRUE(is_valid_utf8("\xC2\x80"));          // U+0080, smallest 2-byte
  EXPECT_TRUE(is_valid_utf8("\xE0\xA0\x80"));      // U+0800, smallest 3-byte
  EXPECT_TRUE(is_valid_utf8("\xED\x9F\xBF"));      // U+D7FF, just below the surrogates
  EXPECT_TRUE(is_valid_utf8("\xEE\x80\x80"));      // U+E000, just above them
  EXPECT_TRUE(is_valid_utf8("\xEF\xBF\xBF"));      // U+FFFF
  EXPECT_TRUE(is_valid_utf8("\xF0\x90\x80\x80"));  // U+10000, smallest 4-byte
  EXPECT_TRUE(is_valid_utf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF, the last code point
  EXPECT_TRUE(is_valid_utf8("😀👍🏽"));
  EXPECT_TRUE(is_valid_utf8(std::string("a\0b", 3)));  // NUL is valid UTF-8 (a control char)
}

TEST(CoreText, OverlongEncodingsAreRejected) {
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // '/' in two bytes
  EXPECT_FALSE(is_valid_utf8("\xC1\xBF"));          // U+007F in two bytes
  EXPECT_FALSE(is_valid_utf8("\xC0\x80"));          // NUL in two bytes (modified UTF-8)
  EXPECT_FALSE(is_valid_utf8("\xE0\x80\xAF"));      // '/' in three bytes
  EXPECT_FALSE(is_valid_utf8("\xE0\x9F\xBF"));      // U+07FF in three bytes
  EXPECT_FALSE(is_valid_utf8("\xF0\x80\x80\xAF"));  // '/' in four bytes
  EXPECT_FALSE(is_valid_utf8("\xF0\x8F\xBF\xBF"));  // U+FFFF in four bytes
}

TEST(CoreText, SurrogatesAndOutOfRangeAreRejected) {
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));              // U+D800
  EXPECT_FALSE(is_valid_utf8("\xED\xBF\xBF"));              // U+DFFF
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\xBD\xED\xB8\x80"));  // CESU-8 surrogate pair for 😀
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));          // U+110000
  EXPECT_FALSE(is_valid_utf8("\xF7\xBF\xBF\xBF"));
}

TEST(CoreText, BrokenSequencesAreRejected) {
  EXPECT_FALSE(is_valid_utf8("\x80"));  // lone continuation byte
  EXPECT_FALSE(is_valid_utf8("abc\xBF"));
  EXPECT_FALSE(is_valid_utf8("\xC3"));                  // truncated at the end
  EXPECT_FALSE(is_valid_utf8("\xE2\x82"));              // truncated 3-byte
  EXPECT_FALSE(is_valid_utf8("\xF0\x9F\x98"));          // truncated 4-byte
  EXPECT_FALSE(is_valid_utf8("\xC3(x"));                // lead byte followed by ASCII
  EXPECT_FALSE(is_valid_utf8("\xE2\x28\xA1"));          // bad second byte
  EXPECT_FALSE(is_valid_utf8("\xF8\x88\x80\x80\x80"));  // 5-byte forms are gone
  EXPECT_FALSE(is_valid_utf8("\xFE"));
  EXPECT_FALSE(is_valid_utf8("\xFF"));
  EXPECT_FALSE(is_valid_utf8("/ping \xFF"));
}

TEST(CoreText, ControlCharactersAreFound) {
  EXPECT_EQ(find_control_char("plain text"), std::nullopt);
  EXPECT_EQ(find_control_char("tab\tnewline\ncr\r"), std::nullopt);
  EXPECT_EQ(find_control_char("سلام" + kZwnj + "\u200D\u200F"), std::nullopt);  // joiners, marks
  EXPECT_EQ(find_control_char("a\x01"
                              "b"),
            char32_t{0x01});
  EXPECT_EQ(find_control_char(std::string("a\0b", 3)), char32_t{0});
  EXPECT_EQ(find_control_char("esc\x1B[31m"), char32_t{0x1B});
  EXPECT_EQ(find_control_char("del\x7F"), char32_t{0x7F});
  EXPECT_EQ(find_control_char("c1 \xC2\x85"), char32_t{0x85});  // NEL
  EXPECT_EQ(find_control_char("c1 \xC2\x9F"), char32_t{0x9F});
  EXPECT_EQ(find_control_char("\xC2\xA0"), std::nullopt);  // NBSP is not a control char
  // The first one is reported.
  EXPECT_EQ(find_control_char("x\x02y\x03"), char32_t{0x02});
}

TEST(CoreText, DecodeAndEncodeRoundTrip) {
  const std::string s = "a é € 😀 سلام";
  const std::u32string cps = decode(s);
  EXPECT_EQ(cps, U"a é € 😀 سلام");
  EXPECT_EQ(encode(cps), s);
  EXPECT_EQ(encode(U'\U0010FFFF'), "\xF4\x8F\xBF\xBF");
  EXPECT_EQ(encode(U'\u0800'), "\xE0\xA0\x80");
  // Invalid bytes decode to U+FFFD, one per byte.
  EXPECT_EQ(decode("a\xFF"
                   "b"),
            U"a\uFFFDb");
  EXPECT_EQ(decode("\xC0\xAF"), U"\uFFFD\uFFFD");
}

TEST(CoreText, LengthsInCodePointsAndUtf16Units) {
  EXPECT_EQ(codepoint_count(""), 0u);
  EXPECT_EQ(codepoint_count("abc"), 3u);
  EXPECT_EQ(codepoint_count("سلام"), 4u);
  EXPECT_EQ(codepoint_count("😀"), 1u);
  EXPECT_EQ(utf16_length(""), 0u);
  EXPECT_EQ(utf16_length("abc"), 3u);
  EXPECT_EQ(utf16_length("é€"), 2u);  // BMP: one unit each
  EXPECT_EQ(utf16_length("سلام"), 4u);
  EXPECT_EQ(utf16_length("😀"), 2u);                   // astral: a surrogate pair
  EXPECT_EQ(utf16_length("👍🏽"), 4u);            // two astral code points
  EXPECT_EQ(utf16_length("👨‍👩‍👧"), 8u);  // 3 astral + 2 ZWJ
  EXPECT_EQ(utf16_length("a😀b"), 4u);
  EXPECT_EQ(utf16_length(kMikhaham), 8u);
}

TEST(CoreText, NormalizeDigits) {
  EXPECT_EQ(normalize_digits("۰۱۲۳۴۵۶۷۸۹"), "0123456789");  // Persian
  EXPECT_EQ(normalize_digits("٠١٢٣٤٥٦٧٨٩"), "0123456789");  // Arabic-Indic
  EXPECT_EQ(normalize_digits("for=۷d"), "for=7d");
  EXPECT_EQ(normalize_digits("a۱b٢c3"), "a1b2c3");
  EXPECT_EQ(normalize_digits("سلام ۱۲"), "سلام 12");
  EXPECT_EQ(normalize_digits("no digits"), "no digits");
  EXPECT_EQ(normalize_digits(""), "");
  // Other scripts' digits are left alone; invalid bytes pass through.
  EXPECT_EQ(normalize_digits("१२"), "१२");  // Devanagari
  EXPECT_EQ(normalize_digits("\xFF۱"),
            "\xFF"
            "1");
}

TEST(CoreText, ParseInt) {
  EXPECT_EQ(parse_int("0"), 0);
  EXPECT_EQ(parse_int("42"), 42);
  EXPECT_EQ(parse_int("  42 "), 42);
  EXPECT_EQ(parse_int("۴۲"), 42);
  EXPECT_EQ(parse_int("٤٢"), 42);
  EXPECT_EQ(parse_int("۰۰۷"), 7);
  EXPECT_EQ(parse_int("999999999999999999"), 999999999999999999LL);  // 18 digits
  EXPECT_EQ(parse_int("9999999999999999999"), std::nullopt);         // 19: could overflow
  EXPECT_EQ(parse_int(""), std::nullopt);
  EXPECT_EQ(parse_int("   "), std::nullopt);
  EXPECT_EQ(parse_int("-1"), std::nullopt);
  EXPECT_EQ(parse_int("+1"), std::nullopt);
  EXPECT_EQ(parse_int("4a"), std::nullopt);
  EXPECT_EQ(parse_int("1.5"), std::nullopt);
  EXPECT_EQ(parse_int("1 2"), std::nullopt);
  EXPECT_EQ(parse_int("0x10"), std::nullopt);
}

TEST(CoreText, SmallHelpers) {
  EXPECT_EQ(ascii_lower("PiNG_9 ÉÀ"), "ping_9 ÉÀ");
  EXPECT_EQ(trim("  \t a b \r\n"), "a b");
  EXPECT_EQ(trim(""), "");
  EXPECT_EQ(split("a,,b", ','), (std::vector<std::string>{"a", "", "b"}));
  EXPECT_EQ(split("", ','), (std::vector<std::string>{""}));
  EXPECT_EQ(split_whitespace("  a \t b\n c  "), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(split_whitespace("   ").empty());
}

TEST(CoreText, LetterDirections) {
  for (char32_t cp : {U'س', U'ع', U'ی', U'א', U'ﻻ'}) {
    EXPECT_TRUE(is_rtl_letter(cp)) << static_cast<std::uint32_t>(cp);
  }
  for (char32_t cp : {U'a', U'Z', U'é', U'Ж', U'λ', U'漢'}) {
    EXPECT_TRUE(is_ltr_letter(cp)) << static_cast<std::uint32_t>(cp);
  }
  // Digits, marks and punctuation are neither.
  for (char32_t cp : {U'1', U'۱', U'١', U'\u064E', U'/', U' '}) {
    EXPECT_FALSE(is_rtl_letter(cp)) << static_cast<std::uint32_t>(cp);
    EXPECT_FALSE(is_ltr_letter(cp)) << static_cast<std::uint32_t>(cp);
  }
}

TEST(CoreText, TruncateLeavesShortTextAlone) {
  EXPECT_EQ(truncate("hello", 5), "hello");
  EXPECT_EQ(truncate("hello", 50), "hello");
  EXPECT_EQ(truncate("", 0), "");
  EXPECT_EQ(truncate("سلام", 4), "سلام");
}

TEST(CoreText, TruncateCutsAtCodePoints) {
  EXPECT_EQ(truncate("hello world", 5), "hello…");
  EXPECT_EQ(truncate("hello world", 6), "hello…");  // no space before the ellipsis
  EXPECT_EQ(truncate("abcdef", 3, "..."), "abc...");
  EXPECT_EQ(truncate("abcdef", 3, ""), "abc");
  EXPECT_EQ(truncate("سلام دنیا", 6), "سلام د…");
  EXPECT_EQ(truncate("😀😀😀", 2), "😀😀…");
  for (std::size_t n = 0; n < 12; ++n) {
    const std::string t = truncate("a😀سé€ b😀سé€", n);
    EXPECT_TRUE(is_valid_utf8(t)) << n;
    EXPECT_LE(codepoint_count(t), n + 1) << n;  // + the ellipsis
  }
}

TEST(CoreText, TruncateNeverSplitsAZwnjWord) {
  // "سلام می‌خواهم بروم": the cut falls inside the ZWNJ-joined word, which goes
  // whole.
  const std::string s = "سلام " + kMikhaham + " بروم";
  for (std::size_t n = 6; n <= 12; ++n) {
    EXPECT_EQ(truncate(s, n), "سلام…") << "max " << n;
  }
  // A cut right before the word keeps what precedes it.
  EXPECT_EQ(truncate(s, 5), "سلام…");
  EXPECT_EQ(truncate(s, 4), "سلام…");
}

TEST(CoreText, TruncateKeepsAZwnjWordThatFits) {
  // The whole word fits in 13 code points ("سلام " + 8), so only " بروم" goes.
  const std::string s = "سلام " + kMikhaham + " بروم";
  EXPECT_EQ(truncate(s, 14), "سلام " + kMikhaham + "…");
}

TEST(CoreText, TruncateKeepsAZwnjWordThatEndsExactlyAtTheLimit) {
  // 13 code points end exactly after the ZWNJ word: nothing of it is cut, so it should stay.
  // truncate() sees the word around the cut, finds the ZWNJ and drops the whole word.
  const std::string s = "سلام " + kMikhaham + " بروم";
  EXPECT_EQ(truncate(s, 13), "سلام " + kMikhaham + "…");
}

TEST(CoreText, TruncateNeverSeparatesACombiningMark) {
  // "café" written with a combining acute accent (e + U+0301): cutting after "e" would drop the
  // accent, so the cut backs off before the "e".
  const std::string cafe = "cafe\u0301 noir";
  EXPECT_EQ(truncate(cafe, 4), "caf…");
  EXPECT_EQ(truncate(cafe, 5), "cafe\u0301…");
  // Arabic harakat: "بِسْمِ" (b + kasra, s + sukun, m + kasra).
  const std::string bism = "بِسْمِ الله";
  EXPECT_EQ(truncate(bism, 3), "بِ…");
  // An emoji with a skin-tone modifier, and a ZWJ family, stay whole.
  EXPECT_EQ(truncate("ok 👍🏽 yes", 4), "ok…");
  EXPECT_EQ(truncate("👨‍👩‍👧 hi", 2), "…");
  EXPECT_EQ(truncate("👨‍👩‍👧 hi", 4), "…");
  EXPECT_EQ(truncate("👨‍👩‍👧 hi", 5), "👨‍👩‍👧…");
}

}  // namespace
}  // namespace sakai::text
