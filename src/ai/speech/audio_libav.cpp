// decode_with_libav(): MP3, MP4/M4A (AAC, also the sound of a video note), FLAC and OGG/Vorbis
// from memory through Debian's libavformat/libavcodec (FFmpeg 5.1), opened on the first decode
// (libav_library.h). The input never touches the disk: a custom AVIOContext reads the caller's
// bytes.
#include "ai/speech/audio_libav.h"

#include <algorithm>
#include <cstring>
#include <memory>

#include "ai/speech/libav_library.h"

namespace sakai::ai::speech {
namespace {

// The bytes being read and where the reader is.
struct MemoryReader {
  std::string_view bytes;
  std::size_t at = 0;
};

int read_packet(void* opaque, std::uint8_t* buf, int size) {
  auto* r = static_cast<MemoryReader*>(opaque);
  const std::size_t left = r->bytes.size() - r->at;
  if (left == 0) return AVERROR_EOF;
  const std::size_t n = std::min(left, static_cast<std::size_t>(size));
  std::memcpy(buf, r->bytes.data() + r->at, n);
  r->at += n;
  return static_cast<int>(n);
}

std::int64_t seek(void* opaque, std::int64_t offset, int whence) {
  auto* r = static_cast<MemoryReader*>(opaque);
  const auto size = static_cast<std::int64_t>(r->bytes.size());
  if ((whence & AVSEEK_SIZE) != 0) return size;
  std::int64_t target = 0;
  switch (whence & ~AVSEEK_FORCE) {
    case SEEK_SET:
      target = offset;
      break;
    case SEEK_CUR:
      target = static_cast<std::int64_t>(r->at) + offset;
      break;
    case SEEK_END:
      target = size + offset;
      break;
    default:
      return AVERROR(EINVAL);
  }
  if (target < 0 || target > size) return AVERROR(EINVAL);
  r->at = static_cast<std::size_t>(target);
  return target;
}

// The deleters call through the loaded table.
struct IoDeleter {
  const LibavApi* av;
  void operator()(AVIOContext* io) const {
    if (io == nullptr) return;
    av->av_freep(static_cast<void*>(&io->buffer));
    av->avio_context_free(&io);
  }
};
struct FormatDeleter {
  const LibavApi* av;
  void operator()(AVFormatContext* f) const { av->avformat_close_input(&f); }
};
struct CodecDeleter {
  const LibavApi* av;
  void operator()(AVCodecContext* c) const { av->avcodec_free_context(&c); }
};
struct PacketDeleter {
  const LibavApi* av;
  void operator()(AVPacket* p) const { av->av_packet_free(&p); }
};
struct FrameDeleter {
  const LibavApi* av;
  void operator()(AVFrame* f) const { av->av_frame_free(&f); }
};

// One sample at `p` in the packed form of the frame's format, as a double in [-1, 1].
double sample_at(const std::uint8_t* p, AVSampleFormat packed) {
  switch (packed) {
    case AV_SAMPLE_FMT_U8:
      return (static_cast<int>(*p) - 128) / 128.0;
    case AV_SAMPLE_FMT_S16: {
      std::int16_t v = 0;
      std::memcpy(&v, p, sizeof v);
      return v / 32768.0;
    }
    case AV_SAMPLE_FMT_S32: {
      std::int32_t v = 0;
      std::memcpy(&v, p, sizeof v);
      return v / 2147483648.0;
    }
    case AV_SAMPLE_FMT_S64: {
      std::int64_t v = 0;
      std::memcpy(&v, p, sizeof v);
      return static_cast<double>(v) / 9223372036854775808.0;
    }
    case AV_SAMPLE_FMT_FLT: {
      float v = 0;
      std::memcpy(&v, p, sizeof v);
      return static_cast<double>(v);
    }
    case AV_SAMPLE_FMT_DBL: {
      double v = 0;
      std::memcpy(&v, p, sizeof v);
      return v;
    }
    default:
      return 0.0;
  }
}

// Appends a decoded frame, downmixed to mono 16-bit. The layout is worked out once per frame.
void append_frame(const LibavApi& av, const AVFrame& frame, Pcm& pcm) {
  const int channels = std::max(1, frame.ch_layout.nb_channels);
  const auto fmt = static_cast<AVSampleFormat>(frame.format);
  const AVSampleFormat packed = av.av_get_packed_sample_fmt(fmt);
  const bool planar = av.av_sample_fmt_is_planar(fmt) != 0;
  const std::ptrdiff_t bytes = av.av_get_bytes_per_sample(fmt);
  // Planar: channel c's samples follow each other in plane c. Packed: frames interleave channels.
  const std::ptrdiff_t step = planar ? bytes : bytes * channels;
  for (int i = 0; i < frame.nb_samples; ++i) {
    double sum = 0;
    for (int c = 0; c < channels; ++c) {
      const std::uint8_t* p = planar ? frame.extended_data[c] + i * step
                                     : frame.extended_data[0] + i * step + c * bytes;
      sum += sample_at(p, packed);
    }
    const double v = std::clamp(sum / channels * 32767.0, -32768.0, 32767.0);
    pcm.samples.push_back(static_cast<int16_t>(v));
  }
}

Status too_long(double seconds, double max) {
  return make_error(ErrorCode::kFailedPrecondition,
                    "too long: " + std::to_string(static_cast<long long>(seconds)) +
                        " s, the limit is " + std::to_string(static_cast<long long>(max)) + " s");
}

Status corrupt(const std::string& what) {
  return make_error(ErrorCode::kCorrupt, "the audio could not be decoded: " + what);
}

}  // namespace

Result<Pcm> decode_with_libav(std::string_view bytes, const DecodeLimits& limits) {
  if (bytes.empty()) return make_error(ErrorCode::kInvalidArgument, "empty audio");
  auto loaded = libav();  // FFmpeg is opened here, on the first decode
  if (!loaded.is_ok()) return loaded.status().with_context("ffmpeg");
  const LibavApi& av = **loaded;

  MemoryReader reader{bytes, 0};
  constexpr int kBufferSize = 64 * 1024;
  auto* buffer = static_cast<unsigned char*>(av.av_malloc(kBufferSize));
  if (buffer == nullptr) return make_error(ErrorCode::kInternal, "out of memory");
  std::unique_ptr<AVIOContext, IoDeleter> io(
      av.avio_alloc_context(buffer, kBufferSize, 0, &reader, &read_packet, nullptr, &seek),
      IoDeleter{&av});
  if (!io) {
    av.av_free(buffer);
    return make_error(ErrorCode::kInternal, "out of memory");
  }

  AVFormatContext* raw = av.avformat_alloc_context();
  if (raw == nullptr) return make_error(ErrorCode::kInternal, "out of memory");
  raw->pb = io.get();
  raw->flags |= AVFMT_FLAG_CUSTOM_IO;
  if (av.avformat_open_input(&raw, nullptr, nullptr, nullptr) < 0) {
    return corrupt("unknown or broken container");  // avformat_open_input freed `raw`
  }
  std::unique_ptr<AVFormatContext, FormatDeleter> format(raw, FormatDeleter{&av});
  if (av.avformat_find_stream_info(format.get(), nullptr) < 0) {
    return corrupt("no stream information");
  }

  const AVCodec* codec = nullptr;
  const int stream_index =
      av.av_find_best_stream(format.get(), AVMEDIA_TYPE_AUDIO, -1, -1, &codec, 0);
  if (stream_index < 0 || codec == nullptr) {
    return make_error(ErrorCode::kInvalidArgument, "the file has no audio track");
  }
  const AVStream* stream = format->streams[stream_index];
  if (stream->duration > 0 && stream->time_base.den > 0) {
    const double seconds = static_cast<double>(stream->duration) * av_q2d(stream->time_base);
    if (seconds > limits.max_seconds + 1.0) return too_long(seconds, limits.max_seconds);
  }

  std::unique_ptr<AVCodecContext, CodecDeleter> decoder(av.avcodec_alloc_context3(codec),
                                                        CodecDeleter{&av});
  if (!decoder) return make_error(ErrorCode::kInternal, "out of memory");
  if (av.avcodec_parameters_to_context(decoder.get(), stream->codecpar) < 0 ||
      av.avcodec_open2(decoder.get(), codec, nullptr) < 0) {
    return corrupt("the decoder did not open");
  }

  std::unique_ptr<AVPacket, PacketDeleter> packet(av.av_packet_alloc(), PacketDeleter{&av});
  std::unique_ptr<AVFrame, FrameDeleter> frame(av.av_frame_alloc(), FrameDeleter{&av});
  if (!packet || !frame) return make_error(ErrorCode::kInternal, "out of memory");

  Pcm pcm;
  int bad_packets = 0, good_frames = 0;
  // Pulls every frame the decoder has ready; false when the duration cap is passed.
  auto drain = [&]() -> Status {
    for (;;) {
      const int got = av.avcodec_receive_frame(decoder.get(), frame.get());
      if (got == AVERROR(EAGAIN) || got == AVERROR_EOF) return Status::ok();
      if (got < 0) {
        ++bad_packets;
        return Status::ok();
      }
      if (pcm.sample_rate == 0) pcm.sample_rate = frame->sample_rate;
      if (frame->sample_rate == pcm.sample_rate) {  // a mid-stream rate change is dropped
        append_frame(av, *frame, pcm);
        ++good_frames;
      }
      av.av_frame_unref(frame.get());
      if (pcm.seconds() > limits.max_seconds) return too_long(pcm.seconds(), limits.max_seconds);
    }
  };
  while (av.av_read_frame(format.get(), packet.get()) >= 0) {
    if (packet->stream_index == stream_index) {
      if (av.avcodec_send_packet(decoder.get(), packet.get()) < 0) ++bad_packets;
      auto st = drain();
      if (!st.is_ok()) return st;
    }
    av.av_packet_unref(packet.get());
  }
  av.avcodec_send_packet(decoder.get(), nullptr);  // flush
  if (auto st = drain(); !st.is_ok()) return st;

  if (good_frames == 0 || pcm.sample_rate <= 0) return corrupt("no audio frames decoded");
  if (bad_packets > good_frames) return corrupt("most of the stream is damaged");
  return pcm;
}

}  // namespace sakai::ai::speech
