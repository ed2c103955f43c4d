#pragma once
// The conversational AI commands: /prompt (alias /ask), /model, /persona, /clearcontext,
// /summary, and the reply continuation (a plain-text reply to an answer continues it).
#include <string>

#include "commands/command_line.h"
#include "commands/registry.h"

namespace sakai::features {

// /prompt and the continuation; also registers the rest below.
Status register_prompt_commands(commands::Registry& registry);
// /model, /persona, /clearcontext, /summary.
Status register_chat_ai_settings(commands::Registry& registry);

// `/prompt=<text>=think=web`: the flags may stand anywhere in the '='-separated head.
struct PromptInput {
  std::string text;
  bool think = false;
  bool web = false;
};
PromptInput parse_prompt(const commands::CommandLine& line);

}  // namespace sakai::features
