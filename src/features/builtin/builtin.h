#pragma once
// Inside the builtin feature: the registration of each of its command families (the door is
// builtin_feature.h).
#include "commands/registry.h"

namespace sakai::features {

Status register_help(commands::Registry& registry);
Status register_system_commands(commands::Registry& registry);  // /status, /health, /ping
Status register_lang(commands::Registry& registry);
Status register_auth(commands::Registry& registry);
Status register_chats(commands::Registry& registry);   // /chats, /topics
Status register_cancel(commands::Registry& registry);  // /cancel, over the cancel hooks

}  // namespace sakai::features
