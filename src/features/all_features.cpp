#include "features/all_features.h"

#include <array>

#include "features/ai/ai_feature.h"
#include "features/builtin/builtin_feature.h"
#include "features/image/image_feature.h"
#include "features/voice/voice_feature.h"

namespace sakai::features {
namespace {

constexpr std::array kFeatures = {
    commands::FeatureEntry{"builtin", &install_builtin_feature},
    commands::FeatureEntry{"ai", &install_ai_feature},
    commands::FeatureEntry{"voice", &install_voice_feature},
    commands::FeatureEntry{"image", &install_image_feature},
};

}  // namespace

std::span<const commands::FeatureEntry> all_features() {
  return kFeatures;
}

Status install_features(commands::Registry& registry) {
  return commands::install_features(registry, all_features());
}

}  // namespace sakai::features
