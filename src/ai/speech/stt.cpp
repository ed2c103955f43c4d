// prepare_clip(), the local pocketsphinx engine and the engine choice. The HTTP engines are in
// stt_http.cpp.
#include <cctype>
#include <exception>
#include <mutex>
#include <vector>

#include <fmt/format.h>

#include "ai/speech/local_stt.h"
#include "ai/speech/stt.h"
#include "core/text.h"

namespace sakai::ai::speech {
namespace {

SttError error_for_decode(const Status& st) {
  const std::string& m = st.message();
  switch (st.code()) {
    case ErrorCode::kFailedPrecondition:
      if (m.rfind("too large", 0) == 0) return SttError{SttErrorKind::kTooLarge, m, std::nullopt};
      return SttError{SttErrorKind::kTooLong, m, std::nullopt};
    case ErrorCode::kInvalidArgument:
      return SttError{SttErrorKind::kNotAudio, m, std::nullopt};
    case ErrorCode::kUnavailable:  // the decoder's library (FFmpeg) is not installed
      return SttError{SttErrorKind::kUnavailable, m, std::nullopt};
    default:
      return SttError{SttErrorKind::kCorrupt, m, std::nullopt};
  }
}

// pocketsphinx on the process's WorkerPool, the result posted back to the loop. The decoder is
// loaded once, on first use, off the loop.
class LocalSttEngine final : public SttEngine {
 public:
  LocalSttEngine(EventLoop& loop, WorkerPool& workers, std::string model_dir)
      : loop_(loop), workers_(workers), shared_(std::make_shared<Shared>()) {
    if (!model_dir.empty()) shared_->options.model_dir = std::move(model_dir);
    shared_->options.max_seconds = 24 * 3600.0;  // the caps were applied by prepare_clip()
  }

  [[nodiscard]] std::string name() const override { return "local"; }

  // pocketsphinx-en-us: English only. No hint is taken as English (the caller decides what the
  // user's language implies).
  [[nodiscard]] bool understands(std::string_view language) const override {
    const std::string code = text::ascii_lower(language);
    return code.empty() || code == "en" || code.rfind("en-", 0) == 0 || code.rfind("en_", 0) == 0;
  }

  void transcribe(AudioClip clip, std::string language, SttDone done) override {
    if (!understands(language)) {
      loop_.post([done = std::move(done), language] {
        done(SttOutcome::failure(SttErrorKind::kLanguage,
                                 "the local engine understands English only, not " + language));
      });
      return;
    }
    if (!clip.pcm) {
      loop_.post([done = std::move(done)] {
        done(SttOutcome::failure(SttErrorKind::kUnsupported, "the clip was not decoded"));
      });
      return;
    }
    // `done` stays with the loop when the pool refuses the job; a job that runs moves it into
    // its continuation. The job keeps no reference to whoever owns this engine.
    auto answer = std::make_shared<SttDone>(std::move(done));
    const bool queued = workers_.run(
        loop_, [shared = shared_, pcm = std::move(*clip.pcm), answer]() -> std::function<void()> {
          auto out = std::make_shared<SttOutcome>(run(*shared, pcm));
          return [out, done = std::move(*answer)] { done(std::move(*out)); };
        });
    if (!queued) {
      loop_.post([answer] {
        (*answer)(SttOutcome::failure(SttErrorKind::kBusy, "too many jobs waiting"));
      });
    }
  }

 private:
  struct Shared {
    std::mutex mu;
    LocalSttOptions options;
    std::unique_ptr<LocalStt> stt;
  };

  static SttOutcome run(Shared& shared, const Pcm& pcm) {
    try {
      return decode(shared, pcm);
    } catch (const std::exception& e) {
      return SttOutcome::failure(SttErrorKind::kUnavailable, e.what());
    }
  }

  static SttOutcome decode(Shared& shared, const Pcm& pcm) {
    LocalStt* stt = nullptr;
    {
      const std::lock_guard<std::mutex> lock(shared.mu);
      if (!shared.stt) {
        auto created = LocalStt::create(shared.options);
        if (!created.is_ok()) {
          return SttOutcome::failure(SttErrorKind::kUnavailable, created.status().to_string());
        }
        shared.stt = std::move(created).value();
      }
      stt = shared.stt.get();
    }
    auto heard = stt->recognise(pcm);  // serialised inside LocalStt
    if (!heard.is_ok())
      return SttOutcome::failure(SttErrorKind::kCorrupt, heard.status().to_string());
    // Speech in another language, music or noise comes out as confident-looking English words
    // with a low posterior: refuse it rather than guess.
    if (heard->words > 0 && heard->confidence < kMinLocalSttConfidence) {
      return SttOutcome::failure(
          SttErrorKind::kUnclear,
          fmt::format("pocketsphinx confidence {:.2f} < {:.2f} ({} words)", heard->confidence,
                      kMinLocalSttConfidence, heard->words));
    }
    return SttOutcome::success(Transcript{std::string(text::trim(heard->text)), "local"});
  }

  EventLoop& loop_;
  WorkerPool& workers_;
  std::shared_ptr<Shared> shared_;  // shared with the jobs in flight
};

bool has_key(const Config& config, const std::string& provider) {
  for (const auto& k : config.get_list(provider + ".api_keys")) {
    if (!text::trim(k).empty()) return true;
  }
  return false;
}

// Every non-blank key, trimmed, in the configured order (the STT engines rotate across them).
std::vector<std::string> all_keys(const Config& config, const std::string& provider) {
  std::vector<std::string> keys;
  for (const auto& k : config.get_list(provider + ".api_keys")) {
    if (!text::trim(k).empty()) keys.emplace_back(text::trim(k));
  }
  return keys;
}

}  // namespace

std::string package_to_install(std::string_view detail) {
  constexpr std::string_view kMarker = "the Debian package ";
  const auto at = detail.find(kMarker);
  if (at == std::string_view::npos) return {};
  std::size_t end = at + kMarker.size();
  while (end < detail.size() && (std::isalnum(static_cast<unsigned char>(detail[end])) ||
                                 detail[end] == '-' || detail[end] == '.' || detail[end] == '+'))
    ++end;
  std::string package(detail.substr(at + kMarker.size(), end - at - kMarker.size()));
  while (!package.empty() && package.back() == '.')  // the end of the sentence
    package.pop_back();
  return package;
}

std::variant<AudioClip, SttError> prepare_clip(std::string bytes, const DecodeLimits& limits) {
  if (bytes.empty()) return SttError{SttErrorKind::kNotAudio, "empty file", std::nullopt};
  if (bytes.size() > limits.max_bytes) {
    return SttError{SttErrorKind::kTooLarge,
                    std::to_string(bytes.size()) + " bytes > " + std::to_string(limits.max_bytes),
                    std::nullopt};
  }
  AudioClip clip;
  clip.format = sniff_audio_format(bytes);
  switch (clip.format) {
    case AudioFormat::kUnknown:
      return SttError{SttErrorKind::kNotAudio, "unknown format", std::nullopt};
    default: {
      // Decoded for the local engine and for the caps; the cloud engines get the bytes as they
      // are (smaller than PCM, and in a format they take).
      auto pcm = decode_audio(bytes, limits);
      if (!pcm.is_ok()) {
        SttError e = error_for_decode(pcm.status());
        // A file whose magic says audio but does not decode is corrupt, not "not audio" — except
        // a video without a sound track.
        if (e.kind == SttErrorKind::kNotAudio) {
          e.kind = e.detail.find("no audio") != std::string::npos ? SttErrorKind::kNoSound
                                                                  : SttErrorKind::kCorrupt;
        }
        return e;
      }
      clip.pcm = std::move(pcm).value();
      break;
    }
  }
  clip.bytes = std::move(bytes);
  return clip;
}

std::unique_ptr<SttEngine> make_local_stt_engine(EventLoop& loop, WorkerPool& workers,
                                                 std::string model_dir) {
  return std::make_unique<LocalSttEngine>(loop, workers, std::move(model_dir));
}

DecodeLimits voice_limits(const Config& config) {
  DecodeLimits limits;
  limits.max_bytes = static_cast<std::size_t>(config.get_int("voice.max_bytes"));
  limits.max_seconds = static_cast<double>(config.get_int("voice.max_seconds"));
  return limits;
}

std::unique_ptr<SttEngine> make_stt_engine(const Config& config, net::HttpClient* http,
                                           EventLoop& loop, WorkerPool& workers) {
  std::string engine = config.get_string("stt.engine");
  if (http == nullptr) engine = "local";
  if (engine == "auto") {
    engine = has_key(config, "gemini") ? "gemini" : has_key(config, "openai") ? "openai" : "local";
  }
  if (engine == "gemini") {
    HttpSttSettings s;
    s.base_url = config.get_string("gemini.base_url");
    s.api_keys = all_keys(config, "gemini");
    s.model = config.get_string("stt.gemini_model");
    if (s.model.empty()) s.model = config.get_string("gemini.model");
    return make_gemini_stt_engine(*http, loop.clock(), std::move(s));
  }
  if (engine == "openai") {
    HttpSttSettings s;
    s.base_url = config.get_string("openai.base_url");
    s.api_keys = all_keys(config, "openai");
    s.model = config.get_string("stt.model");
    return make_openai_stt_engine(*http, loop.clock(), std::move(s));
  }
  return make_local_stt_engine(loop, workers);
}

}  // namespace sakai::ai::speech
