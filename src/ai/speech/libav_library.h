#pragma once
// The FFmpeg functions audio_libav.cpp calls, loaded at run time from Debian's libavutil,
// libavcodec and libavformat (FFmpeg 5.1: libavcodec.so.59 ...) on the first MP3/M4A/FLAC/Vorbis
// decode. The sonames come from the -dev headers' major versions, so the types this file is
// compiled against and the code it loads always agree. Only speech sources include this header.
// Thread-safety and ownership: as LazyLibrary (shared_library.h).
extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/avutil.h>
#include <libavutil/log.h>
}

#include "core/result.h"
#include "core/shared_library.h"

namespace sakai::ai::speech {

struct LibavApi {
  // libavutil
  decltype(&::av_log_set_level) av_log_set_level = nullptr;
  decltype(&::av_malloc) av_malloc = nullptr;
  decltype(&::av_free) av_free = nullptr;
  decltype(&::av_freep) av_freep = nullptr;
  decltype(&::av_frame_alloc) av_frame_alloc = nullptr;
  decltype(&::av_frame_free) av_frame_free = nullptr;
  decltype(&::av_frame_unref) av_frame_unref = nullptr;
  decltype(&::av_get_packed_sample_fmt) av_get_packed_sample_fmt = nullptr;
  decltype(&::av_sample_fmt_is_planar) av_sample_fmt_is_planar = nullptr;
  decltype(&::av_get_bytes_per_sample) av_get_bytes_per_sample = nullptr;
  // libavcodec
  decltype(&::avcodec_alloc_context3) avcodec_alloc_context3 = nullptr;
  decltype(&::avcodec_free_context) avcodec_free_context = nullptr;
  decltype(&::avcodec_parameters_to_context) avcodec_parameters_to_context = nullptr;
  decltype(&::avcodec_open2) avcodec_open2 = nullptr;
  decltype(&::avcodec_send_packet) avcodec_send_packet = nullptr;
  decltype(&::avcodec_receive_frame) avcodec_receive_frame = nullptr;
  decltype(&::av_packet_alloc) av_packet_alloc = nullptr;
  decltype(&::av_packet_free) av_packet_free = nullptr;
  decltype(&::av_packet_unref) av_packet_unref = nullptr;
  // libavformat
  decltype(&::avio_alloc_context) avio_alloc_context = nullptr;
  decltype(&::avio_context_free) avio_context_free = nullptr;
  decltype(&::avformat_alloc_context) avformat_alloc_context = nullptr;
  decltype(&::avformat_open_input) avformat_open_input = nullptr;
  decltype(&::avformat_find_stream_info) avformat_find_stream_info = nullptr;
  decltype(&::avformat_close_input) avformat_close_input = nullptr;
  decltype(&::av_find_best_stream) av_find_best_stream = nullptr;
  decltype(&::av_read_frame) av_read_frame = nullptr;
};

// The table, loading the three libraries on the first call (FFmpeg's log silenced once loaded:
// errors come back as Status). kUnavailable naming the Debian package when one is missing or is
// another major version.
Result<const LibavApi*> libav();

}  // namespace sakai::ai::speech
