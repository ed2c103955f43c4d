#include "ai/speech/audio.h"

#include <fcntl.h>
#include <opusenc.h>
#include <opusfile.h>
#include <soxr.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <system_error>

#include <fmt/format.h>

namespace sakai::ai::speech {
namespace {

constexpr int kOpusRate = 48000;

struct OpusFileCloser {
  void operator()(OggOpusFile* f) const { op_free(f); }
};
using OpusFilePtr = std::unique_ptr<OggOpusFile, OpusFileCloser>;

struct SoxrCloser {
  void operator()(soxr_t s) const { soxr_delete(s); }
};

std::string format_seconds(double s) {
  // "12.3" below a minute of precision matters; whole seconds above.
  return s < 60.0 ? fmt::format("{:.1f}", s) : fmt::format("{:.0f}", s);
}

Status too_long(double seconds, double limit) {
  return make_error(ErrorCode::kFailedPrecondition,
                    fmt::format("audio too long: {} s, the limit is {} s", format_seconds(seconds),
                                format_seconds(limit)));
}

Status too_large(std::size_t bytes, std::size_t limit) {
  return make_error(ErrorCode::kFailedPrecondition,
                    fmt::format("audio too large: {} bytes, the limit is {} bytes", bytes, limit));
}

}  // namespace

Result<Pcm> decode_ogg_opus(std::string_view bytes, const DecodeLimits& limits) {
  if (bytes.empty()) return make_error(ErrorCode::kInvalidArgument, "not an OGG/Opus file: empty");
  if (bytes.size() > limits.max_bytes) return too_large(bytes.size(), limits.max_bytes);

  int err = 0;
  OpusFilePtr of(
      op_open_memory(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), &err));
  if (!of) {
    if (err == OP_ENOTFORMAT || err == OP_EBADHEADER || err == OP_EVERSION || err == OP_ENOTAUDIO ||
        err == OP_EREAD) {
      return make_error(ErrorCode::kInvalidArgument, "not an OGG/Opus file");
    }
    return make_error(ErrorCode::kCorrupt,
                      fmt::format("corrupt OGG/Opus file (opusfile error {})", err));
  }

  // The total length is known up front for a seekable (in-memory) stream: refuse before decoding.
  const ogg_int64_t total = op_pcm_total(of.get(), -1);
  if (total >= 0) {
    const double seconds = static_cast<double>(total) / kOpusRate;
    if (seconds > limits.max_seconds) return too_long(seconds, limits.max_seconds);
  }
  const auto max_samples = static_cast<std::size_t>(limits.max_seconds * kOpusRate);

  Pcm out;
  out.sample_rate = kOpusRate;
  if (total > 0) out.samples.reserve(static_cast<std::size_t>(total));
  // 120 ms of stereo at 48 kHz: the largest Opus frame op_read_float_stereo returns. Float and our
  // own rounding rather than op_read_stereo: opusfile dithers its int16 output with a seed taken
  // from the stream's (random) serial number, so the same audio would decode differently.
  std::vector<float> buf(static_cast<std::size_t>(kOpusRate) * 120 / 1000 * 2);
  for (;;) {
    const int n = op_read_float_stereo(of.get(), buf.data(), static_cast<int>(buf.size()));
    if (n == OP_HOLE) continue;  // a gap in the data; opusfile keeps going
    if (n < 0) {
      return make_error(ErrorCode::kCorrupt,
                        fmt::format("corrupt OGG/Opus data (opusfile error {})", n));
    }
    if (n == 0) break;
    for (int i = 0; i < n; ++i) {
      const float mixed = (buf[2 * i] + buf[2 * i + 1]) * 0.5f * 32768.0f;
      out.samples.push_back(
          static_cast<int16_t>(std::lrint(std::clamp(mixed, -32768.0f, 32767.0f))));
    }
    if (out.samples.size() > max_samples) {
      return too_long(out.seconds(), limits.max_seconds);
    }
  }
  if (out.samples.empty()) {
    return make_error(ErrorCode::kCorrupt, "corrupt OGG/Opus file: no audio");
  }
  return out;
}

Result<Pcm> decode_ogg_opus_file(const std::string& path, const DecodeLimits& limits) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) {
    const int e = errno;
    if (e == ENOENT) return make_error(ErrorCode::kNotFound, fmt::format("{}: no such file", path));
    return make_error(ErrorCode::kIo, fmt::format("{}: {}", path, std::strerror(e)));
  }
  const std::streamoff size = in.tellg();
  if (size < 0) return make_error(ErrorCode::kIo, fmt::format("{}: cannot tell size", path));
  const auto usize = static_cast<std::size_t>(size);
  if (usize > limits.max_bytes) return too_large(usize, limits.max_bytes);
  std::string bytes(usize, '\0');
  in.seekg(0);
  if (!in.read(bytes.data(), size)) {
    return make_error(ErrorCode::kIo, fmt::format("{}: read failed", path));
  }
  return decode_ogg_opus(bytes, limits);
}

Result<Pcm> resample(const Pcm& pcm, int rate) {
  if (rate <= 0 || pcm.sample_rate <= 0) {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("resample: bad rate {} -> {}", pcm.sample_rate, rate));
  }
  if (rate == pcm.sample_rate) return pcm;
  Pcm out;
  out.sample_rate = rate;
  if (pcm.samples.empty()) return out;

  // Streamed in blocks: soxr_oneshot buffers the whole signal as floats internally, which for a
  // ten-minute note costs several times the PCM itself.
  const soxr_io_spec_t io = soxr_io_spec(SOXR_INT16_I, SOXR_INT16_I);
  const soxr_quality_spec_t quality = soxr_quality_spec(SOXR_HQ, 0);
  soxr_error_t error = nullptr;
  std::unique_ptr<soxr, SoxrCloser> soxr(
      soxr_create(pcm.sample_rate, rate, 1, &error, &io, &quality, nullptr));
  if (error != nullptr || !soxr) {
    return make_error(ErrorCode::kInternal, fmt::format("resample: soxr: {}", error));
  }
  const double ratio = static_cast<double>(rate) / pcm.sample_rate;
  out.samples.reserve(static_cast<std::size_t>(std::ceil(pcm.samples.size() * ratio)) + 16);
  constexpr std::size_t kBlock = 16384;
  std::vector<int16_t> buf(static_cast<std::size_t>(std::ceil(kBlock * ratio)) + 64);
  std::size_t off = 0;
  for (;;) {
    const bool flushing = off >= pcm.samples.size();
    const std::size_t ilen = flushing ? 0 : std::min(kBlock, pcm.samples.size() - off);
    std::size_t idone = 0;
    std::size_t odone = 0;
    error = soxr_process(soxr.get(), flushing ? nullptr : pcm.samples.data() + off, ilen, &idone,
                         buf.data(), buf.size(), &odone);
    if (error != nullptr) {
      return make_error(ErrorCode::kInternal, fmt::format("resample: soxr: {}", error));
    }
    out.samples.insert(out.samples.end(), buf.begin(), buf.begin() + static_cast<long>(odone));
    off += idone;
    if (flushing && odone == 0) break;
  }
  return out;
}
namespace {

int write_to_string(void* user_data, const unsigned char* ptr, opus_int32 len) {
  static_cast<std::string*>(user_data)->append(reinterpret_cast<const char*>(ptr),
                                               static_cast<std::size_t>(len));
  return 0;
}
int close_noop(void* /*user_data*/) {
  return 0;
}

struct EncoderCloser {
  void operator()(OggOpusEnc* e) const { ope_encoder_destroy(e); }
};
struct CommentsCloser {
  void operator()(OggOpusComments* c) const { ope_comments_destroy(c); }
};

}  // namespace

Result<VoiceNote> encode_voice_note(const Pcm& pcm, const EncodeOptions& options) {
  if (pcm.samples.empty()) return make_error(ErrorCode::kInvalidArgument, "encode: no audio");
  if (options.bitrate < 6000 || options.bitrate > 510000) {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("encode: bitrate {} out of range 6000..510000", options.bitrate));
  }
  auto at48 = resample(pcm, kOpusRate);
  if (!at48) return at48.status().with_context("encode");

  VoiceNote note;
  std::unique_ptr<OggOpusComments, CommentsCloser> comments(ope_comments_create());
  if (!comments) return make_error(ErrorCode::kInternal, "encode: out of memory");
  ope_comments_add(comments.get(), "ENCODER", "SakaiBot");
  const OpusEncCallbacks callbacks{write_to_string, close_noop};
  int err = 0;
  std::unique_ptr<OggOpusEnc, EncoderCloser> enc(
      ope_encoder_create_callbacks(&callbacks, &note.ogg, comments.get(), kOpusRate, 1, 0, &err));
  if (!enc) {
    return make_error(ErrorCode::kInternal, fmt::format("encode: {}", ope_strerror(err)));
  }
  if ((err = ope_encoder_ctl(enc.get(), OPUS_SET_BITRATE(options.bitrate))) != OPE_OK ||
      (err = ope_encoder_ctl(enc.get(), OPUS_SET_SIGNAL(OPUS_SIGNAL_VOICE))) != OPE_OK) {
    return make_error(ErrorCode::kInternal, fmt::format("encode: {}", ope_strerror(err)));
  }
  const auto& samples = at48->samples;
  constexpr std::size_t kChunk = 48000;  // one second per call keeps the calls cheap and bounded
  for (std::size_t off = 0; off < samples.size(); off += kChunk) {
    const std::size_t n = std::min(kChunk, samples.size() - off);
    if ((err = ope_encoder_write(enc.get(), samples.data() + off, static_cast<int>(n))) != OPE_OK) {
      return make_error(ErrorCode::kInternal, fmt::format("encode: {}", ope_strerror(err)));
    }
  }
  if ((err = ope_encoder_drain(enc.get())) != OPE_OK) {
    return make_error(ErrorCode::kInternal, fmt::format("encode: {}", ope_strerror(err)));
  }
  note.duration_seconds = std::max(1, static_cast<int>(std::lround(pcm.seconds())));
  note.waveform = telegram_waveform(pcm);
  return note;
}

Result<VoiceNoteFile> encode_voice_note_file(const Pcm& pcm, const std::string& path,
                                             const EncodeOptions& options) {
  auto note = encode_voice_note(pcm, options);
  if (!note) return note.status();
  // Readable by this user only: a voice note may be a friend's private conversation.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return make_error(ErrorCode::kIo, fmt::format("{}: {}", path, std::strerror(errno)));
  ::fchmod(fd, 0600);  // a file that was already there keeps its old mode otherwise
  std::string_view rest = note->ogg;
  while (!rest.empty()) {
    const ssize_t n = ::write(fd, rest.data(), rest.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int e = errno;
      ::close(fd);
      return make_error(ErrorCode::kIo,
                        fmt::format("{}: write failed: {}", path, std::strerror(e)));
    }
    rest.remove_prefix(static_cast<std::size_t>(n));
  }
  if (::close(fd) != 0) return make_error(ErrorCode::kIo, fmt::format("{}: write failed", path));
  return VoiceNoteFile{path, note->duration_seconds, std::move(note->waveform)};
}

std::string telegram_waveform(const Pcm& pcm) {
  // Peak amplitude per bucket, scaled so the loudest bucket is 31 (as Telegram's own clients do,
  // with a floor so near-silence stays flat instead of being amplified to full height).
  std::vector<int> peaks(kWaveformValues, 0);
  const std::size_t n = pcm.samples.size();
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t bucket = i * kWaveformValues / n;
    peaks[bucket] = std::max(peaks[bucket], std::abs(static_cast<int>(pcm.samples[i])));
  }
  const int loudest = std::max(*std::max_element(peaks.begin(), peaks.end()), 2500);
  constexpr int kBytes = (kWaveformValues * 5 + 7) / 8;  // 63
  std::string packed(kBytes + 1, '\0');  // one spare byte for the 16-bit window; dropped below
  for (int i = 0; i < kWaveformValues; ++i) {
    const int value = std::min(31, peaks[static_cast<std::size_t>(i)] * 31 / loudest);
    const int bit = i * 5;
    const auto byte = static_cast<std::size_t>(bit / 8);
    const unsigned window = static_cast<unsigned>(value) << (bit % 8);
    packed[byte] = static_cast<char>(static_cast<unsigned char>(packed[byte]) | (window & 0xFFu));
    packed[byte + 1] =
        static_cast<char>(static_cast<unsigned char>(packed[byte + 1]) | (window >> 8));
  }
  packed.resize(kBytes);
  return packed;
}

std::vector<uint8_t> unpack_telegram_waveform(std::string_view packed) {
  const std::size_t count = packed.size() * 8 / 5;
  std::vector<uint8_t> values(count);
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t bit = i * 5;
    const std::size_t byte = bit / 8;
    unsigned window = static_cast<unsigned char>(packed[byte]);
    if (byte + 1 < packed.size()) {
      window |= static_cast<unsigned>(static_cast<unsigned char>(packed[byte + 1])) << 8;
    }
    values[i] = static_cast<uint8_t>((window >> (bit % 8)) & 0x1Fu);
  }
  return values;
}

}  // namespace sakai::ai::speech
