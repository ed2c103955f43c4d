#pragma once
// Text-to-speech engines behind one interface: the local engines (flite English, espeak-ng
// Persian/Arabic; synthesis runs on the process's WorkerPool, never on the loop), Gemini TTS
// (generateContent with responseModalities AUDIO: base64 PCM s16le) and an OpenAI-compatible
// POST /audio/speech (opus or wav bytes). Every engine answers with mono PCM.
//
// Errors (Status codes, for the caller to localise):
//   kInvalidArgument   empty/over-long text, an unknown voice, a rate out of range
//   kPermissionDenied  the key was refused (401/403)
//   kRateLimited       429 or quota exhausted
//   kUnavailable       the service or engine cannot be reached / started, 5xx, the worker
//                      pool's queue is full
//   kCorrupt           the answer carried no decodable audio
//   kCancelled         the caller cancelled it (SynthesisCancel)
// Thread-safety: synthesize() from the event loop thread; `done` runs on the event loop thread,
// exactly once, never inside the call (also when cancelled). An engine must outlive its calls;
// a local synthesis still queued when the WorkerPool is destroyed is dropped unanswered.
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ai/speech/audio.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/event_loop.h"
#include "core/result.h"
#include "core/service_health.h"
#include "core/worker_pool.h"

namespace sakai::net {
class HttpClient;
}

namespace sakai::ai::speech {

struct TtsVoice {
  std::string id;        // what voice=<id> takes
  std::string language;  // "en", "fa", "ar", "" for multilingual
  std::string description;
};

using TtsDone = std::function<void(Result<Pcm>)>;

// Stops one synthesis that is under way. cancel() (event loop thread) raises the flag and runs
// the hooks the engine registered: the HTTP engines abort their request (net::HttpClient::cancel);
// the local engines' pool jobs read the flag between sentences (flite) or between audio blocks
// (espeak-ng) and stop there. A cancelled synthesis answers `done` with kCancelled.
class SynthesisCancel {
 public:
  void cancel();
  [[nodiscard]] bool cancelled() const { return flag_->load(); }
  // The flag alone, for worker threads (they never touch the hooks).
  [[nodiscard]] std::shared_ptr<const std::atomic<bool>> flag() const { return flag_; }
  // Runs `hook` on cancel(); at once when already cancelled. Event loop thread.
  void on_cancel(std::function<void()> hook);

 private:
  std::shared_ptr<std::atomic<bool>> flag_ = std::make_shared<std::atomic<bool>>(false);
  std::vector<std::function<void()>> hooks_;
};
using CancelToken = std::shared_ptr<SynthesisCancel>;

class TtsEngine {
 public:
  virtual ~TtsEngine() = default;
  [[nodiscard]] virtual std::string name() const = 0;  // "local", "gemini", "openai"
  [[nodiscard]] virtual std::vector<TtsVoice> voices() const = 0;
  // The voice used when none is asked for; the local engine picks by the text's script.
  [[nodiscard]] virtual std::string default_voice(std::string_view text) const = 0;
  // rate: speed multiplier (1.0 = normal): the local engines stretch time, OpenAI-compatible
  // servers take it as `speed`, Gemini gets a pacing instruction in the prompt.
  // cancel: may be null; see SynthesisCancel.
  virtual void synthesize(std::string text, std::string voice, double rate, TtsDone done,
                          CancelToken cancel) = 0;
  // A cloud engine's circuit state (kind "tts"), for /health; none for a local engine.
  [[nodiscard]] virtual std::optional<ServiceHealth> health() const { return std::nullopt; }
};

// Persian/Arabic script → "fa" or "ar" (Arabic-only letters decide), else "en".
std::string detect_tts_language(std::string_view text);

// Whether a voice of `voice_language` ("en", "fa", "ar"; "" for a multilingual voice) can read
// `text`: an English voice finds nothing to say in Persian or Arabic script.
[[nodiscard]] bool voice_can_read(std::string_view voice_language, std::string_view text);

// Raw PCM s16le mono from a "audio/L16;codec=pcm;rate=24000" style MIME type (rate defaults
// to 24000), or a RIFF/WAVE file (PCM 16-bit; channels are downmixed).
Result<Pcm> pcm_from_s16le(std::string_view bytes, int rate);
Result<Pcm> pcm_from_wav(std::string_view bytes);
int rate_from_mime(std::string_view mime, int fallback = 24000);

// Synthesis runs on `workers`; `done` on `loop`. Both must outlive the engine's calls.
std::unique_ptr<TtsEngine> make_local_tts_engine(EventLoop& loop, WorkerPool& workers);

// Gemini TTS has no speed parameter: it is steered by an instruction ahead of the text ("Say
// slowly: ..."). The instruction for `rate` ("" near 1.0).
std::string gemini_pacing_instruction(double rate);

struct HttpTtsSettings {
  std::string base_url;
  std::vector<std::string> api_keys;  // rotated on 429/401/403; empty for a keyless server
  std::string model;
  std::string voice;            // default voice
  std::string format = "opus";  // OpenAI only: "opus" or "wav"
  std::chrono::milliseconds timeout{120000};
};
// `clock` resolves Retry-After dates. Keys rotate through ai/http/keyed_http.h.
std::unique_ptr<TtsEngine> make_gemini_tts_engine(net::HttpClient& http, const Clock& clock,
                                                  HttpTtsSettings settings);
std::unique_ptr<TtsEngine> make_openai_tts_engine(net::HttpClient& http, const Clock& clock,
                                                  HttpTtsSettings settings);

// The engines the configuration enables, the default first: [tts] engine = auto (gemini when a
// key exists, else local) | local | gemini | openai. The local engine is always present, so
// voice commands work with no key at all. `http` may be null (then only local). The local
// engine synthesises on `workers`.
std::vector<std::unique_ptr<TtsEngine>> make_tts_engines(const Config& config,
                                                         net::HttpClient* http, EventLoop& loop,
                                                         WorkerPool& workers);

}  // namespace sakai::ai::speech
