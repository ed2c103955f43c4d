// check_image() on real files written by ImageMagick (support/image_fixtures.h): what the caller
// gets is a decodable image of the right size (read back by ImageMagick's identify), or a
// kMalformed error that says what came instead.
// ImageSpec is filled with designated initializers; the fields left out keep their defaults.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#include "ai/image/image_check.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/image_fixtures.h"

namespace sakai::ai::image {
namespace {

using sakai::testing::identify;
using sakai::testing::ImageSpec;
using sakai::testing::make_image;
using sakai::testing::pixel_at;
using ::testing::HasSubstr;

GeneratedImage expect_image(ApiOutcome<GeneratedImage> outcome) {
  EXPECT_TRUE(outcome.ok()) << (outcome.ok() ? "" : outcome.error().describe());
  return outcome.ok() ? std::move(outcome.value()) : GeneratedImage{};
}

ApiError expect_error(ApiOutcome<GeneratedImage> outcome) {
  EXPECT_FALSE(outcome.ok());
  if (outcome.ok()) return {};
  EXPECT_EQ(outcome.error().kind, ApiErrorKind::kMalformed) << outcome.error().describe();
  return outcome.error();
}

TEST(ImageCheck, SniffsFormatsByMagicBytes) {
  EXPECT_EQ(sniff_image_format(make_image({.format = "png"})), ImageFormat::kPng);
  EXPECT_EQ(sniff_image_format(make_image({.format = "jpg"})), ImageFormat::kJpeg);
  EXPECT_EQ(sniff_image_format(make_image({.format = "webp"})), ImageFormat::kWebp);
  EXPECT_EQ(sniff_image_format("GIF89a......"), std::nullopt);
  EXPECT_EQ(sniff_image_format("RIFF\x10\0\0\0WAVEfmt "), std::nullopt);
  EXPECT_EQ(sniff_image_format(""), std::nullopt);
}

TEST(ImageCheck, PngAndJpegPassUnchangedWithDecodedSize) {
  for (const char* format : {"png", "jpg"}) {
    const std::string bytes = make_image({.width = 320, .height = 200, .format = format});
    const GeneratedImage img = expect_image(check_image(bytes, "image/whatever"));
    EXPECT_TRUE(img.bytes == bytes) << format;  // nothing to change: the service's own bytes
    EXPECT_EQ(img.width, 320);
    EXPECT_EQ(img.height, 200);
    EXPECT_FALSE(img.send_as_document);
  }
  EXPECT_EQ(expect_image(check_image(make_image({.format = "jpg"}), "image/jpeg")).format,
            ImageFormat::kJpeg);
  // Interlaced PNG, grey JPEG, progressive JPEG, 16-bit PNG: all decode.
  for (const ImageSpec& spec :
       {ImageSpec{.width = 99, .height = 77, .format = "png", .extra = "-interlace PNG"},
        ImageSpec{.width = 99, .height = 77, .format = "jpg", .extra = "-colorspace Gray"},
        ImageSpec{.width = 99, .height = 77, .format = "jpg", .extra = "-interlace JPEG"},
        ImageSpec{.width = 99, .height = 77, .format = "png", .extra = "-depth 16"}}) {
    const GeneratedImage img = expect_image(check_image(make_image(spec), ""));
    EXPECT_EQ(img.width, 99) << spec.extra;
    EXPECT_EQ(img.height, 77) << spec.extra;
  }
}

TEST(ImageCheck, WebpIsConvertedToJpegOrToPngWhenTransparent) {
  const GeneratedImage opaque = expect_image(
      check_image(make_image({.width = 300, .height = 200, .format = "webp"}), "image/webp"));
  EXPECT_EQ(opaque.format, ImageFormat::kJpeg);
  const auto seen = identify(opaque.bytes);
  EXPECT_EQ(seen.format, "JPEG");
  EXPECT_EQ(seen.width, 300);
  EXPECT_EQ(seen.height, 200);

  const GeneratedImage clear =
      expect_image(check_image(make_image({.width = 120,
                                           .height = 90,
                                           .format = "webp",
                                           .alpha = true,
                                           .extra = "-define webp:lossless=true"}),
                               "image/webp"));
  EXPECT_EQ(clear.format, ImageFormat::kPng);
  EXPECT_EQ(identify(clear.bytes).format, "PNG");
  EXPECT_THAT(pixel_at(clear.bytes, 5, 5), HasSubstr("srgba("));  // transparency kept
}

TEST(ImageCheck, TruncatedImagesAreErrorsNotPhotos) {
  for (const char* format : {"png", "jpg", "webp"}) {
    const std::string bytes =
        make_image({.width = 256, .height = 256, .format = format, .source = "plasma:"});
    const std::string half = bytes.substr(0, bytes.size() / 2);
    const ApiError e = expect_error(check_image(half, std::string("image/") + format));
    EXPECT_THAT(e.message, HasSubstr("truncated")) << format << ": " << e.message;
    // Only the last bytes missing.
    const ApiError tail = expect_error(check_image(bytes.substr(0, bytes.size() - 40), ""));
    EXPECT_FALSE(tail.message.empty()) << format;
  }
}

TEST(ImageCheck, EmptyHtmlJsonAndTextBodiesAreDistinctErrors) {
  EXPECT_THAT(expect_error(check_image("", "image/png")).message, HasSubstr("empty body"));

  const ApiError html = expect_error(check_image(
      "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
      "text/html; charset=utf-8"));
  EXPECT_THAT(html.message, HasSubstr("HTML page"));
  EXPECT_THAT(html.message, HasSubstr("502 Bad Gateway"));
  // Labelled as an image, still an HTML page.
  EXPECT_THAT(
      expect_error(check_image("\n<html><body>Rate limited</body></html>", "image/jpeg")).message,
      HasSubstr("HTML page"));

  const ApiError json = expect_error(check_image(
      R"({"success":false,"error":{"code":"UNAUTHORIZED","message":"Authentication required"},"status":401})",
      "application/json"));
  EXPECT_THAT(json.message, HasSubstr("JSON error"));
  EXPECT_THAT(json.message, HasSubstr("Authentication required"));
  EXPECT_THAT(expect_error(check_image(R"({"error":"Model is overloaded"})", "")).message,
              HasSubstr("Model is overloaded"));

  EXPECT_THAT(expect_error(check_image("upstream timed out", "text/plain")).message,
              HasSubstr("upstream timed out"));
  EXPECT_THAT(
      expect_error(check_image(std::string("GIF89a\x01\0\x01\0\0\0\0", 13), "image/gif")).message,
      HasSubstr("not a PNG, JPEG or WebP"));
  // PNG bytes under a JSON label: refused rather than guessed.
  EXPECT_THAT(expect_error(check_image(make_image({}), "application/json")).message,
              HasSubstr("labelled application/json"));
}

TEST(ImageCheck, CapsBytesAndPixels) {
  const std::string bytes = make_image({.width = 200, .height = 100});
  ImageLimits small;
  small.max_bytes = bytes.size() - 1;
  EXPECT_THAT(expect_error(check_image(bytes, "image/png", small)).message, HasSubstr("too large"));
  ImageLimits few;
  few.max_pixels = 200 * 100 - 1;
  EXPECT_THAT(expect_error(check_image(bytes, "image/png", few)).message, HasSubstr("200×100"));
}

TEST(ImageCheck, TooManyPixelsForAPhotoAreScaledDown) {
  // Telegram's own limit: width + height ≤ 10000.
  const std::string wide = make_image({.width = 9600, .height = 500, .source = "xc:orange"});
  const GeneratedImage img = expect_image(check_image(wide, "image/png"));
  EXPECT_FALSE(img.send_as_document);
  EXPECT_LE(img.width + img.height, 10000);
  EXPECT_GE(img.width + img.height, 9990);
  const auto seen = identify(img.bytes);
  EXPECT_EQ(seen.width, img.width);
  EXPECT_EQ(seen.height, img.height);
  EXPECT_NEAR(static_cast<double>(img.width) / img.height, 19.2, 0.05);  // aspect kept

  // A JPEG is scaled through libjpeg's DCT scaling and the rescaler.
  ImageLimits limits;
  limits.photo_max_side_sum = 500;
  const GeneratedImage jpeg = expect_image(
      check_image(make_image({.width = 800, .height = 600, .format = "jpg"}), "", limits));
  EXPECT_EQ(jpeg.format, ImageFormat::kJpeg);
  EXPECT_EQ(identify(jpeg.bytes).width, jpeg.width);
  EXPECT_LE(jpeg.width + jpeg.height, 500);
  EXPECT_GE(jpeg.width + jpeg.height, 495);
  EXPECT_NEAR(static_cast<double>(jpeg.width) / jpeg.height, 4.0 / 3.0, 0.02);
}

TEST(ImageCheck, TooManyBytesForAPhotoBecomeAJpeg) {
  // Noise does not compress: a PNG of about 640 kB, against a 300 kB photo limit.
  const std::string noise = make_image({.width = 800, .height = 800, .source = "noise"});
  ImageLimits limits;
  limits.photo_max_bytes = 300'000;
  ASSERT_GT(noise.size(), limits.photo_max_bytes);
  const GeneratedImage img = expect_image(check_image(noise, "image/png", limits));
  EXPECT_EQ(img.format, ImageFormat::kJpeg);
  EXPECT_LE(img.bytes.size(), limits.photo_max_bytes);
  EXPECT_FALSE(img.send_as_document);
  const auto seen = identify(img.bytes);
  EXPECT_EQ(seen.format, "JPEG");
  EXPECT_EQ(seen.width, img.width);
  EXPECT_EQ(seen.height, img.height);
  EXPECT_GE(img.width, 300);  // shrunk only as far as needed
}

TEST(ImageCheck, AStripTooNarrowForAPhotoIsSentAsADocument) {
  const std::string strip = make_image({.width = 2100, .height = 100});
  const GeneratedImage img = expect_image(check_image(strip, "image/png"));
  EXPECT_TRUE(img.send_as_document);
  EXPECT_TRUE(img.bytes == strip);
  EXPECT_EQ(img.width, 2100);
  EXPECT_TRUE(fits_telegram_photo(2000, 100, 1000, ImageLimits{}));
  EXPECT_FALSE(fits_telegram_photo(2001, 100, 1000, ImageLimits{}));
  EXPECT_FALSE(fits_telegram_photo(5001, 5000, 1000, ImageLimits{}));
  EXPECT_FALSE(fits_telegram_photo(100, 100, 10'000'001, ImageLimits{}));
}

TEST(ImageCheck, CmykJpegIsConvertedWithItsColours) {
  ImageLimits limits;
  limits.photo_max_side_sum = 100;  // forces a decode and re-encode
  const GeneratedImage img = expect_image(check_image(make_image({.width = 120,
                                                                  .height = 80,
                                                                  .format = "jpg",
                                                                  .source = "xc:red",
                                                                  .extra = "-colorspace CMYK"}),
                                                      "image/jpeg", limits));
  EXPECT_EQ(identify(img.bytes).format, "JPEG");
  const std::string colour = pixel_at(img.bytes, 10, 10);
  // Red stays red (an inverted CMYK would come out cyan).
  EXPECT_THAT(colour, ::testing::MatchesRegex(
                          R"(srgb\((2[3-5][0-9]),([0-9]|[1-2][0-9]),([0-9]|[1-2][0-9])\))"))
      << colour;
}

}  // namespace
}  // namespace sakai::ai::image
