#pragma once
// Decoding of the audio formats Telegram users send besides voice notes: MP3, MP4/M4A (AAC; a
// video note's sound), FLAC and OGG/Vorbis, from memory, through Debian's FFmpeg libraries. The
// libraries are not linked: the first decode opens them (dlopen, libav_library.h) on the thread
// that runs it. Thread-safe (no shared state besides the loaded library and FFmpeg's log level).
#include <string_view>

#include "ai/speech/audio.h"
#include "core/result.h"

namespace sakai::ai::speech {

// Mono 16-bit PCM at the stream's own rate (multichannel audio is downmixed; for a video the
// best audio track is taken). Errors as decode_ogg_opus: kInvalidArgument (empty, no audio
// track), kFailedPrecondition "too long: N s, the limit is M s", kCorrupt (the container or the
// stream does not decode), kUnavailable "ffmpeg: libavcodec.so.59 is not installed: install the
// Debian package libavcodec59 ..." when FFmpeg cannot be loaded. The size cap is the caller's
// (decode_audio checks it first).
Result<Pcm> decode_with_libav(std::string_view bytes, const DecodeLimits& limits = {});

// Whether FFmpeg has been loaded into this process (by a decode_with_libav() call).
bool libav_loaded();

}  // namespace sakai::ai::speech
