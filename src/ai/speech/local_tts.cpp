#include "ai/speech/local_tts.h"

#include <algorithm>
#include <cctype>
#include <mutex>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "ai/speech/espeak_library.h"
#include "ai/speech/flite_library.h"

namespace sakai::ai::speech {
namespace {

const LocalVoice* find_voice(std::string_view id) {
  for (const auto& v : list_local_voices()) {
    if (v.id == id) return &v;
  }
  return nullptr;
}

std::string voice_ids() {
  std::string out;
  for (const auto& v : list_local_voices()) {
    if (!out.empty()) out += ", ";
    out += v.id;
  }
  return out;
}

// --- flite -----------------------------------------------------------------------------------

// flite keeps global state: one synthesis at a time. Process-wide and never destroyed, like
// flite's own globals.
std::mutex& flite_mutex() {
  static auto* mu = new std::mutex;
  return *mu;
}

bool raised(const TtsOptions& options) {
  return options.cancel && options.cancel->load();
}

Status cancelled_error() {
  return make_error(ErrorCode::kCancelled, "tts: cancelled");
}

// Sentences (and lines): cut after . ! ? ; … ؟ ۔ or a newline that is followed by white space or
// the end. Every piece keeps its punctuation; blank pieces are dropped.
std::vector<std::string> sentences(std::string_view text) {
  std::vector<std::string> out;
  std::string current;
  auto flush = [&] {
    const bool blank = std::all_of(current.begin(), current.end(), [](char c) {
      return std::isspace(static_cast<unsigned char>(c));
    });
    if (!blank) out.push_back(current);
    current.clear();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    current += text[i];
    const char c = text[i];
    bool end = c == '.' || c == '!' || c == '?' || c == ';' || c == '\n';
    // U+061F ARABIC QUESTION MARK (D8 9F), U+06D4 ARABIC FULL STOP (DB 94), U+2026 … (E2 80 A6).
    const auto prev = [&](std::size_t back) {
      return i >= back ? static_cast<unsigned char>(text[i - back]) : 0;
    };
    const auto uc = static_cast<unsigned char>(c);
    end = end || (prev(1) == 0xD8 && uc == 0x9F) || (prev(1) == 0xDB && uc == 0x94) ||
          (prev(2) == 0xE2 && prev(1) == 0x80 && uc == 0xA6);
    if (end && (i + 1 == text.size() || std::isspace(static_cast<unsigned char>(text[i + 1])))) {
      flush();
    }
  }
  flush();
  return out;
}

// One utterance per sentence, so a cancellation takes effect at the next sentence; the waves
// (each with flite's own leading and trailing pause) are joined.
Result<Pcm> flite_speak(std::string_view text, const std::string& id, const TtsOptions& options) {
  // libflite and this voice's library are opened here on first use (flite_library.h).
  auto api = flite_api();
  if (!api.is_ok()) return api.status().with_context("flite");
  auto loaded = flite_voice(id);
  if (!loaded.is_ok()) return loaded.status().with_context("flite");
  const FliteApi& flite = **api;
  cst_voice* voice = *loaded;
  Pcm pcm;
  for (const std::string& sentence : sentences(text)) {
    if (raised(options)) return cancelled_error();
    std::lock_guard lock(flite_mutex());
    flite.feat_set_float(voice->features, "duration_stretch",
                         static_cast<float>(1.0 / options.rate));
    cst_wave* wave = flite.flite_text_to_wave(sentence.c_str(), voice);
    if (wave == nullptr) return make_error(ErrorCode::kInternal, "flite: synthesis failed");
    pcm.sample_rate = wave->sample_rate;
    const int channels = std::max(1, wave->num_channels);
    for (int i = 0; i < wave->num_samples; ++i) {
      pcm.samples.push_back(wave->samples[static_cast<std::ptrdiff_t>(i) * channels]);
    }
    flite.delete_wave(wave);
  }
  if (raised(options)) return cancelled_error();
  return pcm;
}

// --- espeak-ng -------------------------------------------------------------------------------

// What espeak_Synth's callback sees through user_data.
struct EspeakSink {
  std::vector<int16_t> samples;
  const std::atomic<bool>* cancel = nullptr;
};

int collect_samples(short* wav, int count, espeak_EVENT* events) {
  if (events == nullptr || events->user_data == nullptr) return 0;
  auto* sink = static_cast<EspeakSink*>(events->user_data);
  if (wav != nullptr && count > 0) sink->samples.insert(sink->samples.end(), wav, wav + count);
  // Non-zero aborts the synthesis: a cancelled request stops at the next audio block.
  return sink->cancel != nullptr && sink->cancel->load() ? 1 : 0;
}

// espeak-ng keeps global state: one call into it at a time. Process-wide and never destroyed,
// like its globals.
std::mutex& espeak_mutex() {
  static auto* mu = new std::mutex;
  return *mu;
}

Result<Pcm> espeak_speak(std::string_view text, const std::string& id, const TtsOptions& options) {
  // libespeak-ng is opened and initialised here on first use (espeak_library.h).
  auto api = espeak_api();
  if (!api.is_ok()) return api.status().with_context("espeak-ng");
  const EspeakApi& espeak = **api;
  const std::string owned(text);
  if (raised(options)) return cancelled_error();
  std::lock_guard lock(espeak_mutex());
  espeak.espeak_SetSynthCallback(collect_samples);
  if (espeak.espeak_SetVoiceByName(id.c_str()) != EE_OK) {
    return make_error(ErrorCode::kUnavailable, fmt::format("espeak-ng: no voice {}", id));
  }
  constexpr int kDefaultWordsPerMinute = 175;
  espeak.espeak_SetParameter(espeakRATE, static_cast<int>(kDefaultWordsPerMinute * options.rate),
                             0);
  EspeakSink sink;
  sink.cancel = options.cancel.get();
  const espeak_ERROR err = espeak.espeak_Synth(owned.c_str(), owned.size() + 1, 0, POS_CHARACTER, 0,
                                               espeakCHARS_UTF8, nullptr, &sink);
  if (raised(options)) return cancelled_error();
  if (err != EE_OK) {
    return make_error(ErrorCode::kInternal,
                      fmt::format("espeak-ng: synthesis failed ({})", static_cast<int>(err)));
  }
  Pcm pcm;
  pcm.sample_rate = espeak.sample_rate;
  pcm.samples = std::move(sink.samples);
  return pcm;
}

}  // namespace

const std::vector<LocalVoice>& list_local_voices() {
  static const std::vector<LocalVoice> voices = {
      {"kal16", "flite", "en", "English, male (US), 16 kHz diphone"},
      {"rms", "flite", "en", "English, male (US), clustergen"},
      {"slt", "flite", "en", "English, female (US), clustergen"},
      {"fa", "espeak-ng", "fa", "Persian (Farsi)"},
      {"ar", "espeak-ng", "ar", "Arabic"},
  };
  return voices;
}

std::optional<std::string> local_voice_for_language(std::string_view language) {
  std::string primary;
  for (char c : language) {
    if (c == '-' || c == '_') break;
    primary += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (primary == "en") return "kal16";
  if (primary == "fa" || primary == "per" || primary == "fas") return "fa";
  if (primary == "ar" || primary == "ara") return "ar";
  return std::nullopt;
}

Result<Pcm> local_tts(std::string_view text, const TtsOptions& options) {
  const bool blank = std::all_of(
      text.begin(), text.end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)); });
  if (blank) return make_error(ErrorCode::kInvalidArgument, "tts: nothing to say");
  if (text.size() > kMaxTtsChars) {
    return make_error(
        ErrorCode::kInvalidArgument,
        fmt::format("tts: text too long: {} bytes, the limit is {}", text.size(), kMaxTtsChars));
  }
  if (!(options.rate >= 0.5 && options.rate <= 2.0)) {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("tts: rate {} out of range 0.5..2", options.rate));
  }
  const LocalVoice* voice = find_voice(options.voice);
  if (voice == nullptr) {
    return make_error(
        ErrorCode::kInvalidArgument,
        fmt::format("tts: unknown voice '{}'; local voices: {}", options.voice, voice_ids()));
  }
  auto pcm = voice->engine == "flite" ? flite_speak(text, voice->id, options)
                                      : espeak_speak(text, voice->id, options);
  if (pcm && pcm->samples.empty()) {
    // Nothing in the text the voice can pronounce (Persian text for an English voice, emoji).
    return make_error(ErrorCode::kCorrupt, fmt::format("tts: {} produced no audio", voice->engine));
  }
  return pcm;
}

}  // namespace sakai::ai::speech
