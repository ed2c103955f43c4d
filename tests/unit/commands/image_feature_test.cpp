// /imagine through the whole engine over scripted providers that answer with real images: the
// photo and the album a user receives (valid files of the asked size, read back by ImageMagick),
// the status message, the options, every refusal, progress, the watchdog, cancel and the quota.
#include <gtest/gtest.h>

#include <filesystem>

#include "core/text.h"
#include "unit/commands/image_fixture.h"

namespace sakai::testing {
namespace {

class ImagineTest : public ImageTest {
 protected:
  void SetUp() override {
    ImageTest::SetUp();
    llm_.answer = [](const ai::ChatRequest& req, std::size_t) {
      return "A detailed picture of " + req.messages.back().text + ", soft light";
    };
  }
  // The file of a photo action, as ImageMagick reads it.
  IdentifiedImage photo_file(const telegram::TransportAction& a) const {
    EXPECT_TRUE(std::filesystem::exists(a.path)) << a.path;
    return identify(read_binary(a.path));
  }
};

TEST_F(ImagineTest, APhotoOfTheAskedSizeAnswersTheRequestAndTheStatusGoes) {
  transport_->set_keeps_sent_files(true);  // as the console does: the file is the photo
  const auto req = owner_draws("/imagine a red fox in the snow size=16:9 seed=42");
  ASSERT_EQ(primary_->calls.size(), 1u);
  const auto& asked = primary_->calls[0].request;
  EXPECT_EQ(asked.width, 1344);
  EXPECT_EQ(asked.height, 768);
  EXPECT_EQ(asked.seed, std::optional<std::int64_t>(42));
  EXPECT_EQ(asked.count, 1);
  EXPECT_EQ(asked.prompt, "A detailed picture of a red fox in the snow, soft light");
  // The status came at once and shows the drawing.
  const auto status = status_of(req);
  ASSERT_TRUE(status);
  const auto shown = status_texts(req);
  ASSERT_FALSE(shown.empty());
  EXPECT_EQ(shown.back(), "🎨 Drawing with Pollinations…");
  EXPECT_FALSE(actions("chat_action").empty());
  EXPECT_EQ(actions("chat_action").front().detail, "uploading_photo");

  clock_.advance(std::chrono::seconds(12));
  primary_->complete(0, "jpg");
  settle();
  const auto photos = actions("photo");
  ASSERT_EQ(photos.size(), 1u);
  EXPECT_EQ(photos[0].reply_to, req);
  EXPECT_EQ(photos[0].album, 0);
  const auto file = photo_file(photos[0]);
  EXPECT_EQ(file.format, "JPEG");
  EXPECT_EQ(file.width, 1344);
  EXPECT_EQ(file.height, 768);
  EXPECT_EQ(std::filesystem::path(photos[0].path).parent_path(), tmp_.path() / "images");
  // The caption: the prompt as written, then provider, model, size, seed and time.
  const std::string caption = photos[0].text.text;
  EXPECT_EQ(caption,
            "a red fox in the snow\nPollinations · flux · 1344×768 · seed 42 · 12 seconds");
  EXPECT_TRUE(deleted(*status));
  EXPECT_EQ(primary_->calls.size(), 1u);
  EXPECT_TRUE(store_->jobs().pending("image").value().empty());
}

TEST_F(ImagineTest, ThreeImagesComeAsOneAlbum) {
  const auto req = owner_draws("/img=n=3 three kittens");
  ASSERT_EQ(primary_->calls.size(), 1u);
  EXPECT_EQ(primary_->calls[0].request.count, 3);
  EXPECT_EQ(primary_->calls[0].request.width, 1024);  // [image] size
  primary_->complete(0);
  settle();
  const auto photos = actions("photo");
  ASSERT_EQ(photos.size(), 3u);
  EXPECT_NE(photos[0].album, 0);
  for (const auto& p : photos) {
    EXPECT_EQ(p.album, photos[0].album);
    EXPECT_EQ(p.reply_to, req);
  }
  EXPECT_TRUE(text::trim(photos[0].text.text).starts_with("three kittens"));
  EXPECT_EQ(photos[1].text.text, "");
  // Sent files are removed once Telegram has them (the console keeps them instead).
  for (const auto& p : photos)
    EXPECT_FALSE(std::filesystem::exists(p.path)) << p.path;
}

TEST_F(ImagineTest, SakaiBotsModelFormRawAndNegativePrompt) {
  owner_draws("/image=sdxl=raw a lighthouse at dusk neg=\"blurry, text\"");
  ASSERT_EQ(primary_->calls.size(), 1u);
  const auto& asked = primary_->calls[0].request;
  EXPECT_EQ(asked.model, "sdxl");
  EXPECT_EQ(asked.prompt, "a lighthouse at dusk");  // raw: not rewritten
  EXPECT_EQ(asked.negative_prompt, "blurry, text");
  EXPECT_TRUE(llm_.requests.empty());
  // provider= picks a member of the chain.
  owner_draws("/imagine provider=huggingface model=TURBO a boat");
  ASSERT_EQ(second_->calls.size(), 1u);
  EXPECT_EQ(second_->calls[0].request.model, "turbo");
}

TEST_F(ImagineTest, AReplyIsThePromptOrFollowsIt) {
  const auto quoted = transport_->receive(owner_chat_, ali_, "a cat wearing a tiny hat");
  settle();
  owner_draws("/imagine raw", quoted);
  owner_draws("/imagine raw watercolour:", quoted);
  ASSERT_EQ(primary_->calls.size(), 1u);  // one at a time per provider
  EXPECT_EQ(primary_->calls[0].request.prompt, "a cat wearing a tiny hat");
  primary_->complete(0);
  settle();
  ASSERT_EQ(primary_->calls.size(), 2u);
  EXPECT_EQ(primary_->calls[1].request.prompt, "watercolour:\na cat wearing a tiny hat");
}

TEST_F(ImagineTest, BadRequestsGetUsageOrAnErrorNamingTheChoices) {
  owner_draws("/imagine");
  EXPECT_TRUE(text::trim(last_sent()).starts_with("⚠️ What should I draw?")) << last_sent();
  EXPECT_NE(last_sent().find("/imagine=<description>"), std::string::npos) << last_sent();
  owner_draws("/imagine size=huge a cat");
  EXPECT_NE(last_sent().find("“huge” is not a size"), std::string::npos) << last_sent();
  EXPECT_NE(last_sent().find("16:9"), std::string::npos);
  EXPECT_NE(last_sent().find("portrait"), std::string::npos);
  owner_draws("/imagine size=4096x4096 a cat");
  EXPECT_NE(last_sent().find("“4096x4096” is not a size"), std::string::npos) << last_sent();
  owner_draws("/imagine model=dalle-9 a cat");
  EXPECT_NE(last_sent().find("Pollinations has no model “dalle-9”"), std::string::npos)
      << last_sent();
  EXPECT_NE(last_sent().find("flux, turbo, sdxl"), std::string::npos);
  owner_draws("/imagine provider=midjourney a cat");
  EXPECT_NE(last_sent().find("pollinations, huggingface, openai, gemini, cloudflare, worker"),
            std::string::npos)
      << last_sent();
  owner_draws("/imagine provider=openai a cat");
  EXPECT_NE(last_sent().find("OpenAI is not set up here"), std::string::npos) << last_sent();
  EXPECT_NE(last_sent().find("pollinations, huggingface"), std::string::npos);
  owner_draws("/imagine n=7 a cat");
  EXPECT_NE(last_sent().find("from 1 to 4"), std::string::npos) << last_sent();
  owner_draws("/imagine seed=abc a cat");
  EXPECT_NE(last_sent().find("“abc”"), std::string::npos) << last_sent();
  owner_draws("/imagine " + std::string(1001, 'a'));
  EXPECT_NE(last_sent().find("1,001 characters, at most 1,000"), std::string::npos) << last_sent();
  EXPECT_TRUE(primary_->calls.empty());
  EXPECT_TRUE(second_->calls.empty());
  // In Persian, with the choices isolated and Persian digits.
  ASSERT_TRUE(store_->preferences().set(transport_->self_id(), "language", "fa").is_ok());
  owner_draws("/imagine n=۹ یک گربه");
  EXPECT_NE(last_sent().find("۱ تا ۴"), std::string::npos) << last_sent();
}

TEST_F(ImagineTest, ProviderFailureReplacesTheStatusWithAnActionableMessage) {
  const auto req = owner_draws("/imagine raw a storm");
  ai::ApiError refused;
  refused.kind = ai::ApiErrorKind::kSafetyBlocked;
  primary_->fail(0, refused);
  settle();
  // The chain does not fall back after a safety refusal.
  EXPECT_TRUE(second_->calls.empty());
  const auto shown = status_texts(req);
  ASSERT_FALSE(shown.empty());
  EXPECT_EQ(shown.back(),
            "Pollinations refused to draw this (safety filter). Try describing it differently.");
  EXPECT_TRUE(actions("photo").empty());
  EXPECT_TRUE(store_->jobs().pending("image").value().empty());
}

TEST_F(ImagineTest, AKeyProblemHintsTheSettingToTheOwnerOnly) {
  ai::ApiError auth;
  auth.kind = ai::ApiErrorKind::kAuth;
  const auto mine = owner_draws("/imagine raw provider=huggingface a tree");
  second_->fail(0, auth);
  settle();
  EXPECT_EQ(status_texts(mine).back(),
            "Hugging Face refused the key.\nOwner: check huggingface.api_keys in the "
            "configuration.");
  const auto theirs = friend_says(ali_, "/imagine raw provider=huggingface a tree");
  second_->fail(1, auth);
  settle();
  EXPECT_EQ(status_texts(theirs).back(), "Hugging Face refused the key.");
}

TEST_F(ImagineTest, ProgressShowsInTheStatusAndTimeIsCounted) {
  const auto req = owner_draws("/imagine raw a castle");
  primary_->calls[0].progress(img::ImageProgress{"pollinations", std::chrono::seconds(20)});
  settle();
  EXPECT_EQ(status_texts(req).back(), "🎨 Pollinations is loading the model: about 20 seconds…");
  // A second request waits; its status counts the wait, every few seconds.
  const auto next = owner_draws("/imagine raw a bridge");
  EXPECT_EQ(status_texts(next).back(), "🎨 Drawing… #1 in queue");
  advance(std::chrono::seconds(11));
  EXPECT_EQ(status_texts(next).back(), "🎨 Drawing… #1 in queue, waiting 10 seconds");
  primary_->complete(0);
  settle();
  advance(std::chrono::seconds(6));
  EXPECT_EQ(status_texts(next).back(), "🎨 Drawing with Pollinations… 5 seconds");
}

TEST_F(ImagineTest, AStalledProviderNeverLeavesTheStatusUpPastTheDeadline) {
  config_.set("image.timeout", "30s", "test");
  restart_engine();
  const auto req = owner_draws("/imagine raw a slow painting");
  ASSERT_EQ(primary_->calls.size(), 1u);
  EXPECT_EQ(primary_->calls[0].request.deadline, std::chrono::seconds(30));
  advance(std::chrono::seconds(30));
  EXPECT_FALSE(*primary_->calls[0].cancelled);
  advance(std::chrono::seconds(6));
  EXPECT_TRUE(*primary_->calls[0].cancelled);
  EXPECT_EQ(status_texts(req).back(),
            "Pollinations took too long to draw this. Try again, perhaps smaller or with fewer "
            "images.");
  EXPECT_TRUE(actions("photo").empty());
  // The slot is free: the next request draws at once.
  owner_draws("/imagine raw a quick sketch");
  EXPECT_EQ(primary_->calls.size(), 2u);
}

TEST_F(ImagineTest, DeletingTheRequestCancelsItAndNothingIsSent) {
  const auto req = owner_draws("/imagine raw a whale");
  const auto waiting = owner_draws("/imagine raw a dolphin");
  transport_->delete_messages(owner_chat_, {req}, [](const Status&) {});
  settle();
  EXPECT_TRUE(*primary_->calls[0].cancelled);
  EXPECT_EQ(status_texts(req).back(), "Cancelled.");
  ASSERT_EQ(primary_->calls.size(), 2u);  // the waiting one starts at once
  EXPECT_EQ(primary_->calls[1].request.prompt, "a dolphin");
  primary_->complete(1);
  settle();
  const auto photos = actions("photo");
  ASSERT_EQ(photos.size(), 1u);
  EXPECT_EQ(photos[0].reply_to, waiting);
  EXPECT_TRUE(store_->jobs().pending("image").value().empty());
}

TEST_F(ImagineTest, SlashCancelInReplyToTheStatusCancelsAnImageJob) {
  const auto first = owner_draws("/imagine raw a tiger");
  const auto second = owner_draws("/imagine raw a lion");
  owner_draws("/cancel", *status_of(second));
  EXPECT_EQ(last_sent(), "Cancelled.");
  EXPECT_TRUE(deleted(*status_of(second)));
  owner_draws("/cancel", first);
  EXPECT_EQ(last_sent(), "Cancelled.");
  EXPECT_TRUE(*primary_->calls[0].cancelled);
  EXPECT_EQ(primary_->calls.size(), 1u);
  owner_draws("/cancel", first);
  EXPECT_EQ(last_sent(), "⚠️ There is nothing queued for that message.");
  // A friend cannot cancel the owner's request.
  const auto third = owner_draws("/imagine raw a bear");
  friend_says(ali_, "/cancel", third);
  EXPECT_FALSE(*primary_->calls[1].cancelled);
}

TEST_F(ImagineTest, AFriendsDailyQuotaCountsMadeAndQueuedImages) {
  config_.set("image.daily_quota", "3", "test");
  restart_engine();
  friend_says(ali_, "/imagine raw n=2 two owls");
  friend_says(ali_, "/imagine raw n=2 two more owls");  // 2 queued + 2 > 3
  const std::string refusal = sent_texts().back();
  EXPECT_EQ(refusal, "⚠️ You have used today's images (2 of 3). More tomorrow (midnight UTC).");
  primary_->complete(0);
  settle();
  friend_says(ali_, "/imagine raw one owl");  // 2 made + 1 = 3
  ASSERT_EQ(primary_->calls.size(), 2u);
  primary_->complete(1);
  settle();
  friend_says(ali_, "/imagine raw another owl");
  EXPECT_EQ(sent_texts().back(),
            "⚠️ You have used today's images (3 of 3). More tomorrow (midnight UTC).");
  EXPECT_EQ(primary_->calls.size(), 2u);
  // The owner has no quota; another friend has their own; tomorrow it starts again.
  owner_draws("/imagine raw n=4 four owls");
  EXPECT_EQ(primary_->calls.size(), 3u);
  friend_says(bob_, "/imagine raw an owl for bob");
  primary_->complete(2);
  settle();
  primary_->complete(3);
  settle();
  clock_.advance(std::chrono::hours(24));
  friend_says(ali_, "/imagine raw a new day owl");
  ASSERT_EQ(primary_->calls.size(), 5u);
  EXPECT_EQ(primary_->calls[4].request.prompt, "a new day owl");
}

TEST_F(ImagineTest, TheCaptionFitsTheCaptionLimit) {
  transport_->set_caption_limit(120);
  owner_draws("/imagine raw " + std::string(600, 'x') + " the end");
  primary_->complete(0);
  settle();
  const auto photos = actions("photo");
  ASSERT_EQ(photos.size(), 1u);
  const std::string caption = photos[0].text.text;
  EXPECT_LE(text::utf16_length(caption), 120u) << caption;
  EXPECT_NE(caption.find("…\nPollinations · flux · 1024×1024 · "), std::string::npos) << caption;
}

TEST_F(ImagineTest, PersianCaptionIsolatesTheLatinPartsAndKeepsTheSeedCopyable) {
  ASSERT_TRUE(store_->preferences().set(transport_->self_id(), "language", "fa").is_ok());
  const auto req = owner_draws("/imagine raw seed=7 a garden");
  EXPECT_EQ(status_texts(req).back(), "🎨 در حال کشیدن با \u2068Pollinations\u2069…");
  primary_->complete(0);
  settle();
  const std::string caption = actions("photo").at(0).text.text;
  EXPECT_NE(caption.find("\u2068a garden\u2069\n"), std::string::npos) << caption;
  EXPECT_NE(caption.find("\u2068Pollinations\u2069 · \u2068flux\u2069"), std::string::npos)
      << caption;
  // The seed is a number the user copies back into seed=: its digits as typed, isolated.
  EXPECT_NE(caption.find("بذر \u20687\u2069"), std::string::npos) << caption;
  EXPECT_NE(caption.find("۱۰۲۴×۱۰۲۴"), std::string::npos) << caption;  // the size in Persian digits
}

TEST_F(ImagineTest, AnImageTelegramWouldRefuseAsAPhotoIsSentAsADocument) {
  owner_draws("/imagine raw size=2048x256 a banner");  // within our sizes
  // The provider answers with a strip far narrower than a photo may be (42:1).
  primary_->complete(0, "png", 2048, 48);
  settle();
  EXPECT_TRUE(actions("photo").empty());
  const auto docs = actions("document");
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_NE(docs[0].text.text.find("2048×48"), std::string::npos) << docs[0].text.text;
}

TEST_F(ImagineTest, ARequestLeftByARestartIsDrawnAfterIt) {
  const auto req = owner_draws("/imagine raw a phoenix");
  ASSERT_EQ(primary_->calls.size(), 1u);
  restart_engine();  // the stop hook drops the call; the start hook queues the request again
  settle();
  ASSERT_EQ(primary_->calls.size(), 1u);  // the new engine's provider
  EXPECT_EQ(primary_->calls[0].request.prompt, "a phoenix");
  primary_->complete(0);
  settle();
  const auto photos = actions("photo");
  ASSERT_EQ(photos.size(), 1u);
  EXPECT_EQ(photos[0].reply_to, req);
  EXPECT_TRUE(store_->jobs().pending("image").value().empty());
}

TEST_F(ImagineTest, UsageShowsTheImagesAndTheirPrice) {
  config_.set("pricing.models", "image:pollinations/flux=0.02", "test");
  restart_engine();
  owner_draws("/imagine raw n=2 two foxes");
  primary_->complete(0);
  settle();
  owner_draws("/usage");
  const std::string shown = last_sent();
  EXPECT_NE(shown.find("Images: 2"), std::string::npos) << shown;
  EXPECT_NE(shown.find("2 images, $0.04"), std::string::npos) << shown;
}

}  // namespace
}  // namespace sakai::testing
