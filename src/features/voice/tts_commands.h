#pragma once
// Text-to-speech commands: /tts (alias /speak), /voices, over the voice state's TTS queue
// (see tts_queue.h).
#include <memory>

#include "commands/registry.h"

namespace sakai::features {

struct VoiceState;

Status register_tts_commands(commands::Registry& registry,
                             const std::shared_ptr<VoiceState>& state);

}  // namespace sakai::features
