#pragma once
// The commands of the foundation: /help, /status, /health, /ping, /lang, /auth, /chats,
// /topics.
#include <chrono>
#include <string>

#include "commands/registry.h"

namespace sakai::commands {

Status register_help(Registry& registry);
Status register_system_commands(Registry& registry);  // /status, /health, /ping
Status register_lang(Registry& registry);
Status register_auth(Registry& registry);
Status register_chats(Registry& registry);  // /chats, /topics

// All of the above.
Status register_builtin_commands(Registry& registry);

// Formats a duration for people: "3d 4h", "2h 5m", "42s".
std::string human_duration(std::chrono::seconds s);

}  // namespace sakai::commands
