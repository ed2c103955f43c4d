#pragma once
// PNG, JPEG and WebP through Debian's libraries (libpng, libjpeg-turbo, libwebp): header reads,
// full decodes, encodes and a downscale. Internal to sakaibot_image (image_check.h is the door);
// the libraries' own headers stay in the .cpp files (png_codec.cpp, jpeg_codec.cpp,
// webp_codec.cpp).
// CPU work: call it on the WorkerPool, never on the event loop.
// Thread-safety: pure functions over their arguments; any thread, concurrently.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ai/image/image_provider.h"
#include "core/result.h"

namespace sakai::ai::image::codec {

struct Header {
  ImageFormat format = ImageFormat::kPng;
  int width = 0;
  int height = 0;
  bool alpha = false;     // an alpha channel (or PNG transparency) is present
  bool animated = false;  // WebP animation
};

// Decoded pixels: 8-bit RGBA, rows packed (stride = width * 4).
struct Pixels {
  int width = 0;
  int height = 0;
  bool alpha = false;  // false: every alpha byte is 255
  std::vector<std::uint8_t> rgba;
};

// The dimensions from the file's header, without decoding the image data. kCorrupt when the
// header is unreadable.
Result<Header> read_header(std::string_view bytes, ImageFormat format);

// Decodes all image data and throws the pixels away: a truncated or corrupt file is kCorrupt.
// JPEG entropy data is decoded in full at 1/8 scale (every byte is read, the inverse DCT is
// cheap), so this costs a fraction of a full decode.
Status verify(std::string_view bytes, ImageFormat format);

// A full decode to RGBA. A JPEG may come back smaller, by libjpeg's DCT scaling (1/2, 1/4,
// 1/8), but never smaller than min_width × min_height (0: full size).
Result<Pixels> decode(std::string_view bytes, ImageFormat format, int min_width = 0,
                      int min_height = 0);

// `pixels` scaled to width × height with libwebp's rescaler (an area filter when shrinking).
Result<Pixels> resize(const Pixels& pixels, int width, int height);

// JPEG (baseline, 4:2:0) at `quality` 1–100; transparent pixels are put on white.
Result<std::string> encode_jpeg(const Pixels& pixels, int quality);
// PNG, RGBA when the pixels have alpha else RGB, compressed for speed (libpng's fast setting).
Result<std::string> encode_png(const Pixels& pixels);

// Per format; read_header(), verify() and decode() pick one by `format`.
Result<Header> png_header(std::string_view bytes);
Status png_verify(std::string_view bytes);
Result<Pixels> png_decode(std::string_view bytes);
Result<Header> jpeg_header(std::string_view bytes);
Status jpeg_verify(std::string_view bytes);
Result<Pixels> jpeg_decode(std::string_view bytes, int min_width, int min_height);
Result<Header> webp_header(std::string_view bytes);
Status webp_verify(std::string_view bytes);
Result<Pixels> webp_decode(std::string_view bytes);

}  // namespace sakai::ai::image::codec
