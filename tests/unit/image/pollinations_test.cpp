// Pollinations over real sockets: the keyed gateway, the anonymous legacy endpoint, the fall back
// from a gateway 401, and what a broken answer (HTML, JSON with 200, truncated, empty, slow)
// gives the caller.
#include <gmock/gmock.h>

#include "ai/image/pollinations_provider.h"
#include "unit/image/image_harness.h"

namespace sakai::ai::image::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kKey1 = "sk_loopback_pollinations_1";
constexpr const char* kKey2 = "sk_loopback_pollinations_2";

class PollinationsTest : public ImageProviderTest {
 protected:
  std::unique_ptr<HttpImageProvider> provider(test::LoopbackServer& gateway,
                                              test::LoopbackServer& legacy,
                                              std::vector<std::string> keys) {
    PollinationsSettings s;
    s.base_url = gateway.url();
    s.legacy_url = legacy.url();
    s.api_keys = std::move(keys);
    return make_pollinations_provider(context(), std::move(s));
  }
};

TEST_F(PollinationsTest, WithoutAKeyTheLegacyEndpointDrawsAnonymously) {
  warm(320, 240, "jpg");
  auto& gateway = server();
  auto& legacy = server();
  serve_images(legacy, "GET", "/prompt/(.+)", ImageWire::kRawBytes, {ImageReply::image("jpg")});
  auto p = provider(gateway, legacy, {});
  ImageRequest r = request("گربه‌ای روی ماه / 50% cat?", 320, 240);
  r.seed = 42;
  const Collected c = run(*p, r);
  expect_images(c, 1, 320, 240);
  EXPECT_EQ(c.result().images[0].format, ImageFormat::kJpeg);
  EXPECT_EQ(c.result().images[0].seed, 42);
  EXPECT_EQ(c.result().provider, "pollinations");
  EXPECT_EQ(c.result().model, "flux");
  EXPECT_EQ(gateway.request_count(), 0u);
  ASSERT_EQ(legacy.request_count(), 1u);
  const auto req = legacy.requests()[0];
  // The whole prompt is one path segment: '/', '?' and '%' were escaped, Persian is UTF-8.
  EXPECT_EQ(req.path, "/prompt/گربه‌ای روی ماه / 50% cat?");
  EXPECT_EQ(req.params.find("width")->second, "320");
  EXPECT_EQ(req.params.find("height")->second, "240");
  EXPECT_EQ(req.params.find("seed")->second, "42");
  EXPECT_EQ(req.params.find("model")->second, "flux");
  EXPECT_EQ(req.params.find("nologo")->second, "true");
  EXPECT_EQ(req.params.find("enhance")->second, "false");
  EXPECT_EQ(header_of(req, "Authorization"), "");
}

TEST_F(PollinationsTest, WithAKeyTheGatewayGetsItAsBearer) {
  warm(256, 256);
  auto& gateway = server();
  auto& legacy = server();
  serve_images(gateway, "GET", "/image/(.+)", ImageWire::kRawBytes, {ImageReply::image("png")});
  auto p = provider(gateway, legacy, {kKey1});
  ImageRequest r = request("a lighthouse");
  r.negative_prompt = "fog";
  r.model = "turbo";
  const Collected c = run(*p, r);
  expect_images(c, 1, 256, 256);
  EXPECT_EQ(c.result().model, "turbo");
  // No seed asked: one is chosen, sent and reported.
  ASSERT_TRUE(c.result().images[0].seed.has_value());
  ASSERT_EQ(gateway.request_count(), 1u);
  const auto req = gateway.requests()[0];
  EXPECT_EQ(req.path, "/image/a lighthouse");
  EXPECT_EQ(header_of(req, "Authorization"), std::string("Bearer ") + kKey1);
  EXPECT_EQ(req.params.find("negative_prompt")->second, "fog");
  EXPECT_EQ(req.params.find("model")->second, "turbo");
  EXPECT_EQ(req.params.find("seed")->second, std::to_string(*c.result().images[0].seed));
  EXPECT_EQ(legacy.request_count(), 0u);
}

TEST_F(PollinationsTest, GatewayRefusingEveryKeyFallsBackToTheLegacyEndpoint) {
  warm(256, 256, "jpg");
  auto& gateway = server();
  auto& legacy = server();
  serve_images(gateway, "GET", "/image/(.+)", ImageWire::kRawBytes,
               {ImageReply::raw(401, sakai::testing::kPollinations401)});
  serve_images(legacy, "GET", "/prompt/(.+)", ImageWire::kRawBytes, {ImageReply::image("jpg")});
  auto p = provider(gateway, legacy, {kKey1, kKey2});
  const Collected c = run(*p, request("a red fox"));
  expect_images(c, 1, 256, 256);
  // Both keys were tried (the layer rotates on 401), then the legacy endpoint without a key.
  ASSERT_EQ(gateway.request_count(), 2u);
  EXPECT_EQ(header_of(gateway.requests()[0], "Authorization"), std::string("Bearer ") + kKey1);
  EXPECT_EQ(header_of(gateway.requests()[1], "Authorization"), std::string("Bearer ") + kKey2);
  ASSERT_EQ(legacy.request_count(), 1u);
  EXPECT_EQ(header_of(legacy.requests()[0], "Authorization"), "");
}

TEST_F(PollinationsTest, ARateLimitedKeyRotatesToTheNext) {
  warm(256, 256);
  auto& gateway = server();
  auto& legacy = server();
  serve_images(gateway, "GET", "/image/(.+)", ImageWire::kRawBytes,
               {ImageReply::raw(429, R"({"success":false,"error":{"code":"RATE_LIMITED",
                 "message":"Too many requests"},"status":429})",
                                "application/json", {{"Retry-After", "30"}}),
                ImageReply::image("png")});
  auto p = provider(gateway, legacy, {kKey1, kKey2});
  const Collected c = run(*p, request("a red fox"));
  expect_images(c, 1, 256, 256);
  ASSERT_EQ(gateway.request_count(), 2u);
  EXPECT_EQ(header_of(gateway.requests()[1], "Authorization"), std::string("Bearer ") + kKey2);
  EXPECT_LT(c.took, 10000ms);  // the next key at once, not after Retry-After
}

TEST_F(PollinationsTest, RateLimitWithOneKeyReportsRetryAfter) {
  auto& gateway = server();
  auto& legacy = server();
  serve_images(gateway, "GET", "/image/(.+)", ImageWire::kRawBytes,
               {ImageReply::raw(429, R"({"success":false,"error":{"code":"RATE_LIMITED",
                 "message":"Too many requests"},"status":429})",
                                "application/json", {{"Retry-After", "7"}})});
  auto p = provider(gateway, legacy, {kKey1});
  const Collected c = run(*p, request("a red fox"));
  expect_error(c, ApiErrorKind::kRateLimited, "pollinations");
  ASSERT_TRUE(c.error().retry_after.has_value());
  EXPECT_EQ(*c.error().retry_after, 7000ms);
  EXPECT_EQ(c.error().http_status, 429);
}

TEST_F(PollinationsTest, BrokenAnswersWithStatus200AreDistinctErrors) {
  struct Case {
    ImageReply reply;
    std::string says;
  };
  ImageReply truncated = ImageReply::image("jpg");
  truncated.truncated = true;
  warm(256, 256, "jpg");
  const std::vector<Case> cases = {
      {ImageReply::raw(200, sakai::testing::kHtmlBadGateway, "text/html"), "502 Bad Gateway"},
      {ImageReply::raw(200, R"({"error":"Model flux is overloaded, try turbo"})"),
       "Model flux is overloaded"},
      {truncated, "truncated"},
      {ImageReply::raw(200, "", "image/jpeg"), "empty body"},
      {ImageReply::raw(200, "not an image at all, just words", "image/jpeg"), "not an image"},
  };
  for (const Case& k : cases) {
    auto& gateway = server();
    auto& legacy = server();
    serve_images(legacy, "GET", "/prompt/(.+)", ImageWire::kRawBytes, {k.reply});
    auto p = provider(gateway, legacy, {});
    const Collected c = run(*p, request("a red fox"));
    expect_error(c, ApiErrorKind::kMalformed, "pollinations");
    if (c.outcome && !c.ok()) {
      EXPECT_THAT(c.error().message, HasSubstr(k.says));
      EXPECT_EQ(c.error().http_status, 200);
    }
  }
}

TEST_F(PollinationsTest, KeysNeverReachAnError) {
  auto& gateway = server();
  auto& legacy = server();
  // A gateway that echoes the key, in an error and in a JSON "image".
  serve_images(
      gateway, "GET", "/image/(.+)", ImageWire::kRawBytes,
      {ImageReply::raw(200, std::string(R"({"error":"key )") + kKey1 + R"( is banned"})")});
  auto p = provider(gateway, legacy, {kKey1});
  const Collected c = run(*p, request("a red fox"));
  expect_error(c, ApiErrorKind::kMalformed, "pollinations");
  EXPECT_THAT(c.error().describe(), Not(HasSubstr(kKey1)));
  EXPECT_THAT(c.error().message, HasSubstr("is banned"));
}

TEST_F(PollinationsTest, ASlowServerHitsTheDeadline) {
  auto& gateway = server();
  auto& legacy = server();
  serve_images(legacy, "GET", "/prompt/(.+)", ImageWire::kRawBytes, {ImageReply::hang()});
  auto p = provider(gateway, legacy, {});
  ImageRequest r = request("a red fox");
  r.deadline = 700ms;
  const Collected c = run(*p, r);
  expect_error(c, ApiErrorKind::kTimeout, "pollinations");
  EXPECT_GE(c.took, 650ms);
  EXPECT_LT(c.took, 5000ms);
}

TEST_F(PollinationsTest, SeveralImagesAreSeveralRequestsWithSuccessiveSeeds) {
  warm(256, 256, "jpg");
  auto& gateway = server();
  auto& legacy = server();
  serve_images(legacy, "GET", "/prompt/(.+)", ImageWire::kRawBytes, {ImageReply::image("jpg")});
  auto p = provider(gateway, legacy, {});
  ImageRequest r = request("a red fox");
  r.count = 3;
  r.seed = 100;
  const Collected c = run(*p, r);
  expect_images(c, 3, 256, 256);
  ASSERT_EQ(legacy.request_count(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(c.result().images[i].seed, 100 + i);
    EXPECT_EQ(legacy.requests()[i].params.find("seed")->second, std::to_string(100 + i));
  }
}

TEST_F(PollinationsTest, CancelEndsTheCallWithCancelled) {
  auto& gateway = server();
  auto& legacy = server();
  serve_images(legacy, "GET", "/prompt/(.+)", ImageWire::kRawBytes, {ImageReply::hang()});
  auto p = provider(gateway, legacy, {});
  Collected c;
  bool inside_cancel = false;
  const ImageCall call = p->generate(request("a red fox"), nullptr, [&](ApiOutcome<ImageResult> o) {
    EXPECT_FALSE(inside_cancel);
    ++c.done_calls;
    c.outcome.emplace(std::move(o));
  });
  loop_.post_after(200ms, [&] {
    inside_cancel = true;
    call.cancel();
    call.cancel();  // idempotent
    inside_cancel = false;
  });
  sakai::testing::run_until_idle_or_timeout(loop_, 5000ms);
  EXPECT_EQ(c.done_calls, 1);
  expect_error(c, ApiErrorKind::kCancelled, "pollinations");
}

}  // namespace
}  // namespace sakai::ai::image::testing
