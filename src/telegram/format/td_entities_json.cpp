#include "telegram/format/td_entities_json.h"

#include <nlohmann/json.hpp>

#include "core/text.h"

namespace sakai::telegram {
namespace {

nlohmann::ordered_json type_json(const TextEntity& e) {
  nlohmann::ordered_json j{{"@type", td_entity_type_name(e)}};
  if (e.type == EntityType::kPre && !e.argument.empty()) j["language"] = e.argument;
  if (e.type == EntityType::kTextUrl) j["url"] = e.argument;
  if (e.type == EntityType::kMentionName) j["user_id"] = text::parse_int(e.argument).value_or(0);
  return j;
}

std::string dump(const nlohmann::ordered_json& j) {
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace

std::string td_entity_type_name(const TextEntity& entity) {
  switch (entity.type) {
    case EntityType::kBold:
      return "textEntityTypeBold";
    case EntityType::kItalic:
      return "textEntityTypeItalic";
    case EntityType::kUnderline:
      return "textEntityTypeUnderline";
    case EntityType::kStrikethrough:
      return "textEntityTypeStrikethrough";
    case EntityType::kSpoiler:
      return "textEntityTypeSpoiler";
    case EntityType::kCode:
      return "textEntityTypeCode";
    case EntityType::kPre:
      return entity.argument.empty() ? "textEntityTypePre" : "textEntityTypePreCode";
    case EntityType::kTextUrl:
      return "textEntityTypeTextUrl";
    case EntityType::kBlockQuote:
      return "textEntityTypeBlockQuote";
    case EntityType::kMention:
      return "textEntityTypeMention";
    case EntityType::kMentionName:
      return "textEntityTypeMentionName";
    case EntityType::kUrl:
      return "textEntityTypeUrl";
  }
  return "textEntityTypeBold";
}

std::string text_entity_type_to_td_json(const TextEntity& entity) {
  return dump(type_json(entity));
}

std::string formatted_text_to_td_json(const FormattedText& text) {
  nlohmann::ordered_json entities = nlohmann::ordered_json::array();
  for (const auto& e : text.entities) {
    entities.push_back({{"@type", "textEntity"},
                        {"offset", e.offset},
                        {"length", e.length},
                        {"type", type_json(e)}});
  }
  const nlohmann::ordered_json j{
      {"@type", "formattedText"}, {"text", text.text}, {"entities", std::move(entities)}};
  return dump(j);
}

}  // namespace sakai::telegram
