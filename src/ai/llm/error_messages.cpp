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

bool is_chain(const LlmError& e) {
  return e.provider == "llm" || e.provider.empty();
}

// A 503 (or Anthropic-style 529), or the service saying it is overloaded: busy, not broken.
bool overloaded(const LlmError& e) {
  return e.http_status == 503 || e.http_status == 529 || e.provider_code == "UNAVAILABLE" ||
         e.provider_code == "overloaded_error";
}

}  // namespace

std::vector<TrArg> LlmErrorMessage::tr_args() const {
  std::vector<TrArg> out;
  out.reserve(args.size());
  for (const auto& [name, value] : args)
    out.push_back(TrArg{name, value});
  return out;
}

LlmErrorMessage llm_error_message(const LlmError& error, const LlmErrorContext& context) {
  const bool owner = context.for_owner;
  std::string provider;
  if (is_chain(error)) {
    provider = "AI";
  } else if (context.label) {
    provider = context.label(error.provider);
  }
  if (provider.empty()) provider = provider_display_name(error.provider);
  const auto with_provider = [&](std::string key) {
    return LlmErrorMessage{std::move(key), {{"provider", provider}}};
  };
  const auto owner_or_friend = [&](std::string key, std::string setting_name, std::string setting) {
    if (!owner) return with_provider(key + "_friend");
    return LlmErrorMessage{std::move(key),
                           {{"provider", provider}, {std::move(setting_name), std::move(setting)}}};
  };

  if (error.kind == LlmErrorKind::kCancelled) return {"ai.error.cancelled", {}};
  // Part of the answer is on screen: one note, whatever broke it (a filter says why itself).
  if (error.after_output && error.kind != LlmErrorKind::kSafetyBlocked)
    return with_provider("ai.error.interrupted");
  if (error.provider_code == kDeadlineCode) {
    const long long s = std::max<long long>(context.deadline.count(), 1);
    return {context.long_request ? "ai.error.deadline_long" : "ai.error.deadline",
            {{"provider", provider}, {"seconds", std::to_string(s)}}};
  }
  switch (error.kind) {
    case LlmErrorKind::kCancelled:
      return {"ai.error.cancelled", {}};
    case LlmErrorKind::kAuth:
      if (is_chain(error))
        return {owner ? "ai.error.no_provider" : "ai.error.no_provider_friend", {}};
      return owner_or_friend("ai.error.auth", "key_setting", error.provider + ".api_keys");
    case LlmErrorKind::kQuotaExhausted:
      return owner_or_friend("ai.error.quota", "key_setting", error.provider + ".api_keys");
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
        return owner_or_friend("ai.error.model", "model_setting", error.provider + ".model");
      }
      return {"ai.error.bad_request",
              {{"provider", provider},
               {"detail", error.message.empty() ? std::string("-")
                                                : clip_provider_text(error.message, 200)}}};
    case LlmErrorKind::kUnavailable:
    case LlmErrorKind::kTimeout:
      break;
    case LlmErrorKind::kMalformed:
      return with_provider(owner ? "ai.error.malformed" : "ai.error.malformed_friend");
  }
  // Unavailable or timed out: say what happened on the wire.
  switch (error.cause) {
    case ApiCause::kConnectionRefused:
    case ApiCause::kHostNotFound:
    case ApiCause::kTls: {
      if (!owner) return with_provider("ai.error.unreachable_friend");
      std::string host = context.host ? context.host(error.provider) : std::string();
      if (host.empty() || host == provider) {
        // A server named by its host: "Cannot reach the AI server at 127.0.0.1:11434".
        return {"ai.error.unreachable_server",
                {{"host", host.empty() ? provider : host},
                 {"url_setting", error.provider + ".base_url"}}};
      }
      return {"ai.error.unreachable",
              {{"provider", provider},
               {"host", std::move(host)},
               {"url_setting", error.provider + ".base_url"}}};
    }
    case ApiCause::kTimedOut:
      return with_provider(context.long_request ? "ai.error.timeout_long" : "ai.error.timeout");
    case ApiCause::kConnectionLost:
      return with_provider("ai.error.connection_lost");
    case ApiCause::kServerError:
    case ApiCause::kService:
    case ApiCause::kTransport:
    case ApiCause::kCancelled:
      break;
  }
  if (error.kind == LlmErrorKind::kTimeout) {
    return with_provider(context.long_request ? "ai.error.timeout_long" : "ai.error.timeout");
  }
  if (error.http_status >= 500 && !overloaded(error)) {
    return {"ai.error.server_error",
            {{"provider", provider}, {"status", std::to_string(error.http_status)}}};
  }
  return with_provider("ai.error.unavailable");
}

}  // namespace sakai::ai
