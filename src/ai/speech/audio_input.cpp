#include "ai/speech/audio_input.h"

#include <cstdint>
#include <cstring>

#include "ai/speech/audio_libav.h"

namespace sakai::ai::speech {
namespace {

std::uint32_t le32(std::string_view b, std::size_t at) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(b[at])) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 1])) << 8 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 2])) << 16 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 3])) << 24;
}

std::uint16_t le16(std::string_view b, std::size_t at) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(b[at]) |
                                    static_cast<unsigned char>(b[at + 1]) << 8);
}

// One sample as a double in [-1, 1].
double sample_at(const char* p, int bits, bool is_float) {
  if (is_float) {
    float f = 0;
    std::memcpy(&f, p, sizeof f);
    return static_cast<double>(f);
  }
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  switch (bits) {
    case 8:
      return (static_cast<int>(u[0]) - 128) / 128.0;
    case 16:
      return static_cast<std::int16_t>(u[0] | u[1] << 8) / 32768.0;
    case 24: {
      std::int32_t v = u[0] | u[1] << 8 | u[2] << 16;
      if (v & 0x800000) v -= 0x1000000;
      return v / 8388608.0;
    }
    default: {
      const std::int32_t v = static_cast<std::int32_t>(
          static_cast<std::uint32_t>(u[0]) | static_cast<std::uint32_t>(u[1]) << 8 |
          static_cast<std::uint32_t>(u[2]) << 16 | static_cast<std::uint32_t>(u[3]) << 24);
      return v / 2147483648.0;
    }
  }
}

Status too_large(std::size_t size, std::size_t max) {
  return make_error(ErrorCode::kFailedPrecondition, "too large: " + std::to_string(size) +
                                                        " bytes, the limit is " +
                                                        std::to_string(max) + " bytes");
}

}  // namespace

AudioFormat sniff_audio_format(std::string_view b) {
  if (b.size() >= 4 && b.substr(0, 4) == "OggS") {
    // The first page holds the codec's identification header.
    return b.substr(0, 64).find("OpusHead") != std::string_view::npos ? AudioFormat::kOggOpus
                                                                      : AudioFormat::kOgg;
  }
  if (b.size() >= 12 && b.substr(0, 4) == "RIFF" && b.substr(8, 4) == "WAVE") {
    return AudioFormat::kWav;
  }
  if (b.size() >= 4 && b.substr(0, 4) == "fLaC") return AudioFormat::kFlac;
  if (b.size() >= 12 && b.substr(4, 4) == "ftyp") return AudioFormat::kMp4;
  if (b.size() >= 3 && b.substr(0, 3) == "ID3") return AudioFormat::kMp3;
  if (b.size() >= 2 && static_cast<unsigned char>(b[0]) == 0xFF &&
      (static_cast<unsigned char>(b[1]) & 0xE0) == 0xE0) {
    return AudioFormat::kMp3;
  }
  return AudioFormat::kUnknown;
}

std::string_view audio_mime_type(AudioFormat format) {
  switch (format) {
    case AudioFormat::kOggOpus:
    case AudioFormat::kOgg:
      return "audio/ogg";
    case AudioFormat::kWav:
      return "audio/wav";
    case AudioFormat::kMp3:
      return "audio/mpeg";
    case AudioFormat::kMp4:
      return "video/mp4";
    case AudioFormat::kFlac:
      return "audio/flac";
    case AudioFormat::kUnknown:
      break;
  }
  return "application/octet-stream";
}

std::string_view audio_file_name(AudioFormat format) {
  switch (format) {
    case AudioFormat::kOggOpus:
    case AudioFormat::kOgg:
      return "voice.ogg";
    case AudioFormat::kWav:
      return "audio.wav";
    case AudioFormat::kMp3:
      return "audio.mp3";
    case AudioFormat::kMp4:
      return "video.mp4";
    case AudioFormat::kFlac:
      return "audio.flac";
    case AudioFormat::kUnknown:
      break;
  }
  return "audio.bin";
}

Result<Pcm> decode_wav(std::string_view b, const DecodeLimits& limits) {
  if (b.size() > limits.max_bytes) return too_large(b.size(), limits.max_bytes);
  if (sniff_audio_format(b) != AudioFormat::kWav) {
    return make_error(ErrorCode::kInvalidArgument, "not a WAV file");
  }
  int channels = 0, rate = 0, bits = 0;
  bool is_float = false, have_fmt = false;
  std::string_view data;
  bool have_data = false;
  for (std::size_t at = 12; at + 8 <= b.size();) {
    const std::string_view id = b.substr(at, 4);
    const std::uint32_t size = le32(b, at + 4);
    const std::size_t body = at + 8;
    const std::size_t available = b.size() - body;
    if (id == "fmt ") {
      if (size < 16 || size > available) return make_error(ErrorCode::kCorrupt, "bad WAV header");
      const std::uint16_t tag = le16(b, body);
      channels = le16(b, body + 2);
      rate = static_cast<int>(le32(b, body + 4));
      bits = le16(b, body + 14);
      const bool extensible = tag == 0xFFFE && size >= 26;
      const std::uint16_t sub = extensible ? le16(b, body + 24) : tag;
      if (sub != 1 && sub != 3) {
        return make_error(ErrorCode::kInvalidArgument, "unsupported WAV encoding (not PCM)");
      }
      is_float = sub == 3;
      have_fmt = true;
    } else if (id == "data") {
      // Streams written on the fly leave the size at 0 or 0xFFFFFFFF: take what is there.
      data = b.substr(body, size == 0 || size > available ? available : size);
      have_data = true;
      break;
    }
    at = body + size + (size & 1u);
    if (at < body) break;  // overflow
  }
  if (!have_fmt || !have_data) return make_error(ErrorCode::kCorrupt, "bad WAV file: no data");
  const bool bits_ok =
      is_float ? bits == 32 : (bits == 8 || bits == 16 || bits == 24 || bits == 32);
  if (channels < 1 || channels > 32 || rate < 1000 || rate > 768000 || !bits_ok) {
    return make_error(ErrorCode::kCorrupt, "bad WAV format fields");
  }
  const std::size_t frame = static_cast<std::size_t>(channels) * static_cast<std::size_t>(bits / 8);
  const std::size_t frames = data.size() / frame;
  const double seconds = static_cast<double>(frames) / rate;
  if (seconds > limits.max_seconds) {
    return make_error(ErrorCode::kFailedPrecondition,
                      "too long: " + std::to_string(static_cast<long long>(seconds)) +
                          " s, the limit is " +
                          std::to_string(static_cast<long long>(limits.max_seconds)) + " s");
  }
  Pcm pcm;
  pcm.sample_rate = rate;
  pcm.samples.resize(frames);
  for (std::size_t f = 0; f < frames; ++f) {
    double sum = 0;
    for (int c = 0; c < channels; ++c) {
      sum += sample_at(data.data() + f * frame + static_cast<std::size_t>(c) * (bits / 8), bits,
                       is_float);
    }
    double v = sum / channels * 32767.0;
    if (v > 32767.0) v = 32767.0;
    if (v < -32768.0) v = -32768.0;
    pcm.samples[f] = static_cast<int16_t>(v);
  }
  return pcm;
}

Result<Pcm> decode_audio(std::string_view bytes, const DecodeLimits& limits) {
  if (bytes.size() > limits.max_bytes) return too_large(bytes.size(), limits.max_bytes);
  switch (sniff_audio_format(bytes)) {
    case AudioFormat::kOggOpus:
      return decode_ogg_opus(bytes, limits);
    case AudioFormat::kWav:
      return decode_wav(bytes, limits);
    case AudioFormat::kOgg:
    case AudioFormat::kMp3:
    case AudioFormat::kMp4:
    case AudioFormat::kFlac:
      return decode_with_libav(bytes, limits);
    case AudioFormat::kUnknown:
      break;
  }
  if (bytes.empty()) return make_error(ErrorCode::kInvalidArgument, "empty audio");
  return make_error(ErrorCode::kInvalidArgument, "not an audio file");
}

}  // namespace sakai::ai::speech
