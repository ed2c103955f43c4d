#include "core/formatted_text.h"

#include <gtest/gtest.h>

#include <string>

namespace sakai {
namespace {

TextEntity link(std::int32_t offset, std::int32_t length, std::string url) {
  return TextEntity{offset, length, EntityType::kTextUrl, std::move(url)};
}

TEST(FormattedText, EntityTextCountsUtf16UnitsAcrossPersianAndEmoji) {
  const std::string text = "گزارش 😍 اینجاست";  // 5 letters, space, emoji (2 units), space, 7
  EXPECT_EQ(entity_text(text, {0, 5, EntityType::kBold, {}}), "گزارش");
  EXPECT_EQ(entity_text(text, {6, 2, EntityType::kBold, {}}), "😍");
  EXPECT_EQ(entity_text(text, {9, 7, EntityType::kBold, {}}), "اینجاست");
  // Half a surrogate pair, past the end, empty or negative: no text.
  EXPECT_EQ(entity_text(text, {6, 1, EntityType::kBold, {}}), "");
  EXPECT_EQ(entity_text(text, {9, 8, EntityType::kBold, {}}), "");
  EXPECT_EQ(entity_text(text, {0, 0, EntityType::kBold, {}}), "");
  EXPECT_EQ(entity_text(text, {-1, 3, EntityType::kBold, {}}), "");
}

TEST(FormattedText, LinksBehindTextAreWrittenOutOnce) {
  const std::string text = "read the report and https://b.example too";
  EXPECT_EQ(text_with_links(text, {link(9, 6, "https://a.example/r"),
                                   link(20, 17, "https://b.example"),  // already in the text
                                   {0, 4, EntityType::kBold, {}}}),
            "read the report (https://a.example/r) and https://b.example too");
  EXPECT_EQ(text_with_links(text, {}), text);
  // Two links, given out of order, land after their own words.
  EXPECT_EQ(text_with_links("one two", {link(4, 3, "u2"), link(0, 3, "u1")}), "one (u1) two (u2)");
}

TEST(FormattedText, NamesForTheConsole) {
  EXPECT_EQ(entity_type_name(EntityType::kMentionName), "mention_name");
  EXPECT_EQ(entity_type_name(EntityType::kUrl), "url");
  EXPECT_EQ(entity_type_name(EntityType::kTextUrl), "text_url");
}

}  // namespace
}  // namespace sakai
