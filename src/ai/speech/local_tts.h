#pragma once
// Offline text-to-speech: flite for English (voices kal16, rms, slt) and espeak-ng for Persian
// ("fa") and Arabic ("ar"). Neither is linked: the first synthesis that needs an engine (and,
// for flite, each voice) opens its library (dlopen; flite_library.h, espeak_library.h) on the
// thread that runs it. Both engines keep global state, so synthesis is serialised behind one
// mutex per engine; callers may use these from any thread.
#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ai/speech/audio.h"
#include "core/result.h"

namespace sakai::ai::speech {

struct LocalVoice {
  std::string id;        // what /tts voice=<id> takes: "kal16", "rms", "slt", "fa", "ar"
  std::string engine;    // "flite" or "espeak-ng"
  std::string language;  // BCP-47 primary tag: "en", "fa", "ar"
  std::string description;
};

struct TtsOptions {
  std::string voice = "kal16";  // a LocalVoice id
  double rate = 1.0;            // speed multiplier, 0.5 .. 2.0
  // When set and raised (from any thread), synthesis stops at the next sentence (flite) or
  // audio block (espeak-ng) and local_tts() fails with kCancelled.
  std::shared_ptr<const std::atomic<bool>> cancel = nullptr;
};

inline constexpr std::size_t kMaxTtsChars = 4000;

// Every local voice, English first.
const std::vector<LocalVoice>& list_local_voices();
// The voice to use for a language ("en", "fa", "ar"; "en-US" style tags work), or nullopt.
std::optional<std::string> local_voice_for_language(std::string_view language);

// Speaks UTF-8 `text` with the chosen voice; mono PCM at the engine's own rate (flite kal16 16 kHz,
// espeak-ng 22050 Hz). kInvalidArgument for empty or over-long text, an unknown voice or a rate
// out of range; kUnavailable when the engine cannot start: its Debian package is missing
// ("flite: libflite.so.1 is not installed: install the Debian package libflite1 ...") or
// espeak-ng's data is; kCancelled when options.cancel was raised. flite speaks long texts
// sentence by sentence.
Result<Pcm> local_tts(std::string_view text, const TtsOptions& options = {});

// Whether this process has loaded libflite, one flite voice's library ("kal16", "rms", "slt"),
// or libespeak-ng (by a local_tts() call).
bool flite_loaded();
bool flite_voice_loaded(std::string_view id);
bool espeak_loaded();

}  // namespace sakai::ai::speech
