#pragma once
// What /stt, voice mode and /tts share: the voice feature's state for one account (the
// speech-to-text engine, made from the configuration on first use; the TTS queue, made when the
// engine starts and released when it stops; the chats in voice mode), downloading and
// transcribing a media message, localised error texts, sending a long text as several messages,
// and the voice-note files we write.
// Thread-safety: event loop thread only. Held by shared_ptr in the handlers that use it.
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ai/speech/stt.h"
#include "core/config.h"
#include "core/event_loop.h"
#include "core/ids.h"
#include "core/message.h"
#include "core/result.h"
#include "core/worker_pool.h"
#include "telegram/formatted_text.h"

namespace sakai::commands {
struct Services;
}

namespace sakai::features {

class TtsQueue;

// A chat in voice mode. Stored (SettingsRepository, key "voicemode.chats") so it survives a
// restart; the idle timer is re-armed from last_activity_ms on start.
struct VoiceModeChat {
  EventLoop::TimerId idle_timer = 0;
  std::string lang;         // the language of whoever turned it on
  std::int64_t thread = 0;  // the conversation thread of this session (the /voicemode message)
  std::int64_t last_activity_ms = 0;  // Unix ms of /voicemode or the last voice note
};

struct VoiceState {
  // Speech-to-text's pool (declared first: it goes last) when the app gave none (tests that build
  // bare Services).
  std::unique_ptr<WorkerPool> own_workers;
  std::unique_ptr<ai::speech::SttEngine> stt;
  // Makes `stt` on first use instead of the configuration (VoiceOptions::stt_engine).
  std::function<std::unique_ptr<ai::speech::SttEngine>(commands::Services&)> make_stt;
  // /tts's queue while the engine runs (the feature's start and stop hooks); null when no TTS
  // engine was made (then /tts says so and voice mode speaks with the local voices directly).
  std::unique_ptr<TtsQueue> tts;
  std::map<std::int64_t, VoiceModeChat> voice_mode;  // chat id → state

  ai::speech::SttEngine& engine(commands::Services& services);
  // The pool for the CPU work of speech (decoding, synthesis): the app's, else own_workers.
  WorkerPool& workers(commands::Services& services);

  VoiceState();
  VoiceState(const VoiceState&) = delete;
  VoiceState& operator=(const VoiceState&) = delete;
  ~VoiceState();
};

struct VoiceResult {
  std::optional<ai::speech::Transcript> transcript;
  std::string error;  // localised, when !transcript
  ai::speech::SttErrorKind kind = ai::speech::SttErrorKind::kProvider;  // when !transcript
};

// Who asked for a transcription and how its errors are told.
struct TranscribeRequest {
  std::string hint;    // the language hint for the engine ("fa", "en"; "" for none)
  std::string lang;    // the language of the error texts
  bool owner = false;  // the owner asked: errors may say how to set SakaiBot up
};

[[nodiscard]] bool is_audio_media(MediaKind media);

// Download → (on the worker pool: read, size cap, decode, duration cap) → engine. `done` runs on
// the loop thread. Whatever the outcome, the transport's local copy of the file is then removed
// (Transport::delete_local_file).
void transcribe_message(const std::shared_ptr<VoiceState>& state, commands::Services& services,
                        const Message& media, TranscribeRequest request,
                        std::function<void(VoiceResult)> done);

// Where SakaiBot writes the voice notes it makes: <data dir>/voice (Services::data_dir, the
// directory the app resolved: data.dir, else $XDG_DATA_HOME/sakaibot, ...; data.dir when the app
// gave none), in a sub-directory per account other than "default". Created on demand with mode
// 0700 (the voice notes in it are 0600: ai::speech::encode_voice_note_file). An error when there
// is no data directory at all or it cannot be created: nothing is ever written to a shared
// temporary directory.
Result<std::filesystem::path> voice_dir(const commands::Services& services);

// The path of our voice-note file `name` in voice_dir(); "" (and a warning in the log) when there
// is no usable directory, so writing it fails cleanly.
std::string voice_file(const commands::Services& services, std::string_view name);

// Removes the files in voice_dir() last written more than `max_age` ago: leftovers of a crash or
// of a console session. Returns how many went.
std::size_t sweep_voice_dir(const commands::Services& services,
                            std::chrono::seconds max_age = std::chrono::hours(1));

// Whether our own voice-note files stay after they were sent: when the transport keeps sent files
// (the console chat, where the file is the voice note to be played); sweep_voice_dir() removes
// them on a later start.
[[nodiscard]] bool keeps_voice_files(const commands::Services& services);

// Our own voice-note file, after the voice note was sent (or failed to send, or was cancelled):
// removed, unless `keep` (keeps_voice_files()).
void discard_voice_file(bool keep, const std::string& path);
inline void discard_voice_file(const commands::Services& services, const std::string& path) {
  discard_voice_file(keeps_voice_files(services), path);
}

}  // namespace sakai::features
