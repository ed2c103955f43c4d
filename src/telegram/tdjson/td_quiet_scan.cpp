// Quiet new messages recognised from their bytes, before any parsing (td_decode.h says what
// "quiet" means). About half of a busy account's updates are such chat lines; parsing one costs
// a simdjson pass over ~1.2 KB and a walk over ~200 tokens, this scan a few short searches.
//
// Why a byte search finds the right fields: inside a JSON string a quote is always escaped, so
// the bytes `"name":` (a quote, the name, a quote, a colon) can only be a key. The search is for
// the first such key after the one before it, and in td_api.tl 1.8.65 no object that TDLib
// writes ahead of these keys inside a `message` has a key of the same name:
//   sending_state, is_outgoing  after  id, sender_id (messageSender*), chat_id, sending_state,
//                                      scheduling_state (messageSchedulingState*)
//   date                        after  the Bool flags that follow is_outgoing
//   reply_to                    after  edit_date, forward_info (messageForwardInfo, whose
//                                      forwardSource has an is_outgoing of its own and comes
//                                      after the message's), import_info, interaction_info,
//                                      unread_reactions, fact_check, suggested_post_info
//   content                     after  reply_to (null, or in a known group a
//                                      messageReplyToMessage whose own content is null: its
//                                      "content" key is then found first and checked), topic_id,
//                                      self_destruct_type, ..., restriction_info,
//                                      summary_language_code
// The object must also end as TDLib ends it (the message's last field `"reply_markup":null}`,
// then the update's `}`, td_receive's "@client_id" in between or not), so a truncated object is
// never taken for a quiet one. Anything
// that does not match exactly — another field order, a reply outside a known group, media, the
// owner's message, text that may be a command, a reply keyboard — is left to the full decoder.
#include <string.h>  // memmem

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include <bit>
#include <cstring>

#include "telegram/tdjson/td_decode_support.h"

namespace sakai::telegram::tdjson::detail {
namespace {

// Where `needle` (a key `,"name":`) first occurs in `hay` at or after `from`; npos if nowhere.
// On x86-64, 16 (SSE2) or 32 (AVX2, when the CPU has it) positions at a time: those where the
// name's first and last letters both match, each confirmed by memcmp. Elsewhere memmem.
std::size_t find_tail(std::string_view hay, std::size_t i, std::string_view needle) {
  if (i >= hay.size()) return std::string_view::npos;
  const void* at = ::memmem(hay.data() + i, hay.size() - i, needle.data(), needle.size());
  return at == nullptr ? std::string_view::npos
                       : static_cast<std::size_t>(static_cast<const char*>(at) - hay.data());
}

#if defined(__x86_64__)
// Whether `p` starts with `needle` (8 to 16 bytes): two overlapping eight-byte compares.
bool same8to16(const char* p, std::string_view needle) {
  std::uint64_t a = 0;
  std::uint64_t b = 0;
  std::uint64_t c = 0;
  std::uint64_t d = 0;
  const std::size_t tail = needle.size() - 8;
  std::memcpy(&a, p, 8);
  std::memcpy(&b, needle.data(), 8);
  std::memcpy(&c, p + tail, 8);
  std::memcpy(&d, needle.data() + tail, 8);
  return ((a ^ b) | (c ^ d)) == 0;
}

// Positions i..i+15 (resp. 31) whose bits are set in `bits`, confirmed; npos when none is.
std::size_t confirm(std::string_view hay, std::size_t i, std::uint32_t bits,
                    std::string_view needle) {
  for (; bits != 0; bits &= bits - 1) {
    const std::size_t at = i + static_cast<std::size_t>(std::countr_zero(bits));
    if (at + needle.size() <= hay.size() && same8to16(hay.data() + at, needle)) return at;
  }
  return std::string_view::npos;
}

std::size_t find_key_sse2(std::string_view hay, std::size_t i, std::string_view needle) {
  const std::size_t b = needle.size() - 3;
  const __m128i first = _mm_set1_epi8(needle[2]);
  const __m128i last = _mm_set1_epi8(needle[b]);
  for (; i + b + 16 <= hay.size(); i += 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(hay.data() + i + 2));
    const __m128i y = _mm_loadu_si128(reinterpret_cast<const __m128i*>(hay.data() + i + b));
    const auto bits = static_cast<std::uint32_t>(
        _mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(x, first), _mm_cmpeq_epi8(y, last))));
    if (bits == 0) continue;
    if (const std::size_t at = confirm(hay, i, bits, needle); at != std::string_view::npos)
      return at;
  }
  return find_tail(hay, i, needle);
}

__attribute__((target("avx2"))) std::size_t find_key_avx2(std::string_view hay, std::size_t i,
                                                          std::string_view needle) {
  const std::size_t b = needle.size() - 3;
  const __m256i first = _mm256_set1_epi8(needle[2]);
  const __m256i last = _mm256_set1_epi8(needle[b]);
  for (; i + b + 32 <= hay.size(); i += 32) {
    const __m256i x = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(hay.data() + i + 2));
    const __m256i y = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(hay.data() + i + b));
    const auto bits = static_cast<std::uint32_t>(_mm256_movemask_epi8(
        _mm256_and_si256(_mm256_cmpeq_epi8(x, first), _mm256_cmpeq_epi8(y, last))));
    if (bits == 0) continue;
    if (const std::size_t at = confirm(hay, i, bits, needle); at != std::string_view::npos)
      return at;
  }
  return find_key_sse2(hay, i, needle);
}

// Read during static initialisation: the CPU model is initialised first, explicitly.
const bool kHasAvx2 = (__builtin_cpu_init(), __builtin_cpu_supports("avx2"));
#endif

std::size_t find_key(std::string_view hay, std::size_t from, std::string_view needle) {
#if defined(__x86_64__)
  if (needle.size() < 8 || needle.size() > 16) return find_tail(hay, from, needle);
  return kHasAvx2 ? find_key_avx2(hay, from, needle) : find_key_sse2(hay, from, needle);
#else
  return find_tail(hay, from, needle);
#endif
}

class Scan {
 public:
  explicit Scan(std::string_view s) : s_(s) {}

  // The bytes `lit` here; moves past them.
  bool expect(std::string_view lit) {
    if (s_.substr(pos_, lit.size()) != lit) return false;
    pos_ += lit.size();
    return true;
  }
  // The key `needle` somewhere ahead; moves past it.
  bool find(std::string_view needle) {
    const std::size_t at = find_key(s_, pos_, needle);
    if (at == std::string_view::npos) return false;
    pos_ = at + needle.size();
    return true;
  }
  // An integer as TDLib writes int53 (bare) or int64 (quoted), of at most 18 digits (longer
  // ones are left to the full decoder); moves past it.
  bool integer(std::int64_t& out) {
    const char* p = s_.data() + pos_;
    const char* end = s_.data() + s_.size();
    const bool quoted = p != end && *p == '"';
    if (quoted) ++p;
    const bool negative = p != end && *p == '-';
    if (negative) ++p;
    const char* digits = p;
    std::uint64_t x = 0;
    for (; p != end && static_cast<unsigned char>(*p - '0') <= 9; ++p)
      x = x * 10 + static_cast<unsigned char>(*p - '0');
    if (p == digits || p - digits > 18) return false;
    if (quoted) {
      if (p == end || *p != '"') return false;
      ++p;
    }
    out = negative ? -static_cast<std::int64_t>(x) : static_cast<std::int64_t>(x);
    pos_ = static_cast<std::size_t>(p - s_.data());
    return true;
  }
  // The bytes up to the next quote (a name written by TDLib: no escapes); moves past the quote.
  bool name(std::string_view& out) {
    const std::size_t end = s_.find('"', pos_);
    if (end == std::string_view::npos) return false;
    out = s_.substr(pos_, end - pos_);
    pos_ = end + 1;
    return true;
  }
  const char* here() const { return s_.data() + pos_; }

 private:
  std::string_view s_;
  std::size_t pos_ = 0;
};

// Whether the object ends as TDLib ends an updateNewMessage: the message's last field is a null
// reply_markup, and the update closes after it (td_receive puts "@client_id" in between).
bool ends_as_tdlib_writes(std::string_view json) {
  constexpr std::string_view kLast = R"(,"reply_markup":null})";
  constexpr std::string_view kKey = R"(,"@client_id":)";
  if (!json.ends_with('}')) return false;
  json.remove_suffix(1);
  if (json.ends_with(kLast)) return true;
  const std::size_t at = json.rfind(kKey);
  if (at == std::string_view::npos) return false;
  const std::string_view digits = json.substr(at + kKey.size());
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string_view::npos)
    return false;
  return json.substr(0, at).ends_with(kLast);
}

}  // namespace

bool quiet_new_message(std::string_view json, DecodedMessage& out,
                       const GroupChats* groups) {  // out: freshly made
  if (!ends_as_tdlib_writes(json)) return false;
  Scan s(json);
  std::int64_t id = 0;
  std::int64_t sender = 0;
  std::int64_t chat = 0;
  std::int64_t date = 0;
  if (!s.expect(R"({"@type":"updateNewMessage","message":{"@type":"message","id":)") ||
      !s.integer(id) || !s.expect(R"(,"sender_id":{"@type":"messageSender)"))
    return false;
  if (s.expect(R"(User","user_id":)")) {
    if (!s.integer(sender)) return false;
  } else if (s.expect(R"(Chat","chat_id":)")) {
    std::int64_t sender_chat = 0;  // a chat as sender leaves the sender 0, as decode does
    if (!s.integer(sender_chat)) return false;
  } else {
    return false;
  }
  if (!s.expect(R"(},"chat_id":)") || !s.integer(chat) || !s.expect(R"(,"sending_state":null,)") ||
      !s.find(R"(,"is_outgoing":)") || !s.expect("false,") || !s.find(R"(,"date":)") ||
      !s.integer(date) || !s.find(R"(,"reply_to":)"))
    return false;
  // A reply only in a known group, to a message whose content TDLib did not copy into the reply
  // (it does for a reply to another chat's message): the reply's own "content" key is then the
  // first one, right before the message's topic_id.
  if (!s.expect("null,") && !(groups != nullptr && groups->contains(chat) &&
                              s.expect(R"({"@type":"messageReplyToMessage",)") &&
                              s.find(R"(,"content":)") && s.expect(R"(null},"topic_id":)")))
    return false;
  if (!s.find(R"(,"content":)") || !s.expect(R"({"@type":")")) return false;
  std::string_view type;
  if (!s.name(type) || is_read_media(type)) return false;
  if (type == "messageText") {
    if (!s.expect(R"(,"text":{"@type":"formattedText","text":")")) return false;
    // The ending checked above lies beyond the text: could_be_command's look-ahead stays inside.
    if (could_be_command(s.here())) return false;
  }
  out.quiet = true;
  out.message.id = MessageId(id);
  out.message.sender = UserId(sender);
  out.message.chat = ChatId(chat);
  out.message.date_unix = date;
  return true;
}

}  // namespace sakai::telegram::tdjson::detail
