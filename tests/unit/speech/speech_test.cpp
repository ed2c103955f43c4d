// Voice pipeline: local TTS → our Opus encoder → our decoder → pocketsphinx, plus an independent
// check of the produced voice notes by opus-tools, and the error paths.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "ai/speech/audio.h"
#include "ai/speech/audio_input.h"
#include "ai/speech/local_stt.h"
#include "ai/speech/local_tts.h"

namespace sakai::ai::speech {
namespace {

std::vector<std::string> words(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string w; in >> w;) {
    std::string clean;
    for (char c : w) {
      if (std::isalnum(static_cast<unsigned char>(c)) || c == '\'') {
        clean += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
    }
    if (!clean.empty()) out.push_back(clean);
  }
  return out;
}

// Word-level edit distance (substitutions + deletions + insertions).
std::size_t word_errors(const std::vector<std::string>& ref, const std::vector<std::string>& hyp) {
  std::vector<std::size_t> prev(hyp.size() + 1), cur(hyp.size() + 1);
  for (std::size_t j = 0; j <= hyp.size(); ++j)
    prev[j] = j;
  for (std::size_t i = 1; i <= ref.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= hyp.size(); ++j) {
      const std::size_t sub = prev[j - 1] + (ref[i - 1] == hyp[j - 1] ? 0 : 1);
      cur[j] = std::min({sub, prev[j] + 1, cur[j - 1] + 1});
    }
    std::swap(prev, cur);
  }
  return prev[hyp.size()];
}

Pcm tone(double seconds, int rate, double amplitude = 8000.0) {
  Pcm pcm;
  pcm.sample_rate = rate;
  const auto n = static_cast<std::size_t>(seconds * rate);
  pcm.samples.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    pcm.samples[i] = static_cast<int16_t>(
        amplitude * std::sin(2.0 * M_PI * 440.0 * static_cast<double>(i) / rate));
  }
  return pcm;
}

double rms(const Pcm& pcm) {
  double sum = 0;
  for (int16_t s : pcm.samples)
    sum += static_cast<double>(s) * s;
  return pcm.samples.empty() ? 0.0 : std::sqrt(sum / static_cast<double>(pcm.samples.size()));
}

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("sakaibot_speech_" + std::to_string(::getpid()) + "_" + name))
      .string();
}

struct CommandResult {
  int exit_code = -1;
  std::string output;
};

CommandResult run(const std::string& command) {
  CommandResult result;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buf{};
  std::size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0)
    result.output.append(buf.data(), n);
  const int status = ::pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

bool have_tool(const std::string& tool) {
  return std::system(("command -v " + tool + " >/dev/null 2>&1").c_str()) == 0;
}

TEST(SpeechRoundTrip, FliteKal16ThroughOpusIsRecognisedByPocketsphinx) {
  const std::vector<std::string> sentences = {
      "The weather is nice today.",
      "Please call me tomorrow morning.",
      "I would like a cup of coffee.",
      "We are going to the market.",
      "Send the report to my brother before lunch.",
      "The train leaves at seven in the evening.",
  };
  auto stt = LocalStt::create();
  ASSERT_TRUE(stt) << stt.status().to_string();

  std::size_t ref_words = 0, errors = 0;
  for (const auto& sentence : sentences) {
    auto spoken = local_tts(sentence, {.voice = "kal16", .rate = 1.0});
    ASSERT_TRUE(spoken) << spoken.status().to_string();
    auto note = encode_voice_note(*spoken, {.bitrate = 24000});
    ASSERT_TRUE(note) << note.status().to_string();
    auto decoded = decode_ogg_opus(note->ogg);
    ASSERT_TRUE(decoded) << decoded.status().to_string();
    EXPECT_EQ(decoded->sample_rate, 48000);
    EXPECT_NEAR(decoded->seconds(), spoken->seconds(), 0.05);
    auto at16 = resample(*decoded, 16000);
    ASSERT_TRUE(at16) << at16.status().to_string();
    auto text = (*stt)->transcribe(*at16);
    ASSERT_TRUE(text) << text.status().to_string();
    const auto ref = words(sentence);
    const auto hyp = words(*text);
    const std::size_t e = word_errors(ref, hyp);
    std::printf("  said: %s\n  heard: %s  (%zu errors / %zu words)\n", sentence.c_str(),
                text->c_str(), e, ref.size());
    ref_words += ref.size();
    errors += e;
  }
  const double accuracy = 1.0 - static_cast<double>(errors) / static_cast<double>(ref_words);
  std::printf("word accuracy (kal16 → Opus 24 kbit/s → pocketsphinx-en-us): %.1f %% (%zu/%zu)\n",
              accuracy * 100.0, ref_words - std::min(errors, ref_words), ref_words);
  EXPECT_GE(accuracy, 0.80);
}

TEST(SpeechRoundTrip, AllFliteVoicesSpeak) {
  for (const char* voice : {"kal16", "rms", "slt"}) {
    auto pcm = local_tts("Hello there.", {.voice = voice});
    ASSERT_TRUE(pcm) << voice << ": " << pcm.status().to_string();
    EXPECT_GT(pcm->seconds(), 0.3) << voice;
    EXPECT_GT(rms(*pcm), 100.0) << voice;
  }
}

TEST(SpeechRoundTrip, OpusinfoAcceptsOurVoiceNote) {
  if (!have_tool("opusinfo") || !have_tool("opusdec")) {
    GTEST_SKIP() << "opus-tools not installed (scripts/install-deps.sh installs it)";
  }
  auto spoken = local_tts("This voice note is checked by an independent decoder.", {});
  ASSERT_TRUE(spoken) << spoken.status().to_string();
  const std::string path = temp_path("note.ogg");
  auto file = encode_voice_note_file(*spoken, path);
  ASSERT_TRUE(file) << file.status().to_string();
  EXPECT_EQ(file->duration_seconds, static_cast<int>(std::lround(spoken->seconds())));

  const auto info = run("opusinfo '" + path + "'");
  EXPECT_EQ(info.exit_code, 0) << info.output;
  EXPECT_NE(info.output.find("Channels: 1"), std::string::npos) << info.output;
  // "Playback length: 0m:03.114s"
  const auto at = info.output.find("Playback length: ");
  ASSERT_NE(at, std::string::npos) << info.output;
  int minutes = 0;
  double secs = 0;
  ASSERT_EQ(std::sscanf(info.output.c_str() + at, "Playback length: %dm:%lfs", &minutes, &secs), 2)
      << info.output;
  EXPECT_NEAR(minutes * 60 + secs, spoken->seconds(), 0.05) << info.output;

  const std::string wav = temp_path("note.wav");
  const auto dec = run("opusdec --quiet '" + path + "' '" + wav + "'");
  EXPECT_EQ(dec.exit_code, 0) << dec.output;
  // 44-byte header + 48 kHz mono 16-bit.
  const auto wav_seconds =
      static_cast<double>(std::filesystem::file_size(wav) - 44) / (48000.0 * 2.0);
  EXPECT_NEAR(wav_seconds, spoken->seconds(), 0.05);
  std::filesystem::remove(path);
  std::filesystem::remove(wav);
}

TEST(SpeechDecode, CorruptInputIsAClearError) {
  auto empty = decode_ogg_opus("");
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.status().code(), ErrorCode::kInvalidArgument);

  auto text = decode_ogg_opus("this is certainly not an ogg file, just some text");
  ASSERT_FALSE(text);
  EXPECT_EQ(text.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(text.status().message().find("not an OGG/Opus file"), std::string::npos)
      << text.status().message();

  // A real voice note, cut short and with its middle scrambled: opens or not, never crashes,
  // never returns success with garbage silently.
  auto note = encode_voice_note(tone(3.0, 48000));
  ASSERT_TRUE(note) << note.status().to_string();
  std::string truncated = note->ogg.substr(0, 20);
  auto cut = decode_ogg_opus(truncated);
  ASSERT_FALSE(cut);
  EXPECT_EQ(cut.status().code(), ErrorCode::kInvalidArgument) << cut.status().to_string();

  std::string scrambled = note->ogg;
  for (std::size_t i = 200; i < scrambled.size(); i += 7)
    scrambled[i] = static_cast<char>(i);
  auto bad = decode_ogg_opus(scrambled);
  if (bad) {
    EXPECT_LE(bad->seconds(), 3.1);  // opusfile skips damaged pages; what it returns is bounded
  } else {
    EXPECT_TRUE(bad.status().code() == ErrorCode::kCorrupt ||
                bad.status().code() == ErrorCode::kInvalidArgument)
        << bad.status().to_string();
  }

  auto missing = decode_ogg_opus_file("/nonexistent/dir/voice.ogg");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.status().code(), ErrorCode::kNotFound);
}

TEST(SpeechDecode, OverCapsAreClearErrors) {
  auto note = encode_voice_note(tone(5.0, 16000));
  ASSERT_TRUE(note) << note.status().to_string();
  EXPECT_EQ(note->duration_seconds, 5);

  auto too_long = decode_ogg_opus(note->ogg, {.max_bytes = 1u << 20, .max_seconds = 2.0});
  ASSERT_FALSE(too_long);
  EXPECT_EQ(too_long.status().code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(too_long.status().message(), "audio too long: 5.0 s, the limit is 2.0 s");

  auto too_big = decode_ogg_opus(note->ogg, {.max_bytes = 100, .max_seconds = 60.0});
  ASSERT_FALSE(too_big);
  EXPECT_EQ(too_big.status().code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(too_big.status().message().find("the limit is 100 bytes"), std::string::npos);

  auto fine = decode_ogg_opus(note->ogg, {.max_bytes = 1u << 20, .max_seconds = 6.0});
  ASSERT_TRUE(fine) << fine.status().to_string();
  EXPECT_NEAR(fine->seconds(), 5.0, 0.01);
}

TEST(SpeechEncode, RejectsBadInput) {
  EXPECT_EQ(encode_voice_note(Pcm{{}, 48000}).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(encode_voice_note(tone(1.0, 48000), {.bitrate = 100}).status().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(resample(tone(0.1, 48000), 0).status().code(), ErrorCode::kInvalidArgument);
}

TEST(SpeechResample, KeepsDurationAndLevel) {
  const Pcm in = tone(2.0, 22050);
  auto out = resample(in, 48000);
  ASSERT_TRUE(out) << out.status().to_string();
  EXPECT_EQ(out->sample_rate, 48000);
  EXPECT_NEAR(out->seconds(), 2.0, 0.001);
  EXPECT_NEAR(rms(*out), rms(in), rms(in) * 0.02);
}

TEST(SpeechWaveform, LengthAndRange) {
  // Silence for the first half, a loud tone for the second.
  Pcm pcm = tone(4.0, 16000, 20000.0);
  std::fill(pcm.samples.begin(), pcm.samples.begin() + static_cast<long>(pcm.samples.size() / 2),
            int16_t{0});
  const std::string packed = telegram_waveform(pcm);
  ASSERT_EQ(packed.size(), 63u);
  const auto values = unpack_telegram_waveform(packed);
  ASSERT_GE(values.size(), 100u);
  for (int i = 0; i < 100; ++i)
    EXPECT_LE(values[static_cast<std::size_t>(i)], 31);
  for (int i = 0; i < 49; ++i)
    EXPECT_EQ(values[static_cast<std::size_t>(i)], 0) << i;
  for (int i = 51; i < 100; ++i)
    EXPECT_GE(values[static_cast<std::size_t>(i)], 29) << i;
  EXPECT_EQ(*std::max_element(values.begin(), values.begin() + 100), 31);

  // The packing itself: value i sits at bits 5i..5i+4, LSB first.
  EXPECT_EQ(static_cast<unsigned char>(packed[62]) >> 4, 0u);  // 500 bits: the top 4 bits unused
  EXPECT_EQ(telegram_waveform(Pcm{{}, 16000}), std::string(63, '\0'));

  auto note = encode_voice_note(pcm);
  ASSERT_TRUE(note);
  EXPECT_EQ(note->waveform, packed);
}

TEST(SpeechLocalTts, PersianAndArabicAreNotSilent) {
  auto fa = local_tts("سلام، حال شما چطور است؟", {.voice = "fa"});
  ASSERT_TRUE(fa) << fa.status().to_string();
  EXPECT_GT(fa->seconds(), 0.5);
  EXPECT_GT(rms(*fa), 300.0);
  auto ar = local_tts("مرحبا بكم", {.voice = "ar"});
  ASSERT_TRUE(ar) << ar.status().to_string();
  EXPECT_GT(ar->seconds(), 0.3);
  EXPECT_GT(rms(*ar), 300.0);

  // Persian voice note end to end through our encoder and decoder.
  auto note = encode_voice_note(*fa);
  ASSERT_TRUE(note) << note.status().to_string();
  auto back = decode_ogg_opus(note->ogg);
  ASSERT_TRUE(back) << back.status().to_string();
  EXPECT_GT(rms(*back), 300.0);
}

TEST(SpeechLocalTts, OptionsAndErrors) {
  auto normal =
      local_tts("Testing the speaking rate of this voice.", {.voice = "slt", .rate = 1.0});
  auto fast = local_tts("Testing the speaking rate of this voice.", {.voice = "slt", .rate = 2.0});
  ASSERT_TRUE(normal && fast);
  EXPECT_LT(fast->seconds(), normal->seconds() * 0.75);

  EXPECT_EQ(local_tts("   ", {}).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(local_tts(std::string(kMaxTtsChars + 1, 'a'), {}).status().code(),
            ErrorCode::kInvalidArgument);
  auto unknown = local_tts("hi", {.voice = "nope"});
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.status().message().find("kal16"), std::string::npos);
  EXPECT_EQ(local_tts("hi", {.voice = "kal16", .rate = 5.0}).status().code(),
            ErrorCode::kInvalidArgument);

  EXPECT_EQ(list_local_voices().size(), 5u);
  EXPECT_EQ(local_voice_for_language("en-US"), "kal16");
  EXPECT_EQ(local_voice_for_language("fa"), "fa");
  EXPECT_EQ(local_voice_for_language("ar"), "ar");
  EXPECT_EQ(local_voice_for_language("de"), std::nullopt);
}

TEST(SpeechLocalStt, SilenceAndCaps) {
  auto stt = LocalStt::create();
  ASSERT_TRUE(stt) << stt.status().to_string();
  auto empty = (*stt)->transcribe(Pcm{{}, 16000});
  ASSERT_TRUE(empty);
  EXPECT_EQ(*empty, "");

  auto limited = LocalStt::create({.max_seconds = 1.0});
  ASSERT_TRUE(limited);
  auto over = (*limited)->transcribe(tone(2.0, 16000));
  ASSERT_FALSE(over);
  EXPECT_EQ(over.status().code(), ErrorCode::kFailedPrecondition);

  auto missing = LocalStt::create({.model_dir = "/nonexistent/model"});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.status().code(), ErrorCode::kUnavailable);
}

// --- Common audio formats, made by an independent encoder (the ffmpeg command line tool) and read
// by our decoder (libavformat/libavcodec), then heard by pocketsphinx.

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// A WAV of flite saying `sentence`, converted by ffmpeg with `args` (codec options) to `ext`.
std::string spoken_file(const std::string& sentence, const std::string& ext,
                        const std::string& args) {
  auto pcm = local_tts(sentence, {.voice = "kal16"});
  EXPECT_TRUE(pcm) << pcm.status().to_string();
  auto note = encode_voice_note(*pcm);
  EXPECT_TRUE(note);
  const std::string ogg = temp_path("src_" + ext + ".ogg");
  std::ofstream(ogg, std::ios::binary) << note->ogg;
  const std::string out = temp_path("spoken." + ext);
  const auto r =
      run("ffmpeg -nostdin -loglevel error -y -i '" + ogg + "' " + args + " '" + out + "'");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  std::remove(ogg.c_str());
  std::string bytes = read_file(out);
  std::remove(out.c_str());
  return bytes;
}

class SpeechFormats : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!have_tool("ffmpeg")) GTEST_SKIP() << "ffmpeg not installed (scripts/install-deps.sh)";
  }
};

TEST_F(SpeechFormats, Mp3M4aFlacAndVorbisDecodeAndAreRecognised) {
  const std::string sentence = "Please call me tomorrow morning.";
  struct Case {
    const char* ext;
    const char* args;
    AudioFormat format;
  };
  const Case cases[] = {
      {"mp3", "-ac 2 -ar 44100 -c:a libmp3lame -b:a 64k", AudioFormat::kMp3},
      {"m4a", "-ac 1 -ar 22050 -c:a aac -b:a 48k", AudioFormat::kMp4},
      {"flac", "-ac 1 -ar 16000 -c:a flac", AudioFormat::kFlac},
      {"ogg", "-ac 2 -ar 32000 -c:a libvorbis -q:a 3", AudioFormat::kOgg},
  };
  auto stt = LocalStt::create();
  ASSERT_TRUE(stt) << stt.status().to_string();
  for (const auto& c : cases) {
    SCOPED_TRACE(c.ext);
    const std::string bytes = spoken_file(sentence, c.ext, c.args);
    ASSERT_FALSE(bytes.empty());
    EXPECT_EQ(sniff_audio_format(bytes), c.format);
    auto pcm = decode_audio(bytes);
    ASSERT_TRUE(pcm) << pcm.status().to_string();
    EXPECT_GT(pcm->seconds(), 1.0);
    EXPECT_LT(pcm->seconds(), 4.0);
    EXPECT_GT(rms(*pcm), 200.0);
    auto at16 = resample(*pcm, 16000);
    ASSERT_TRUE(at16);
    auto text = (*stt)->transcribe(*at16);
    ASSERT_TRUE(text) << text.status().to_string();
    const auto errors = word_errors(words(sentence), words(*text));
    EXPECT_LE(errors, 1u) << "heard: " << *text;
  }
}

TEST_F(SpeechFormats, AVideoNotesSoundIsDecodedAndASilentVideoIsNamed) {
  // A round 240x240 video note with a 440 Hz tone, and one without a sound track.
  const std::string with = temp_path("note.mp4"), without = temp_path("mute.mp4");
  auto r =
      run("ffmpeg -nostdin -loglevel error -y -f lavfi -i color=c=blue:s=240x240:d=2 -f lavfi "
          "-i sine=frequency=440:duration=2 -shortest -c:v mpeg4 -c:a aac '" +
          with + "'");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = run("ffmpeg -nostdin -loglevel error -y -f lavfi -i color=c=red:s=240x240:d=1 -c:v mpeg4 '" +
          without + "'");
  ASSERT_EQ(r.exit_code, 0) << r.output;

  auto pcm = decode_audio(read_file(with));
  ASSERT_TRUE(pcm) << pcm.status().to_string();
  EXPECT_NEAR(pcm->seconds(), 2.0, 0.2);
  EXPECT_GT(rms(*pcm), 1000.0);

  auto silent = decode_audio(read_file(without));
  ASSERT_FALSE(silent);
  EXPECT_EQ(silent.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(silent.status().message().find("no audio"), std::string::npos);
  std::remove(with.c_str());
  std::remove(without.c_str());
}

TEST_F(SpeechFormats, DamagedTruncatedAndOverlongFilesAreClearErrors) {
  const std::string m4a = spoken_file("We are going to the market.", "m4a", "-c:a aac");
  ASSERT_GT(m4a.size(), 400u);
  // The header without its sample tables, then the sample data scrambled.
  auto head = decode_audio(m4a.substr(0, 64));
  ASSERT_FALSE(head);
  EXPECT_EQ(head.status().code(), ErrorCode::kCorrupt);

  const std::string mp3 = spoken_file("We are going to the market.", "mp3", "-c:a libmp3lame");
  auto too_long = decode_audio(mp3, {.max_seconds = 1.0});
  ASSERT_FALSE(too_long);
  EXPECT_EQ(too_long.status().code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(too_long.status().message().find("too long"), std::string::npos);
  auto too_big = decode_audio(mp3, {.max_bytes = 100});
  ASSERT_FALSE(too_big);
  EXPECT_EQ(too_big.status().code(), ErrorCode::kFailedPrecondition);

  // MP3 magic over noise: nothing decodes.
  std::string junk = "ID3\x04";
  junk += std::string(6, '\0');
  for (int i = 0; i < 4000; ++i)
    junk += static_cast<char>((i * 7919) & 0x7F);
  auto noise = decode_audio(junk);
  ASSERT_FALSE(noise);
  EXPECT_EQ(noise.status().code(), ErrorCode::kCorrupt);
}

}  // namespace
}  // namespace sakai::ai::speech
