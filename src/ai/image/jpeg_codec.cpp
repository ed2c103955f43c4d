// JPEG through libjpeg-turbo (libjpeg62-turbo). libjpeg reports fatal errors through
// error_exit, which must not return: it longjmp()s back to the one setjmp() below. Every object
// the library changes lives outside the frames that call setjmp() (the caller's Job), so nothing
// is indeterminate after the jump, and those frames hold no C++ object with a destructor.
//
// A truncated file is not fatal to libjpeg: it warns (JWRN_JPEG_EOF, "premature end of data")
// and pads the image with grey. Those warnings are counted and turned into an error here.
#include <csetjmp>
#include <cstdio>  // jpeglib.h needs FILE
#include <cstdlib>
#include <string>

// clang-format off
#include <jpeglib.h>
#include <jerror.h>
// clang-format on

#include "ai/image/image_codec.h"

namespace sakai::ai::image::codec {
namespace {

struct ErrorManager {
  jpeg_error_mgr pub;  // first: libjpeg sees a jpeg_error_mgr*
  std::jmp_buf jump;
  bool truncated;
  char message[JMSG_LENGTH_MAX];
};

[[noreturn]] void on_error_exit(j_common_ptr info) {
  auto* err = reinterpret_cast<ErrorManager*>(info->err);
  (*info->err->format_message)(info, err->message);
  std::longjmp(err->jump, 1);
}

void on_emit_message(j_common_ptr info, int level) {
  if (level >= 0) return;  // trace messages
  auto* err = reinterpret_cast<ErrorManager*>(info->err);
  const int code = info->err->msg_code;
  if (code == JWRN_JPEG_EOF || code == JWRN_HIT_MARKER) err->truncated = true;
  ++info->err->num_warnings;
}

void init_errors(ErrorManager& err) {
  jpeg_std_error(&err.pub);
  err.pub.error_exit = on_error_exit;
  err.pub.emit_message = on_emit_message;
  err.truncated = false;
  err.message[0] = '\0';
}

// What a decompression produces, owned by the caller (outside the setjmp frame).
struct DecodeJob {
  const unsigned char* data = nullptr;
  unsigned long size = 0;
  enum class Mode { kHeader, kVerify, kDecode } mode = Mode::kHeader;
  int min_width = 0;  // kDecode: DCT scaling never goes below these
  int min_height = 0;
  // Out:
  int width = 0;  // the file's dimensions
  int height = 0;
  bool cmyk = false;
  bool adobe = false;
  int out_width = 0;  // kDecode: the decoded dimensions
  int out_height = 0;
  std::vector<std::uint8_t>* rgba = nullptr;  // kDecode
  std::vector<std::uint8_t>* cmyk_row = nullptr;
  ErrorManager err{};
};

// No C++ object with a destructor lives in this frame: the longjmp may land here.
bool run_decompress(DecodeJob* job) {
  jpeg_decompress_struct info;
  init_errors(job->err);
  info.err = &job->err.pub;
  if (setjmp(job->err.jump)) {
    jpeg_destroy_decompress(&info);
    return false;
  }
  jpeg_create_decompress(&info);
  jpeg_mem_src(&info, job->data, job->size);
  jpeg_read_header(&info, TRUE);
  job->width = static_cast<int>(info.image_width);
  job->height = static_cast<int>(info.image_height);
  job->cmyk = info.jpeg_color_space == JCS_CMYK || info.jpeg_color_space == JCS_YCCK;
  job->adobe = info.saw_Adobe_marker != 0;
  if (job->mode == DecodeJob::Mode::kHeader) {
    jpeg_destroy_decompress(&info);
    return true;
  }
  if (job->mode == DecodeJob::Mode::kVerify) {
    // Every byte of entropy data is still decoded; only the output is 1/8 and grey.
    info.scale_num = 1;
    info.scale_denom = 8;
    info.dct_method = JDCT_IFAST;
    info.do_fancy_upsampling = FALSE;
    info.do_block_smoothing = FALSE;
    if (info.jpeg_color_space == JCS_YCbCr || info.jpeg_color_space == JCS_GRAYSCALE) {
      info.out_color_space = JCS_GRAYSCALE;
    }
  } else {
    info.out_color_space = job->cmyk ? JCS_CMYK : JCS_EXT_RGBA;
    info.scale_denom = 8;
    for (unsigned num = 1; num <= 8; ++num) {
      info.scale_num = num;
      jpeg_calc_output_dimensions(&info);
      // No minimum: full size (num reaches 8).
      if ((job->min_width > 0 || job->min_height > 0) &&
          static_cast<int>(info.output_width) >= job->min_width &&
          static_cast<int>(info.output_height) >= job->min_height) {
        break;
      }
    }
  }
  jpeg_start_decompress(&info);
  const JDIMENSION stride = info.output_width * static_cast<JDIMENSION>(info.output_components);
  if (job->mode == DecodeJob::Mode::kVerify) {
    JSAMPARRAY row =
        (*info.mem->alloc_sarray)(reinterpret_cast<j_common_ptr>(&info), JPOOL_IMAGE, stride, 1);
    while (info.output_scanline < info.output_height) {
      jpeg_read_scanlines(&info, row, 1);
    }
  } else {
    job->out_width = static_cast<int>(info.output_width);
    job->out_height = static_cast<int>(info.output_height);
    const std::size_t rgba_stride = static_cast<std::size_t>(info.output_width) * 4;
    job->rgba->resize(rgba_stride * info.output_height);
    if (job->cmyk) job->cmyk_row->resize(stride);
    while (info.output_scanline < info.output_height) {
      std::uint8_t* out = job->rgba->data() + rgba_stride * info.output_scanline;
      if (!job->cmyk) {
        JSAMPROW row = out;
        jpeg_read_scanlines(&info, &row, 1);
        continue;
      }
      JSAMPROW row = job->cmyk_row->data();
      jpeg_read_scanlines(&info, &row, 1);
      // Adobe writes CMYK inverted (0 = full ink); others write it plain.
      for (JDIMENSION x = 0; x < info.output_width; ++x) {
        const std::uint8_t* s = job->cmyk_row->data() + x * 4;
        const int c = job->adobe ? s[0] : 255 - s[0];
        const int m = job->adobe ? s[1] : 255 - s[1];
        const int y = job->adobe ? s[2] : 255 - s[2];
        const int k = job->adobe ? s[3] : 255 - s[3];
        out[x * 4] = static_cast<std::uint8_t>(c * k / 255);
        out[x * 4 + 1] = static_cast<std::uint8_t>(m * k / 255);
        out[x * 4 + 2] = static_cast<std::uint8_t>(y * k / 255);
        out[x * 4 + 3] = 255;
      }
    }
  }
  jpeg_finish_decompress(&info);
  jpeg_destroy_decompress(&info);
  return true;
}

Status decompress(DecodeJob& job, std::string_view bytes) {
  job.data = reinterpret_cast<const unsigned char*>(bytes.data());
  job.size = static_cast<unsigned long>(bytes.size());
  if (!run_decompress(&job)) {
    const std::string what = job.mode == DecodeJob::Mode::kHeader ? "unreadable JPEG header: "
                                                                  : "truncated or corrupt JPEG: ";
    return make_error(ErrorCode::kCorrupt, what + job.err.message);
  }
  if (job.mode != DecodeJob::Mode::kHeader && job.err.truncated) {
    return make_error(ErrorCode::kCorrupt, "truncated JPEG: the data ends before the image does");
  }
  return {};
}

struct EncodeJob {
  const std::uint8_t* pixels = nullptr;  // RGB when `channels` is 3, RGBX when 4
  int channels = 3;
  int width = 0;
  int height = 0;
  int quality = 90;
  unsigned char* out = nullptr;  // malloc'ed by libjpeg-turbo's memory destination
  unsigned long out_size = 0;
  ErrorManager err{};
};

bool run_compress(EncodeJob* job) {
  jpeg_compress_struct info;
  init_errors(job->err);
  info.err = &job->err.pub;
  if (setjmp(job->err.jump)) {
    jpeg_destroy_compress(&info);
    return false;
  }
  jpeg_create_compress(&info);
  jpeg_mem_dest(&info, &job->out, &job->out_size);
  info.image_width = static_cast<JDIMENSION>(job->width);
  info.image_height = static_cast<JDIMENSION>(job->height);
  info.input_components = job->channels;
  info.in_color_space = job->channels == 4 ? JCS_EXT_RGBX : JCS_RGB;
  jpeg_set_defaults(&info);
  jpeg_set_quality(&info, job->quality, TRUE);
  jpeg_start_compress(&info, TRUE);
  const std::size_t stride = static_cast<std::size_t>(job->width) * job->channels;
  while (info.next_scanline < info.image_height) {
    JSAMPROW row = const_cast<std::uint8_t*>(job->pixels + stride * info.next_scanline);
    jpeg_write_scanlines(&info, &row, 1);
  }
  jpeg_finish_compress(&info);
  jpeg_destroy_compress(&info);
  return true;
}

}  // namespace

Result<Header> jpeg_header(std::string_view bytes) {
  DecodeJob job;
  job.mode = DecodeJob::Mode::kHeader;
  SAKAI_TRY(decompress(job, bytes));
  Header h;
  h.format = ImageFormat::kJpeg;
  h.width = job.width;
  h.height = job.height;
  return h;
}

Status jpeg_verify(std::string_view bytes) {
  DecodeJob job;
  job.mode = DecodeJob::Mode::kVerify;
  return decompress(job, bytes);
}

Result<Pixels> jpeg_decode(std::string_view bytes, int min_width, int min_height) {
  Pixels p;
  std::vector<std::uint8_t> cmyk_row;
  DecodeJob job;
  job.mode = DecodeJob::Mode::kDecode;
  job.min_width = min_width;
  job.min_height = min_height;
  job.rgba = &p.rgba;
  job.cmyk_row = &cmyk_row;
  SAKAI_TRY(decompress(job, bytes));
  p.width = job.out_width;
  p.height = job.out_height;
  return p;
}

Result<std::string> encode_jpeg(const Pixels& pixels, int quality) {
  EncodeJob job;
  job.width = pixels.width;
  job.height = pixels.height;
  job.quality = quality;
  std::vector<std::uint8_t> rgb;
  if (pixels.alpha) {
    // On white, as a viewer without transparency would show it.
    const std::size_t n = static_cast<std::size_t>(pixels.width) * pixels.height;
    rgb.resize(n * 3);
    for (std::size_t i = 0; i < n; ++i) {
      const int a = pixels.rgba[i * 4 + 3];
      for (int c = 0; c < 3; ++c) {
        rgb[i * 3 + c] =
            static_cast<std::uint8_t>((pixels.rgba[i * 4 + c] * a + 255 * (255 - a) + 127) / 255);
      }
    }
    job.pixels = rgb.data();
    job.channels = 3;
  } else {
    job.pixels = pixels.rgba.data();
    job.channels = 4;
  }
  const bool ok = run_compress(&job);
  std::string out;
  if (ok) out.assign(reinterpret_cast<const char*>(job.out), job.out_size);
  std::free(job.out);
  if (!ok)
    return make_error(ErrorCode::kInternal, std::string("JPEG encode failed: ") + job.err.message);
  return out;
}

}  // namespace sakai::ai::image::codec
