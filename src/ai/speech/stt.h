#pragma once
// Speech-to-text engines behind one interface:
//   local   pocketsphinx (English only, no key, no network); decoding runs on the process's
//           WorkerPool (core/worker_pool.h), never on the loop
//   gemini  generateContent with the audio inline (inline_data, base64) and a transcription
//           instruction; every key of [gemini] api_keys, rotated on 429/401/403 like the LLM
//           providers (ai/http/keyed_http.h)
//   openai  an OpenAI-compatible POST {base}/audio/transcriptions (multipart/form-data: file,
//           model, language, response_format=json): OpenAI Whisper, Groq, a local server
// [stt] engine = auto picks gemini with a key, else openai with a key, else local.
//
// Audio goes through prepare_clip() first: the size cap, format sniffing, and (for OGG/Opus and
// WAV) a full decode that checks the duration cap and catches corrupt files before any upload.
// Thread-safety: transcribe() from the event loop thread; `done` runs on the loop thread, exactly
// once, never inside the call. An engine must outlive its calls.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "ai/http/api_error.h"
#include "ai/speech/audio.h"
#include "ai/speech/audio_input.h"
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

struct Transcript {
  std::string text;    // trimmed; empty when no speech was heard
  std::string engine;  // "local", "gemini", "openai"
};

enum class SttErrorKind {
  kNotAudio,     // not an audio format we or the engine can read
  kNoSound,      // a video without an audio track
  kTooLarge,     // over [voice] max_bytes
  kTooLong,      // over [voice] max_seconds
  kCorrupt,      // looked like audio but did not decode
  kUnsupported,  // a format the chosen engine cannot take
  kUnavailable,  // the engine cannot run: a library or model is not installed (the detail names
                 // the Debian package, see package_to_install())
  kBusy,         // too many jobs waiting for the worker pool
  kLanguage,     // the engine does not understand the language asked for (local: English only)
  kUnclear,      // the engine heard something but is not confident it was speech it knows
  kProvider,     // the service failed: see `provider`
};

struct SttError {
  SttErrorKind kind = SttErrorKind::kProvider;
  std::string detail;                    // for logs
  std::optional<ai::ApiError> provider;  // kProvider: the service's error, localisable
};

struct SttOutcome {
  std::optional<Transcript> transcript;
  SttError error;  // when !transcript
  [[nodiscard]] bool ok() const { return transcript.has_value(); }
  static SttOutcome success(Transcript t) { return SttOutcome{std::move(t), {}}; }
  static SttOutcome failure(SttErrorKind kind, std::string detail) {
    return SttOutcome{std::nullopt, SttError{kind, std::move(detail), std::nullopt}};
  }
};
using SttDone = std::function<void(SttOutcome)>;

// Audio ready for an engine.
struct AudioClip {
  std::string bytes;  // as received
  AudioFormat format = AudioFormat::kUnknown;
  std::optional<Pcm> pcm;  // decoded when the format is OGG/Opus or WAV
};

// Checks the caps and decodes what can be decoded. The error side carries the outcome to report.
std::variant<AudioClip, SttError> prepare_clip(std::string bytes, const DecodeLimits& limits);

class SttEngine {
 public:
  virtual ~SttEngine() = default;
  [[nodiscard]] virtual std::string name() const = 0;  // "local", "gemini", "openai"
  // Whether it can transcribe speech in `language` (an ISO-639-1 code, "" for unknown): the local
  // engine understands English only; the cloud engines take any language.
  [[nodiscard]] virtual bool understands(std::string_view language) const {
    (void)language;
    return true;
  }
  // `language`: an ISO-639-1 hint ("fa", "en"), may be empty. An engine that does not understand
  // it answers kLanguage.
  virtual void transcribe(AudioClip clip, std::string language, SttDone done) = 0;
  // A cloud engine's circuit state (kind "stt"), for /health; none for a local engine.
  [[nodiscard]] virtual std::optional<ServiceHealth> health() const { return std::nullopt; }
};

struct HttpSttSettings {
  std::string base_url;
  // Every key, tried in turn when one is limited or refused (ai/http/keyed_http.h); empty for a
  // keyless server.
  std::vector<std::string> api_keys;
  std::string model;
  std::chrono::milliseconds timeout{180000};
};

// Decoding runs on `workers`, `done` on `loop`; both must outlive the engine's calls. A job still
// queued when the pool is destroyed is dropped unanswered.
std::unique_ptr<SttEngine> make_local_stt_engine(EventLoop& loop, WorkerPool& workers,
                                                 std::string model_dir = {});
std::unique_ptr<SttEngine> make_gemini_stt_engine(net::HttpClient& http, const Clock& clock,
                                                  HttpSttSettings settings);
std::unique_ptr<SttEngine> make_openai_stt_engine(net::HttpClient& http, const Clock& clock,
                                                  HttpSttSettings settings);

// The engine [stt] engine names (auto: see above). `http` may be null (then only local). The
// local engine decodes on `workers`.
std::unique_ptr<SttEngine> make_stt_engine(const Config& config, net::HttpClient* http,
                                           EventLoop& loop, WorkerPool& workers);

// The local engine refuses a recognition whose confidence (LocalSttResult::confidence) is below
// this: what pocketsphinx makes of speech in another language, music or noise (kUnclear).
inline constexpr double kMinLocalSttConfidence = 0.35;

// The Debian package a kUnavailable error's detail says to install ("... install the Debian
// package libpocketsphinx3 ..."), or "" when it names none.
std::string package_to_install(std::string_view detail);

// The caps from [voice] max_bytes and max_seconds.
DecodeLimits voice_limits(const Config& config);

}  // namespace sakai::ai::speech
