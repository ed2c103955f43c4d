#include "features/ai/ai_feature.h"

#include "assistant/live_answers.h"
#include "commands/services.h"
#include "features/ai/ai_commands.h"
#include "features/ai/text_commands.h"

namespace sakai::features {

Status install_ai_feature(commands::Registry& registry) {
  SAKAI_TRY(register_prompt_commands(registry));
  SAKAI_TRY(register_text_ai_commands(registry));
  // Deleting the command stops an answer still being written.
  registry.add_deletion_hook(
      [](commands::Services& s, ChatId chat, const std::vector<MessageId>& deleted) {
        if (s.answers != nullptr) s.answers->stop_deleted(chat, deleted);
      });
  return Status::ok();
}

}  // namespace sakai::features
