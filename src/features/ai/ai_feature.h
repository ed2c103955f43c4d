#pragma once
// The AI text feature: /prompt (/ask) with its reply continuation, /stop, /model, /persona,
// /clearcontext, /summary, /translate (/tr), /analyze, /tellme, /usage. Deleting a command stops
// its answer while it is still being written. Its door: the app's feature table
// (features/all_features.cpp) installs it on every account's registry.
#include "commands/registry.h"

namespace sakai::features {

Status install_ai_feature(commands::Registry& registry);

}  // namespace sakai::features
