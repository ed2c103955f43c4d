// Speech-to-text plumbing: format sniffing, the WAV parser, prepare_clip()'s caps and errors,
// the local pocketsphinx engine on flite speech (off the loop thread, answered on the loop) and
// the engine choice.
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>

#include "ai/speech/audio_input.h"
#include "ai/speech/local_tts.h"
#include "ai/speech/stt.h"
#include "core/config.h"
#include "core/event_loop.h"
#include "core/worker_pool.h"
#include "net/http_client.h"
#include "support/wav.h"

namespace sakai::ai::speech {
namespace {

// A RIFF/WAVE file of `pcm` as `bits`-bit integer PCM with `channels` identical channels, with an
// unrelated chunk before the data, as many tools write.
std::string wav_of(const Pcm& pcm, int channels = 1, int bits = 16) {
  std::string data;
  for (int16_t s : pcm.samples) {
    for (int c = 0; c < channels; ++c) {
      if (bits == 16) {
        sakai::testing::put_le(data, static_cast<std::uint16_t>(s), 2);
      } else if (bits == 8) {
        data += static_cast<char>((s >> 8) + 128);
      } else {
        sakai::testing::put_le(data, static_cast<std::uint32_t>(static_cast<std::int32_t>(s) * 256),
                               3);
      }
    }
  }
  return sakai::testing::wav_file(data, static_cast<std::uint32_t>(pcm.sample_rate), channels, bits,
                                  /*info_chunk=*/true);
}

Pcm tone(int rate, double seconds) {
  Pcm p;
  p.sample_rate = rate;
  p.samples.resize(static_cast<std::size_t>(rate * seconds));
  for (std::size_t i = 0; i < p.samples.size(); ++i)
    p.samples[i] = static_cast<int16_t>((i % 40) * 400 - 8000);
  return p;
}

TEST(SttAudioInput, SniffsFormats) {
  EXPECT_EQ(sniff_audio_format(wav_of(tone(8000, 0.1))), AudioFormat::kWav);
  auto note = encode_voice_note(tone(16000, 0.3));
  ASSERT_TRUE(note);
  EXPECT_EQ(sniff_audio_format(note->ogg), AudioFormat::kOggOpus);
  EXPECT_EQ(sniff_audio_format(std::string("ID3\x04") + "rest"), AudioFormat::kMp3);
  EXPECT_EQ(sniff_audio_format(std::string("\0\0\0\x18", 4) + "ftypmp42"), AudioFormat::kMp4);
  EXPECT_EQ(sniff_audio_format("hello, world"), AudioFormat::kUnknown);
  EXPECT_EQ(audio_mime_type(AudioFormat::kOggOpus), "audio/ogg");
  EXPECT_EQ(audio_file_name(AudioFormat::kOggOpus), "voice.ogg");
}

TEST(SttAudioInput, WavDecodesEveryIntegerWidthAndDownmixes) {
  const Pcm src = tone(8000, 0.5);
  for (int bits : {8, 16, 24}) {
    auto pcm = decode_wav(wav_of(src, 2, bits));
    ASSERT_TRUE(pcm) << bits << ": " << pcm.status().to_string();
    EXPECT_EQ(pcm->sample_rate, 8000);
    ASSERT_EQ(pcm->samples.size(), src.samples.size());
    const int tolerance = bits == 8 ? 300 : 2;
    EXPECT_NEAR(pcm->samples[123], src.samples[123], tolerance) << bits;
  }
}

TEST(SttAudioInput, WavErrorsAreClear) {
  std::string wav = wav_of(tone(8000, 0.5));
  EXPECT_EQ(decode_wav("RIFF....WAVEjunk").status().code(), ErrorCode::kCorrupt);
  EXPECT_EQ(decode_wav("not a wav at all").status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(decode_wav(wav, {.max_bytes = 100}).status().code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(decode_wav(wav, {.max_seconds = 0.1}).status().code(), ErrorCode::kFailedPrecondition);
  std::string no_data = wav.substr(0, 44);  // header and LIST, data chunk cut off
  EXPECT_EQ(decode_wav(no_data).status().code(), ErrorCode::kCorrupt);
}

TEST(SttPrepareClip, CapsAndErrorsMapToKinds) {
  const std::string wav = wav_of(tone(8000, 2.0));
  auto kind = [](std::variant<AudioClip, SttError> v) {
    return std::holds_alternative<SttError>(v) ? std::optional(std::get<SttError>(v).kind)
                                               : std::nullopt;
  };
  EXPECT_EQ(kind(prepare_clip(wav, {.max_bytes = 1000})), SttErrorKind::kTooLarge);
  EXPECT_EQ(kind(prepare_clip(wav, {.max_seconds = 1.0})), SttErrorKind::kTooLong);
  EXPECT_EQ(kind(prepare_clip("plain text, not audio", {})), SttErrorKind::kNotAudio);
  EXPECT_EQ(kind(prepare_clip("", {})), SttErrorKind::kNotAudio);
  EXPECT_EQ(kind(prepare_clip(std::string("OggS\0\2", 6) + std::string(22, 'x') + "OpusHead" +
                                  std::string(40, 'y'),
                              {})),
            SttErrorKind::kCorrupt);
  auto ok = prepare_clip(wav, {});
  ASSERT_TRUE(std::holds_alternative<AudioClip>(ok));
  EXPECT_TRUE(std::get<AudioClip>(ok).pcm.has_value());
  // An MP3 header over nothing: decoded by FFmpeg, which finds no audio in it.
  EXPECT_EQ(kind(prepare_clip(std::string("ID3\x04") + std::string(100, '\0'), {})),
            SttErrorKind::kCorrupt);
}

SttOutcome run_local(EventLoop& loop, SttEngine& engine, AudioClip clip) {
  std::optional<SttOutcome> got;
  engine.transcribe(std::move(clip), "en", [&](SttOutcome o) { got.emplace(std::move(o)); });
  EXPECT_FALSE(got.has_value());  // never inside the call
  loop.run_until_idle();
  return got.value_or(SttOutcome::failure(SttErrorKind::kUnavailable, "no answer"));
}

TEST(SttLocalEngine, RecognisesFliteSpeechInAVoiceNoteAndAWav) {
  SystemClock clock;
  EventLoop loop(clock);
  WorkerPool workers(2);
  auto engine = make_local_stt_engine(loop, workers);
  EXPECT_EQ(engine->name(), "local");
  auto spoken = local_tts("Please call me tomorrow morning.", {.voice = "kal16"});
  ASSERT_TRUE(spoken) << spoken.status().to_string();

  auto note = encode_voice_note(*spoken);
  ASSERT_TRUE(note);
  auto clip = prepare_clip(note->ogg, {});
  ASSERT_TRUE(std::holds_alternative<AudioClip>(clip));
  SttOutcome out = run_local(loop, *engine, std::get<AudioClip>(std::move(clip)));
  ASSERT_TRUE(out.ok()) << out.error.detail;
  EXPECT_NE(out.transcript->text.find("tomorrow"), std::string::npos) << out.transcript->text;
  EXPECT_EQ(out.transcript->engine, "local");

  auto wav_clip = prepare_clip(wav_of(*spoken), {});
  ASSERT_TRUE(std::holds_alternative<AudioClip>(wav_clip));
  out = run_local(loop, *engine, std::get<AudioClip>(std::move(wav_clip)));
  ASSERT_TRUE(out.ok()) << out.error.detail;
  EXPECT_NE(out.transcript->text.find("morning"), std::string::npos) << out.transcript->text;
}

TEST(SttLocalEngine, UndecodedFormatsAndMissingModelsAreClear) {
  SystemClock clock;
  EventLoop loop(clock);
  WorkerPool workers(2);
  auto engine = make_local_stt_engine(loop, workers);
  // A clip that reached the engine without PCM (prepare_clip() decodes every format it accepts).
  AudioClip mp3{std::string("ID3\x04") + std::string(100, '\0'), AudioFormat::kMp3, std::nullopt};
  EXPECT_EQ(run_local(loop, *engine, std::move(mp3)).error.kind, SttErrorKind::kUnsupported);

  auto missing = make_local_stt_engine(loop, workers, "/nonexistent/model");
  auto clip = prepare_clip(wav_of(tone(16000, 0.5)), {});
  EXPECT_EQ(run_local(loop, *missing, std::get<AudioClip>(std::move(clip))).error.kind,
            SttErrorKind::kUnavailable);
}

class NullHttp final : public net::HttpClient {
 public:
  net::HttpRequestId start(net::HttpRequest,
                           std::function<void(const net::HttpResponse&, std::string_view)>,
                           std::function<void(Result<net::HttpResponse>)>) override {
    return 1;
  }
  void cancel(net::HttpRequestId) override {}
};

TEST(SttEngineChoice, AutoPicksByKeysAndFallsBackToLocal) {
  SystemClock clock;
  EventLoop loop(clock);
  WorkerPool workers(1);
  Config none;
  EXPECT_EQ(make_stt_engine(none, nullptr, loop, workers)->name(), "local");
  EXPECT_EQ(voice_limits(none).max_bytes, 20u * 1024u * 1024u);
  EXPECT_EQ(voice_limits(none).max_seconds, 600.0);

  NullHttp http;
  EXPECT_EQ(make_stt_engine(none, &http, loop, workers)->name(), "local");
  Config openai;
  openai.set("openai.api_keys", "sk-1", "test");
  EXPECT_EQ(make_stt_engine(openai, &http, loop, workers)->name(), "openai");
  Config both = openai;
  both.set("gemini.api_keys", "AIza-1", "test");
  EXPECT_EQ(make_stt_engine(both, &http, loop, workers)->name(), "gemini");
  both.set("stt.engine", "local", "test");
  EXPECT_EQ(make_stt_engine(both, &http, loop, workers)->name(), "local");
  both.set("stt.engine", "openai", "test");
  EXPECT_EQ(make_stt_engine(both, &http, loop, workers)->name(), "openai");
}

}  // namespace
}  // namespace sakai::ai::speech
