// /translate, /analyze, /tellme and /usage against a scripted LLM, plus their pure parts:
// argument parsing, transcript formatting and chunking, the translator's JSON, prices.
#include <gmock/gmock.h>

#include "assistant/usage_tracker.h"
#include "features/ai/chat_digest.h"
#include "features/ai/text_args.h"
#include "unit/commands/text_ai_fixture.h"

namespace sakai::testing {
namespace {

using assistant::PriceTable;
using features::chunk_lines;
using features::estimate_tokens;
using features::format_transcript;
using features::parse_analyze;
using features::parse_tellme;
using features::parse_translate;
using features::parse_translation_answer;
using ::testing::HasSubstr;
using ::testing::Not;

// ---------------------------------------------------------------------------------------------
// Argument parsing

TEST(TranslateArgs, SeveralTargetsAndText) {
  auto p = parse_translate("en,fa hello there");
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p.value->targets.size(), 2u);
  EXPECT_EQ(p.value->targets[0]->code, "en");
  EXPECT_EQ(p.value->targets[1]->code, "fa");
  EXPECT_EQ(p.value->source, nullptr);
  EXPECT_EQ(p.value->text, "hello there");
}

TEST(TranslateArgs, SourceNamesAndNewlineText) {
  auto p = parse_translate("english,آلمانی,src=fa\nسلام\nخوبی؟");
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p.value->targets.size(), 2u);
  EXPECT_EQ(p.value->targets[1]->code, "de");
  ASSERT_NE(p.value->source, nullptr);
  EXPECT_EQ(p.value->source->code, "fa");
  EXPECT_EQ(p.value->text, "سلام\nخوبی؟");
  auto q = parse_translate("de,FROM=Farsi x");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q.value->source->code, "fa");
}

TEST(TranslateArgs, BadInput) {
  auto unknown = parse_translate("en,klingon hi");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error.key, "translate.unknown_language");
  EXPECT_FALSE(unknown.error.usage);
  EXPECT_EQ(unknown.error.args[0].second, "klingon");
  auto empty = parse_translate("  ");
  ASSERT_FALSE(empty.ok());
  EXPECT_TRUE(empty.error.usage);
  EXPECT_TRUE(empty.error.key.empty());
  auto source_only = parse_translate("src=de hallo");
  ASSERT_FALSE(source_only.ok());
  EXPECT_EQ(source_only.error.key, "translate.no_target");
  auto many = parse_translate("en,de,fr,es,it,ru hi");
  ASSERT_FALSE(many.ok());
  EXPECT_EQ(many.error.key, "translate.too_many_targets");
}

TEST(AnalyzeArgs, Forms) {
  auto plain = parse_analyze("500", 10000);
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain.value->count, 500);
  EXPECT_EQ(plain.value->mode, "general");
  auto fun = parse_analyze("fun=۱۰۰", 10000);
  ASSERT_TRUE(fun.ok());
  EXPECT_EQ(fun.value->count, 100);
  EXPECT_EQ(fun.value->mode, "fun");
  auto reversed = parse_analyze("20=Romance", 10000);
  ASSERT_TRUE(reversed.ok());
  EXPECT_EQ(reversed.value->mode, "romance");
  auto space = parse_analyze("fun 30", 10000);
  ASSERT_TRUE(space.ok());
  EXPECT_EQ(space.value->count, 30);
  auto persian_mode = parse_analyze("طنز=۵", 10000);
  ASSERT_TRUE(persian_mode.ok());
  EXPECT_EQ(persian_mode.value->mode, "fun");
}

TEST(AnalyzeArgs, Errors) {
  EXPECT_EQ(parse_analyze("abc", 100).error.key, "digest.bad_count");
  EXPECT_EQ(parse_analyze("0", 100).error.key, "digest.bad_count");
  EXPECT_EQ(parse_analyze("fun", 100).error.key, "digest.missing_count");
  EXPECT_EQ(parse_analyze("weird=10", 100).error.key, "analyze.unknown_mode");
  EXPECT_EQ(parse_analyze("fun=1=2", 100).error.key, "digest.extra_words");
  const auto too_many = parse_analyze("101", 100);
  EXPECT_EQ(too_many.error.key, "digest.too_many");
  EXPECT_FALSE(too_many.error.usage);
  EXPECT_TRUE(parse_analyze("", 100).error.usage);
}

TEST(TellmeArgs, Forms) {
  auto eq = parse_tellme("50=what did we decide? a=b", 10000);
  ASSERT_TRUE(eq.ok());
  EXPECT_EQ(eq.value->count, 50);
  EXPECT_EQ(eq.value->question, "what did we decide? a=b");
  auto space = parse_tellme("۲۰ کی میاد؟", 10000);
  ASSERT_TRUE(space.ok());
  EXPECT_EQ(space.value->count, 20);
  EXPECT_EQ(space.value->question, "کی میاد؟");
  EXPECT_EQ(parse_tellme("50", 10000).error.key, "tellme.no_question");
  EXPECT_EQ(parse_tellme("x=why", 10000).error.key, "digest.bad_count");
  EXPECT_EQ(parse_tellme("20001=why", 10000).error.key, "digest.too_many");
}

// ---------------------------------------------------------------------------------------------
// The translator's answer

TEST(TranslationAnswer, FencedJsonWithProse) {
  const auto a = parse_translation_answer(
      "Sure! Here it is:\n```json\n{\"source_language\": \"fa\", \"translations\": ["
      "{\"language\": \"en\", \"text\": \"Hello\", \"pronunciation\": \"هِلو\"},"
      "{\"language\": \"de\", \"text\": \"Hallo\", \"pronunciation\": \"هالو\"}]}\n```");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->source_language, "fa");
  ASSERT_EQ(a->translations.size(), 2u);
  EXPECT_EQ(a->translations[1].text, "Hallo");
  EXPECT_EQ(a->translations[0].pronunciation, "هِلو");
}

TEST(TranslationAnswer, ObjectFormAndGarbage) {
  const auto a = parse_translation_answer(
      R"({"translations": {"en": "Hi", "fr": {"translation": "Salut", "phonetic": "سالو"}}})");
  ASSERT_TRUE(a.has_value());
  ASSERT_EQ(a->translations.size(), 2u);
  EXPECT_EQ(a->translations[1].pronunciation, "سالو");
  EXPECT_FALSE(parse_translation_answer("Hello, just text").has_value());
  EXPECT_FALSE(parse_translation_answer("{not json}").has_value());
  EXPECT_FALSE(parse_translation_answer(R"({"translations": []})").has_value());
}

// ---------------------------------------------------------------------------------------------
// Transcript and chunks

Message msg(std::int64_t id, std::string name, std::string text, std::int64_t t,
            MediaKind media = MediaKind::kNone) {
  Message m;
  m.id = MessageId(id);
  m.sender_name = std::move(name);
  m.text = std::move(text);
  m.date_unix = t;
  m.media = media;
  return m;
}

TEST(Transcript, CompactLinesOldestFirstSkippingNoise) {
  // Newest first, as get_history gives them.
  const std::vector<Message> history = {
      msg(6, "Sara", "⏳ Reading messages… 100/500", 3600 * 10 + 60 * 6),
      msg(5, "Sara", "/analyze=500", 3600 * 10 + 60 * 5),
      msg(4, "Ali", "", 3600 * 10 + 60 * 4, MediaKind::kPhoto),
      msg(3, "Ali", "two\nlines", 3600 * 10 + 60 * 3),
      msg(2, "", "anonymous", 3600 * 9),
      msg(1, "Sara", "سلام", 0),
  };
  const auto lines = format_transcript(history);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], "[00:00] Sara: سلام");
  EXPECT_EQ(lines[1], "[09:00] User 0: anonymous");
  EXPECT_EQ(lines[2], "[10:03] Ali: two ⏎ lines");
}

TEST(Transcript, ChunksRespectTheBudget) {
  std::vector<std::string> lines;
  for (int i = 0; i < 100; ++i)
    lines.push_back("[10:00] Someone: a line of about forty characters " + std::to_string(i));
  const auto chunks = chunk_lines(lines, 100);
  ASSERT_GT(chunks.size(), 5u);
  std::size_t total_lines = 0;
  for (const auto& c : chunks) {
    EXPECT_LE(estimate_tokens(c), 100u);
    total_lines += static_cast<std::size_t>(std::count(c.begin(), c.end(), '\n')) + 1;
  }
  EXPECT_EQ(total_lines, lines.size());
  EXPECT_EQ(chunk_lines({std::string(4000, 'x')}, 50).size(), 1u);  // one long line is cut
  EXPECT_LE(estimate_tokens(chunk_lines({std::string(4000, 'x')}, 50)[0]), 50u);
}

// ---------------------------------------------------------------------------------------------
// Prices

TEST(Prices, ParseFindAndCost) {
  std::vector<std::string> bad;
  const auto t =
      PriceTable::parse({"gemini-2.5-flash=0.30/2.50", "gpt-4o*=2.5/10", "broken", "x=1/y"}, &bad);
  EXPECT_EQ(t.entries().size(), 2u);
  EXPECT_EQ(bad.size(), 2u);
  ai::Usage u;
  u.input_tokens = 1000;
  u.output_tokens = 100;
  u.thinking_tokens = 100;
  EXPECT_EQ(t.cost_micro_usd("gemini-2.5-flash", u), 300 + 500);
  EXPECT_EQ(t.cost_micro_usd("models/gemini-2.5-flash", u), 800);
  EXPECT_EQ(t.cost_micro_usd("openai/gpt-4o-mini", u), 2500 + 2000);
  EXPECT_EQ(t.cost_micro_usd("unknown", u), 0);
}

}  // namespace
}  // namespace sakai::testing
