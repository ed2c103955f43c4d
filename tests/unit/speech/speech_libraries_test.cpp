// FFmpeg, flite (each voice on its own), espeak-ng and pocketsphinx are opened when a voice job
// first needs them, never at start: a fresh process maps none of them, each job maps only its
// own, and a missing Debian package is a kUnavailable error that names the package. Every check
// runs in a fresh copy of this binary (support/fresh_process.h), since other tests here load the
// libraries.
#include <libavcodec/version.h>

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <variant>

#include "ai/speech/audio.h"
#include "ai/speech/audio_input.h"
#include "ai/speech/audio_libav.h"
#include "ai/speech/local_stt.h"
#include "ai/speech/local_tts.h"
#include "ai/speech/stt.h"
#include "core/shared_library.h"
#include "support/fresh_process.h"

namespace sakai::ai::speech {
namespace {

using sakai::testing::child_check;
using sakai::testing::in_fresh_process;
using sakai::testing::mapped;

// The FFmpeg this build was compiled against: "libavcodec.so.59" on Debian 12.
const std::string kAvcodec = "libavcodec.so." + std::to_string(LIBAVCODEC_VERSION_MAJOR);

bool have_ffmpeg_tool() {
  return std::system("command -v ffmpeg >/dev/null 2>&1") == 0;
}

// One second of a 440 Hz tone as MP3, made by the ffmpeg command line tool (another process:
// nothing of FFmpeg is mapped into this one).
std::string tone_mp3() {
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("sakaibot_libs_" + std::to_string(::getpid()) + ".mp3"))
                               .string();
  const std::string cmd =
      "ffmpeg -nostdin -loglevel error -y -f lavfi -i sine=frequency=440:duration=1 -c:a "
      "libmp3lame -b:a 64k '" +
      path + "'";
  if (std::system(cmd.c_str()) != 0) return {};
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  std::filesystem::remove(path);
  return bytes.str();
}

Pcm tone(double seconds) {
  Pcm pcm;
  pcm.sample_rate = 16000;
  pcm.samples.resize(static_cast<std::size_t>(seconds * pcm.sample_rate));
  for (std::size_t i = 0; i < pcm.samples.size(); ++i) {
    pcm.samples[i] = static_cast<int16_t>(6000 * std::sin(2 * M_PI * 440.0 * i / 16000.0));
  }
  return pcm;
}

bool mentions(const Status& st, std::string_view what) {
  return st.message().find(what) != std::string::npos;
}

TEST(SpeechLibraries, NothingIsMappedUntilAJobNeedsItThenOnlyWhatItNeeds) {
  if (!have_ffmpeg_tool()) GTEST_SKIP() << "ffmpeg not installed (scripts/install-deps.sh)";
  in_fresh_process([] {
    child_check(!libav_loaded() && !flite_loaded() && !espeak_loaded() && !pocketsphinx_loaded(),
                "a library reports loaded before any job");
    for (const char* lib : {"libavcodec", "libavformat", "libavutil", "libflite", "libespeak-ng",
                            "libpocketsphinx", "libsphinxbase"}) {
      child_check(!mapped(lib), std::string(lib) + " is mapped at start");
    }

    // A voice note goes through libopusfile alone.
    auto note = encode_voice_note(tone(1.0));
    child_check(note.is_ok(), "encode");
    child_check(decode_audio(note->ogg).is_ok(), "decode the voice note");
    child_check(!libav_loaded() && !mapped("libavcodec"), "a voice note loaded FFmpeg");

    // An MP3 opens FFmpeg, and nothing else.
    const std::string mp3 = tone_mp3();
    child_check(!mp3.empty(), "the ffmpeg tool made no MP3");
    auto pcm = decode_audio(mp3);
    child_check(pcm.is_ok(), "decode MP3: " + pcm.status().to_string());
    child_check(libav_loaded() && mapped(kAvcodec), "FFmpeg not loaded after an MP3 decode");
    child_check(!mapped("libflite") && !mapped("libespeak-ng") && !mapped("libpocketsphinx"),
                "an MP3 decode loaded an engine");

    // English speech opens libflite and the one voice it speaks with.
    auto en = local_tts("Hello there.", {.voice = "kal16"});
    child_check(en.is_ok() && !en->samples.empty(), "kal16: " + en.status().to_string());
    child_check(flite_loaded() && flite_voice_loaded("kal16") && mapped("libflite_cmu_us_kal16"),
                "kal16 not loaded after speaking with it");
    child_check(!flite_voice_loaded("rms") && !mapped("libflite_cmu_us_rms") &&
                    !flite_voice_loaded("slt") && !mapped("libflite_cmu_us_slt"),
                "speaking with kal16 loaded another voice");
    child_check(!espeak_loaded() && !mapped("libespeak-ng"), "English speech loaded espeak-ng");

    // Persian speech opens espeak-ng.
    auto fa = local_tts("سلام دنیا", {.voice = "fa"});
    child_check(fa.is_ok(), "fa: " + fa.status().to_string());
    child_check(espeak_loaded() && mapped("libespeak-ng"), "espeak-ng not loaded after fa");

    // The first recogniser opens pocketsphinx.
    child_check(!pocketsphinx_loaded() && !mapped("libpocketsphinx"), "pocketsphinx early");
    auto stt = LocalStt::create();
    child_check(stt.is_ok(), "LocalStt: " + stt.status().to_string());
    child_check(pocketsphinx_loaded() && mapped("libpocketsphinx") && mapped("libsphinxbase"),
                "pocketsphinx not loaded by LocalStt::create");
  });
}

TEST(SpeechLibraries, WithoutFfmpegAnMp3IsAClearErrorNamingThePackage) {
  if (!have_ffmpeg_tool()) GTEST_SKIP() << "ffmpeg not installed (scripts/install-deps.sh)";
  in_fresh_process([] {
    override_soname_for_testing(kAvcodec, kAvcodec + ".not-installed");
    const std::string mp3 = tone_mp3();
    child_check(!mp3.empty(), "the ffmpeg tool made no MP3");
    auto pcm = decode_audio(mp3);
    child_check(!pcm.is_ok() && pcm.status().code() == ErrorCode::kUnavailable,
                "decode_audio: " + pcm.status().to_string());
    const std::string package = "libavcodec" + std::to_string(LIBAVCODEC_VERSION_MAJOR);
    child_check(mentions(pcm.status(), kAvcodec) && mentions(pcm.status(), package),
                "the error does not name the library and package: " + pcm.status().to_string());
    child_check(!libav_loaded(), "reports FFmpeg loaded");
    // /stt reports an engine that cannot run (not a damaged file), and voice notes still work.
    auto clip = prepare_clip(mp3, {});
    child_check(std::holds_alternative<SttError>(clip) &&
                    std::get<SttError>(clip).kind == SttErrorKind::kUnavailable,
                "prepare_clip did not report the engine unavailable");
    auto note = encode_voice_note(tone(0.5));
    child_check(note.is_ok() && std::holds_alternative<AudioClip>(prepare_clip(note->ogg, {})),
                "a voice note failed without FFmpeg");
  });
}

TEST(SpeechLibraries, WithoutFliteOrOneVoiceTheVoiceIsUnavailableNamingThePackage) {
  // One voice's library missing: that voice fails, the others speak.
  in_fresh_process([] {
    override_soname_for_testing("libflite_cmu_us_rms.so.1", "libflite_cmu_us_rms.so.missing");
    auto rms = local_tts("Hello.", {.voice = "rms"});
    child_check(!rms.is_ok() && rms.status().code() == ErrorCode::kUnavailable &&
                    mentions(rms.status(), "libflite1"),
                "rms: " + rms.status().to_string());
    auto kal16 = local_tts("Hello.", {.voice = "kal16"});
    child_check(kal16.is_ok(), "kal16 after rms failed: " + kal16.status().to_string());
  });
  // libflite itself missing: every English voice fails the same way.
  in_fresh_process([] {
    override_soname_for_testing("libflite.so.1", "libflite.so.missing");
    for (const char* voice : {"kal16", "rms", "slt"}) {
      auto pcm = local_tts("Hello.", {.voice = voice});
      child_check(!pcm.is_ok() && pcm.status().code() == ErrorCode::kUnavailable &&
                      mentions(pcm.status(), "libflite.so.1") &&
                      mentions(pcm.status(), "libflite1"),
                  std::string(voice) + ": " + pcm.status().to_string());
    }
    child_check(!flite_loaded() && !flite_voice_loaded("kal16"), "reports flite loaded");
  });
}

TEST(SpeechLibraries, WithoutEspeakPersianSpeechIsUnavailableNamingThePackage) {
  in_fresh_process([] {
    override_soname_for_testing("libespeak-ng.so.1", "libespeak-ng.so.missing");
    auto pcm = local_tts("سلام", {.voice = "fa"});
    child_check(!pcm.is_ok() && pcm.status().code() == ErrorCode::kUnavailable &&
                    mentions(pcm.status(), "libespeak-ng1"),
                "fa: " + pcm.status().to_string());
    child_check(!espeak_loaded(), "reports espeak-ng loaded");
  });
}

TEST(SpeechLibraries, WithoutPocketsphinxTheLocalRecogniserIsUnavailableNamingThePackage) {
  in_fresh_process([] {
    override_soname_for_testing("libpocketsphinx.so.3", "libpocketsphinx.so.missing");
    auto stt = LocalStt::create();
    child_check(!stt.is_ok() && stt.status().code() == ErrorCode::kUnavailable &&
                    mentions(stt.status(), "libpocketsphinx3"),
                "LocalStt: " + stt.status().to_string());
    child_check(!pocketsphinx_loaded(), "reports pocketsphinx loaded");
  });
}

}  // namespace
}  // namespace sakai::ai::speech
