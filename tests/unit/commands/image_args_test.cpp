// What /imagine, /img and /image read from a command line: the prompt, the options anywhere in
// it, SakaiBot's /image=<model>=<prompt> form, and the sizes a user may name.
#include <gtest/gtest.h>

#include "features/image/image_args.h"

namespace sakai::features {
namespace {

const std::vector<std::string> kModels = {"flux", "turbo", "sdxl"};

ImageArgs args_of(std::string_view message) {
  auto line = commands::parse_command_line(message, "/");
  EXPECT_TRUE(line.has_value()) << message;
  return line ? parse_image_args(*line, kModels) : ImageArgs{};
}

TEST(ImageArgs, EqualsAndSpaceFormsKeepThePromptWhole) {
  EXPECT_EQ(args_of("/imagine=a cat on a roof").prompt, "a cat on a roof");
  EXPECT_EQ(args_of("/imagine a cat on a roof").prompt, "a cat on a roof");
  EXPECT_EQ(args_of("/img=گربه‌ای روی بام").prompt, "گربه‌ای روی بام");
  EXPECT_EQ(args_of("/imagine a cat\non two lines").prompt, "a cat\non two lines");
  EXPECT_EQ(args_of("/imagine").prompt, "");
  // An '=' in the prompt that names no option stays in it.
  EXPECT_EQ(args_of("/imagine E=mc2 on a blackboard").prompt, "E=mc2 on a blackboard");
}

TEST(ImageArgs, OptionsAnywhereAreTakenOut) {
  const auto a = args_of("/imagine size=16:9 a red fox n=2 in the snow seed=۴۲ model=turbo");
  EXPECT_EQ(a.prompt, "a red fox in the snow");
  EXPECT_EQ(a.size, std::optional<std::string>("16:9"));
  EXPECT_EQ(a.count, std::optional<std::string>("2"));
  EXPECT_EQ(a.seed, std::optional<std::string>("۴۲"));
  EXPECT_EQ(a.model, std::optional<std::string>("turbo"));
  EXPECT_FALSE(a.raw);
  const auto b = args_of("/img=raw provider=huggingface neg=\"blurry, low quality\" a boat");
  EXPECT_TRUE(b.raw);
  EXPECT_EQ(b.provider, std::optional<std::string>("huggingface"));
  EXPECT_EQ(b.negative, std::optional<std::string>("blurry, low quality"));
  EXPECT_EQ(b.prompt, "a boat");
  // `raw` only counts at the head: elsewhere it is a word of the prompt.
  const auto c = args_of("/imagine a raw steak");
  EXPECT_FALSE(c.raw);
  EXPECT_EQ(c.prompt, "a raw steak");
  EXPECT_EQ(args_of("/imagine NEG=“text, watermark” a poster").negative,
            std::optional<std::string>("text, watermark"));
}

TEST(ImageArgs, SakaiBotsModelForm) {
  const auto a = args_of("/image=flux=a cat in space");
  EXPECT_EQ(a.model, std::optional<std::string>("flux"));
  EXPECT_EQ(a.prompt, "a cat in space");
  // /image takes any name there (the feature checks it); /imagine only a model the provider has.
  EXPECT_EQ(args_of("/image=dalle=a cat").model, std::optional<std::string>("dalle"));
  EXPECT_EQ(args_of("/imagine=SDXL=a cat").model, std::optional<std::string>("SDXL"));
  const auto b = args_of("/imagine=E=mc2 on a blackboard");
  EXPECT_FALSE(b.model.has_value());
  EXPECT_EQ(b.prompt, "E=mc2 on a blackboard");
  // An option key is not a model.
  const auto c = args_of("/image=size=16:9 a wide sea");
  EXPECT_FALSE(c.model.has_value());
  EXPECT_EQ(c.size, std::optional<std::string>("16:9"));
  EXPECT_EQ(c.prompt, "a wide sea");
  EXPECT_EQ(args_of("/image a plain prompt").prompt, "a plain prompt");
}

TEST(ImageSizes, ExactRatiosAndNames) {
  EXPECT_EQ(parse_image_size("1024x1024"), (ImageSize{1024, 1024}));
  EXPECT_EQ(parse_image_size("768×1344"), (ImageSize{768, 1344}));
  EXPECT_EQ(parse_image_size("۵۱۲X۵۱۲"), (ImageSize{512, 512}));
  EXPECT_EQ(parse_image_size("16:9"), (ImageSize{1344, 768}));
  EXPECT_EQ(parse_image_size("9:16"), (ImageSize{768, 1344}));
  EXPECT_EQ(parse_image_size("1:1"), (ImageSize{1024, 1024}));
  EXPECT_EQ(parse_image_size("square"), (ImageSize{1024, 1024}));
  EXPECT_EQ(parse_image_size("Portrait"), (ImageSize{896, 1152}));
  EXPECT_EQ(parse_image_size("landscape"), (ImageSize{1152, 896}));
  EXPECT_EQ(parse_image_size("wide"), (ImageSize{1344, 768}));
  EXPECT_EQ(parse_image_size("عمودی"), (ImageSize{896, 1152}));
  EXPECT_EQ(parse_image_size("أفقي"), (ImageSize{1152, 896}));
  for (const char* bad : {"huge", "", "0x0", "100x100", "4096x4096", "1024x", "21:1", "1:0", "x"})
    EXPECT_FALSE(parse_image_size(bad).has_value()) << bad;
  // Every ratio gives sides that are multiples of 64, about a megapixel.
  for (const char* r : {"4:3", "3:2", "2:3", "21:9", "5:4"}) {
    const auto s = parse_image_size(r);
    ASSERT_TRUE(s) << r;
    EXPECT_EQ(s->width % 64, 0) << r;
    EXPECT_EQ(s->height % 64, 0) << r;
    EXPECT_NEAR(s->width * s->height, 1024 * 1024, 1024 * 1024 / 8) << r;
  }
}

}  // namespace
}  // namespace sakai::features
