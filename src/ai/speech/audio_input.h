#pragma once
// Audio as it arrives from Telegram (voice notes, audio files, video notes) before
// speech-to-text: format sniffing, a small RIFF/WAVE PCM parser, and one decode entry point that
// enforces the size and duration caps. Pure functions; thread-safe.
#include <string>
#include <string_view>

#include "ai/speech/audio.h"
#include "core/result.h"

namespace sakai::ai::speech {

enum class AudioFormat { kUnknown, kOggOpus, kOgg, kWav, kMp3, kMp4, kFlac };

// From the first bytes (magic numbers), never from a file name.
AudioFormat sniff_audio_format(std::string_view bytes);
// "audio/ogg", "audio/wav", "audio/mpeg", "video/mp4", "audio/flac"; "application/octet-stream"
// for kUnknown.
std::string_view audio_mime_type(AudioFormat format);
// "voice.ogg", "audio.wav", ... (OpenAI-compatible servers want an extension-bearing name).
std::string_view audio_file_name(AudioFormat format);

// RIFF/WAVE with 8-, 16-, 24- or 32-bit integer PCM or 32-bit float, any channel count
// (downmixed to mono). Errors as decode_ogg_opus: kInvalidArgument (not WAV), kFailedPrecondition
// (too large / too long), kCorrupt (a broken header or data chunk).
Result<Pcm> decode_wav(std::string_view bytes, const DecodeLimits& limits = {});

// Any format sniff_audio_format() knows → mono PCM, after the size cap: OGG/Opus (libopusfile) and
// WAV here, MP3, MP4/M4A, FLAC and OGG/Vorbis through FFmpeg (audio_libav.h). kInvalidArgument
// "not an audio file" for the rest.
Result<Pcm> decode_audio(std::string_view bytes, const DecodeLimits& limits = {});

}  // namespace sakai::ai::speech
