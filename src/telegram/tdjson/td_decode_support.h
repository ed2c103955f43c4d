#pragma once
// Internal to the TDLib decoder (td_decode.cpp, td_decode_message.cpp): simdjson On-Demand
// readers shared by both files. Not for use elsewhere: JSON stays inside src/telegram/tdjson.
// Thread-safety: each thread has its own parser and input buffer (iterate()).

// Only the error-code API of simdjson is used; this keeps any throwing accessor out.
#define SIMDJSON_EXCEPTIONS 0
#include <simdjson.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/ids.h"
#include "telegram/tdjson/td_decode.h"
#include "telegram/tdjson/td_events.h"

namespace sakai::telegram::tdjson::detail {

namespace od = simdjson::ondemand;
using simdjson::error_code;
using simdjson::SUCCESS;
using Value = od::value;
using Key = std::string_view;

// Returns the error of `expr`, if any. The variable is named per expansion: these nest.
#define SAKAI_TD_CAT2(a, b) a##b
#define SAKAI_TD_CAT(a, b) SAKAI_TD_CAT2(a, b)
#define SAKAI_TD_TRY(expr) SAKAI_TD_TRY_N(expr, SAKAI_TD_CAT(td_error_, __COUNTER__))
#define SAKAI_TD_TRY_N(expr, var)                                  \
  do {                                                             \
    if (const error_code var = (expr); var != SUCCESS) return var; \
  } while (0)

// ---- input -------------------------------------------------------------------------------

// On-Demand reads up to SIMDJSON_PADDING bytes past the input (their content does not change
// the result). When those bytes lie in the same 4 KiB page as the input's last byte they are
// mapped like it, so the input is parsed where it lies (about 98 % of objects); otherwise each
// thread copies it into one growing, zero-padded buffer. One parser per thread is reused, so
// decoding allocates nothing. Under AddressSanitizer, which tracks bytes rather than pages,
// every input is copied.
struct Scratch {
  od::parser parser;
  std::unique_ptr<char[]> buffer;
  std::size_t capacity = 0;
};

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kReadInPlace = false;
#else
inline constexpr bool kReadInPlace = true;
#endif

inline bool padding_in_same_page(std::string_view json) {
  if (json.empty()) return false;
  constexpr std::uintptr_t kPage = 4096;
  const auto last = reinterpret_cast<std::uintptr_t>(json.data() + json.size() - 1);
  return last / kPage == (last + simdjson::SIMDJSON_PADDING) / kPage;
}

inline simdjson::simdjson_result<od::document> iterate(std::string_view json) {
  thread_local Scratch s;
  if (kReadInPlace && padding_in_same_page(json)) {
    return s.parser.iterate(json.data(), json.size(), json.size() + simdjson::SIMDJSON_PADDING);
  }
  const std::size_t need = json.size() + simdjson::SIMDJSON_PADDING;
  if (need > s.capacity) {
    s.capacity = std::max<std::size_t>(need, std::max<std::size_t>(4096, 2 * s.capacity));
    s.buffer = std::make_unique_for_overwrite<char[]>(s.capacity);
  }
  if (!json.empty()) std::memcpy(s.buffer.get(), json.data(), json.size());
  std::memset(s.buffer.get() + json.size(), 0, simdjson::SIMDJSON_PADDING);
  return s.parser.iterate(s.buffer.get(), json.size(), s.capacity);
}

// After the root object: nothing may follow it.
inline error_code at_end(od::document& doc) {
  return doc.current_location().error() == simdjson::OUT_OF_BOUNDS ? SUCCESS
                                                                   : simdjson::TRAILING_CONTENT;
}

// ---- small readers -----------------------------------------------------------------------

// A field's key as written, found eight bytes at a time (a message has ~45 keys). TDLib keys
// never contain escapes; an escaped key simply matches nothing. The scan stops at a NUL too,
// and the zeroed padding makes the over-read safe.
inline Key key_of(const od::field& f) {
  const char* p = f.key().raw();
  if constexpr (std::endian::native != std::endian::little) {
    std::size_t n = 0;
    while (p[n] != '"' && p[n] != '\0')
      ++n;
    return {p, n};
  }
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
  for (std::size_t n = 0;; n += 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, p + n, 8);
    const std::uint64_t quote = word ^ (kOnes * '"');
    const std::uint64_t hit =
        ((quote - kOnes) & ~quote & kHighs) | ((word - kOnes) & ~word & kHighs);
    if (hit != 0) return {p, n + static_cast<std::size_t>(std::countr_zero(hit)) / 8};
  }
}

// int53 travels as a number, int64 as a string; both are accepted for any integer. Read from the
// token's own bytes (a message has seven of them: simdjson's general number parser costs twice
// as much, std::from_chars half again); anything but an optionally quoted, optionally negative
// run of digits that fits in 64 bits is an error.
inline error_code parse_int64(std::string_view raw, std::int64_t& out) {
  const char* p = raw.data();
  const char* end = p + raw.size();
  while (end != p && (end[-1] == ' ' || end[-1] == '\n' || end[-1] == '\r' || end[-1] == '\t'))
    --end;
  if (end - p >= 2 && *p == '"' && end[-1] == '"') {
    ++p;
    --end;
  }
  const bool negative = p != end && *p == '-';
  if (negative) ++p;
  if (p == end || end - p > 19) return simdjson::NUMBER_ERROR;
  std::uint64_t x = 0;
  for (; p != end; ++p) {
    const auto digit = static_cast<unsigned>(static_cast<unsigned char>(*p) - '0');
    if (digit > 9) return simdjson::NUMBER_ERROR;
    x = x * 10 + digit;  // 19 digits cannot overflow 64 bits
  }
  constexpr auto kMax = static_cast<std::uint64_t>(INT64_MAX);
  if (x > kMax + (negative ? 1 : 0)) return simdjson::NUMBER_ERROR;
  out = negative ? static_cast<std::int64_t>(0 - x) : static_cast<std::int64_t>(x);
  return SUCCESS;
}

template <class Int>
error_code get_int(Value& v, Int& out) {
  std::int64_t x = 0;
  SAKAI_TD_TRY(parse_int64(v.raw_json_token(), x));
  out = static_cast<Int>(x);
  return SUCCESS;
}

template <class Tag>
error_code get_id(Value& v, StrongId<Tag>& out) {
  std::int64_t x = 0;
  SAKAI_TD_TRY(get_int(v, x));
  out = StrongId<Tag>(x);
  return SUCCESS;
}

inline error_code get_text(Value& v, std::string& out) {
  std::string_view s;
  SAKAI_TD_TRY(v.get_string().get(s));
  out.assign(s);
  return SUCCESS;
}

// ---- objects and arrays ------------------------------------------------------------------

// The object's "@type". TDLib writes it first; the object is rewound afterwards so the caller's
// field loop sees every field whatever the order (it skips "@type" itself).
inline error_code object_type(od::object& obj, std::string_view& type) {
  SAKAI_TD_TRY(obj.find_field_unordered("@type").get_string().get(type));
  bool not_empty = false;
  return obj.reset().get(not_empty);
}

template <class F>  // F: error_code(Key key, Value& value)
error_code for_each_field(od::object& obj, F&& visit) {
  for (auto result : obj) {
    // value_unsafe() after the error check: moving the field out costs a store-forwarding
    // stall per key, measurable on a ~45-key message.
    SAKAI_TD_TRY(result.error());
    od::field& field = result.value_unsafe();
    SAKAI_TD_TRY(visit(key_of(field), field.value()));
  }
  return SUCCESS;
}

// The field `key` of `obj` handed to `use`; nothing when the object has no such key. Looked up
// with find_field_unordered: asked for in the order TDLib writes them, each key is found by
// scanning on from the previous one (the keys in between are skipped, never read); in any other
// order it is still found (the scan wraps around once).
template <class F>  // F: error_code(Value& value)
error_code with_field(od::object& obj, std::string_view key, F&& use) {
  auto field = obj.find_field_unordered(key);
  if (field.error() == simdjson::NO_SUCH_FIELD) return SUCCESS;
  SAKAI_TD_TRY(field.error());
  return use(field.value_unsafe());
}

// Skips what is left of `obj` (checking its brackets), after with_field() lookups, so that the
// document can be checked to its end.
inline error_code finish(od::object& obj) {
  std::string_view rest;
  return obj.raw_json().get(rest);
}

// Opens an object value that may be null (then `present` is false).
inline error_code open(Value& v, od::object& obj, bool& present) {
  bool is_null = false;
  SAKAI_TD_TRY(v.is_null().get(is_null));
  present = !is_null;
  return is_null ? SUCCESS : v.get_object().get(obj);
}

// Visits the fields of an object value; null visits nothing.
template <class F>
error_code fields_of(Value& v, F&& visit) {
  od::object obj;
  bool present = false;
  SAKAI_TD_TRY(open(v, obj, present));
  return present ? for_each_field(obj, visit) : SUCCESS;
}

// The same with the object's "@type" first (empty for null).
template <class F>  // F: error_code(std::string_view type, Key key, Value& value)
error_code typed_fields_of(Value& v, F&& visit) {
  od::object obj;
  bool present = false;
  SAKAI_TD_TRY(open(v, obj, present));
  if (!present) return SUCCESS;
  std::string_view type;
  SAKAI_TD_TRY(object_type(obj, type));
  return for_each_field(obj, [&](Key key, Value& value) { return visit(type, key, value); });
}

// The elements of an array value, each handed to `element`.
template <class F>  // F: error_code(Value& element)
error_code elements(Value& v, F&& element) {
  od::array arr;
  SAKAI_TD_TRY(v.get_array().get(arr));
  for (auto item : arr) {
    SAKAI_TD_TRY(item.error());
    SAKAI_TD_TRY(element(item.value_unsafe()));
  }
  return SUCCESS;
}

// error{code, message}
inline error_code error_field(Key key, Value& x, int& code, std::string& message) {
  if (key == "code") return get_int(x, code);
  return key == "message" ? get_text(x, message) : SUCCESS;
}

inline error_code error_value(Value& v, int& code, std::string& message) {
  return fields_of(v, [&](Key key, Value& x) { return error_field(key, x, code, message); });
}

// Whether a text, seen as the raw bytes of its JSON string, could be a command for the router:
// a command starts with one of the configured prefixes, which Config::validate allows to be
// single ASCII punctuation characters only, possibly behind a bidi mark (U+061C, U+200E, U+200F,
// U+2066..U+2069; command_line.cpp strips them). So a text that starts with a letter, a digit,
// a space or any other non-ASCII character cannot be one; anything else (punctuation, an
// escape, a control character) might. An empty text cannot. The padding makes the look-ahead
// of a truncated string safe.
inline bool could_be_command(const char* raw) {
  const auto b = [raw](int i) { return static_cast<unsigned char>(raw[i]); };
  const unsigned char c = b(0);
  if (c == '"') return false;  // ""
  if (c < 0x80) {
    const bool alnum = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    return !alnum && c != ' ';
  }
  if (c == 0xD8) return b(1) == 0x9C;  // U+061C ARABIC LETTER MARK
  if (c != 0xE2) return false;
  if (b(1) == 0x80) return b(2) == 0x8E || b(2) == 0x8F;  // U+200E, U+200F
  return b(1) == 0x81 && b(2) >= 0xA6 && b(2) <= 0xA9;    // U+2066..U+2069
}

// ---- messages (td_decode_message.cpp) ----------------------------------------------------

// MessageContent: text of messageText, caption and file of media; nothing of other kinds
// (stickers, polls, service messages).
struct Content {
  std::string text;
  std::vector<TextEntity> entities;
  MediaKind media = MediaKind::kNone;
  std::int32_t file_id = 0;
  std::string_view file_remote_id;  // points into the parser's string buffer
  std::int32_t duration = 0;
};
error_code content_value(Value& v, Content& out);
// Whether a content of this type (messageVoiceNote, messagePhoto, ...) carries media the bot
// reads: the one list, shared by the full decoder and the quiet scan.
bool is_read_media(std::string_view content_type);

// `message`. With `may_be_quiet` (a new message), one the engine cannot act on is left
// quiet: DecodedMessage::quiet set, its text and entities not copied.
error_code message_object(od::object& obj, DecodedMessage& out, bool may_be_quiet);
error_code message_value(Value& v, DecodedMessage& out, bool may_be_quiet);

// An updateNewMessage (`json` as td_receive returns it) that is surely quiet, recognised from
// its bytes without parsing (td_quiet_scan.cpp): `out` gets quiet, id, chat, sender and date.
// False leaves the object to the full decoder (which may still find it quiet). With `groups`,
// someone else's reply in one of those chats is quiet as well (decode_td_object, td_decode.h).
bool quiet_new_message(std::string_view json, DecodedMessage& out,
                       const GroupChats* groups = nullptr);

}  // namespace sakai::telegram::tdjson::detail
