#pragma once
// The voice feature: /stt (/transcribe), /tts (/speak), /voices, /voicemode, /endvoice, voice
// mode's media handler (every voice note of a chat in voice mode is answered with a
// voice note). Its door: the app's feature table (features/all_features.cpp) installs it on
// every account's registry.
//
// Per account, the feature makes its TTS queue when the engine starts (requests an earlier run
// left unfinished are queued again) and releases it when the engine stops; deleting a /tts
// request, or /cancel in reply to it (its cancel hook), cancels it.
#include <functional>
#include <memory>
#include <vector>

#include "ai/speech/stt.h"
#include "ai/speech/tts.h"
#include "commands/registry.h"

namespace sakai::features {

struct VoiceOptions {
  using TtsEngines = std::vector<std::unique_ptr<ai::speech::TtsEngine>>;
  // Makes the TTS engines, the default first, when the engine starts. Unset: the configured
  // ones (ai::speech::make_tts_engines). No engine at all: no TTS queue (/tts answers that text
  // to speech is unavailable; voice mode speaks with the local voices).
  std::function<TtsEngines(commands::Services&)> tts_engines;
  // Makes the speech-to-text engine on first use. Unset: the configured one
  // (ai::speech::make_stt_engine).
  std::function<std::unique_ptr<ai::speech::SttEngine>(commands::Services&)> stt_engine;
};

// With the configured engines.
Status install_voice_feature(commands::Registry& registry);
Status install_voice_feature_with(commands::Registry& registry, VoiceOptions options);

}  // namespace sakai::features
