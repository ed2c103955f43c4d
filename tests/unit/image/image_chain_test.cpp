// The image chain built from the configuration (make_image_provider) over real sockets: which
// providers it holds, falling back, not falling back after a safety refusal, waiting out a
// Retry-After, the deadline across members, cancel.
#include <gmock/gmock.h>

#include "ai/image/image_chain.h"
#include "ai/image/image_factory.h"
#include "core/config.h"
#include "unit/image/image_harness.h"

namespace sakai::ai::image::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class ImageChainTest : public ImageProviderTest {
 protected:
  static ImageChainOptions fast_options() {
    ImageChainOptions o;
    o.backoff.base_delay = 20ms;
    o.seed = 1;
    return o;
  }
  std::unique_ptr<ImageChain> chain(const Config& config,
                                    ImageChainOptions options = fast_options()) {
    return make_image_provider(config, http_, clock_, workers_, loop_, options);
  }
  static void set(Config& config, const std::string& key, const std::string& value) {
    config.set(key, value, "test");
  }
};

TEST_F(ImageChainTest, HoldsTheConfiguredProvidersInOrder) {
  Config config;
  EXPECT_THAT(image_chain_names(config), ElementsAre("pollinations"));  // needs nothing

  set(config, "image.provider", "huggingface");
  set(config, "image.fallback", "gemini\ncloudflare\nworker\npollinations");
  // No Hugging Face token, no Gemini key, no Cloudflare account, no worker URL: left out.
  set(config, "cloudflare.api_keys", "cf-token");
  EXPECT_THAT(image_chain_names(config), ElementsAre("pollinations"));

  set(config, "huggingface.api_keys", "hf_token");
  set(config, "cloudflare.account_id", "acc");
  set(config, "worker.sdxl_url", "https://sdxl.example.workers.dev");
  EXPECT_THAT(image_chain_names(config),
              ElementsAre("huggingface", "cloudflare", "worker", "pollinations"));

  set(config, "image.fallback", "pollinations\nnone\nworker");
  EXPECT_THAT(image_chain_names(config), ElementsAre("huggingface", "pollinations"));

  // A keyless OpenAI-compatible server on loopback counts (a local diffusion server).
  Config local;
  set(local, "image.provider", "openai");
  set(local, "openai.base_url", "http://127.0.0.1:8080/v1");
  EXPECT_THAT(image_chain_names(local), ElementsAre("openai"));
}

TEST_F(ImageChainTest, ImageModelBelongsToThePrimaryOnly) {
  Config config;
  set(config, "image.provider", "huggingface");
  set(config, "image.fallback", "pollinations");
  set(config, "image.model", "stabilityai/stable-diffusion-xl-base-1.0");
  set(config, "huggingface.api_keys", "hf_token");
  auto c = chain(config);
  EXPECT_EQ(c->name(), "huggingface>pollinations");
  EXPECT_EQ(c->default_model(), "stabilityai/stable-diffusion-xl-base-1.0");
  ASSERT_NE(c->find("pollinations"), nullptr);
  EXPECT_EQ(c->find("pollinations")->default_model(), "flux");
  EXPECT_EQ(c->find("gemini"), nullptr);
  EXPECT_THAT(c->names(), ElementsAre("huggingface", "pollinations"));
}

TEST_F(ImageChainTest, AFailingPrimaryFallsBackToTheNext) {
  warm(256, 256, "jpg");
  auto& hf = server();
  auto& pollinations = server();
  serve_images(hf, "POST", "/models/(.+)", ImageWire::kRawBytes,
               {ImageReply::raw(200, sakai::testing::kHtmlBadGateway, "text/html")});
  serve_images(pollinations, "GET", "/prompt/(.+)", ImageWire::kRawBytes,
               {ImageReply::image("jpg")});
  Config config;
  set(config, "image.provider", "huggingface");
  set(config, "image.fallback", "pollinations");
  set(config, "huggingface.api_keys", "hf_token");
  set(config, "huggingface.base_url", hf.url("/models"));
  set(config, "pollinations.legacy_url", pollinations.url());
  auto c = chain(config);
  const Collected r = run(*c, request("a kite"));
  expect_images(r, 1, 256, 256);
  EXPECT_EQ(r.result().provider, "pollinations");
  EXPECT_EQ(r.result().model, "flux");
  EXPECT_EQ(hf.request_count(), 1u);  // a broken answer is not retried on the same provider
}

TEST_F(ImageChainTest, ASafetyRefusalIsNotSentElsewhere) {
  auto& openai = server();
  auto& pollinations = server();
  serve_images(
      openai, "POST", "/v1/images/generations", ImageWire::kOpenAi,
      {ImageReply::raw(
          400,
          R"({"error":{"code":"content_policy_violation","message":"Your request was rejected as a result of our safety system.","type":"invalid_request_error"}})")});
  serve_images(pollinations, "GET", "/prompt/(.+)", ImageWire::kRawBytes, {ImageReply::image()});
  Config config;
  set(config, "image.provider", "openai");
  set(config, "image.fallback", "pollinations");
  set(config, "openai.base_url", openai.url("/v1"));
  set(config, "pollinations.legacy_url", pollinations.url());
  auto c = chain(config);
  const Collected r = run(*c, request("something forbidden"));
  expect_error(r, ApiErrorKind::kSafetyBlocked, "openai");
  EXPECT_EQ(pollinations.request_count(), 0u);
}

TEST_F(ImageChainTest, ARateLimitIsWaitedOutWhenRetryAfterFitsTheDeadline) {
  warm(256, 256, "jpg");
  auto& pollinations = server();
  serve_images(pollinations, "GET", "/prompt/(.+)", ImageWire::kRawBytes,
               {ImageReply::raw(429, R"({"error":"Too many requests: 1 per 5 s"})",
                                "application/json", {{"Retry-After", "1"}}),
                ImageReply::image("jpg")});
  Config config;
  set(config, "pollinations.legacy_url", pollinations.url());
  auto c = chain(config);
  const Collected r = run(*c, request("a kite"));
  expect_images(r, 1, 256, 256);
  EXPECT_GE(r.took, 1000ms);
  EXPECT_EQ(pollinations.request_count(), 2u);
}

TEST_F(ImageChainTest, ARetryAfterBeyondTheDeadlineIsReportedAtOnce) {
  auto& pollinations = server();
  serve_images(pollinations, "GET", "/prompt/(.+)", ImageWire::kRawBytes,
               {ImageReply::raw(429, R"({"error":"Too many requests"})", "application/json",
                                {{"Retry-After", "20"}})});
  Config config;
  set(config, "pollinations.legacy_url", pollinations.url());
  auto c = chain(config);
  ImageRequest q = request("a kite");
  q.deadline = 5000ms;
  const Collected r = run(*c, q);
  expect_error(r, ApiErrorKind::kRateLimited, "pollinations");
  EXPECT_EQ(r.error().retry_after, std::chrono::milliseconds(20000));
  EXPECT_LT(r.took, 2000ms);
  EXPECT_EQ(pollinations.request_count(), 1u);
}

TEST_F(ImageChainTest, WhenEveryProviderFailsThePrimarysErrorIsReported) {
  auto& hf = server();
  auto& pollinations = server();
  serve_images(hf, "POST", "/models/(.+)", ImageWire::kRawBytes,
               {ImageReply::raw(500, R"({"error":"CUDA out of memory"})")});
  serve_images(pollinations, "GET", "/prompt/(.+)", ImageWire::kRawBytes,
               {ImageReply::raw(200, "", "image/jpeg")});
  Config config;
  set(config, "image.provider", "huggingface");
  set(config, "image.fallback", "pollinations");
  set(config, "huggingface.api_keys", "hf_token");
  set(config, "huggingface.base_url", hf.url("/models"));
  set(config, "pollinations.legacy_url", pollinations.url());
  auto c = chain(config);
  const Collected r = run(*c, request("a kite"));
  expect_error(r, ApiErrorKind::kUnavailable, "huggingface");
  EXPECT_THAT(r.error().message, HasSubstr("CUDA out of memory"));
  EXPECT_EQ(hf.request_count(), 2u);  // a 5xx is retried once on the same provider
  EXPECT_EQ(pollinations.request_count(), 1u);
}

TEST_F(ImageChainTest, TheDeadlineCoversTheWholeChain) {
  auto& hf = server();
  auto& pollinations = server();
  serve_images(hf, "POST", "/models/(.+)", ImageWire::kRawBytes, {ImageReply::hang()});
  serve_images(pollinations, "GET", "/prompt/(.+)", ImageWire::kRawBytes, {ImageReply::hang()});
  Config config;
  set(config, "image.provider", "huggingface");
  set(config, "image.fallback", "pollinations");
  set(config, "huggingface.api_keys", "hf_token");
  set(config, "huggingface.base_url", hf.url("/models"));
  set(config, "pollinations.legacy_url", pollinations.url());
  auto c = chain(config);
  ImageRequest q = request("a kite");
  q.deadline = 800ms;
  const Collected r = run(*c, q);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ApiErrorKind::kTimeout) << r.describe();
  EXPECT_GE(r.took, 750ms);
  EXPECT_LT(r.took, 3000ms);  // not 800 ms per member and retry
}

TEST_F(ImageChainTest, CancelDuringABackoffEndsTheCall) {
  auto& pollinations = server();
  serve_images(
      pollinations, "GET", "/prompt/(.+)", ImageWire::kRawBytes,
      {ImageReply::raw(503, R"({"error":"busy"})", "application/json", {{"Retry-After", "10"}})});
  Config config;
  set(config, "pollinations.legacy_url", pollinations.url());
  ImageChainOptions o = fast_options();
  o.backoff.max_delay = 20000ms;
  auto c = chain(config, o);
  Collected r;
  const ImageCall call = c->generate(request("a kite"), nullptr, [&](ApiOutcome<ImageResult> out) {
    ++r.done_calls;
    r.outcome.emplace(std::move(out));
  });
  loop_.post_after(500ms, [&] { call.cancel(); });
  const auto start = std::chrono::steady_clock::now();
  sakai::testing::run_until_idle_or_timeout(loop_, 5000ms);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3000ms);
  EXPECT_EQ(r.done_calls, 1);
  expect_error(r, ApiErrorKind::kCancelled, "pollinations");
  EXPECT_EQ(pollinations.request_count(), 1u);
}

TEST_F(ImageChainTest, AnEmptyChainSaysNothingIsConfigured) {
  ImageChain empty({}, loop_);
  EXPECT_EQ(empty.name(), "none");
  const Collected r = run(empty, request("a kite"));
  expect_error(r, ApiErrorKind::kAuth, "image");
  EXPECT_THAT(r.error().message, HasSubstr("[image] provider"));
}

}  // namespace
}  // namespace sakai::ai::image::testing
