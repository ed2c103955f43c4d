#pragma once
// Text-to-speech commands: /tts (alias /speak), /voices and /cancel (see tts_queue.h).
#include "commands/registry.h"

namespace sakai::commands {

Status register_tts_commands(Registry& registry);

}  // namespace sakai::commands
