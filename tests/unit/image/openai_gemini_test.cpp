// OpenAI-compatible /images/generations and Gemini image models over real sockets: base64 and
// URL answers, n images, size snapping, expired links, and the safety refusals of both.
#include <gmock/gmock.h>

#include <nlohmann/json.hpp>

#include "ai/image/gemini_image_provider.h"
#include "ai/image/openai_image_provider.h"
#include "unit/image/image_harness.h"

namespace sakai::ai::image::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

constexpr const char* kOpenAiKey = "sk-loopback-images-1";
constexpr const char* kGeminiKey1 = "AIzaSy-loopback-images-1";
constexpr const char* kGeminiKey2 = "AIzaSy-loopback-images-2";
const std::string kGeminiPath = R"(/v1beta/models/[^/]+:generateContent)";

class OpenAiImagesTest : public ImageProviderTest {
 protected:
  std::unique_ptr<HttpImageProvider> provider(test::LoopbackServer& srv, std::string model = "") {
    OpenAiImageSettings s;
    s.base_url = srv.url("/v1");
    s.api_keys = {kOpenAiKey};
    s.model = std::move(model);
    return make_openai_image_provider(context(), std::move(s));
  }
};

TEST_F(OpenAiImagesTest, ThreeImagesFromOneRequestAsBase64) {
  warm(320, 240);
  auto& srv = server();
  serve_images(srv, "POST", "/v1/images/generations", ImageWire::kOpenAi, {ImageReply::image()});
  auto p = provider(srv, "local-diffusion");
  ImageRequest r = request("a city at night", 320, 240);
  r.count = 3;
  const Collected c = run(*p, r);
  expect_images(c, 3, 320, 240);
  EXPECT_EQ(c.result().provider, "openai");
  EXPECT_EQ(c.result().model, "local-diffusion");
  EXPECT_EQ(c.result().images[2].revised_prompt, "a revised prompt 2");
  ASSERT_EQ(srv.request_count(), 1u);
  const auto req = srv.requests()[0];
  EXPECT_EQ(header_of(req, "Authorization"), std::string("Bearer ") + kOpenAiKey);
  const json body = json::parse(req.body);
  EXPECT_EQ(body["n"], 3);
  EXPECT_EQ(body["size"], "320x240");  // not an OpenAI model: the size as asked
  EXPECT_EQ(body["prompt"], "a city at night");
  EXPECT_FALSE(body.contains("response_format"));
}

TEST_F(OpenAiImagesTest, UrlAnswersAreFetchedAtOnceAndDalle3MakesOnePerRequest) {
  warm(1024, 1024);
  auto& srv = server();
  ImageReply url = ImageReply::image();
  url.as_url = true;
  serve_images(srv, "POST", "/v1/images/generations", ImageWire::kOpenAi, {url});
  auto p = provider(srv, "dall-e-3");
  ImageRequest r = request("a city at night", 1000, 1000);
  r.count = 2;
  const Collected c = run(*p, r);
  expect_images(c, 2, 1024, 1024);
  // Two generations (n=1 each), each followed by the GET of its URL, without the key.
  const auto reqs = srv.requests();
  ASSERT_EQ(reqs.size(), 4u);
  for (int i : {0, 2}) {
    const json body = json::parse(reqs[i].body);
    EXPECT_EQ(body["n"], 1);
    EXPECT_EQ(body["size"], "1024x1024");
    EXPECT_EQ(body["response_format"], "b64_json");
  }
  for (int i : {1, 3}) {
    EXPECT_EQ(reqs[i].method, "GET");
    EXPECT_EQ(header_of(reqs[i], "Authorization"), "");
  }
}

TEST_F(OpenAiImagesTest, GptImageSizesAreSnappedToWhatTheModelTakes) {
  EXPECT_EQ(openai_image_size("gpt-image-1", 1600, 900), "1536x1024");
  EXPECT_EQ(openai_image_size("gpt-image-1", 900, 1600), "1024x1536");
  EXPECT_EQ(openai_image_size("gpt-image-1", 1100, 1000), "1024x1024");
  EXPECT_EQ(openai_image_size("dall-e-3", 1920, 1080), "1792x1024");
  EXPECT_EQ(openai_image_size("dall-e-2", 300, 300), "512x512");
  EXPECT_EQ(openai_image_size("flux-dev", 640, 480), "640x480");
}

TEST_F(OpenAiImagesTest, AnExpiredUrlIsAClearError) {
  auto& srv = server();
  ImageReply url = ImageReply::image();
  url.as_url = true;
  url.url_status = 404;
  serve_images(srv, "POST", "/v1/images/generations", ImageWire::kOpenAi, {url});
  auto p = provider(srv, "dall-e-2");
  const Collected c = run(*p, request("a city"));
  expect_error(c, ApiErrorKind::kUnavailable, "openai");
  EXPECT_EQ(c.error().provider_code, "image_url_expired");
  EXPECT_EQ(c.error().http_status, 404);
}

TEST_F(OpenAiImagesTest, AContentPolicyRefusalIsSafetyBlocked) {
  auto& srv = server();
  serve_images(
      srv, "POST", "/v1/images/generations", ImageWire::kOpenAi,
      {ImageReply::raw(
          400,
          R"({"error":{"code":"content_policy_violation","message":"Your request was rejected as a result of our safety system.","param":null,"type":"invalid_request_error"}})")});
  auto p = provider(srv);
  const Collected c = run(*p, request("something forbidden"));
  expect_error(c, ApiErrorKind::kSafetyBlocked, "openai");
  EXPECT_EQ(c.error().block_reason, "content_policy_violation");
  EXPECT_THAT(c.error().message, HasSubstr("safety system"));
}

TEST_F(OpenAiImagesTest, ADataWithoutImagesIsMalformed) {
  auto& srv = server();
  serve_images(srv, "POST", "/v1/images/generations", ImageWire::kOpenAi,
               {ImageReply::raw(200, R"({"created":1,"data":[{"revised_prompt":"x"}]})")});
  auto p = provider(srv);
  const Collected c = run(*p, request("a city"));
  expect_error(c, ApiErrorKind::kMalformed, "openai");
  EXPECT_THAT(c.error().message, HasSubstr("neither b64_json nor url"));
}

class GeminiImagesTest : public ImageProviderTest {
 protected:
  std::unique_ptr<HttpImageProvider> provider(test::LoopbackServer& srv,
                                              std::vector<std::string> keys = {kGeminiKey1}) {
    GeminiImageSettings s;
    s.base_url = srv.url();
    s.api_keys = std::move(keys);
    return make_gemini_image_provider(context(), std::move(s));
  }
};

TEST_F(GeminiImagesTest, InlineDataPartsBecomeImagesWithTheTextAlongside) {
  warm(512, 288);
  auto& srv = server();
  serve_images(srv, "POST", kGeminiPath, ImageWire::kGemini, {ImageReply::image()});
  auto p = provider(srv);
  const Collected c = run(*p, request("a harbour at dawn", 1280, 720));
  expect_images(c, 1, 512, 288);  // the double draws 16:9 with a 512 long side
  EXPECT_EQ(c.result().images[0].revised_prompt, "Here is your picture.");
  EXPECT_EQ(c.result().model, "gemini-2.5-flash-image");
  ASSERT_EQ(srv.request_count(), 1u);
  const auto req = srv.requests()[0];
  EXPECT_EQ(req.path, "/v1beta/models/gemini-2.5-flash-image:generateContent");
  EXPECT_EQ(header_of(req, "x-goog-api-key"), kGeminiKey1);
  const json body = json::parse(req.body);
  EXPECT_EQ(body["generationConfig"]["responseModalities"], json::array({"TEXT", "IMAGE"}));
  EXPECT_EQ(body["generationConfig"]["imageConfig"]["aspectRatio"], "16:9");
  EXPECT_EQ(body["contents"][0]["parts"][0]["text"], "a harbour at dawn");
}

TEST_F(GeminiImagesTest, SnakeCaseInlineDataIsReadToo) {
  warm(512, 512, "jpg");
  auto& srv = server();
  ImageReply snake = ImageReply::image("jpg");
  snake.snake_case = true;
  serve_images(srv, "POST", kGeminiPath, ImageWire::kGemini, {snake});
  auto p = provider(srv);
  const Collected c = run(*p, request("a harbour"));
  expect_images(c, 1, 512, 512);
  EXPECT_EQ(c.result().images[0].format, ImageFormat::kJpeg);
}

TEST_F(GeminiImagesTest, BlockedPromptsAndFilteredImagesAreSafetyBlocked) {
  struct Case {
    std::string body;
    std::string reason;
  };
  const std::vector<Case> cases = {
      {R"({"promptFeedback":{"blockReason":"SAFETY","safetyRatings":[{"category":"HARM_CATEGORY_HARASSMENT","probability":"MEDIUM"}]}})",
       "SAFETY"},
      {R"({"candidates":[{"content":{"parts":[]},"finishReason":"IMAGE_SAFETY"}]})",
       "IMAGE_SAFETY"},
      {R"({"candidates":[{"finishReason":"PROHIBITED_CONTENT"}]})", "PROHIBITED_CONTENT"},
  };
  for (const Case& k : cases) {
    auto& srv = server();
    serve_images(srv, "POST", kGeminiPath, ImageWire::kGemini, {ImageReply::raw(200, k.body)});
    auto p = provider(srv);
    const Collected c = run(*p, request("something forbidden"));
    expect_error(c, ApiErrorKind::kSafetyBlocked, "gemini");
    if (c.outcome && !c.ok()) {
      EXPECT_EQ(c.error().block_reason, k.reason);
    }
  }
}

TEST_F(GeminiImagesTest, AnAnswerWithoutAnImageSaysWhatTheModelSaid) {
  auto& srv = server();
  serve_images(
      srv, "POST", kGeminiPath, ImageWire::kGemini,
      {ImageReply::raw(
          200,
          R"({"candidates":[{"content":{"parts":[{"text":"I can only describe it: a quiet harbour."}]},"finishReason":"NO_IMAGE"}]})")});
  auto p = provider(srv);
  const Collected c = run(*p, request("a harbour"));
  expect_error(c, ApiErrorKind::kMalformed, "gemini");
  EXPECT_THAT(c.error().message, HasSubstr("NO_IMAGE"));
  EXPECT_THAT(c.error().message, HasSubstr("a quiet harbour"));
}

TEST_F(GeminiImagesTest, AnExhaustedKeyRotatesToTheNext) {
  warm(512, 512);
  auto& srv = server();
  serve_images(
      srv, "POST", kGeminiPath, ImageWire::kGemini,
      {ImageReply::raw(
           429,
           R"({"error":{"code":429,"message":"You exceeded your current quota.","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"26s"}]}})"),
       ImageReply::image()});
  auto p = provider(srv, {kGeminiKey1, kGeminiKey2});
  const Collected c = run(*p, request("a harbour"));
  expect_images(c, 1, 512, 512);
  ASSERT_EQ(srv.request_count(), 2u);
  EXPECT_EQ(header_of(srv.requests()[1], "x-goog-api-key"), kGeminiKey2);
}

TEST_F(GeminiImagesTest, AspectRatiosAreTheNearestSupported) {
  EXPECT_EQ(gemini_aspect_ratio(1024, 1024), "1:1");
  EXPECT_EQ(gemini_aspect_ratio(1920, 1080), "16:9");
  EXPECT_EQ(gemini_aspect_ratio(1080, 1920), "9:16");
  EXPECT_EQ(gemini_aspect_ratio(800, 600), "4:3");
  EXPECT_EQ(gemini_aspect_ratio(2560, 1080), "21:9");
}

}  // namespace
}  // namespace sakai::ai::image::testing
