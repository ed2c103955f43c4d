// Cloudflare Workers AI (flux JSON base64, SDXL raw PNG) and self-hosted Flux/SDXL workers over
// real sockets.
#include <gmock/gmock.h>

#include <nlohmann/json.hpp>

#include "ai/image/cloudflare_provider.h"
#include "ai/image/worker_provider.h"
#include "unit/image/image_harness.h"

namespace sakai::ai::image::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

constexpr const char* kCfToken = "cf-loopback-token-1";
constexpr const char* kWorkerKey = "sdxl-loopback-key-1";
const std::string kRunPath = "/client/v4/accounts/acc123/ai/run/(.+)";

class CloudflareTest : public ImageProviderTest {
 protected:
  std::unique_ptr<HttpImageProvider> provider(test::LoopbackServer& srv, std::string model = "") {
    CloudflareSettings s;
    s.base_url = srv.url("/client/v4");
    s.account_id = "acc123";
    s.api_keys = {kCfToken};
    s.model = std::move(model);
    return make_cloudflare_provider(context(), std::move(s));
  }
};

TEST_F(CloudflareTest, FluxAnswersBase64JpegInJson) {
  warm(256, 256, "jpg");
  auto& srv = server();
  serve_images(srv, "POST", kRunPath, ImageWire::kCloudflareFlux, {ImageReply::image("jpg")});
  auto p = provider(srv);
  ImageRequest r = request("a paper boat");
  r.seed = 5;
  const Collected c = run(*p, r);
  expect_images(c, 1, 256, 256);
  EXPECT_EQ(c.result().images[0].format, ImageFormat::kJpeg);
  EXPECT_EQ(c.result().images[0].seed, 5);
  ASSERT_EQ(srv.request_count(), 1u);
  const auto req = srv.requests()[0];
  EXPECT_EQ(req.path, "/client/v4/accounts/acc123/ai/run/@cf/black-forest-labs/flux-1-schnell");
  EXPECT_EQ(header_of(req, "Authorization"), std::string("Bearer ") + kCfToken);
  const json body = json::parse(req.body);
  EXPECT_EQ(body["prompt"], "a paper boat");
  EXPECT_EQ(body["steps"], 4);
  EXPECT_EQ(body["seed"], 5);
  EXPECT_FALSE(body.contains("width"));
}

TEST_F(CloudflareTest, SdxlAnswersRawPngWithTheSizeClamped) {
  warm(256, 512);
  auto& srv = server();
  serve_images(srv, "POST", kRunPath, ImageWire::kRawBytes, {ImageReply::image("png")});
  auto p = provider(srv, "sdxl");
  ImageRequest r = request("a paper boat", 100, 512);
  r.negative_prompt = "people";
  const Collected c = run(*p, r);
  expect_images(c, 1, 256, 512);  // width raised to SDXL's 256 minimum
  const auto req = srv.requests()[0];
  EXPECT_EQ(req.path,
            "/client/v4/accounts/acc123/ai/run/@cf/stabilityai/stable-diffusion-xl-base-1.0");
  const json body = json::parse(req.body);
  EXPECT_EQ(body["width"], 256);
  EXPECT_EQ(body["height"], 512);
  EXPECT_EQ(body["negative_prompt"], "people");
  EXPECT_EQ(body["num_steps"], 20);
}

TEST_F(CloudflareTest, ErrorsCarryTheServiceWords) {
  auto& srv = server();
  serve_images(
      srv, "POST", kRunPath, ImageWire::kCloudflareFlux,
      {ImageReply::raw(
          401,
          R"({"success":false,"errors":[{"code":10000,"message":"Authentication error"}],"messages":[],"result":null})")});
  auto p = provider(srv);
  const Collected c = run(*p, request("a paper boat"));
  expect_error(c, ApiErrorKind::kAuth, "cloudflare");
  EXPECT_THAT(c.error().message, HasSubstr("Authentication error"));
  EXPECT_EQ(c.error().provider_code, "10000");

  // An error inside HTTP 200.
  auto& srv2 = server();
  serve_images(
      srv2, "POST", kRunPath, ImageWire::kCloudflareFlux,
      {ImageReply::raw(
          200,
          R"({"success":false,"errors":[{"code":5006,"message":"prompt too long"}],"messages":[],"result":null})")});
  auto p2 = provider(srv2);
  const Collected c2 = run(*p2, request("a paper boat"));
  expect_error(c2, ApiErrorKind::kMalformed, "cloudflare");
  EXPECT_THAT(c2.error().message, HasSubstr("prompt too long"));
}

class WorkerTest : public ImageProviderTest {
 protected:
  std::unique_ptr<HttpImageProvider> provider(test::LoopbackServer& srv) {
    WorkerSettings s;
    s.flux_url = srv.url("/flux");
    s.sdxl_url = srv.url("/sdxl");
    s.api_keys = {kWorkerKey};
    return make_worker_provider(context(), std::move(s));
  }
};

TEST_F(WorkerTest, FluxIsAGetWithThePromptAndNoKey) {
  warm(256, 256, "jpg");
  auto& srv = server();
  serve_images(srv, "GET", "/flux", ImageWire::kRawBytes, {ImageReply::image("jpg")});
  auto p = provider(srv);
  EXPECT_EQ(p->models(), (std::vector<std::string>{"flux", "sdxl"}));
  const Collected c = run(*p, request("نقاشی یک باغ & a garden"));
  expect_images(c, 1, 256, 256);
  EXPECT_EQ(c.result().model, "flux");
  const auto req = srv.requests()[0];
  EXPECT_EQ(req.params.find("prompt")->second, "نقاشی یک باغ & a garden");
  EXPECT_EQ(header_of(req, "Authorization"), "");
}

TEST_F(WorkerTest, SdxlIsAPostWithTheKey) {
  warm(256, 256);
  auto& srv = server();
  serve_images(srv, "POST", "/sdxl", ImageWire::kRawBytes, {ImageReply::image("png")});
  auto p = provider(srv);
  ImageRequest r = request("a garden");
  r.model = "sdxl";
  const Collected c = run(*p, r);
  expect_images(c, 1, 256, 256);
  const auto req = srv.requests()[0];
  EXPECT_EQ(header_of(req, "Authorization"), std::string("Bearer ") + kWorkerKey);
  EXPECT_EQ(json::parse(req.body), json({{"prompt", "a garden"}}));
}

TEST_F(WorkerTest, AWorkerErrorIsReportedWithItsWords) {
  auto& srv = server();
  serve_images(
      srv, "POST", "/sdxl", ImageWire::kRawBytes,
      {ImageReply::raw(500, R"({"error":"Image generation failed","details":"GPU busy"})")});
  auto p = provider(srv);
  ImageRequest r = request("a garden");
  r.model = "sdxl";
  const Collected c = run(*p, r);
  expect_error(c, ApiErrorKind::kUnavailable, "worker");
  EXPECT_EQ(c.error().http_status, 500);
  EXPECT_THAT(c.error().message, HasSubstr("Image generation failed"));
}

}  // namespace
}  // namespace sakai::ai::image::testing
