#pragma once
// The image feature's words: the caption under the images and the error that replaces the status
// message. Pure functions over the catalogs; any thread.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "ai/http/api_error.h"
#include "core/i18n.h"
#include "telegram/formatted_text.h"

namespace sakai::features {

struct CaptionFacts {
  std::string prompt;    // as the user wrote it
  std::string provider;  // "pollinations"
  std::string model;
  int width = 0;
  int height = 0;
  std::optional<std::int64_t> seed;
  std::chrono::seconds took{0};
  int images = 1;
  bool not_enhanced = false;  // enhancement was wanted and failed, and the prompt is not English
};

// "<prompt>\n<provider> · <model> · 1024×1024 · seed 42 · 12 seconds" in `lang`, within `limit`
// UTF-16 code units: the prompt is shortened (with "…") to make room, never the details. The
// prompt is isolated in a right-to-left catalog when it runs the other way.
telegram::FormattedText image_caption(const I18n& i18n, const std::string& lang,
                                      const CaptionFacts& facts, int limit);

// The localised message for a failed image request; `owner` adds the hint only the account's
// owner can act on (which setting to check).
std::string image_error_text(const I18n& i18n, const std::string& lang, const ai::ApiError& error,
                             bool owner);

// "Pollinations", "Hugging Face", "OpenAI", ...: a provider's name for people (a chain's,
// "pollinations>huggingface", is its primary's).
std::string image_provider_display_name(const std::string& provider);

}  // namespace sakai::features
