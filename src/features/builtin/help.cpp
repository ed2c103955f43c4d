// /help [topic|command] — generated from the registry, in the asker's language. The owner sees
// every command; a friend sees only the commands their grants let them run.
#include <algorithm>
#include <set>

#include "commands/services.h"
#include "core/text.h"
#include "features/builtin/builtin.h"

namespace sakai::features {

using commands::Access;
using commands::CommandContext;
using commands::CommandSpec;
using commands::Registry;

namespace {

// The commands the asker may run: the owner every one; a friend the friend commands their
// grants name that have not expired (a "*" grant names them all).
struct Visibility {
  bool everything = false;
  bool all_friend_commands = false;
  std::set<std::string, std::less<>> granted;

  [[nodiscard]] bool sees(const CommandSpec& spec) const {
    if (everything) return true;
    if (spec.access != Access::kFriends) return false;
    return all_friend_commands || granted.count(spec.name) > 0;
  }
};

Result<Visibility> visibility_for(const CommandContext& ctx) {
  Visibility v;
  if (ctx.by_owner) {
    v.everything = true;
    return v;
  }
  auto grants = ctx.services.store.grants().for_user(ctx.message.sender);
  if (!grants.is_ok()) return grants.status();
  const std::int64_t now = to_unix_ms(ctx.services.clock.wall_now());
  for (const auto& g : *grants) {
    if (g.expires_ms && *g.expires_ms <= now) continue;
    if (g.command == "*") {
      v.all_friend_commands = true;
    } else {
      v.granted.insert(g.command);
    }
  }
  return v;
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
  // Isolated, so a Persian or Arabic line does not start left-to-right.
  b.add(i18n.isolate_for(ctx.lang, "/" + spec.name), telegram::EntityType::kBold)
      .add(" — ")
      .line(ctx.tr(spec.description_key()));
  b.add(ctx.tr("help.usage_label") + " ");
  // A usage the catalog isolated already keeps its one isolate.
  const std::string usage = ctx.tr(spec.usage_key());
  b.line(usage.starts_with(kFirstStrongIsolate) ? usage : i18n.isolate_for(ctx.lang, usage));
  if (!spec.aliases.empty()) {
    std::string aliases;
    for (const auto& a : spec.aliases)
      aliases += (aliases.empty() ? "/" : ", /") + a;
    b.line(ctx.tr("help.aliases", {{"aliases", aliases}}));
  }
  if (spec.access == Access::kOwner) b.line(ctx.tr("help.owner_only"));
  ctx.reply.ok(std::move(b).build());
}

// The topics with at least one command the asker sees, in the registry's order.
std::vector<std::string> visible_topics(const Registry& reg, const Visibility& v) {
  std::vector<std::string> out;
  for (const auto& topic : reg.topics()) {
    for (const CommandSpec* spec : reg.all()) {
      if (spec->topic == topic && v.sees(*spec)) {
        out.push_back(topic);
        break;
      }
    }
  }
  return out;
}

void show_topic(CommandContext& ctx, const std::string& topic, const Visibility& v) {
  telegram::TextBuilder b;
  b.add(ctx.tr("help.topic." + topic), telegram::EntityType::kBold).line().line();
  for (const CommandSpec* spec : ctx.services.registry.all()) {
    if (spec->topic == topic && v.sees(*spec)) add_command_line(b, ctx, *spec);
  }
  ctx.reply.ok(std::move(b).build());
}

void show_all(CommandContext& ctx, const Visibility& v) {
  const Registry& reg = ctx.services.registry;
  telegram::TextBuilder b;
  b.add(ctx.tr("help.title"), telegram::EntityType::kBold).line().line();
  for (const auto& topic : visible_topics(reg, v)) {
    b.add(ctx.tr("help.topic." + topic), telegram::EntityType::kBold).line();
    for (const CommandSpec* spec : reg.all()) {
      if (spec->topic == topic && v.sees(*spec)) add_command_line(b, ctx, *spec);
    }
    b.line();
  }
  // The example names a command the asker may run: /ping, else the first they see but /help.
  std::string example = "ping";
  if (const CommandSpec* ping = reg.find("ping"); ping == nullptr || !v.sees(*ping)) {
    example = "help";
    for (const CommandSpec* spec : reg.all()) {
      if (spec->name != "help" && v.sees(*spec)) {
        example = spec->name;
        break;
      }
    }
  }
  b.line(ctx.tr("help.footer", {{"example", "/help " + example}}));
  ctx.reply.ok(std::move(b).build());
}

void help(CommandContext ctx) {
  const Registry& reg = ctx.services.registry;
  auto visibility = visibility_for(ctx);
  if (!visibility.is_ok()) {
    ctx.services.log.error("help", "could not read the grants",
                           {{"error", visibility.status().to_string()}});
    ctx.reply.error("error.storage");
    return;
  }
  const Visibility& v = *visibility;
  const std::string arg = ctx.line.args.empty() ? "" : text::ascii_lower(ctx.line.args.front());
  if (arg.empty()) {
    show_all(ctx, v);
    return;
  }
  std::string name = arg;
  if (!name.empty() && name.front() == '/') name.erase(0, 1);
  if (const CommandSpec* spec = reg.find(name); spec && v.sees(*spec)) {
    show_command(ctx, *spec);
    return;
  }
  // A friend learns nothing of the commands and topics they cannot use.
  const auto topics = visible_topics(reg, v);
  if (std::find(topics.begin(), topics.end(), name) != topics.end()) {
    show_topic(ctx, name, v);
    return;
  }
  std::string list;
  for (const auto& t : topics)
    list += (list.empty() ? "" : ", ") + t;
  const auto suggestion = reg.suggest(name);
  const CommandSpec* suggested = suggestion ? reg.find(*suggestion) : nullptr;
  if (suggested != nullptr && v.sees(*suggested)) {
    ctx.reply.error("help.unknown_topic_suggest",
                    {{"topic", arg}, {"suggestion", "/help " + suggested->name}});
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
