#pragma once
// Speech-to-text commands: /stt (transcribe the replied-to voice note, audio or video note, with
// an optional short AI summary) and voice assistant mode (/voicemode, /endvoice): in a chat with
// voice mode on, every voice note goes STT → LLM (with the chat's conversation memory) → TTS →
// a voice reply. Voice mode ends by itself after [voice] voicemode_idle without a voice note.
#include "commands/registry.h"

namespace sakai::commands {

// /stt, /voicemode, /endvoice and the router's media handler for voice mode.
Status register_stt_commands(Registry& registry);

}  // namespace sakai::commands
