#pragma once
// The features this build of SakaiBot has: the table the app installs on every account's
// registry. Adding a feature is its folder (src/features/<name>/, its own library with one door
// header), one line in the table (all_features.cpp) and its catalog keys (locales/*.toml).
// Thread-safety: the table is constant; install on the thread that builds the bot.
#include <span>

#include "commands/feature.h"

namespace sakai::features {

// In installation order, which is also the order of /help's topics and of the hooks.
std::span<const commands::FeatureEntry> all_features();

// Installs every feature of the table on `registry`.
Status install_features(commands::Registry& registry);

}  // namespace sakai::features
