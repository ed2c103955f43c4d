#pragma once
// What an image service sent, checked before anyone sees it (IMAGE-APIS.md, "Traps first"):
//   - the body must be an image both by its Content-Type (image/*, application/octet-stream or
//     none) and by its magic bytes (PNG 89 50 4E 47, JPEG FF D8 FF, WebP RIFF....WEBP);
//   - an empty body, an HTML error page, a JSON error (also with HTTP 200), other text, or bytes
//     of no known format: each a kMalformed ApiError whose message says which, quoting the
//     service's own words (an HTML <title>, a JSON error message);
//   - the dimensions are decoded (not claimed) and the whole image is decoded with Debian's
//     libpng, libjpeg-turbo or libwebp, so a truncated or corrupt file is an error, never a
//     "successful" half-grey photo;
//   - a size cap (bytes and pixels, against decompression bombs);
//   - fit for a Telegram photo (10 MB, width + height ≤ 10000, aspect ratio ≤ 20): WebP is
//     converted (PNG when it has transparency, else JPEG), an image too large in pixels or
//     bytes is scaled down and re-encoded, and one too narrow for a photo is flagged
//     send_as_document.
// check_image() is CPU work: run it on the WorkerPool, never on the event loop. The other
// functions are cheap (the first bytes only) and may run anywhere.
// Thread-safety: pure functions; any thread, concurrently.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ai/http/api_error.h"
#include "ai/image/image_provider.h"

namespace sakai::ai::image {

struct ImageLimits {
  std::size_t max_bytes = 32u << 20;         // a larger body is refused
  std::int64_t max_pixels = 25'000'000;      // width × height; larger is refused
  std::size_t photo_max_bytes = 10'000'000;  // Telegram's photo limit: 10 MB
  int photo_max_side_sum = 10000;            // width + height
  double photo_max_aspect = 20.0;            // longer side / shorter side
  int jpeg_quality = 90;                     // of a re-encoded image
};

// The format by the first bytes; nullopt when none of PNG, JPEG or WebP.
std::optional<ImageFormat> sniff_image_format(std::string_view bytes);
// "image/png", "image/jpeg", "image/webp".
std::string_view image_mime_type(ImageFormat format);
// "png", "jpg", "webp" (for a file name).
std::string_view image_file_extension(ImageFormat format);
// "PNG", "JPEG", "WebP".
std::string_view image_format_name(ImageFormat format);

// Cheap triage of a successful (2xx) body: nullopt when it looks like an image by its
// Content-Type and its magic bytes, else the kMalformed error naming what it is instead.
// `content_type` may carry parameters ("text/html; charset=utf-8") or be empty.
std::optional<ApiError> reject_non_image(std::string_view body, std::string_view content_type);

// Whether Telegram takes an image of this size as a photo.
bool fits_telegram_photo(int width, int height, std::size_t bytes, const ImageLimits& limits);

// The full check: triage, size caps, a complete decode, then conversion or scaling for
// Telegram. On success the image's bytes are what should be sent (the service's own bytes when
// they needed no change), format and width × height describe them, and send_as_document is set
// when Telegram would refuse them as a photo. Errors are kMalformed (provider left empty for the
// caller to fill).
ApiOutcome<GeneratedImage> check_image(std::string bytes, std::string_view content_type,
                                       const ImageLimits& limits = {});

}  // namespace sakai::ai::image
