#include "ai/image/image_check.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <tuple>
#include <utility>

#include "ai/http/json_fields.h"
#include "ai/http/wire_errors.h"
#include "ai/image/image_codec.h"
#include "ai/image/image_wire.h"
#include "core/text.h"

namespace sakai::ai::image {
namespace {

using nlohmann::json;

ApiError malformed(std::string message) {
  ApiError e;
  e.kind = ApiErrorKind::kMalformed;
  e.cause = ApiCause::kService;
  e.message = std::move(message);
  return e;
}

// "text/html" from "Text/HTML; charset=utf-8".
std::string media_type(std::string_view content_type) {
  const auto semi = content_type.find(';');
  return text::ascii_lower(text::trim(content_type.substr(0, semi)));
}

bool is_image_type(const std::string& type) {
  return type.empty() || type.starts_with("image/") || type == "application/octet-stream" ||
         type == "binary/octet-stream";
}

std::string_view skip_space(std::string_view body) {
  std::size_t i = 0;
  // A UTF-8 byte order mark, then blanks.
  if (body.starts_with("\xEF\xBB\xBF")) i = 3;
  while (i < body.size() &&
         (body[i] == ' ' || body[i] == '\t' || body[i] == '\r' || body[i] == '\n')) {
    ++i;
  }
  return body.substr(i);
}

bool looks_like_html(std::string_view body) {
  const std::string head = text::ascii_lower(skip_space(body).substr(0, 512));
  return head.starts_with("<!doctype html") || head.starts_with("<html") ||
         head.starts_with("<head") || head.starts_with("<body") || head.starts_with("<title") ||
         (head.starts_with("<") && head.find("<html") != std::string::npos);
}

// The page's <title>, else its first text.
std::string html_summary(std::string_view body) {
  const std::string lower = text::ascii_lower(body.substr(0, 64 * 1024));
  const auto open = lower.find("<title");
  if (open != std::string::npos) {
    const auto start = lower.find('>', open);
    const auto end = lower.find("</title", open);
    if (start != std::string::npos && end != std::string::npos && end > start) {
      const std::string title = clip_provider_text(body.substr(start + 1, end - start - 1), 160);
      if (!title.empty()) return title;
    }
  }
  // Tags dropped, roughly: enough to show what the page says.
  std::string plain;
  bool in_tag = false;
  for (const char c : body.substr(0, 4096)) {
    if (c == '<') {
      in_tag = true;
      plain += ' ';
    } else if (c == '>') {
      in_tag = false;
    } else if (!in_tag) {
      plain += c;
    }
  }
  return clip_provider_text(plain, 160);
}

std::string hex_start(std::string_view body) {
  std::string out;
  for (std::size_t i = 0; i < std::min<std::size_t>(body.size(), 8); ++i) {
    char buf[4];
    std::snprintf(buf, sizeof(buf), "%02X", static_cast<unsigned char>(body[i]));
    if (!out.empty()) out += ' ';
    out += buf;
  }
  return out;
}

bool mostly_text(std::string_view body) {
  const std::string_view head = body.substr(0, 256);
  if (head.empty()) return false;
  std::size_t printable = 0;
  for (const char c : head) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 || c == '\n' || c == '\r' || c == '\t') ++printable;
  }
  return printable * 10 >= head.size() * 9 && text::is_valid_utf8(head.substr(0, 200));
}

std::string megabytes(std::size_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.1f MB", static_cast<double>(bytes) / 1e6);
  return buf;
}

std::string dimensions(int w, int h) {
  return std::to_string(w) + "×" + std::to_string(h);
}

ApiError codec_error(const Status& s) {
  return malformed(s.message());
}

// The largest size with the same aspect ratio whose sides add up to at most `sum`.
std::pair<int, int> shrink_to_sum(int w, int h, int sum) {
  const double scale = static_cast<double>(sum) / (static_cast<double>(w) + h);
  return {std::max(1, static_cast<int>(std::floor(w * scale))),
          std::max(1, static_cast<int>(std::floor(h * scale)))};
}

// Encodes `pixels` for sending: PNG keeps transparency, JPEG for the rest.
Result<GeneratedImage> encode_for_telegram(const codec::Pixels& pixels, bool prefer_png,
                                           const ImageLimits& limits) {
  GeneratedImage out;
  out.width = pixels.width;
  out.height = pixels.height;
  if (prefer_png) {
    auto png = codec::encode_png(pixels);
    if (!png.is_ok()) return png.status();
    out.bytes = std::move(png).value();
    out.format = ImageFormat::kPng;
    if (out.bytes.size() <= limits.photo_max_bytes) return out;
  }
  auto jpeg = codec::encode_jpeg(pixels, limits.jpeg_quality);
  if (!jpeg.is_ok()) return jpeg.status();
  out.bytes = std::move(jpeg).value();
  out.format = ImageFormat::kJpeg;
  return out;
}

}  // namespace

std::optional<ImageFormat> sniff_image_format(std::string_view b) {
  if (b.size() >= 8 && b.starts_with("\x89PNG\r\n\x1a\n")) return ImageFormat::kPng;
  if (b.size() >= 3 && static_cast<unsigned char>(b[0]) == 0xFF &&
      static_cast<unsigned char>(b[1]) == 0xD8 && static_cast<unsigned char>(b[2]) == 0xFF) {
    return ImageFormat::kJpeg;
  }
  if (b.size() >= 12 && b.starts_with("RIFF") && b.substr(8, 4) == "WEBP") {
    return ImageFormat::kWebp;
  }
  return std::nullopt;
}

std::string_view image_mime_type(ImageFormat format) {
  switch (format) {
    case ImageFormat::kPng:
      return "image/png";
    case ImageFormat::kJpeg:
      return "image/jpeg";
    case ImageFormat::kWebp:
      return "image/webp";
  }
  return "application/octet-stream";
}

std::string_view image_file_extension(ImageFormat format) {
  switch (format) {
    case ImageFormat::kPng:
      return "png";
    case ImageFormat::kJpeg:
      return "jpg";
    case ImageFormat::kWebp:
      return "webp";
  }
  return "bin";
}

std::string_view image_format_name(ImageFormat format) {
  switch (format) {
    case ImageFormat::kPng:
      return "PNG";
    case ImageFormat::kJpeg:
      return "JPEG";
    case ImageFormat::kWebp:
      return "WebP";
  }
  return "?";
}

std::optional<ApiError> reject_non_image(std::string_view body, std::string_view content_type) {
  if (body.empty()) {
    return malformed("the service answered with an empty body (0 bytes) instead of an image");
  }
  const std::string type = media_type(content_type);
  const auto format = sniff_image_format(body);
  if (format && is_image_type(type)) return std::nullopt;
  if (format) {
    return malformed("the answer is labelled " + type + " but holds " +
                     std::string(image_format_name(*format)) + " bytes; refused as ambiguous");
  }
  const std::string_view start = skip_space(body);
  if (type == "text/html" || type == "application/xhtml+xml" || looks_like_html(body)) {
    return malformed("the service answered with an HTML page instead of an image: " +
                     html_summary(body));
  }
  if (type.find("json") != std::string::npos || start.starts_with("{") || start.starts_with("[")) {
    const json j = json::parse(body, nullptr, false);
    if (!j.is_discarded()) {
      const std::string said = clip_provider_text(json_error_text(j), 200);
      if (!said.empty()) {
        return malformed("the service answered with a JSON error instead of an image: " + said);
      }
      return malformed("the service answered with JSON but no image: " +
                       clip_provider_text(body, 160));
    }
  }
  if (mostly_text(body)) {
    return malformed("the service answered with text" +
                     (type.empty() ? std::string() : " (" + type + ")") +
                     " instead of an image: " + clip_provider_text(body, 160));
  }
  if (type.starts_with("image/")) {
    return malformed("the answer is labelled " + type +
                     " but is not a PNG, JPEG or WebP image (it starts " + hex_start(body) + ")");
  }
  return malformed("the answer" + (type.empty() ? std::string() : " (" + type + ")") +
                   " is not a PNG, JPEG or WebP image (it starts " + hex_start(body) + ")");
}

bool fits_telegram_photo(int width, int height, std::size_t bytes, const ImageLimits& limits) {
  if (width <= 0 || height <= 0) return false;
  const double aspect = static_cast<double>(std::max(width, height)) / std::min(width, height);
  return bytes <= limits.photo_max_bytes && width + height <= limits.photo_max_side_sum &&
         aspect <= limits.photo_max_aspect;
}

ApiOutcome<GeneratedImage> check_image(std::string bytes, std::string_view content_type,
                                       const ImageLimits& limits) {
  if (auto rejected = reject_non_image(bytes, content_type)) return std::move(*rejected);
  if (bytes.size() > limits.max_bytes) {
    return malformed("the image is too large: " + megabytes(bytes.size()) + " (at most " +
                     megabytes(limits.max_bytes) + ")");
  }
  const ImageFormat format = *sniff_image_format(bytes);
  auto header = codec::read_header(bytes, format);
  if (!header.is_ok()) return codec_error(header.status());
  const int w = header->width;
  const int h = header->height;
  if (w <= 0 || h <= 0) return malformed("the image has no pixels (" + dimensions(w, h) + ")");
  if (static_cast<std::int64_t>(w) * h > limits.max_pixels) {
    return malformed("the image is too large: " + dimensions(w, h) + " pixels");
  }

  const double aspect = static_cast<double>(std::max(w, h)) / std::min(w, h);
  const bool document = aspect > limits.photo_max_aspect;
  const bool too_many_pixels = w + h > limits.photo_max_side_sum;
  const bool too_many_bytes = bytes.size() > limits.photo_max_bytes;
  const bool convert = format == ImageFormat::kWebp;

  // As it came: only verified.
  if (!convert && (document || (!too_many_pixels && !too_many_bytes))) {
    if (Status s = codec::verify(bytes, format); !s.is_ok()) return codec_error(s);
    GeneratedImage out;
    out.bytes = std::move(bytes);
    out.format = format;
    out.width = w;
    out.height = h;
    out.send_as_document = document;
    return out;
  }

  // Decoded (which verifies it too), then scaled and re-encoded.
  int tw = w;
  int th = h;
  if (!document && too_many_pixels)
    std::tie(tw, th) = shrink_to_sum(w, h, limits.photo_max_side_sum);
  auto pixels = codec::decode(bytes, format, tw, th);
  if (!pixels.is_ok()) return codec_error(pixels.status());
  if (pixels->width != tw || pixels->height != th) {
    pixels = codec::resize(*pixels, tw, th);
    if (!pixels.is_ok()) return codec_error(pixels.status());
  }
  const bool prefer_png = pixels->alpha || (format == ImageFormat::kPng && !too_many_bytes);
  auto encoded = encode_for_telegram(*pixels, prefer_png, limits);
  if (!encoded.is_ok()) return codec_error(encoded.status());
  // Still above the byte limit as JPEG: smaller until it fits (a few rounds at most).
  for (int round = 0; !document && round < 4 && encoded->bytes.size() > limits.photo_max_bytes;
       ++round) {
    const double scale =
        std::sqrt(static_cast<double>(limits.photo_max_bytes) / encoded->bytes.size()) * 0.9;
    const int nw = std::max(1, static_cast<int>(pixels->width * scale));
    const int nh = std::max(1, static_cast<int>(pixels->height * scale));
    pixels = codec::resize(*pixels, nw, nh);
    if (!pixels.is_ok()) return codec_error(pixels.status());
    encoded = encode_for_telegram(*pixels, false, limits);
    if (!encoded.is_ok()) return codec_error(encoded.status());
  }
  GeneratedImage out = std::move(encoded).value();
  out.send_as_document =
      document || !fits_telegram_photo(out.width, out.height, out.bytes.size(), limits);
  return out;
}

}  // namespace sakai::ai::image
