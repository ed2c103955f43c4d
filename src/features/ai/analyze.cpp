// /analyze and /tellme: both read the chat through ChatDigest.
#include "commands/services.h"
#include "features/ai/chat_digest.h"
#include "features/ai/reply_helpers.h"
#include "features/ai/text_args.h"
#include "features/ai/text_commands.h"

namespace sakai::features {

using commands::Access;
using commands::CommandContext;
using commands::CommandSpec;
using commands::Registry;
using commands::Services;

namespace {

long long max_messages(const Services& s) {
  return s.config.get_int("analyze.max_messages");
}

void analyze(CommandContext ctx) {
  auto args = parse_analyze(ctx.line.raw, max_messages(ctx.services));
  if (!args.ok()) {
    reply_arg_error(ctx.reply, args.error);
    return;
  }
  DigestJob job;
  job.command = "analyze";
  job.count = static_cast<int>(args.value->count);
  job.final_key = "analyze." + args.value->mode;
  job.map_key = "digest.map";
  job.header_key = "analyze.header." + args.value->mode;
  run_chat_digest(std::move(ctx), std::move(job));
}

void tellme(CommandContext ctx) {
  auto args = parse_tellme(ctx.line.raw, max_messages(ctx.services));
  if (!args.ok()) {
    reply_arg_error(ctx.reply, args.error);
    return;
  }
  DigestJob job;
  job.command = "tellme";
  job.count = static_cast<int>(args.value->count);
  job.final_key = "tellme.answer";
  job.map_key = "tellme.map";
  job.vars.emplace_back("question", args.value->question);
  job.header_key = "tellme.header";
  run_chat_digest(std::move(ctx), std::move(job));
}

}  // namespace

Status register_analyze(Registry& registry) {
  SAKAI_TRY(registry.add(CommandSpec{"analyze", {}, "ai", Access::kOwner, {}, analyze}));
  return registry.add(CommandSpec{"tellme", {}, "ai", Access::kOwner, {}, tellme});
}

Status register_text_ai_commands(Registry& registry) {
  SAKAI_TRY(register_translate(registry));
  SAKAI_TRY(register_analyze(registry));
  return register_usage(registry);
}

}  // namespace sakai::features
