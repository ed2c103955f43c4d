#include "features/builtin/builtin_feature.h"

#include "features/builtin/builtin.h"

namespace sakai::features {

Status install_builtin_feature(commands::Registry& registry) {
  SAKAI_TRY(register_help(registry));
  SAKAI_TRY(register_system_commands(registry));
  SAKAI_TRY(register_lang(registry));
  SAKAI_TRY(register_auth(registry));
  SAKAI_TRY(register_cancel(registry));
  return register_chats(registry);
}

}  // namespace sakai::features
