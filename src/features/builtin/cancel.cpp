// /cancel (in reply to a request or its status message): cancels what that message asked for,
// whichever feature queued it — the command asks the features' cancel hooks
// (Registry::add_cancel_hook) in order.
#include "commands/registry.h"
#include "commands/services.h"
#include "features/builtin/builtin.h"

namespace sakai::features {

using commands::Access;
using commands::CommandContext;
using commands::CommandSpec;
using commands::Registry;

namespace {

void cancel(CommandContext ctx) {
  if (!ctx.replied) {
    ctx.reply.usage();
    return;
  }
  std::optional<UserId> only;
  if (!ctx.by_owner) only = ctx.message.sender;
  for (const auto& hook : ctx.services.registry.cancel_hooks()) {
    if (hook(ctx.services, ctx.message.chat, ctx.replied->id, only)) {
      ctx.reply.ok(telegram::FormattedText(ctx.tr("cancel.done")));
      return;
    }
  }
  ctx.reply.error("cancel.nothing");
}

}  // namespace

Status register_cancel(Registry& registry) {
  return registry.add(CommandSpec{"cancel", {}, "general", Access::kFriends, {}, cancel});
}

}  // namespace sakai::features
