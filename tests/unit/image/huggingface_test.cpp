// Hugging Face Inference over real sockets: raw bytes, the two JSON forms, the cold-start 503
// with estimated_time (progress, then the image), and key rotation.
#include <gmock/gmock.h>

#include <nlohmann/json.hpp>

#include "ai/image/huggingface_provider.h"
#include "unit/image/image_harness.h"

namespace sakai::ai::image::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

constexpr const char* kKey1 = "hf_loopback_token_1";
constexpr const char* kKey2 = "hf_loopback_token_2";
const std::string kPath = "/hf-inference/models/(.+)";

class HuggingFaceTest : public ImageProviderTest {
 protected:
  std::unique_ptr<HttpImageProvider> provider(test::LoopbackServer& srv,
                                              std::vector<std::string> keys = {kKey1}) {
    HuggingFaceSettings s;
    s.base_url = srv.url("/hf-inference/models");
    s.api_keys = std::move(keys);
    return make_huggingface_provider(context(), std::move(s));
  }
};

TEST_F(HuggingFaceTest, RawImageBytesWithTheDocumentedRequest) {
  warm(384, 256);
  auto& srv = server();
  serve_images(srv, "POST", kPath, ImageWire::kRawBytes, {ImageReply::image("png")});
  auto p = provider(srv);
  ImageRequest r = request("a watercolor fox", 384, 256);
  r.negative_prompt = "blurry";
  r.seed = 7;
  const Collected c = run(*p, r);
  expect_images(c, 1, 384, 256);
  EXPECT_EQ(c.result().model, "black-forest-labs/FLUX.1-schnell");
  ASSERT_EQ(srv.request_count(), 1u);
  const auto req = srv.requests()[0];
  EXPECT_EQ(req.path, "/hf-inference/models/black-forest-labs/FLUX.1-schnell");
  EXPECT_EQ(header_of(req, "Authorization"), std::string("Bearer ") + kKey1);
  const json body = json::parse(req.body);
  EXPECT_EQ(body["inputs"], "a watercolor fox");
  EXPECT_EQ(body["parameters"]["width"], 384);
  EXPECT_EQ(body["parameters"]["height"], 256);
  EXPECT_EQ(body["parameters"]["seed"], 7);
  EXPECT_EQ(body["parameters"]["negative_prompt"], "blurry");
}

TEST_F(HuggingFaceTest, JsonWithBase64AndJsonWithAUrlAreReadToo) {
  warm(256, 256, "jpg");
  auto& srv = server();
  serve_images(srv, "POST", kPath, ImageWire::kHuggingFaceData, {ImageReply::image("jpg")});
  auto p = provider(srv);
  const Collected c = run(*p, request("a fox"));
  expect_images(c, 1, 256, 256);
  EXPECT_EQ(c.result().images[0].format, ImageFormat::kJpeg);

  auto& srv2 = server();
  serve_images(srv2, "POST", kPath, ImageWire::kHuggingFaceUrl, {ImageReply::image("jpg")});
  auto p2 = provider(srv2);
  const Collected c2 = run(*p2, request("a fox"));
  expect_images(c2, 1, 256, 256);
  // The answer, then the image at its URL, fetched without the key.
  const auto reqs = srv2.requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(reqs[1].method, "GET");
  EXPECT_EQ(header_of(reqs[1], "Authorization"), "");
}

TEST_F(HuggingFaceTest, AColdModelIsWaitedForWithProgress) {
  warm(256, 256);
  auto& srv = server();
  serve_images(
      srv, "POST", kPath, ImageWire::kRawBytes,
      {ImageReply::raw(
           503,
           R"({"error":"Model black-forest-labs/FLUX.1-schnell is currently loading","estimated_time":0.4})"),
       ImageReply::image("png")});
  auto p = provider(srv);
  const Collected c = run(*p, request("a fox"));
  expect_images(c, 1, 256, 256);
  ASSERT_EQ(c.progress.size(), 1u);
  EXPECT_EQ(c.progress[0].provider, "huggingface");
  EXPECT_EQ(c.progress[0].estimated_wait, 1s);  // 0.4 s, rounded up for the user
  EXPECT_GE(c.took, 400ms);                     // it did wait
  EXPECT_EQ(srv.request_count(), 2u);
}

TEST_F(HuggingFaceTest, AModelLoadingLongerThanTheDeadlineFailsAtOnce) {
  auto& srv = server();
  serve_images(srv, "POST", kPath, ImageWire::kRawBytes,
               {ImageReply::raw(
                   503, R"({"error":"Model x/y is currently loading","estimated_time":600.0})")});
  auto p = provider(srv);
  ImageRequest r = request("a fox");
  r.deadline = 3000ms;
  const Collected c = run(*p, r);
  expect_error(c, ApiErrorKind::kUnavailable, "huggingface");
  EXPECT_THAT(c.error().message, HasSubstr("currently loading"));
  EXPECT_EQ(c.error().retry_after, std::chrono::milliseconds(600000));
  EXPECT_TRUE(c.progress.empty());
  EXPECT_LT(c.took, 2000ms);
  EXPECT_EQ(srv.request_count(), 1u);
}

TEST_F(HuggingFaceTest, ARefusedTokenRotatesToTheNext) {
  warm(256, 256);
  auto& srv = server();
  serve_images(srv, "POST", kPath, ImageWire::kRawBytes,
               {ImageReply::raw(401, R"({"error":"Invalid credentials in Authorization header"})"),
                ImageReply::image("png")});
  auto p = provider(srv, {kKey1, kKey2});
  const Collected c = run(*p, request("a fox"));
  expect_images(c, 1, 256, 256);
  ASSERT_EQ(srv.request_count(), 2u);
  EXPECT_EQ(header_of(srv.requests()[1], "Authorization"), std::string("Bearer ") + kKey2);

  // Every token refused: kAuth with the service's words.
  auto& srv2 = server();
  serve_images(
      srv2, "POST", kPath, ImageWire::kRawBytes,
      {ImageReply::raw(401, R"({"error":"Invalid credentials in Authorization header"})")});
  auto p2 = provider(srv2, {kKey1, kKey2});
  const Collected c2 = run(*p2, request("a fox"));
  expect_error(c2, ApiErrorKind::kAuth, "huggingface");
  EXPECT_THAT(c2.error().message, HasSubstr("Invalid credentials"));
  EXPECT_EQ(srv2.request_count(), 2u);
}

TEST_F(HuggingFaceTest, AnExpiredOutputUrlIsAClearError) {
  auto& srv = server();
  ImageReply expired = ImageReply::image("png");
  expired.url_status = 403;
  serve_images(srv, "POST", kPath, ImageWire::kHuggingFaceUrl, {expired});
  auto p = provider(srv);
  const Collected c = run(*p, request("a fox"));
  expect_error(c, ApiErrorKind::kUnavailable, "huggingface");
  EXPECT_EQ(c.error().provider_code, "image_url_expired");
  EXPECT_THAT(c.error().message, HasSubstr("expired"));
  EXPECT_EQ(c.error().http_status, 403);
}

}  // namespace
}  // namespace sakai::ai::image::testing
