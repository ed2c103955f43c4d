#include "ai/speech/libav_library.h"

#include <string>

#include "ai/speech/audio_libav.h"

namespace sakai::ai::speech {
namespace {

// "libavcodec.so.59" from the header the code was compiled against; Debian's package for it is
// "libavcodec59".
#define SAKAI_STRINGIFY2(x) #x
#define SAKAI_STRINGIFY(x) SAKAI_STRINGIFY2(x)
LibraryName ffmpeg_library(const char* name, const char* major) {
  return LibraryName{std::string(name) + ".so." + major, std::string(name) + major};
}

Result<LibavApi> load_libav() {
  // libavformat needs libavcodec needs libavutil: opened in that order, each one's dlopen finds
  // the one before already loaded.
  auto util =
      SharedLibrary::open(ffmpeg_library("libavutil", SAKAI_STRINGIFY(LIBAVUTIL_VERSION_MAJOR)));
  if (!util.is_ok()) return util.status();
  auto codec =
      SharedLibrary::open(ffmpeg_library("libavcodec", SAKAI_STRINGIFY(LIBAVCODEC_VERSION_MAJOR)));
  if (!codec.is_ok()) return codec.status();
  auto format = SharedLibrary::open(
      ffmpeg_library("libavformat", SAKAI_STRINGIFY(LIBAVFORMAT_VERSION_MAJOR)));
  if (!format.is_ok()) return format.status();

  LibavApi api;
#define SAKAI_BIND(lib, fn) SAKAI_TRY((lib)->bind(api.fn, #fn))
  SAKAI_BIND(util, av_log_set_level);
  SAKAI_BIND(util, av_malloc);
  SAKAI_BIND(util, av_free);
  SAKAI_BIND(util, av_freep);
  SAKAI_BIND(util, av_frame_alloc);
  SAKAI_BIND(util, av_frame_free);
  SAKAI_BIND(util, av_frame_unref);
  SAKAI_BIND(util, av_get_packed_sample_fmt);
  SAKAI_BIND(util, av_sample_fmt_is_planar);
  SAKAI_BIND(util, av_get_bytes_per_sample);
  SAKAI_BIND(codec, avcodec_alloc_context3);
  SAKAI_BIND(codec, avcodec_free_context);
  SAKAI_BIND(codec, avcodec_parameters_to_context);
  SAKAI_BIND(codec, avcodec_open2);
  SAKAI_BIND(codec, avcodec_send_packet);
  SAKAI_BIND(codec, avcodec_receive_frame);
  SAKAI_BIND(codec, av_packet_alloc);
  SAKAI_BIND(codec, av_packet_free);
  SAKAI_BIND(codec, av_packet_unref);
  SAKAI_BIND(format, avio_alloc_context);
  SAKAI_BIND(format, avio_context_free);
  SAKAI_BIND(format, avformat_alloc_context);
  SAKAI_BIND(format, avformat_open_input);
  SAKAI_BIND(format, avformat_find_stream_info);
  SAKAI_BIND(format, avformat_close_input);
  SAKAI_BIND(format, av_find_best_stream);
  SAKAI_BIND(format, av_read_frame);
#undef SAKAI_BIND
  api.av_log_set_level(AV_LOG_QUIET);  // errors come back as Status
  return api;
}
#undef SAKAI_STRINGIFY
#undef SAKAI_STRINGIFY2

// Process-wide like the libraries themselves (dlopen() is per process): one table, one load,
// never destroyed (a job on another thread may still use it while statics are destroyed).
LazyLibrary<LibavApi>& library() {
  static auto* lib = new LazyLibrary<LibavApi>(&load_libav);
  return *lib;
}

}  // namespace

Result<const LibavApi*> libav() {
  return library().get();
}

bool libav_loaded() {
  return library().loaded();
}

}  // namespace sakai::ai::speech
