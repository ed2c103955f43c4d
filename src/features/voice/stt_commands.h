#pragma once
// Speech-to-text commands: /stt (transcribe the replied-to voice note, audio or video note, with
// an optional short AI summary) and voice assistant mode (/voicemode, /endvoice): in a chat with
// voice mode on, every voice note goes STT → LLM (with the chat's conversation memory) → TTS →
// a voice reply. Voice mode ends by itself after [voice] voicemode_idle without a voice note.
#include <memory>

#include "commands/registry.h"

namespace sakai::features {

struct VoiceState;

// /stt.
Status register_stt_commands(commands::Registry& registry,
                             const std::shared_ptr<VoiceState>& state);
// /voicemode, /endvoice, the router's media handler for voice mode and its start hook (the chats
// that were in voice mode before a restart are back).
Status register_voice_mode(commands::Registry& registry, const std::shared_ptr<VoiceState>& state);

}  // namespace sakai::features
