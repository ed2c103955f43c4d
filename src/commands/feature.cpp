#include "commands/feature.h"

#include <string>

namespace sakai::commands {

Status install_features(Registry& registry, std::span<const FeatureEntry> features) {
  for (const FeatureEntry& feature : features) {
    if (feature.install == nullptr) {
      return make_error(ErrorCode::kInvalidArgument,
                        "feature " + std::string(feature.name) + " has no install function");
    }
    SAKAI_TRY(feature.install(registry).with_context("feature " + std::string(feature.name)));
  }
  return Status::ok();
}

}  // namespace sakai::commands
