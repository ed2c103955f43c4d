// End-to-end: /imagine through the real binary (`sakaibot console --jsonl`) against a loopback
// Pollinations server (IMAGE-APIS.md: GET /prompt/<prompt>, raw image bytes) serving real images
// made by ImageMagick, and a loopback Gemini server for the prompt enhancement (AI-APIS.md §1.5).
// The console keeps every sent file, so a photo action's path is the photo the user would see.
// Designated initialisers leave the trailing fields of test scripts at their defaults.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#include <gtest/gtest.h>

#include <string>

#include "e2e/console_runner.h"
#include "support/loopback_image_services.h"
#include "support/loopback_server.h"

namespace sakai::e2e {
namespace {

using testing::ImageReply;
using testing::ImageWire;

constexpr const char* kPromptPath = "/prompt/(.+)";

void use_images(Sandbox& box, test::LoopbackServer& srv) {
  testing::serve_images(srv, "GET", kPromptPath, ImageWire::kRawBytes, {ImageReply::image("png")});
  box.set_env("SAKAIBOT_POLLINATIONS_LEGACY_URL", srv.url(""));
  box.set_env("SAKAIBOT_POLLINATIONS_BASE_URL", srv.url(""));
}

// The prompt of a Pollinations request, as the service reads it.
std::string asked_prompt(const test::LoopbackServer& srv, std::size_t i) {
  const auto requests = srv.requests();  // a copy: the server's list is guarded
  const auto& r = requests.at(i);
  std::string p = r.path.substr(std::string("/prompt/").size());
  return httplib::detail::decode_url(p, false);
}

testing::IdentifiedImage photo_of(const json& action) {
  const std::string path = action.value("path", "");
  EXPECT_TRUE(std::filesystem::exists(path)) << action.dump();
  return testing::identify(testing::read_binary(path));
}

TEST(ConsoleImage, ImagineSendsAPhotoOfTheAskedSize) {
  test::LoopbackServer srv;
  Sandbox box;
  use_images(box, srv);
  const auto r = box.console(script({"/imagine raw size=768x512 seed=5 a red fox in the snow"}));
  expect_clean(r);
  ASSERT_EQ(srv.requests().size(), 1u) << r.out;
  EXPECT_EQ(asked_prompt(srv, 0), "a red fox in the snow");
  const auto photos = r.with_action("photo");
  ASSERT_EQ(photos.size(), 1u) << r.out;
  EXPECT_EQ(photos[0]["reply_to"], 1);
  const auto file = photo_of(photos[0]);
  EXPECT_EQ(file.format, "PNG");
  EXPECT_EQ(file.width, 768);
  EXPECT_EQ(file.height, 512);
  const std::string caption = photos[0].value("caption", "");
  EXPECT_TRUE(caption.starts_with("a red fox in the snow\nPollinations · ")) << caption;
  EXPECT_NE(caption.find("768×512"), std::string::npos) << caption;
  EXPECT_NE(caption.find("seed 5"), std::string::npos) << caption;
  // The status answered the command and went when the photo came.
  const auto status = r.replies_to(1);
  ASSERT_GE(status.size(), 1u) << r.out;
  EXPECT_TRUE(contains(status[0]["text"], "🎨")) << r.out;
  bool status_deleted = false;
  for (const auto& d : r.with_action("delete")) {
    for (const auto& id : d["message_ids"])
      status_deleted = status_deleted || id == status[0]["message_id"];
  }
  EXPECT_TRUE(status_deleted) << r.out;
}

TEST(ConsoleImage, ThreeImagesComeAsOneAlbum) {
  test::LoopbackServer srv;
  Sandbox box;
  use_images(box, srv);
  const auto r = box.console(script({"/img=raw n=3 size=512x512 three kittens"}));
  expect_clean(r);
  const auto photos = r.with_action("photo");
  ASSERT_EQ(photos.size(), 3u) << r.out;
  ASSERT_TRUE(photos[0].contains("album")) << r.out;
  for (const auto& p : photos) {
    EXPECT_EQ(p.value("album", 0), photos[0]["album"].get<std::int64_t>()) << r.out;
    EXPECT_EQ(p["reply_to"], 1);
    const auto file = photo_of(p);
    EXPECT_EQ(file.width, 512);
    EXPECT_EQ(file.height, 512);
  }
  EXPECT_TRUE(photos[0].value("caption", "").starts_with("three kittens")) << r.out;
  EXPECT_EQ(photos[1].value("caption", "x"), "");
  EXPECT_EQ(srv.requests().size(), 3u);
}

TEST(ConsoleImage, PersianPromptIsEnhancedByTheChatsLlm) {
  test::LoopbackServer srv;
  test::LoopbackServer llm;
  const json answer = {
      {"candidates",
       {{{"content",
          {{"parts", {{{"text", "A small cat on a sunny roof, watercolour"}}}}, {"role", "model"}}},
         {"finishReason", "STOP"},
         {"index", 0}}}},
      {"usageMetadata",
       {{"promptTokenCount", 30}, {"candidatesTokenCount", 9}, {"totalTokenCount", 39}}},
      {"modelVersion", "gemini-2.5-flash"}};
  llm.reply("POST", R"(/v1beta/models/[^/]+:generateContent)", 200, answer.dump());
  llm.stream("POST", R"(/v1beta/models/[^/]+:streamGenerateContent)",
             {.chunks = {"data: " + answer.dump() + "\r\n\r\n"}});
  Sandbox box;
  use_images(box, srv);
  box.set_env("GEMINI_API_KEY", "test-key");
  box.set_env("GEMINI_BASE_URL", llm.url(""));
  const auto r =
      box.console(script({"/lang fa", "/imagine size=512x512 گربه‌ای روی بام"}));
  expect_clean(r);
  ASSERT_EQ(llm.requests().size(), 1u) << r.out;
  const auto body = json::parse(llm.requests()[0].body);
  EXPECT_EQ(body["contents"].back()["parts"][0]["text"], "گربه‌ای روی بام");
  ASSERT_EQ(srv.requests().size(), 1u) << r.out;
  EXPECT_EQ(asked_prompt(srv, 0), "A small cat on a sunny roof, watercolour");
  const auto photos = r.with_action("photo");
  ASSERT_EQ(photos.size(), 1u) << r.out;
  const auto file = photo_of(photos[0]);
  EXPECT_EQ(file.width, 512);
  // The caption shows the prompt as written, in Persian, with the Latin names isolated.
  const std::string caption = photos[0].value("caption", "");
  EXPECT_TRUE(caption.find("گربه‌ای روی بام") != std::string::npos) << caption;
  EXPECT_NE(caption.find("\u2068Pollinations\u2069"), std::string::npos) << caption;
  EXPECT_NE(caption.find("۵۱۲×۵۱۲"), std::string::npos) << caption;
}

TEST(ConsoleImage, ABrokenImageBecomesAClearMessage) {
  test::LoopbackServer srv;
  testing::serve_images(srv, "GET", kPromptPath, ImageWire::kRawBytes,
                        {ImageReply::raw(200, "<html><body>Oops</body></html>", "text/html")});
  Sandbox box;
  box.set_env("SAKAIBOT_POLLINATIONS_LEGACY_URL", srv.url(""));
  box.set_env("SAKAIBOT_POLLINATIONS_BASE_URL", srv.url(""));
  const auto r = box.console(script({"/imagine raw a cat"}));
  expect_clean(r);
  EXPECT_TRUE(r.with_action("photo").empty()) << r.out;
  const auto edits = r.with_action("edit");
  ASSERT_FALSE(edits.empty()) << r.out;
  EXPECT_TRUE(
      contains(edits.back()["text"], "Pollinations sent something that is not a usable image"))
      << r.out;
}

}  // namespace
}  // namespace sakai::e2e
