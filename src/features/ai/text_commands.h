#pragma once
// The AI text commands: /translate (/tr), /analyze, /tellme, and /usage.
#include "commands/registry.h"

namespace sakai::commands {

Status register_translate(Registry& registry);
Status register_analyze(Registry& registry);  // /analyze, /tellme
Status register_usage(Registry& registry);

// All of the above.
Status register_text_ai_commands(Registry& registry);

}  // namespace sakai::commands
