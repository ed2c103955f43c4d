// /help [topic|command] — generated from the registry, in the asker's language.
#include <algorithm>

#include "commands/services.h"
#include "core/text.h"
#include "features/builtin/builtin.h"

namespace sakai::features {

using commands::Access;
using commands::CommandContext;
using commands::CommandSpec;
using commands::Registry;

namespace {

bool visible_to(const CommandSpec& spec, bool by_owner) {
  return by_owner || spec.access == Access::kFriends;
}

void add_command_line(telegram::TextBuilder& b, const CommandContext& ctx,
                      const CommandSpec& spec) {
  const auto& i18n = ctx.services.i18n;
  b.add(i18n.isolate_for(ctx.lang, "/" + spec.name), telegram::EntityType::kCode);
  b.add(" — ").line(ctx.tr(spec.description_key()));
}

void show_command(CommandContext& ctx, const CommandSpec& spec) {
  const auto& i18n = ctx.services.i18n;
  telegram::TextBuilder b;
  b.add("/" + spec.name, telegram::EntityType::kBold)
      .add(" — ")
      .line(ctx.tr(spec.description_key()));
  b.add(ctx.tr("help.usage_label") + " ");
  b.line(i18n.isolate_for(ctx.lang, ctx.tr(spec.usage_key())));
  if (!spec.aliases.empty()) {
    std::string aliases;
    for (const auto& a : spec.aliases)
      aliases += (aliases.empty() ? "/" : ", /") + a;
    b.line(ctx.tr("help.aliases", {{"aliases", aliases}}));
  }
  if (spec.access == Access::kOwner) b.line(ctx.tr("help.owner_only"));
  ctx.reply.ok(std::move(b).build());
}

void show_topic(CommandContext& ctx, const std::string& topic) {
  telegram::TextBuilder b;
  b.line(ctx.tr("help.topic." + topic)).line();
  for (const CommandSpec* spec : ctx.services.registry.all()) {
    if (spec->topic == topic && visible_to(*spec, ctx.by_owner)) add_command_line(b, ctx, *spec);
  }
  ctx.reply.ok(std::move(b).build());
}

void help(CommandContext ctx) {
  const Registry& reg = ctx.services.registry;
  const std::string arg = ctx.line.args.empty() ? "" : text::ascii_lower(ctx.line.args.front());
  if (arg.empty()) {
    telegram::TextBuilder b;
    b.add(ctx.tr("help.title"), telegram::EntityType::kBold).line().line();
    for (const auto& topic : reg.topics()) {
      bool any = false;
      for (const CommandSpec* spec : reg.all()) {
        if (spec->topic == topic && visible_to(*spec, ctx.by_owner)) any = true;
      }
      if (!any) continue;
      b.add(ctx.tr("help.topic." + topic), telegram::EntityType::kBold).line();
      for (const CommandSpec* spec : reg.all()) {
        if (spec->topic == topic && visible_to(*spec, ctx.by_owner))
          add_command_line(b, ctx, *spec);
      }
      b.line();
    }
    b.line(ctx.tr("help.footer", {{"example", "/help ping"}}));
    ctx.reply.ok(std::move(b).build());
    return;
  }
  std::string name = arg;
  if (!name.empty() && name.front() == '/') name.erase(0, 1);
  if (const CommandSpec* spec = reg.find(name); spec && visible_to(*spec, ctx.by_owner)) {
    show_command(ctx, *spec);
    return;
  }
  const auto topics = reg.topics();
  if (std::find(topics.begin(), topics.end(), name) != topics.end()) {
    show_topic(ctx, name);
    return;
  }
  std::string list;
  for (const auto& t : topics)
    list += (list.empty() ? "" : ", ") + t;
  if (auto s = reg.suggest(name)) {
    ctx.reply.error("help.unknown_topic_suggest", {{"topic", arg}, {"suggestion", "/help " + *s}});
  } else {
    ctx.reply.error("help.unknown_topic", {{"topic", arg}, {"topics", list}});
  }
}

}  // namespace

Status register_help(Registry& registry) {
  return registry.add(
      CommandSpec{"help", {"h", "commands"}, "general", Access::kFriends, {}, help});
}

}  // namespace sakai::features
