#pragma once
// The builtin feature, the commands of the foundation: /help, /status, /health, /ping, /lang,
// /auth, /chats, /topics. Its door: the app's feature table (features/all_features.cpp) installs
// it on every account's registry.
#include "commands/registry.h"

namespace sakai::features {

Status install_builtin_feature(commands::Registry& registry);

}  // namespace sakai::features
