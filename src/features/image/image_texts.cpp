#include "features/image/image_texts.h"

#include <algorithm>

#include "ai/http/wire_errors.h"
#include "core/text.h"

namespace sakai::features {
namespace {

using ai::ApiErrorKind;

constexpr std::string_view kSeparator = " · ";

std::string one_line(std::string_view s) {
  std::string out;
  for (const char c : s)
    out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  return std::string(text::trim(out));
}

std::string seconds_of(std::chrono::milliseconds ms) {
  return std::to_string(std::max<long long>(1, (ms.count() + 999) / 1000));
}

}  // namespace

std::string image_provider_display_name(const std::string& name) {
  // A chain ("pollinations>huggingface") is named by its primary.
  const std::string provider = name.substr(0, name.find('>'));
  if (provider == "pollinations") return "Pollinations";
  if (provider == "huggingface") return "Hugging Face";
  if (provider == "cloudflare") return "Cloudflare";
  if (provider == "worker") return "Worker";
  if (provider == "image" || provider.empty()) return "Image";
  return ai::provider_display_name(provider);
}

namespace {

// "1024×768" with the language's digits: Persian digits in fa (no grouping, unlike a quantity).
std::string size_text(const std::string& lang, int width, int height) {
  const std::string ascii = std::to_string(width) + "×" + std::to_string(height);
  if (lang != "fa") return ascii;
  std::string out;
  for (char c : ascii) {
    if (c >= '0' && c <= '9') {
      out += "\xDB";
      out += static_cast<char>(0xB0 + (c - '0'));  // U+06F0..U+06F9
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

telegram::FormattedText image_caption(const I18n& i18n, const std::string& lang,
                                      const CaptionFacts& f, int limit) {
  std::string details = i18n.tr(lang, "image.caption.details",
                                {{"provider", image_provider_display_name(f.provider)},
                                 {"model", f.model},
                                 {"size", size_text(lang, f.width, f.height)}});
  if (f.seed) {
    details += kSeparator;
    details += i18n.tr(lang, "image.caption.seed", {{"seed", std::to_string(*f.seed)}});
  }
  details += kSeparator;
  details += i18n.tr(lang, "image.caption.took",
                     {{"seconds", std::to_string(std::max<long long>(1, f.took.count()))}});
  std::string note;
  if (f.not_enhanced) note = i18n.tr(lang, "image.caption.not_enhanced");

  // Room for the prompt: the limit less the details, the note, two line breaks and the isolates
  // a right-to-left catalog may add around it.
  const auto used = static_cast<long long>(text::utf16_length(details)) +
                    static_cast<long long>(text::utf16_length(note)) + 2 + 2;
  const long long room = static_cast<long long>(limit) - used;
  std::string prompt = one_line(f.prompt);
  telegram::TextBuilder b;
  if (room > 1 && !prompt.empty()) {
    // Shorten by code points until it fits in UTF-16 units (emoji count twice there).
    auto max_points = static_cast<std::size_t>(room);
    std::string shown = text::truncate(prompt, max_points);
    while (static_cast<long long>(text::utf16_length(shown)) > room - 1 && max_points > 1) {
      max_points -= std::max<std::size_t>(1, max_points / 10);
      shown = text::truncate(prompt, max_points);
    }
    b.line(i18n.isolate_for(lang, shown));
  }
  b.add(details, telegram::EntityType::kItalic);
  if (!note.empty()) b.add("\n").add(note);
  telegram::FormattedText out = std::move(b).build();
  if (static_cast<int>(text::utf16_length(out.text)) > limit) {
    // A limit too small for the details themselves: the details, cut.
    return telegram::FormattedText(text::truncate(details, static_cast<std::size_t>(limit / 2)));
  }
  return out;
}

std::string image_error_text(const I18n& i18n, const std::string& lang, const ai::ApiError& e,
                             bool owner) {
  const std::string provider = image_provider_display_name(e.provider);
  const std::string detail =
      e.message.empty() ? std::string("-") : ai::clip_provider_text(e.message, 200);
  std::string text;
  std::string hint;
  const std::string key_setting = e.provider + ".api_keys";
  switch (e.kind) {
    case ApiErrorKind::kAuth:
      if (e.provider == "image" || e.provider.empty()) {
        text = i18n.tr(lang, "image.error.none");
        hint = i18n.tr(lang, "image.hint.none");
      } else {
        text = i18n.tr(lang, "image.error.auth", {{"provider", provider}});
        hint = i18n.tr(lang, "image.hint.key", {{"key_setting", key_setting}});
      }
      break;
    case ApiErrorKind::kQuotaExhausted:
      text = i18n.tr(lang, "image.error.quota_provider", {{"provider", provider}});
      hint = i18n.tr(lang, "image.hint.key", {{"key_setting", key_setting}});
      break;
    case ApiErrorKind::kRateLimited:
      text = e.retry_after
                 ? i18n.tr(lang, "image.error.rate_limited",
                           {{"provider", provider}, {"seconds", seconds_of(*e.retry_after)}})
                 : i18n.tr(lang, "image.error.rate_limited_later", {{"provider", provider}});
      break;
    case ApiErrorKind::kSafetyBlocked:
      text = i18n.tr(lang, "image.error.safety", {{"provider", provider}});
      break;
    case ApiErrorKind::kBadRequest:
      text = i18n.tr(lang, "image.error.bad_request", {{"provider", provider}, {"detail", detail}});
      break;
    case ApiErrorKind::kUnavailable:
      text = i18n.tr(lang, "image.error.unavailable_provider", {{"provider", provider}});
      break;
    case ApiErrorKind::kTimeout:
      text = i18n.tr(lang, "image.error.timeout", {{"provider", provider}});
      break;
    case ApiErrorKind::kMalformed:
      text = i18n.tr(lang, "image.error.malformed", {{"provider", provider}});
      break;
    case ApiErrorKind::kCancelled:
      text = i18n.tr(lang, "image.cancelled");
      break;
  }
  if (owner && !hint.empty()) text += "\n" + hint;
  return text;
}

}  // namespace sakai::features
