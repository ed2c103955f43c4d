#pragma once
// The image providers over real sockets: net::CurlHttpClient on a real-time EventLoop, a real
// WorkerPool for the checks, and loopback servers (support/loopback_image_services.h) serving
// images made by ImageMagick. Nothing leaves 127.0.0.1.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ai/image/image_http.h"
#include "ai/image/image_provider.h"
#include "core/clock.h"
#include "core/event_loop.h"
#include "core/worker_pool.h"
#include "net/curl_http_client.h"
#include "support/image_fixtures.h"
#include "support/loopback_image_services.h"
#include "support/loopback_server.h"
#include "support/run_loop.h"

namespace sakai::ai::image::testing {

using namespace std::chrono_literals;
using sakai::testing::ImageReply;
using sakai::testing::ImageWire;
using sakai::testing::serve_images;

struct Collected {
  std::optional<ApiOutcome<ImageResult>> outcome;
  std::vector<ImageProgress> progress;
  int done_calls = 0;
  std::chrono::milliseconds took{0};

  [[nodiscard]] bool ok() const { return outcome && outcome->ok(); }
  [[nodiscard]] const ImageResult& result() const { return outcome->value(); }
  [[nodiscard]] const ApiError& error() const { return outcome->error(); }
  [[nodiscard]] std::string describe() const {
    if (!outcome) return "no outcome";
    return outcome->ok() ? "ok" : outcome->error().describe();
  }
};

inline std::string header_of(const test::RecordedRequest& req, const std::string& name) {
  return req.headers.count(name) ? req.headers.find(name)->second : std::string();
}

class ImageProviderTest : public ::testing::Test {
 protected:
  // One call to its end. A watchdog stops the loop after `limit`, so a bug cannot hang the
  // suite. `took` is wall time.
  Collected run(ImageProvider& provider, ImageRequest request,
                std::chrono::milliseconds limit = 20000ms) {
    Collected c;
    const auto start = std::chrono::steady_clock::now();
    provider.generate(
        std::move(request), [&c](const ImageProgress& p) { c.progress.push_back(p); },
        [&c, start](ApiOutcome<ImageResult> o) {
          ++c.done_calls;
          c.took = std::chrono::duration_cast<std::chrono::milliseconds>(
              std::chrono::steady_clock::now() - start);
          c.outcome.emplace(std::move(o));
        });
    sakai::testing::run_until_idle_or_timeout(loop_, limit);
    EXPECT_EQ(c.done_calls, 1);
    return c;
  }

  static ImageRequest request(std::string prompt, int width = 256, int height = 256) {
    ImageRequest r;
    r.prompt = std::move(prompt);
    r.width = width;
    r.height = height;
    r.deadline = 15000ms;
    return r;
  }

  // Makes the images a test will be served before the clock starts (ImageMagick may be slow on
  // a busy machine; a cached image is served at once).
  static void warm(int width, int height, const std::string& format = "png") {
    sakai::testing::make_image({.width = width,
                                .height = height,
                                .format = format,
                                .source = "gradient:orange-navy",
                                .alpha = false,
                                .extra = ""});
  }

  // Every image is a real one of the asked size: ImageMagick reads it back.
  static void expect_images(const Collected& c, int count, int width, int height) {
    ASSERT_TRUE(c.ok()) << c.describe();
    ASSERT_EQ(c.result().images.size(), static_cast<std::size_t>(count));
    for (const auto& img : c.result().images) {
      EXPECT_EQ(img.width, width);
      EXPECT_EQ(img.height, height);
      const auto seen = sakai::testing::identify(img.bytes);
      EXPECT_EQ(seen.width, width);
      EXPECT_EQ(seen.height, height);
      EXPECT_FALSE(img.send_as_document);
    }
  }

  static void expect_error(const Collected& c, ApiErrorKind kind, const std::string& provider) {
    ASSERT_TRUE(c.outcome.has_value());
    ASSERT_FALSE(c.ok()) << "expected " << api_error_kind_name(kind);
    EXPECT_EQ(c.error().kind, kind) << c.describe();
    EXPECT_EQ(c.error().provider, provider) << c.describe();
  }

  // A server that lives until the end of the test, after the client.
  test::LoopbackServer& server() {
    return *servers_.emplace_back(std::make_unique<test::LoopbackServer>());
  }

  ImageContext context() {
    return ImageContext{.http = &http_,
                        .clock = &clock_,
                        .workers = &workers_,
                        .loop = &loop_,
                        .limits = ImageLimits{}};
  }

  std::vector<std::unique_ptr<test::LoopbackServer>> servers_;  // declared first: destroyed last
  SystemClock clock_;
  EventLoop loop_{clock_};
  WorkerPool workers_{2};  // after the loop: its jobs end before the loop goes
  net::CurlHttpClient http_{loop_};
};

}  // namespace sakai::ai::image::testing
