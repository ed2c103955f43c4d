// The layer rules hold over src/, and the checker that says so does fail when they are broken.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "unit/arch/include_rules.h"

namespace sakai::testing {
namespace {

std::string describe(const std::vector<LayerViolation>& violations) {
  std::string out;
  for (const auto& v : violations)
    out += v.file + " includes " + v.include + ": " + v.rule + "\n";
  return out;
}

std::vector<LayerViolation> check_one(const std::string& file, const std::string& include) {
  return check_layers({SourceFile{file, {include}}});
}

TEST(LayerRules, AFeatureIncludingAnotherFeatureFails) {
  const auto v = check_one("features/voice/voicemode.cpp", "features/ai/ai_commands.h");
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].file, "features/voice/voicemode.cpp");
  EXPECT_EQ(v[0].include, "features/ai/ai_commands.h");
  EXPECT_NE(v[0].rule.find("feature voice includes feature ai"), std::string::npos) << v[0].rule;
  // Its door is no exception, and neither is the feature table.
  EXPECT_EQ(check_one("features/voice/voicemode.cpp", "features/ai/ai_feature.h").size(), 1u);
  EXPECT_EQ(check_one("features/builtin/help.cpp", "features/all_features.h").size(), 1u);
  // A relative path reaches the same file, and fails the same way.
  EXPECT_EQ(check_one("features/voice/voicemode.cpp", "features/voice/../ai/text_args.h").size(),
            1u);
}

TEST(LayerRules, TheEngineOrAnythingBelowIncludingAFeatureFails) {
  for (const char* file :
       {"commands/router.cpp", "assistant/streaming_answer.cpp", "core/config.cpp",
        "telegram/tdjson/td_client.cpp", "ai/speech/tts.cpp", "storage/sqlite/sqlite_store.cpp"}) {
    EXPECT_EQ(check_one(file, "features/ai/ai_feature.h").size(), 1u) << file;
    EXPECT_EQ(check_one(file, "features/all_features.h").size(), 1u) << file;
  }
}

TEST(LayerRules, AnythingBelowAppIncludingAppFails) {
  for (const char* file :
       {"features/ai/prompt.cpp", "features/all_features.cpp", "assistant/conversation.cpp",
        "commands/router.h", "core/log.cpp", "net/curl_http_client.cpp"}) {
    EXPECT_EQ(check_one(file, "app/bot_core.h").size(), 1u) << file;
  }
}

TEST(LayerRules, TheEngineBelowTheAssistantAndLowerLayersBelowTheEngine) {
  EXPECT_EQ(check_one("commands/router.cpp", "assistant/live_answers.h").size(), 1u);
  EXPECT_EQ(check_one("storage/store.h", "commands/services.h").size(), 1u);
  EXPECT_EQ(check_one("telegram/transport.h", "assistant/conversation.h").size(), 1u);
}

TEST(LayerRules, OutsideItsFolderAFeatureIsReachedThroughItsDoorOnly) {
  EXPECT_EQ(check_one("app/bot_core.cpp", "features/voice/tts_queue.h").size(), 1u);
  EXPECT_EQ(check_one("features/all_features.cpp", "features/ai/prompt_args.h").size(), 1u);
  EXPECT_TRUE(check_one("features/all_features.cpp", "features/ai/ai_feature.h").empty());
  EXPECT_TRUE(check_one("app/bot_core.cpp", "features/all_features.h").empty());
}

TEST(LayerRules, WhatTheLayersMayDoPasses) {
  const std::vector<SourceFile> files = {
      {"features/voice/voicemode.cpp",
       {"features/voice/voice_common.h", "assistant/conversation.h", "commands/services.h",
        "ai/speech/tts.h", "core/text.h", "nlohmann/json.hpp", "string"}},
      {"features/all_features.cpp",
       {"features/all_features.h", "features/ai/ai_feature.h", "features/voice/voice_feature.h"}},
      {"assistant/usage_tracker.cpp", {"commands/services.h", "storage/store.h"}},
      {"commands/router.cpp", {"commands/router.h", "core/text.h", "telegram/transport.h"}},
      {"app/bot_core.cpp", {"features/all_features.h", "assistant/live_answers.h"}},
      {"core/text.cpp", {"core/text.h"}},
  };
  EXPECT_TRUE(check_layers(files).empty()) << describe(check_layers(files));
}

TEST(LayerRules, IncludesAreReadFromTheSource) {
  const std::string source =
      "#include \"features/ai/ai_feature.h\"\n"
      "  #  include <vector>\n"
      "// #include \"app/bot_core.h\" (a comment)\n"
      "int x;  // not an include\n";
  EXPECT_EQ(includes_of(source), (std::vector<std::string>{"features/ai/ai_feature.h", "vector"}));
}

TEST(LayerRules, TheSourceTreeKeepsThem) {
  const auto files = scan_sources(std::filesystem::path(SAKAIBOT_SOURCE_DIR) / "src");
  // The scan saw the tree: the engine's router and the voice feature, with their includes.
  auto find = [&](const std::string& path) {
    return std::find_if(files.begin(), files.end(),
                        [&](const SourceFile& f) { return f.path == path; });
  };
  ASSERT_GT(files.size(), 100u);
  const auto router = find("commands/router.cpp");
  ASSERT_NE(router, files.end());
  EXPECT_NE(std::find(router->includes.begin(), router->includes.end(), "commands/router.h"),
            router->includes.end());
  ASSERT_NE(find("features/voice/voicemode.cpp"), files.end());
  const auto violations = check_layers(files);
  EXPECT_TRUE(violations.empty()) << describe(violations);
}

// A feature is one folder: the image feature (issue 10) was added as src/features/image/ plus
// its line in the feature table. Outside its folder only the table includes it, through its door;
// its own files include no other feature.
TEST(LayerRules, TheImageFeatureIsOneFolder) {
  const auto files = scan_sources(std::filesystem::path(SAKAIBOT_SOURCE_DIR) / "src");
  std::vector<std::string> own;
  std::vector<std::string> outside_users;
  for (const auto& f : files) {
    const bool inside = f.path.starts_with("features/image/");
    if (inside) own.push_back(f.path);
    for (const auto& inc : f.includes) {
      if (!inside && inc.starts_with("features/image/"))
        outside_users.push_back(f.path + " → " + inc);
      if (inside && inc.starts_with("features/") && !inc.starts_with("features/image/"))
        ADD_FAILURE() << f.path << " includes another feature: " << inc;
    }
  }
  EXPECT_GE(own.size(), 5u);
  EXPECT_EQ(
      outside_users,
      (std::vector<std::string>{"features/all_features.cpp → features/image/image_feature.h"}));
}

}  // namespace
}  // namespace sakai::testing
