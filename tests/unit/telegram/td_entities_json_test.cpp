#include "telegram/format/td_entities_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "telegram/format/markdown.h"

namespace sakai::telegram {
namespace {

TEST(TdEntitiesJson, FormattedTextShape) {
  FormattedText t("héllo 😀 world");
  t.entities = {{0, 5, EntityType::kBold, ""}, {6, 2, EntityType::kItalic, ""}};
  const auto j = nlohmann::json::parse(formatted_text_to_td_json(t));
  EXPECT_EQ(j["@type"], "formattedText");
  EXPECT_EQ(j["text"], "héllo 😀 world");
  ASSERT_EQ(j["entities"].size(), 2u);
  const auto& e = j["entities"][1];
  EXPECT_EQ(e["@type"], "textEntity");
  EXPECT_EQ(e["offset"], 6);
  EXPECT_EQ(e["length"], 2);
  EXPECT_EQ(e["type"], nlohmann::json({{"@type", "textEntityTypeItalic"}}));
  EXPECT_EQ(nlohmann::json::parse(formatted_text_to_td_json(FormattedText("x")))["entities"],
            nlohmann::json::array());
}

TEST(TdEntitiesJson, EveryEntityTypeUsesTheTdApiConstructor) {
  const struct {
    TextEntity entity;
    nlohmann::json type;
  } cases[] = {
      {{0, 1, EntityType::kBold, ""}, {{"@type", "textEntityTypeBold"}}},
      {{0, 1, EntityType::kItalic, ""}, {{"@type", "textEntityTypeItalic"}}},
      {{0, 1, EntityType::kUnderline, ""}, {{"@type", "textEntityTypeUnderline"}}},
      {{0, 1, EntityType::kStrikethrough, ""}, {{"@type", "textEntityTypeStrikethrough"}}},
      {{0, 1, EntityType::kSpoiler, ""}, {{"@type", "textEntityTypeSpoiler"}}},
      {{0, 1, EntityType::kCode, ""}, {{"@type", "textEntityTypeCode"}}},
      {{0, 1, EntityType::kPre, ""}, {{"@type", "textEntityTypePre"}}},
      {{0, 1, EntityType::kPre, "rust"},
       {{"@type", "textEntityTypePreCode"}, {"language", "rust"}}},
      {{0, 1, EntityType::kTextUrl, "https://a.b/c?d=\"e\""},
       {{"@type", "textEntityTypeTextUrl"}, {"url", "https://a.b/c?d=\"e\""}}},
      {{0, 1, EntityType::kBlockQuote, ""}, {{"@type", "textEntityTypeBlockQuote"}}},
      {{0, 1, EntityType::kMention, ""}, {{"@type", "textEntityTypeMention"}}},
  };
  for (const auto& c : cases) {
    FormattedText t("x");
    t.entities = {c.entity};
    const auto j = nlohmann::json::parse(formatted_text_to_td_json(t));
    EXPECT_EQ(j["entities"][0]["type"], c.type) << c.type.dump();
    EXPECT_EQ(nlohmann::json::parse(text_entity_type_to_td_json(c.entity)), c.type);
    EXPECT_EQ(td_entity_type_name(c.entity), c.type["@type"]);
  }
}

TEST(TdEntitiesJson, InvalidUtf8DoesNotThrow) {
  FormattedText t("bad \xff byte");
  std::string out;
  ASSERT_NO_THROW(out = formatted_text_to_td_json(t));
  EXPECT_EQ(nlohmann::json::parse(out)["text"], "bad \xEF\xBF\xBD byte");
}

TEST(TdEntitiesJson, MarkdownRoundTrip) {
  const auto j = nlohmann::json::parse(formatted_text_to_td_json(
      markdown_to_formatted("**Hi** [x](https://e.com)\n\n```go\nf()\n```")));
  EXPECT_EQ(j["text"], "Hi x\n\nf()");
  ASSERT_EQ(j["entities"].size(), 3u);
  EXPECT_EQ(j["entities"][0]["type"]["@type"], "textEntityTypeBold");
  EXPECT_EQ(j["entities"][1]["type"]["url"], "https://e.com");
  EXPECT_EQ(j["entities"][2]["type"]["language"], "go");
  EXPECT_EQ(j["entities"][2]["offset"], 6);
}

}  // namespace
}  // namespace sakai::telegram
