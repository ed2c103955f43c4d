#include "features/voice/speech_errors.h"

#include "ai/http/api_error.h"
#include "ai/llm/error_messages.h"
#include "commands/services.h"

namespace sakai::features {

using ai::speech::SttError;
using ai::speech::SttErrorKind;
using commands::Services;

namespace {

std::string megabytes(std::size_t bytes) {
  return std::to_string((bytes + 1024 * 1024 - 1) / (1024 * 1024));
}

// What the user calls the engine: the brand of a cloud engine, the catalog's words for the local
// voices.
std::string engine_display(const Services& s, const std::string& lang, std::string_view engine) {
  if (engine == "local") return s.i18n.tr(lang, "tts.engine.local");
  if (engine == "gemini") return s.i18n.tr(lang, "tts.engine.gemini");
  if (engine == "openai") return s.i18n.tr(lang, "tts.engine.openai");
  return std::string(engine);
}

// Where the owner fixes a refused key: Gemini TTS uses gemini.api_key_tts when it is set, else
// the keys of gemini.api_keys (ai::speech::make_tts_engines).
std::string key_setting(const Services& s, std::string_view engine) {
  if (engine == "gemini") {
    return s.config.get_string("gemini.api_key_tts").empty() ? "gemini.api_keys"
                                                             : "gemini.api_key_tts";
  }
  return std::string(engine) + ".api_keys";
}

bool is_busy(const Status& error) {
  const std::string& m = error.message();
  return m.find("too many jobs waiting") != std::string::npos ||
         m.find("no worker free") != std::string::npos;
}

}  // namespace

std::string tts_error_text(const Services& s, const std::string& lang, const Status& error,
                           std::string_view engine, bool owner) {
  const std::string name = engine_display(s, lang, engine);
  const bool local = engine == "local";
  switch (error.code()) {
    case ErrorCode::kRateLimited:
      return s.i18n.tr(lang, "tts.error.rate_limited");
    case ErrorCode::kPermissionDenied:
      if (!owner) return s.i18n.tr(lang, "tts.error.unavailable", {{"engine", name}});
      return s.i18n.tr(lang, "tts.error.auth",
                       {{"engine", name}, {"key_setting", key_setting(s, engine)}});
    case ErrorCode::kDeadlineExceeded:
      return s.i18n.tr(lang, "tts.error.timeout", {{"engine", name}});
    case ErrorCode::kCorrupt:
      // The local voices: nothing they can pronounce; a cloud engine: an answer without audio.
      if (local) return s.i18n.tr(lang, "tts.error.nothing_to_say");
      return s.i18n.tr(lang, "tts.error.no_audio", {{"engine", name}});
    case ErrorCode::kInvalidArgument:
      if (local) return s.i18n.tr(lang, "tts.error.nothing_to_say");
      return s.i18n.tr(lang, "tts.error.refused", {{"engine", name}});
    case ErrorCode::kCancelled:
      return s.i18n.tr(lang, "tts.cancelled");
    case ErrorCode::kIo:
    case ErrorCode::kNotFound:
    case ErrorCode::kFailedPrecondition:
      return s.i18n.tr(lang, "tts.error.file");
    case ErrorCode::kUnavailable: {
      if (is_busy(error)) return s.i18n.tr(lang, "tts.error.busy");
      const std::string package = ai::speech::package_to_install(error.message());
      if (!package.empty()) {
        if (!owner) return s.i18n.tr(lang, "tts.error.off");
        return s.i18n.tr(lang, "tts.error.missing_package", {{"package", package}});
      }
      if (local) return s.i18n.tr(lang, "tts.error.failed");
      return s.i18n.tr(lang, "tts.error.unavailable", {{"engine", name}});
    }
    default:
      return s.i18n.tr(lang, "tts.error.failed");
  }
}

std::string stt_error_text(const Services& s, const std::string& lang, const SttError& e,
                           bool owner) {
  const auto limits = ai::speech::voice_limits(s.config);
  // For the owner, how to get an engine that understands every language.
  auto with_cloud_hint = [&](std::string text) {
    if (owner) text += "\n" + s.i18n.tr(lang, "stt.hint.cloud");
    return text;
  };
  switch (e.kind) {
    case SttErrorKind::kNotAudio:
      // Only asked of voice notes, audio files and video notes: the file is not what it says.
      return s.i18n.tr(lang, "stt.error.unreadable");
    case SttErrorKind::kNoSound:
      return s.i18n.tr(lang, "stt.error.no_sound");
    case SttErrorKind::kTooLarge:
      return s.i18n.tr(lang, "stt.error.too_large", {{"max", megabytes(limits.max_bytes)}});
    case SttErrorKind::kTooLong:
      return s.i18n.tr(lang, "stt.error.too_long",
                       {{"max", std::to_string(static_cast<long long>(limits.max_seconds))}});
    case SttErrorKind::kCorrupt:
      return s.i18n.tr(lang, "stt.error.corrupt");
    case SttErrorKind::kUnsupported:
      return with_cloud_hint(s.i18n.tr(lang, "stt.error.unsupported"));
    case SttErrorKind::kBusy:
      return s.i18n.tr(lang, "stt.error.busy");
    case SttErrorKind::kLanguage:
      return with_cloud_hint(s.i18n.tr(lang, "stt.error.english_only"));
    case SttErrorKind::kUnclear:
      return with_cloud_hint(s.i18n.tr(lang, "stt.error.unclear"));
    case SttErrorKind::kUnavailable: {
      if (!owner) return s.i18n.tr(lang, "stt.error.unavailable_friend");
      const std::string package = ai::speech::package_to_install(e.detail);
      if (package.empty()) return s.i18n.tr(lang, "stt.error.engine_failed");
      return s.i18n.tr(lang, "stt.error.unavailable", {{"package", package}});
    }
    case SttErrorKind::kProvider:
      break;
  }
  if (!e.provider) return s.i18n.tr(lang, "stt.error.engine_failed");
  ai::LlmErrorContext context;
  context.for_owner = owner;  // a friend reads no configuration hints
  const auto msg = ai::llm_error_message(*e.provider, context);
  return s.i18n.tr(lang, msg.key, msg.tr_args());
}

void log_stt_failure(const Services& s, const SttError& e) {
  if (!e.provider) {
    s.log.warn("voice", "transcription failed", {{"error", e.detail}});
    return;
  }
  // describe() has the HTTP status, the provider's code and request id and its words; the body
  // excerpt (keys removed by the keyed-HTTP layer) when it said nothing readable.
  s.log.warn("voice", "transcription failed",
             {{"error", e.provider->describe()}, {"body", e.provider->body_excerpt}});
}

}  // namespace sakai::features
