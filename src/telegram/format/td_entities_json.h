#pragma once
// FormattedText as TDLib JSON (td_api.tl of TDLib 1.8.65):
//   {"@type":"formattedText","text":"...","entities":[{"@type":"textEntity","offset":0,
//    "length":4,"type":{"@type":"textEntityTypeBold"}}, ...]}
// kPre with a language becomes textEntityTypePreCode{language}, without one textEntityTypePre;
// kTextUrl becomes textEntityTypeTextUrl{url}. Used by `sakaibot debug render-markdown` and by
// the TDLib transport for sendMessage / editMessageText.
// Never throws on bad UTF-8: invalid bytes are written as U+FFFD. Thread-safety: pure.
#include <string>

#include "telegram/formatted_text.h"

namespace sakai::telegram {

// The TextEntityType constructor name, e.g. "textEntityTypeBold" ("textEntityTypePreCode" for
// kPre with a language).
std::string td_entity_type_name(const TextEntity& entity);

// The TextEntityType object alone, e.g. {"@type":"textEntityTypeTextUrl","url":"..."}.
std::string text_entity_type_to_td_json(const TextEntity& entity);

// The whole formattedText object, compact (no newlines).
std::string formatted_text_to_td_json(const FormattedText& text);

}  // namespace sakai::telegram
