#pragma once
// Audio plumbing for voice notes: decode OGG/Opus (libopusfile, from memory), resample (libsoxr),
// encode mono OGG/Opus voice notes (libopusenc) and Telegram's 5-bit waveform.
// Everything works on mono 16-bit PCM. All functions are thread-safe (no shared state).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace sakai::ai::speech {

// Mono signed 16-bit PCM.
struct Pcm {
  std::vector<int16_t> samples;
  int sample_rate = 0;

  [[nodiscard]] double seconds() const {
    return sample_rate > 0 ? static_cast<double>(samples.size()) / sample_rate : 0.0;
  }
};

// Caps on what we accept from the outside (configurable per call).
struct DecodeLimits {
  std::size_t max_bytes = 20u * 1024u * 1024u;  // Telegram bots' download cap
  double max_seconds = 30.0 * 60.0;
};

// Decodes an OGG/Opus stream held in memory to mono PCM at 48 kHz (Opus' native rate; multichannel
// streams are downmixed). Errors:
//   kInvalidArgument     "not an OGG/Opus file" (and empty input)
//   kFailedPrecondition  "too large: N bytes, the limit is M bytes" / "too long: N s, the limit is
//   M s" kCorrupt             the stream opened but its packets do not decode
Result<Pcm> decode_ogg_opus(std::string_view bytes, const DecodeLimits& limits = {});
// The same for a file; the size cap is checked before the file is read. kNotFound / kIo on
// filesystem errors.
Result<Pcm> decode_ogg_opus_file(const std::string& path, const DecodeLimits& limits = {});

// High-quality resampling to `rate` Hz (soxr). Returns a copy when the rate already matches.
Result<Pcm> resample(const Pcm& pcm, int rate);

struct EncodeOptions {
  int bitrate = 24000;  // bits per second; Opus accepts 6000..510000
};

// An encoded voice note ready for Telegram's sendVoiceNote / inputMessageVoiceNote.
struct VoiceNote {
  std::string ogg;           // the OGG/Opus bytes
  int duration_seconds = 0;  // rounded to the nearest second, at least 1 for non-empty audio
  std::string waveform;      // telegram_waveform() of the input
};

struct VoiceNoteFile {
  std::string path;
  int duration_seconds = 0;
  std::string waveform;
};

// Encodes mono OGG/Opus (VOIP application, voice signal) from PCM at any rate (resampled to 48 kHz
// first). kInvalidArgument for empty PCM, a bad rate or a bitrate out of range.
Result<VoiceNote> encode_voice_note(const Pcm& pcm, const EncodeOptions& options = {});
// The same, written to `path` (replaced if it exists) with mode 0600.
Result<VoiceNoteFile> encode_voice_note_file(const Pcm& pcm, const std::string& path,
                                             const EncodeOptions& options = {});

// Telegram's voice-note waveform: 100 amplitude values of 5 bits (0..31, normalised to the loudest
// part), packed LSB-first into 63 bytes. Empty PCM gives 63 zero bytes.
inline constexpr int kWaveformValues = 100;
std::string telegram_waveform(const Pcm& pcm);
// Unpacks a 5-bit waveform back into its values (for tests and for reading received notes).
std::vector<uint8_t> unpack_telegram_waveform(std::string_view packed);

}  // namespace sakai::ai::speech
