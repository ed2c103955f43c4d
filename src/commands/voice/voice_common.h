#pragma once
// What /stt and voice mode share: the speech-to-text engine (made from the configuration on first
// use), the chats in voice mode, downloading and transcribing a media message, localised error
// texts, and sending a long text as several messages.
// Thread-safety: event loop thread only. Held by shared_ptr in the handlers that use it.
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "ai/speech/stt.h"
#include "core/event_loop.h"
#include "core/ids.h"
#include "core/message.h"
#include "telegram/formatted_text.h"

namespace sakai::commands {

struct Services;

struct VoiceModeChat {
  EventLoop::TimerId idle_timer = 0;
  std::string lang;         // the language of whoever turned it on
  std::int64_t thread = 0;  // the conversation thread of this session (the /voicemode message)
};

struct VoiceState {
  std::unique_ptr<ai::speech::SttEngine> stt;
  std::map<std::int64_t, VoiceModeChat> voice_mode;  // chat id → state

  ai::speech::SttEngine& engine(Services& services);
  // Runs `job` on a new thread; every thread is joined when the state goes.
  void run_worker(std::function<void()> job);

  VoiceState() = default;
  VoiceState(const VoiceState&) = delete;
  VoiceState& operator=(const VoiceState&) = delete;
  ~VoiceState();

 private:
  std::mutex workers_mu_;
  std::vector<std::thread> workers_;
};

struct VoiceResult {
  std::optional<ai::speech::Transcript> transcript;
  std::string error;  // localised, when !transcript
};

[[nodiscard]] bool is_audio_media(MediaKind media);

// Download → size cap → decode/caps → engine. `done` runs on the loop thread.
void transcribe_message(const std::shared_ptr<VoiceState>& state, Services& services,
                        const Message& media, std::string language_hint, std::string lang,
                        std::function<void(VoiceResult)> done);

std::string stt_error_text(Services& services, const std::string& lang,
                           const ai::speech::SttError& error);

// Sends `text` split at the transport's limit (split_formatted), the first part replying to
// `reply_to`; `done` hears whether every part went out.
void send_split(Services& services, ChatId chat, MessageId reply_to, telegram::FormattedText text,
                std::function<void(bool)> done);

}  // namespace sakai::commands
