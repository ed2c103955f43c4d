#pragma once
// Speech failures as a user reads them. Every text-to-speech and speech-to-text failure becomes a
// catalog message in the asker's language ([tts.error], [stt.error]); the engines' raw texts
// ("Gemini TTS: no audio in the answer (finishReason STOP)", "tts: flite produced no audio") stay
// in the log, at warn, with the provider's HTTP status, code and request id when it gave them.
// Messages with set-up hints (which key to add, which package to install) are for the owner; a
// friend reads what happened without them.
// Thread-safety: event loop thread (they read the catalogs and write the log).
#include <string>
#include <string_view>

#include "ai/speech/stt.h"
#include "core/result.h"

namespace sakai::commands {
struct Services;
}

namespace sakai::features {

// The localised message for a failed synthesis by `engine` ("local", "gemini", "openai").
std::string tts_error_text(const commands::Services& services, const std::string& lang,
                           const Status& error, std::string_view engine, bool owner);

// The localised message for a failed transcription.
std::string stt_error_text(const commands::Services& services, const std::string& lang,
                           const ai::speech::SttError& error, bool owner);

// Logs a failed transcription at warn: the engine's detail and, for a cloud engine, the
// provider's HTTP status, code, request id and body excerpt (never a key).
void log_stt_failure(const commands::Services& services, const ai::speech::SttError& error);

}  // namespace sakai::features
