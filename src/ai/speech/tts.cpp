#include "ai/speech/tts.h"

#include <atomic>
#include <cstring>
#include <exception>
#include <utility>

#include "ai/speech/local_tts.h"
#include "core/text.h"

namespace sakai::ai::speech {
namespace {

// Decodes one UTF-8 code point at `i` (advancing it); malformed bytes come back as U+FFFD.
char32_t next_code_point(std::string_view s, std::size_t& i) {
  const auto b = static_cast<unsigned char>(s[i++]);
  if (b < 0x80) return b;
  int extra = 0;
  char32_t cp = 0;
  if ((b & 0xE0) == 0xC0) {
    extra = 1;
    cp = b & 0x1F;
  } else if ((b & 0xF0) == 0xE0) {
    extra = 2;
    cp = b & 0x0F;
  } else if ((b & 0xF8) == 0xF0) {
    extra = 3;
    cp = b & 0x07;
  } else {
    return 0xFFFD;
  }
  for (int k = 0; k < extra; ++k) {
    if (i >= s.size()) return 0xFFFD;
    const auto c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) != 0x80) return 0xFFFD;
    cp = (cp << 6) | (c & 0x3F);
    ++i;
  }
  return cp;
}

std::uint32_t le32(std::string_view b, std::size_t at) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(b[at])) |
         (static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 1])) << 8) |
         (static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 2])) << 16) |
         (static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 3])) << 24);
}
std::uint16_t le16(std::string_view b, std::size_t at) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(b[at]) |
                                    (static_cast<unsigned char>(b[at + 1]) << 8));
}

class LocalTtsEngine final : public TtsEngine {
 public:
  LocalTtsEngine(EventLoop& loop, WorkerPool& workers) : loop_(loop), workers_(workers) {}
  [[nodiscard]] std::string name() const override { return "local"; }
  [[nodiscard]] std::vector<TtsVoice> voices() const override {
    std::vector<TtsVoice> out;
    for (const auto& v : list_local_voices())
      out.push_back(TtsVoice{v.id, v.language, v.engine + ": " + v.description});
    return out;
  }
  [[nodiscard]] std::string default_voice(std::string_view text) const override {
    return local_voice_for_language(detect_tts_language(text)).value_or("kal16");
  }
  void synthesize(std::string text, std::string voice, double rate, TtsDone done,
                  CancelToken cancel) override {
    // The job holds only the flag: local_tts() reads it between sentences / audio blocks.
    std::shared_ptr<const std::atomic<bool>> flag;
    if (cancel) flag = cancel->flag();
    // `done` stays with the loop when the pool refuses the job; a job that runs moves it into
    // its continuation, so it is never called nor destroyed off the loop.
    auto answer = std::make_shared<TtsDone>(std::move(done));
    const bool queued = workers_.run(
        loop_,
        [text = std::move(text), voice = std::move(voice), rate, flag = std::move(flag),
         answer]() -> std::function<void()> {
          TtsOptions options;
          options.voice = voice;
          options.rate = rate;
          options.cancel = flag;
          auto result = std::make_shared<Result<Pcm>>(make_error(ErrorCode::kInternal, ""));
          try {
            *result = local_tts(text, options);
          } catch (const std::exception& e) {
            *result = make_error(ErrorCode::kInternal, std::string("local TTS: ") + e.what());
          }
          return [result, done = std::move(*answer)] { done(std::move(*result)); };
        });
    if (!queued) {
      loop_.post([answer] {
        (*answer)(make_error(ErrorCode::kUnavailable, "local TTS: too many jobs waiting"));
      });
    }
  }

 private:
  EventLoop& loop_;
  WorkerPool& workers_;
};

}  // namespace

void SynthesisCancel::cancel() {
  if (flag_->exchange(true)) return;
  auto hooks = std::move(hooks_);
  hooks_.clear();
  for (auto& hook : hooks)
    hook();
}

void SynthesisCancel::on_cancel(std::function<void()> hook) {
  if (cancelled()) {
    hook();
    return;
  }
  hooks_.push_back(std::move(hook));
}

std::string detect_tts_language(std::string_view text) {
  int persian = 0, arabic = 0, script = 0;
  for (std::size_t i = 0; i < text.size();) {
    const char32_t cp = next_code_point(text, i);
    const bool in_script = (cp >= 0x0600 && cp <= 0x06FF) || (cp >= 0x0750 && cp <= 0x077F) ||
                           (cp >= 0xFB50 && cp <= 0xFDFF) || (cp >= 0xFE70 && cp <= 0xFEFF);
    if (!in_script) continue;
    ++script;
    if (cp == 0x067E || cp == 0x0686 || cp == 0x0698 || cp == 0x06AF || cp == 0x06CC ||
        cp == 0x06A9) {
      ++persian;
    } else if (cp == 0x0629 || cp == 0x064A || cp == 0x0643 || cp == 0x0649 ||
               (cp >= 0x064B && cp <= 0x0652)) {
      ++arabic;
    }
  }
  if (script == 0) return "en";
  return arabic > persian ? "ar" : "fa";
}

bool voice_can_read(std::string_view voice_language, std::string_view text) {
  // flite's English voices skip every letter of the Arabic script (no audio at all); espeak-ng's
  // Persian and Arabic voices read Latin letters too.
  return voice_language != "en" || detect_tts_language(text) == "en";
}

int rate_from_mime(std::string_view mime, int fallback) {
  const std::string lower = text::ascii_lower(mime);
  const auto at = lower.find("rate=");
  if (at == std::string::npos) return fallback;
  int rate = 0;
  for (std::size_t i = at + 5; i < lower.size() && lower[i] >= '0' && lower[i] <= '9'; ++i)
    rate = rate * 10 + (lower[i] - '0');
  return rate > 0 && rate <= 384000 ? rate : fallback;
}

Result<Pcm> pcm_from_s16le(std::string_view bytes, int rate) {
  if (bytes.size() < 2 || rate <= 0) {
    return make_error(ErrorCode::kCorrupt, "the answer carried no audio");
  }
  Pcm pcm;
  pcm.sample_rate = rate;
  pcm.samples.resize(bytes.size() / 2);
  for (std::size_t i = 0; i < pcm.samples.size(); ++i)
    pcm.samples[i] = static_cast<int16_t>(le16(bytes, i * 2));
  return pcm;
}

Result<Pcm> pcm_from_wav(std::string_view b) {
  if (b.size() < 12 || b.substr(0, 4) != "RIFF" || b.substr(8, 4) != "WAVE") {
    return make_error(ErrorCode::kCorrupt, "not a WAV file");
  }
  int channels = 0, rate = 0, bits = 0;
  for (std::size_t at = 12; at + 8 <= b.size();) {
    const std::string_view id = b.substr(at, 4);
    std::size_t size = le32(b, at + 4);
    const std::size_t body = at + 8;
    if (id == "fmt " && size >= 16 && body + 16 <= b.size()) {
      if (le16(b, body) != 1) return make_error(ErrorCode::kCorrupt, "WAV is not PCM");
      channels = le16(b, body + 2);
      rate = static_cast<int>(le32(b, body + 4));
      bits = le16(b, body + 14);
    } else if (id == "data") {
      if (channels <= 0 || rate <= 0 || bits != 16) {
        return make_error(ErrorCode::kCorrupt, "WAV is not 16-bit PCM");
      }
      // Streamed WAVs carry 0 or 0xFFFFFFFF as the data size: take what is there.
      size = std::min(size == 0 ? b.size() - body : size, b.size() - body);
      const std::size_t frames = size / (2u * static_cast<std::size_t>(channels));
      Pcm pcm;
      pcm.sample_rate = rate;
      pcm.samples.resize(frames);
      for (std::size_t f = 0; f < frames; ++f) {
        int sum = 0;
        for (int c = 0; c < channels; ++c)
          sum += static_cast<int16_t>(le16(b, body + (f * channels + c) * 2));
        pcm.samples[f] = static_cast<int16_t>(sum / channels);
      }
      if (pcm.samples.empty()) return make_error(ErrorCode::kCorrupt, "WAV has no samples");
      return pcm;
    }
    at = body + size + (size & 1u);
  }
  return make_error(ErrorCode::kCorrupt, "WAV has no data chunk");
}

std::unique_ptr<TtsEngine> make_local_tts_engine(EventLoop& loop, WorkerPool& workers) {
  return std::make_unique<LocalTtsEngine>(loop, workers);
}

std::vector<std::unique_ptr<TtsEngine>> make_tts_engines(const Config& config,
                                                         net::HttpClient* http, EventLoop& loop,
                                                         WorkerPool& workers) {
  std::vector<std::unique_ptr<TtsEngine>> engines;
  const std::string choice = config.get_string("tts.engine");
  const auto timeout = std::chrono::milliseconds(config.get_seconds("http.timeout") * 1000);
  // gemini.api_key_tts alone when set (SakaiBot 2.0's GEMINI_API_KEY_TTS), else every Gemini key.
  auto keys_of = [&config](const std::string& key) {
    std::vector<std::string> keys;
    for (const auto& k : config.get_list(key)) {
      if (!text::trim(k).empty()) keys.emplace_back(text::trim(k));
    }
    return keys;
  };
  std::vector<std::string> gemini_keys;
  // The configured value is kept alive: trim() returns a view into it.
  const std::string tts_key_value = config.get_string("gemini.api_key_tts");
  if (const auto tts_key = text::trim(tts_key_value); !tts_key.empty()) {
    gemini_keys.emplace_back(tts_key);
  } else {
    gemini_keys = keys_of("gemini.api_keys");
  }
  std::vector<std::string> openai_keys = keys_of("openai.api_keys");
  std::unique_ptr<TtsEngine> gemini, openai;
  if (http != nullptr && (!gemini_keys.empty() || choice == "gemini")) {
    gemini =
        make_gemini_tts_engine(*http, loop.clock(),
                               HttpTtsSettings{config.get_string("gemini.base_url"), gemini_keys,
                                               config.get_string("gemini.tts_model"),
                                               config.get_string("gemini.tts_voice"), "", timeout});
  }
  if (http != nullptr && (!openai_keys.empty() || choice == "openai")) {
    openai =
        make_openai_tts_engine(*http, loop.clock(),
                               HttpTtsSettings{config.get_string("openai.base_url"), openai_keys,
                                               config.get_string("tts.openai_model"),
                                               config.get_string("tts.openai_voice"),
                                               config.get_string("tts.openai_format"), timeout});
  }
  auto local = make_local_tts_engine(loop, workers);
  if (choice == "openai" && openai) engines.push_back(std::move(openai));
  if ((choice == "gemini" || choice == "auto") && gemini) engines.push_back(std::move(gemini));
  engines.push_back(std::move(local));
  if (gemini) engines.push_back(std::move(gemini));
  if (openai) engines.push_back(std::move(openai));
  return engines;
}

}  // namespace sakai::ai::speech
