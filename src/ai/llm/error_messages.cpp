#include "ai/llm/error_messages.h"

#include <algorithm>

#include "ai/http/wire_errors.h"
#include "core/text.h"

namespace sakai::ai {
namespace {

// "PROHIBITED_CONTENT" → "prohibited content"; "moderation: hate" stays.
std::string humanize_reason(std::string_view reason) {
  std::string out = text::ascii_lower(reason);
  std::replace(out.begin(), out.end(), '_', ' ');
  return out.empty() ? std::string("unspecified") : out;
}

}  // namespace

std::vector<TrArg> LlmErrorMessage::tr_args() const {
  std::vector<TrArg> out;
  out.reserve(args.size());
  for (const auto& [name, value] : args)
    out.push_back(TrArg{name, value});
  return out;
}

LlmErrorMessage llm_error_message(const LlmError& error) {
  const std::string provider = error.provider == "llm" || error.provider.empty()
                                   ? std::string("AI")
                                   : provider_display_name(error.provider);
  const auto with_provider = [&](std::string key) {
    return LlmErrorMessage{std::move(key), {{"provider", provider}}};
  };
  switch (error.kind) {
    case LlmErrorKind::kCancelled:
      return {"ai.error.cancelled", {}};
    case LlmErrorKind::kAuth:
      if (error.provider == "llm" || error.provider.empty()) return {"ai.error.no_provider", {}};
      return {"ai.error.auth",
              {{"provider", provider}, {"key_setting", error.provider + ".api_keys"}}};
    case LlmErrorKind::kQuotaExhausted:
      return {"ai.error.quota",
              {{"provider", provider}, {"key_setting", error.provider + ".api_keys"}}};
    case LlmErrorKind::kRateLimited: {
      if (!error.retry_after) return with_provider("ai.error.rate_limited_later");
      const long long ms = std::max<long long>(error.retry_after->count(), 1);
      return {"ai.error.rate_limited",
              {{"provider", provider}, {"seconds", std::to_string((ms + 999) / 1000)}}};
    }
    case LlmErrorKind::kSafetyBlocked:
      if (error.block_reason == "RECITATION") return with_provider("ai.error.recitation");
      return {"ai.error.safety",
              {{"provider", provider}, {"reason", humanize_reason(error.block_reason)}}};
    case LlmErrorKind::kBadRequest:
      if (error.http_status == 404) {
        return {"ai.error.model",
                {{"provider", provider}, {"model_setting", error.provider + ".model"}}};
      }
      return {"ai.error.bad_request",
              {{"provider", provider},
               {"detail", error.message.empty() ? std::string("-")
                                                : clip_provider_text(error.message, 200)}}};
    case LlmErrorKind::kUnavailable:
      return with_provider(error.after_output ? "ai.error.interrupted" : "ai.error.unavailable");
    case LlmErrorKind::kTimeout:
      return with_provider(error.after_output ? "ai.error.interrupted" : "ai.error.timeout");
    case LlmErrorKind::kMalformed:
      return with_provider("ai.error.malformed");
  }
  return with_provider("ai.error.unavailable");
}

}  // namespace sakai::ai
