// Voice-note codec speed and memory (plain main):
//   encode and decode of a 60 s clip as a multiple of real time (24 kbit/s mono OGG/Opus),
//   peak RSS (getrusage ru_maxrss) while decoding a 10-minute voice note;
//   decode of the same clip as MP3 and M4A/AAC (FFmpeg) when the ffmpeg tool can make them;
//   the first use of each library opened on demand (FFmpeg, flite voices, espeak-ng,
//   pocketsphinx), in a fresh process: its time and the resident memory it adds.
// The clip is speech-like: flite kal16 sentences repeated, so the encoder works on real speech.
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <string>
#include <utility>

#include "ai/speech/audio.h"
#include "ai/speech/audio_input.h"
#include "ai/speech/local_stt.h"
#include "ai/speech/local_tts.h"

namespace {

using sakai::ai::speech::Pcm;

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

long max_rss_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;  // KiB on Linux
}

Pcm repeat_to(const Pcm& piece, double seconds) {
  Pcm out;
  out.sample_rate = piece.sample_rate;
  const auto n = static_cast<std::size_t>(seconds * piece.sample_rate);
  out.samples.reserve(n);
  while (out.samples.size() < n) {
    const std::size_t take = std::min(piece.samples.size(), n - out.samples.size());
    out.samples.insert(out.samples.end(), piece.samples.begin(),
                       piece.samples.begin() + static_cast<std::ptrdiff_t>(take));
  }
  return out;
}

long rss_now_kib() {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
  }
  return 0;
}

// Child mode: a fresh process that opens each on-demand library by its first job. "first" is
// loading plus the job, "again" the same job with the library loaded; the resident memory is
// what the first job left behind (the library's pages and its data, e.g. a voice or a model).
int first_use(const char* mp3_path) {
  namespace sp = sakai::ai::speech;
  std::ifstream in(mp3_path, std::ios::binary);
  const std::string mp3((std::istreambuf_iterator<char>(in)), {});
  std::unique_ptr<sp::LocalStt> keep_stt;
  struct Step {
    const char* what;
    std::function<bool()> job;
  };
  const Step steps[] = {
      {"FFmpeg: decode a 60 s MP3", [&] { return sp::decode_audio(mp3).is_ok(); }},
      {"flite + kal16: one sentence",
       [] { return sp::local_tts("Good morning.", {.voice = "kal16"}).is_ok(); }},
      {"flite rms voice: one sentence",
       [] { return sp::local_tts("Good morning.", {.voice = "rms"}).is_ok(); }},
      {"espeak-ng: one Persian sentence",
       [] { return sp::local_tts("صبح بخیر", {.voice = "fa"}).is_ok(); }},
      {"pocketsphinx: load the recogniser",
       [&] {
         auto stt = sp::LocalStt::create();
         if (!stt) return false;
         keep_stt = std::move(stt).value();  // the first one stays, as the bot keeps it
         return true;
       }},
  };
  std::printf("first use of each on-demand library (fresh process, %.1f MiB resident at start):\n",
              rss_now_kib() / 1024.0);
  for (const auto& step : steps) {
    const long rss0 = rss_now_kib();
    const double t0 = now_seconds();
    if (!step.job()) {
      std::printf("  %-36s failed\n", step.what);
      continue;
    }
    const double first = now_seconds() - t0;
    const long rss1 = rss_now_kib();
    const double t1 = now_seconds();
    step.job();
    const double again = now_seconds() - t1;
    std::printf("  %-36s first %7.1f ms, again %7.1f ms, +%5.1f MiB resident\n", step.what,
                first * 1e3, again * 1e3, (rss1 - rss0) / 1024.0);
  }
  return 0;
}

// Child mode: a fresh process that only decodes, so ru_maxrss is the decoder's own peak.
int decode_only(const char* path) {
  const long before = max_rss_kib();
  const double t0 = now_seconds();
  auto pcm = sakai::ai::speech::decode_ogg_opus_file(path);
  const double dt = now_seconds() - t0;
  if (!pcm) {
    std::fprintf(stderr, "decode 10 min: %s\n", pcm.status().to_string().c_str());
    return 1;
  }
  std::printf("10-minute voice note: %ju bytes OGG, %.1f s decoded in %.0f ms (%.1f x real time)\n",
              static_cast<std::uintmax_t>(std::filesystem::file_size(path)), pcm->seconds(),
              dt * 1e3, pcm->seconds() / dt);
  std::printf(
      "  peak RSS of a process that only decodes it: %.1f MiB (%.1f MiB at start; the "
      "decoded 48 kHz PCM alone is %.1f MiB)\n",
      max_rss_kib() / 1024.0, before / 1024.0,
      static_cast<double>(pcm->samples.size() * sizeof(int16_t)) / (1024.0 * 1024.0));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  namespace sp = sakai::ai::speech;
  if (argc == 3 && std::strcmp(argv[1], "--decode") == 0) return decode_only(argv[2]);
  if (argc == 3 && std::strcmp(argv[1], "--first-use") == 0) return first_use(argv[2]);
  auto speech = sp::local_tts(
      "The quick brown fox jumps over the lazy dog. Please call me tomorrow morning about the "
      "meeting, and bring the notes from last week.",
      {.voice = "kal16"});
  if (!speech) {
    std::fprintf(stderr, "tts: %s\n", speech.status().to_string().c_str());
    return 1;
  }
  // Encode from 48 kHz so the number is the codec, not the resampler (reported separately).
  auto speech48 = sp::resample(*speech, 48000);
  if (!speech48) return 1;
  const Pcm clip = repeat_to(*speech48, 60.0);

  constexpr int kRuns = 3;
  double best_encode = 1e9;
  std::string ogg;
  for (int i = 0; i < kRuns; ++i) {
    const double t0 = now_seconds();
    auto note = sp::encode_voice_note(clip, {.bitrate = 24000});
    const double dt = now_seconds() - t0;
    if (!note) {
      std::fprintf(stderr, "encode: %s\n", note.status().to_string().c_str());
      return 1;
    }
    best_encode = std::min(best_encode, dt);
    ogg = std::move(note->ogg);
  }
  double best_decode = 1e9;
  for (int i = 0; i < kRuns; ++i) {
    const double t0 = now_seconds();
    auto pcm = sp::decode_ogg_opus(ogg);
    const double dt = now_seconds() - t0;
    if (!pcm) {
      std::fprintf(stderr, "decode: %s\n", pcm.status().to_string().c_str());
      return 1;
    }
    best_decode = std::min(best_decode, dt);
  }
  double best_resample = 1e9;
  for (int i = 0; i < kRuns; ++i) {
    const double t0 = now_seconds();
    auto r = sp::resample(clip, 16000);
    best_resample = std::min(best_resample, now_seconds() - t0);
    if (!r) return 1;
  }
  std::printf("60 s clip, 24 kbit/s mono OGG/Opus: %zu bytes\n", ogg.size());
  std::printf("  encode (48 kHz in):  %8.1f x real time (%.1f ms)\n", 60.0 / best_encode,
              best_encode * 1e3);
  std::printf("  decode (48 kHz out): %8.1f x real time (%.1f ms)\n", 60.0 / best_decode,
              best_decode * 1e3);
  std::printf("  resample 48 -> 16 kHz: %6.1f x real time (%.1f ms)\n", 60.0 / best_resample,
              best_resample * 1e3);

  // The same clip as MP3 and M4A, made by the ffmpeg tool from our voice note, decoded by
  // decode_audio() (libavformat/libavcodec).
  if (std::system("command -v ffmpeg >/dev/null 2>&1") == 0) {
    const std::string base =
        (std::filesystem::temp_directory_path() / ("bench_audio_fmt_" + std::to_string(getpid())))
            .string();
    std::ofstream(base + ".ogg", std::ios::binary) << ogg;
    for (const auto& [ext, codec] : {std::pair<const char*, const char*>{"mp3", "libmp3lame"},
                                     std::pair<const char*, const char*>{"m4a", "aac"}}) {
      const std::string out = base + "." + ext;
      const std::string cmd = "ffmpeg -nostdin -loglevel error -y -i '" + base +
                              ".ogg' -ar 44100 -b:a 64k -c:a " + codec + " '" + out + "'";
      if (std::system(cmd.c_str()) != 0) continue;
      std::ifstream in(out, std::ios::binary);
      const std::string bytes((std::istreambuf_iterator<char>(in)), {});
      double best = 1e9;
      for (int i = 0; i < kRuns; ++i) {
        const double t0 = now_seconds();
        auto pcm = sp::decode_audio(bytes);
        best = std::min(best, now_seconds() - t0);
        if (!pcm) {
          std::fprintf(stderr, "decode %s: %s\n", ext, pcm.status().to_string().c_str());
          return 1;
        }
      }
      std::printf("  decode %s (64 kbit/s, 44.1 kHz, FFmpeg): %6.1f x real time (%.1f ms)\n", ext,
                  60.0 / best, best * 1e3);
      std::filesystem::remove(out);
    }
    std::filesystem::remove(base + ".ogg");
  }

  // 10-minute voice note: encode it to a file, then decode it in a fresh process (this binary,
  // re-executed) so the peak is not inflated by the encoder's and TTS's memory above.
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("bench_audio_" + std::to_string(getpid()) + ".ogg"))
                               .string();
  {
    const Pcm ten = repeat_to(*speech, 600.0);
    auto note = sp::encode_voice_note_file(ten, path, {.bitrate = 24000});
    if (!note) {
      std::fprintf(stderr, "encode 10 min: %s\n", note.status().to_string().c_str());
      return 1;
    }
  }
  std::fflush(stdout);
  const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
  int rc = std::system(("'" + self + "' --decode '" + path + "'").c_str());
  std::filesystem::remove(path);

  // The first use of each on-demand library, in another fresh process.
  const std::string mp3 = path + ".mp3";
  const std::string make_mp3 =
      "ffmpeg -nostdin -loglevel error -y -f lavfi -i sine=frequency=440:duration=60 -ar 44100 "
      "-b:a 64k -c:a libmp3lame '" +
      mp3 + "'";
  if (std::system("command -v ffmpeg >/dev/null 2>&1") == 0 && std::system(make_mp3.c_str()) == 0) {
    std::fflush(stdout);
    if (std::system(("'" + self + "' --first-use '" + mp3 + "'").c_str()) != 0) rc = 1;
    std::filesystem::remove(mp3);
  }
  return rc == 0 ? 0 : 1;
}
