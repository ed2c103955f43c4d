// Transport::send_text has one contract on every transport: a text longer than the run-time limit
// is split on clean boundaries and every part's id comes back. The same long text — Persian
// words joined by ZWNJ, emoji sequences, an entity across a cut — goes through the in-memory
// transport (the console) and the TDLib transport (over the scripted double) at the same limit:
// the parts must be the same, each within the limit, none cut inside a grapheme or a ZWNJ-joined
// word, and the ids returned must be the ids of the messages that were sent, in order.
#include <gtest/gtest.h>

#include <cctype>
#include <chrono>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "core/event_loop.h"
#include "telegram/memory/memory_transport.h"
#include "unit/telegram/tdlib_transport_fixture.h"

namespace sakai::telegram::tdjson::transport_test {
namespace {

using std::chrono::milliseconds;

constexpr std::int64_t kChat = 777;
constexpr int kLimit = 64;

// ~400 UTF-16 units: Persian with ZWNJ (U+200C) inside words, an emoji ZWJ family, a flag (two
// regional indicators), an emoji with a variation selector, and one bold run long enough to be cut.
FormattedText long_text() {
  TextBuilder b;
  for (int i = 0; i < 3; ++i) {
    b.add(
        "می‌خواهم کتاب‌ها را به خانه‌ی دوستم ببرم "
        "👨‍👩‍👧 "
        "و "
        "🇮🇷 ");
    b.add("ساعت " + std::to_string(8 + i) + " می‌رسم. ");
  }
  b.add("This sentence is bold from here to the end of it and a little further ✌️ yes",
        EntityType::kBold);
  b.add(" then plain again. ");
  for (int i = 0; i < 2; ++i)
    b.add(
        "نمی‌دانم چرا این‌قدر طول کشید، ولی بالاخره تمام "
        "شد "
        "😀 ");
  return std::move(b).build();
}

struct Part {
  std::string text;
  std::vector<std::tuple<int, int, std::string>> entities;  // offset, length, type name
  bool operator==(const Part&) const = default;
};

std::string entity_name(EntityType t) {
  return std::string(entity_type_name(t));
}

// Bytes of the code point that starts at s[i] (0 past the end).
std::size_t cp_len(const std::string& s, std::size_t i) {
  if (i >= s.size()) return 0;
  const auto c = static_cast<unsigned char>(s[i]);
  return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

// A part must not start with a joiner, a combining mark, a variation selector or the second
// regional indicator of a flag, nor end with a joiner.
void expect_clean_cut(const std::string& part) {
  ASSERT_FALSE(part.empty());
  const std::string zwnj = "\u200C", zwj = "\u200D", vs16 = "\uFE0F";
  EXPECT_FALSE(part.starts_with(zwnj)) << part;
  EXPECT_FALSE(part.starts_with(zwj)) << part;
  EXPECT_FALSE(part.starts_with(vs16)) << part;
  EXPECT_FALSE(part.ends_with(zwnj)) << part;
  EXPECT_FALSE(part.ends_with(zwj)) << part;
  const auto first = static_cast<unsigned char>(part[0]);
  EXPECT_TRUE(first < 0x80 || first >= 0xC0) << part;  // not inside a UTF-8 sequence
  // A lone regional indicator at either end would be half a flag.
  const std::string ri_lead = "\xF0\x9F\x87";
  std::size_t indicators = 0;
  for (std::size_t i = 0; i < part.size(); i += std::max<std::size_t>(1, cp_len(part, i)))
    indicators += part.compare(i, 3, ri_lead) == 0 ? 1 : 0;
  EXPECT_EQ(indicators % 2, 0u) << part;
}

class SendTextContractTest : public TdlibTransportTest {
 protected:
  // The in-memory transport: its parts and the ids send_text() answered with.
  std::pair<std::vector<Part>, std::vector<MessageId>> through_memory(const FormattedText& text,
                                                                      MessageId reply_to) {
    ManualClock clock;
    EventLoop loop(clock);
    MemoryTransport memory(loop);
    memory.set_message_text_limit(kLimit);
    SendOptions options;
    options.reply_to = reply_to;
    std::optional<Result<SentParts>> got;
    memory.send_text(ChatId(kChat), text, options,
                     [&](Result<SentParts> r) { got = std::move(r); });
    EXPECT_FALSE(got.has_value()) << "answered inside the call";
    loop.run_until_idle();
    EXPECT_TRUE(got.has_value() && got->is_ok());
    std::vector<Part> parts;
    std::vector<MessageId> recorded;
    for (const auto& a : memory.actions()) {
      if (a.kind != "send") continue;
      Part p{a.text.text, {}};
      for (const auto& e : a.text.entities)
        p.entities.emplace_back(e.offset, e.length, entity_name(e.type));
      parts.push_back(p);
      recorded.push_back(a.message);
      // Only the first part replies.
      EXPECT_EQ(a.reply_to, parts.size() == 1 ? std::optional<MessageId>(reply_to) : std::nullopt);
    }
    EXPECT_EQ(got->value().ids, recorded);
    return {parts, recorded};
  }

  // The TDLib transport at the same run-time limit: its sendMessage texts and the real ids.
  std::pair<std::vector<Part>, std::vector<MessageId>> through_tdlib(const FormattedText& text,
                                                                     MessageId reply_to) {
    answer_sends();
    start();
    push(tj::update_option_integer("message_text_length_max", kLimit));
    SendOptions options;
    options.reply_to = reply_to;
    std::optional<Result<SentParts>> got;
    transport_->send_text(ChatId(kChat), text, options,
                          [&](Result<SentParts> r) { got = std::move(r); });
    settle();
    std::vector<MessageId> real;
    std::size_t done = 0;
    for (int guard = 0; guard < 100 && !got.has_value(); ++guard) {
      for (; done < sent_.size(); ++done) {
        real.emplace_back(static_cast<std::int64_t>(500 + done) << 20);
        succeed(done, real.back().value());
      }
      advance(milliseconds(1100));
    }
    EXPECT_TRUE(got.has_value() && got->is_ok());
    std::vector<Part> parts;
    for (std::size_t i = 0; i < sent_.size(); ++i) {
      const json& t = sent_[i].request.at("input_message_content").at("text");
      Part p{t.at("text"), {}};
      for (const auto& e : t.at("entities")) {
        std::string type = e.at("type").at("@type");
        type = type.substr(std::string("textEntityType").size());
        for (auto& c : type)
          c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        p.entities.emplace_back(e.at("offset"), e.at("length"), type);
      }
      parts.push_back(p);
      EXPECT_EQ(sent_[i].request.at("reply_to").is_null(), i > 0) << i;
    }
    EXPECT_EQ(got->value().ids, real);
    return {parts, real};
  }
};

TEST_F(SendTextContractTest, BothTransportsSplitALongTextAlikeAndAnswerEveryId) {
  const FormattedText text = long_text();
  ASSERT_GT(utf16_units(text.text), 5u * kLimit);
  const auto [memory_parts, memory_ids] = through_memory(text, MessageId(42));
  const auto [tdlib_parts, tdlib_ids] = through_tdlib(text, MessageId(42 << 20));

  ASSERT_GE(memory_parts.size(), 6u);
  EXPECT_EQ(memory_parts, tdlib_parts);
  EXPECT_EQ(memory_ids.size(), memory_parts.size());
  EXPECT_EQ(tdlib_ids.size(), tdlib_parts.size());
  const std::size_t n = memory_parts.size();
  std::string joined;
  int parts_with_bold = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::string& part = memory_parts[i].text;
    EXPECT_LE(utf16_units(part), static_cast<std::size_t>(kLimit)) << part;
    const std::string marker = " (" + std::to_string(i + 1) + "/" + std::to_string(n) + ")";
    ASSERT_TRUE(part.ends_with(marker)) << part;
    const std::string body = part.substr(0, part.size() - marker.size());
    expect_clean_cut(body);
    joined += body;
    for (const auto& [offset, length, type] : memory_parts[i].entities) {
      EXPECT_EQ(type, "bold");
      EXPECT_LE(static_cast<std::size_t>(offset + length), utf16_units(body));
    }
    parts_with_bold += memory_parts[i].entities.empty() ? 0 : 1;
  }
  EXPECT_GE(parts_with_bold, 2) << "the bold run crosses a cut and continues in the next part";
  // Nothing is lost but the whitespace at the cuts.
  std::string expected;
  for (char c : text.text) {
    if (c != ' ') expected += c;
  }
  std::string got;
  for (char c : joined) {
    if (c != ' ') got += c;
  }
  EXPECT_EQ(got, expected);
}

TEST_F(SendTextContractTest, ATextWithinTheLimitIsOneMessageOnBothTransports) {
  const FormattedText text("سلام 👋 short enough");
  const auto [memory_parts, memory_ids] = through_memory(text, MessageId(7));
  const auto [tdlib_parts, tdlib_ids] = through_tdlib(text, MessageId(7 << 20));
  ASSERT_EQ(memory_parts.size(), 1u);
  EXPECT_EQ(memory_parts, tdlib_parts);
  EXPECT_EQ(memory_parts[0].text, text.text);
  EXPECT_EQ(memory_ids.size(), 1u);
  EXPECT_EQ(tdlib_ids.size(), 1u);
}

TEST_F(SendTextContractTest, BlankTextIsRefusedOnBothTransportsWithoutASend) {
  ManualClock clock;
  EventLoop loop(clock);
  MemoryTransport memory(loop);
  std::optional<Result<SentParts>> from_memory;
  memory.send_text(ChatId(kChat), FormattedText(" \n "), {},
                   [&](Result<SentParts> r) { from_memory = std::move(r); });
  loop.run_until_idle();
  ASSERT_TRUE(from_memory.has_value());
  EXPECT_EQ(from_memory->status().code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(memory.actions().empty());

  answer_sends();
  start();
  std::optional<Result<SentParts>> from_tdlib;
  transport_->send_text(ChatId(kChat), FormattedText(" \n "), {},
                        [&](Result<SentParts> r) { from_tdlib = std::move(r); });
  settle();
  ASSERT_TRUE(from_tdlib.has_value());
  EXPECT_EQ(from_tdlib->status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(count("sendMessage"), 0u);
}

}  // namespace
}  // namespace sakai::telegram::tdjson::transport_test
