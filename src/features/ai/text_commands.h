#pragma once
// The AI text commands: /translate (/tr), /analyze, /tellme, and /usage.
#include "commands/registry.h"

namespace sakai::features {

Status register_translate(commands::Registry& registry);
Status register_analyze(commands::Registry& registry);  // /analyze, /tellme
Status register_usage(commands::Registry& registry);

// All of the above.
Status register_text_ai_commands(commands::Registry& registry);

}  // namespace sakai::features
