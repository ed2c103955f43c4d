#include "features/voice/voice_feature.h"

#include "commands/services.h"
#include "features/voice/stt_commands.h"
#include "features/voice/tts_commands.h"
#include "features/voice/tts_queue.h"
#include "features/voice/voice_common.h"

namespace sakai::features {

Status install_voice_feature(commands::Registry& registry) {
  return install_voice_feature_with(registry, VoiceOptions{});
}

Status install_voice_feature_with(commands::Registry& registry, VoiceOptions options) {
  auto state = std::make_shared<VoiceState>();
  state->make_stt = std::move(options.stt_engine);
  // The TTS queue lives while the engine runs.
  registry.add_start_hook([state, make = std::move(options.tts_engines)](commands::Services& s) {
    state->tts.reset();
    VoiceOptions::TtsEngines engines;
    if (make) {
      engines = make(s);
    } else if (s.workers != nullptr) {
      engines = ai::speech::make_tts_engines(s.config, s.http, s.loop, *s.workers);
    } else {
      s.log.warn("voice", "no worker pool: text-to-speech is off");
    }
    if (engines.empty()) return;
    state->tts = std::make_unique<TtsQueue>(s, std::move(engines));
    state->tts->resume();
  });
  registry.add_stop_hook([state] { state->tts.reset(); });
  // Deleting a request cancels it.
  registry.add_deletion_hook(
      [state](commands::Services&, ChatId chat, const std::vector<MessageId>& deleted) {
        if (state->tts) state->tts->on_messages_deleted(chat, deleted);
      });
  // /cancel in reply to a request or its status cancels it.
  registry.add_cancel_hook(
      [state](commands::Services&, ChatId chat, MessageId message, std::optional<UserId> only) {
        return state->tts != nullptr && state->tts->cancel(chat, message, only);
      });
  // /health: each cloud engine's circuit (local engines have none; the speech-to-text engine is
  // listed once it was made, on first use).
  registry.add_health_hook([state](commands::Services&) {
    std::vector<ServiceHealth> out;
    if (state->stt) {
      if (auto h = state->stt->health()) out.push_back(std::move(*h));
    }
    if (state->tts) {
      for (const auto& engine : state->tts->engines()) {
        if (auto h = engine->health()) out.push_back(std::move(*h));
      }
    }
    return out;
  });
  SAKAI_TRY(register_tts_commands(registry, state));
  SAKAI_TRY(register_stt_commands(registry, state));
  return register_voice_mode(registry, state);
}

}  // namespace sakai::features
