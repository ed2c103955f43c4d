// WebP through libwebp: decode (still images; an animation is refused) and, for every format,
// the downscale (WebPPictureRescale: alpha-premultiplied area averaging).
#include <webp/decode.h>
#include <webp/encode.h>

#include <string>

#include "ai/image/image_codec.h"

namespace sakai::ai::image::codec {
namespace {

std::string status_text(VP8StatusCode code) {
  switch (code) {
    case VP8_STATUS_OK:
      return "ok";
    case VP8_STATUS_OUT_OF_MEMORY:
      return "out of memory";
    case VP8_STATUS_INVALID_PARAM:
      return "invalid parameter";
    case VP8_STATUS_BITSTREAM_ERROR:
      return "bitstream error";
    case VP8_STATUS_UNSUPPORTED_FEATURE:
      return "unsupported feature";
    case VP8_STATUS_SUSPENDED:
      return "suspended";
    case VP8_STATUS_USER_ABORT:
      return "aborted";
    case VP8_STATUS_NOT_ENOUGH_DATA:
      return "the data ends before the image does";
  }
  return "unknown error";
}

const std::uint8_t* data_of(std::string_view bytes) {
  return reinterpret_cast<const std::uint8_t*>(bytes.data());
}

Result<WebPBitstreamFeatures> features(std::string_view bytes) {
  WebPBitstreamFeatures f{};
  const VP8StatusCode code = WebPGetFeatures(data_of(bytes), bytes.size(), &f);
  if (code != VP8_STATUS_OK) {
    return make_error(ErrorCode::kCorrupt, "unreadable WebP header: " + status_text(code));
  }
  if (f.has_animation) {
    return make_error(ErrorCode::kCorrupt, "an animated WebP is not a still image");
  }
  return f;
}

// Decodes into `out` (RGBA, packed rows); the whole file is read.
Status decode_into(std::string_view bytes, int width, int height, std::vector<std::uint8_t>& out) {
  WebPDecoderConfig config;
  if (!WebPInitDecoderConfig(&config)) return make_error(ErrorCode::kInternal, "libwebp version");
  out.resize(static_cast<std::size_t>(width) * height * 4);
  config.output.colorspace = MODE_RGBA;
  config.output.is_external_memory = 1;
  config.output.u.RGBA.rgba = out.data();
  config.output.u.RGBA.stride = width * 4;
  config.output.u.RGBA.size = out.size();
  const VP8StatusCode code = WebPDecode(data_of(bytes), bytes.size(), &config);
  WebPFreeDecBuffer(&config.output);
  if (code != VP8_STATUS_OK) {
    return make_error(ErrorCode::kCorrupt, "truncated or corrupt WebP: " + status_text(code));
  }
  return {};
}

}  // namespace

Result<Header> webp_header(std::string_view bytes) {
  auto f = features(bytes);
  if (!f.is_ok()) return f.status();
  Header h;
  h.format = ImageFormat::kWebp;
  h.width = f->width;
  h.height = f->height;
  h.alpha = f->has_alpha != 0;
  return h;
}

Status webp_verify(std::string_view bytes) {
  auto p = webp_decode(bytes);
  return p.is_ok() ? Status::ok() : p.status();
}

Result<Pixels> webp_decode(std::string_view bytes) {
  auto f = features(bytes);
  if (!f.is_ok()) return f.status();
  Pixels p;
  p.width = f->width;
  p.height = f->height;
  p.alpha = f->has_alpha != 0;
  SAKAI_TRY(decode_into(bytes, p.width, p.height, p.rgba));
  return p;
}

Result<Pixels> resize(const Pixels& pixels, int width, int height) {
  if (width <= 0 || height <= 0) return make_error(ErrorCode::kInvalidArgument, "empty size");
  WebPPicture picture;
  if (!WebPPictureInit(&picture)) return make_error(ErrorCode::kInternal, "libwebp version");
  picture.use_argb = 1;
  picture.width = pixels.width;
  picture.height = pixels.height;
  const bool imported = WebPPictureImportRGBA(&picture, pixels.rgba.data(), pixels.width * 4) != 0;
  if (!imported || !WebPPictureRescale(&picture, width, height)) {
    WebPPictureFree(&picture);
    return make_error(ErrorCode::kInternal, "image rescale failed (out of memory?)");
  }
  Pixels out;
  out.width = width;
  out.height = height;
  out.alpha = pixels.alpha;
  out.rgba.resize(static_cast<std::size_t>(width) * height * 4);
  for (int y = 0; y < height; ++y) {
    const std::uint32_t* row = picture.argb + static_cast<std::size_t>(y) * picture.argb_stride;
    std::uint8_t* dst = out.rgba.data() + static_cast<std::size_t>(y) * width * 4;
    for (int x = 0; x < width; ++x) {
      const std::uint32_t argb = row[x];
      dst[x * 4] = static_cast<std::uint8_t>(argb >> 16);
      dst[x * 4 + 1] = static_cast<std::uint8_t>(argb >> 8);
      dst[x * 4 + 2] = static_cast<std::uint8_t>(argb);
      dst[x * 4 + 3] = static_cast<std::uint8_t>(argb >> 24);
    }
  }
  WebPPictureFree(&picture);
  return out;
}

}  // namespace sakai::ai::image::codec
