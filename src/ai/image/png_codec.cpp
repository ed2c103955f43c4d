// PNG through libpng. Header reads, decodes and encodes use the simplified API (png_image): it
// handles every bit depth, palette, grey and interlaced file, and reports errors in
// image.message. verify() uses the classic API, row by row, to decode without an image buffer.
#include <png.h>

#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <string>

#include "ai/image/image_codec.h"

namespace sakai::ai::image::codec {
namespace {

// Frees the image's read state whatever happens.
struct PngReader {
  png_image image{};
  PngReader() { image.version = PNG_IMAGE_VERSION; }
  ~PngReader() { png_image_free(&image); }
  PngReader(const PngReader&) = delete;
  PngReader& operator=(const PngReader&) = delete;

  Status begin(std::string_view bytes) {
    if (!png_image_begin_read_from_memory(&image, bytes.data(), bytes.size())) {
      return make_error(ErrorCode::kCorrupt,
                        std::string("unreadable PNG header: ") + image.message);
    }
    return {};
  }
};

// The full decode for verify(): libpng's classic API row by row into one row buffer (no
// whole-image buffer, no conversion: inflate, unfilter and every CRC, up to IEND). Its error
// handler longjmp()s back to run_verify(), whose frame holds no C++ object with a destructor;
// everything libpng changes lives in the caller's VerifyJob.
struct VerifyJob {
  std::string_view data;
  std::size_t pos = 0;
  std::vector<std::uint8_t>* row = nullptr;
  std::jmp_buf jump;
  char message[200] = {0};
};

void on_read(png_structp png, png_bytep out, std::size_t n) {
  auto* job = static_cast<VerifyJob*>(png_get_io_ptr(png));
  if (job->data.size() - job->pos < n) png_error(png, "the data ends before the image does");
  std::memcpy(out, job->data.data() + job->pos, n);
  job->pos += n;
}

[[noreturn]] void on_png_error(png_structp png, png_const_charp message) {
  auto* job = static_cast<VerifyJob*>(png_get_error_ptr(png));
  std::snprintf(job->message, sizeof(job->message), "%s", message);
  std::longjmp(job->jump, 1);
}

void on_png_warning(png_structp, png_const_charp) {}

bool run_verify(VerifyJob* job) {
  png_structp png =
      png_create_read_struct(PNG_LIBPNG_VER_STRING, job, on_png_error, on_png_warning);
  if (png == nullptr) {
    std::snprintf(job->message, sizeof(job->message), "out of memory");
    return false;
  }
  png_infop info = png_create_info_struct(png);
  if (info == nullptr || setjmp(job->jump)) {
    png_destroy_read_struct(&png, &info, nullptr);
    return false;
  }
  png_set_read_fn(png, job, on_read);
  png_read_info(png, info);
  const int passes = png_set_interlace_handling(png);
  png_read_update_info(png, info);
  job->row->resize(png_get_rowbytes(png, info));
  const png_uint_32 height = png_get_image_height(png, info);
  for (int pass = 0; pass < passes; ++pass) {
    for (png_uint_32 y = 0; y < height; ++y) {
      png_read_row(png, job->row->data(), nullptr);
    }
  }
  png_read_end(png, nullptr);
  png_destroy_read_struct(&png, &info, nullptr);
  return true;
}

Status corrupt(const png_image& image) {
  return make_error(ErrorCode::kCorrupt, std::string("truncated or corrupt PNG: ") + image.message);
}

}  // namespace

Result<Header> png_header(std::string_view bytes) {
  PngReader r;
  SAKAI_TRY(r.begin(bytes));
  Header h;
  h.format = ImageFormat::kPng;
  h.width = static_cast<int>(r.image.width);
  h.height = static_cast<int>(r.image.height);
  h.alpha = (r.image.format & PNG_FORMAT_FLAG_ALPHA) != 0;
  return h;
}

Status png_verify(std::string_view bytes) {
  // libpng stops reading after the last image data; a body cut after it (in trailing metadata)
  // is still a cut transfer: the file must end with its IEND chunk (a little trailing junk is
  // tolerated, as viewers do).
  static constexpr std::string_view kIend("IEND\xAE\x42\x60\x82", 8);
  if (bytes.substr(bytes.size() > 1024 ? bytes.size() - 1024 : 0).find(kIend) ==
      std::string_view::npos) {
    return make_error(ErrorCode::kCorrupt, "truncated PNG: the file ends before its IEND chunk");
  }
  std::vector<std::uint8_t> row;
  VerifyJob job;
  job.data = bytes;
  job.row = &row;
  if (!run_verify(&job)) {
    return make_error(ErrorCode::kCorrupt, std::string("truncated or corrupt PNG: ") + job.message);
  }
  return {};
}

Result<Pixels> png_decode(std::string_view bytes) {
  PngReader r;
  SAKAI_TRY(r.begin(bytes));
  Pixels p;
  p.width = static_cast<int>(r.image.width);
  p.height = static_cast<int>(r.image.height);
  p.alpha = (r.image.format & PNG_FORMAT_FLAG_ALPHA) != 0;
  r.image.format = PNG_FORMAT_RGBA;
  p.rgba.resize(PNG_IMAGE_SIZE(r.image));
  if (!png_image_finish_read(&r.image, nullptr, p.rgba.data(), 0, nullptr)) return corrupt(r.image);
  return p;
}

Result<std::string> encode_png(const Pixels& pixels) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  image.width = static_cast<png_uint_32>(pixels.width);
  image.height = static_cast<png_uint_32>(pixels.height);
  image.format = PNG_FORMAT_RGBA;
  image.flags = PNG_IMAGE_FLAG_FAST;
  const png_int_32 stride = pixels.width * 4;
  if (!pixels.alpha) {
    // An opaque image is written as RGB: libpng drops the alpha bytes as it writes.
    image.format = PNG_FORMAT_RGB;
  }
  std::vector<std::uint8_t> rgb;
  const void* source = pixels.rgba.data();
  png_int_32 source_stride = stride;
  if (!pixels.alpha) {
    rgb.resize(static_cast<std::size_t>(pixels.width) * pixels.height * 3);
    const std::size_t n = static_cast<std::size_t>(pixels.width) * pixels.height;
    for (std::size_t i = 0; i < n; ++i) {
      rgb[i * 3] = pixels.rgba[i * 4];
      rgb[i * 3 + 1] = pixels.rgba[i * 4 + 1];
      rgb[i * 3 + 2] = pixels.rgba[i * 4 + 2];
    }
    source = rgb.data();
    source_stride = pixels.width * 3;
  }
  png_alloc_size_t size = PNG_IMAGE_PNG_SIZE_MAX(image);
  std::string out(size, '\0');
  if (!png_image_write_to_memory(&image, out.data(), &size, 0, source, source_stride, nullptr)) {
    const std::string message = image.message;
    png_image_free(&image);
    return make_error(ErrorCode::kInternal, "PNG encode failed: " + message);
  }
  out.resize(size);
  return out;
}

}  // namespace sakai::ai::image::codec
