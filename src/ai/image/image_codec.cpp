// The per-format codecs behind one switch.
#include "ai/image/image_codec.h"

namespace sakai::ai::image::codec {

Result<Header> read_header(std::string_view bytes, ImageFormat format) {
  switch (format) {
    case ImageFormat::kPng:
      return png_header(bytes);
    case ImageFormat::kJpeg:
      return jpeg_header(bytes);
    case ImageFormat::kWebp:
      return webp_header(bytes);
  }
  return make_error(ErrorCode::kInvalidArgument, "unknown image format");
}

Status verify(std::string_view bytes, ImageFormat format) {
  switch (format) {
    case ImageFormat::kPng:
      return png_verify(bytes);
    case ImageFormat::kJpeg:
      return jpeg_verify(bytes);
    case ImageFormat::kWebp:
      return webp_verify(bytes);
  }
  return make_error(ErrorCode::kInvalidArgument, "unknown image format");
}

Result<Pixels> decode(std::string_view bytes, ImageFormat format, int min_width, int min_height) {
  switch (format) {
    case ImageFormat::kPng:
      return png_decode(bytes);
    case ImageFormat::kJpeg:
      return jpeg_decode(bytes, min_width, min_height);
    case ImageFormat::kWebp:
      return webp_decode(bytes);
  }
  return make_error(ErrorCode::kInvalidArgument, "unknown image format");
}

}  // namespace sakai::ai::image::codec
