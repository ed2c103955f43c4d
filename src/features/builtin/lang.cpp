// /lang [code] — show or change the language SakaiBot answers you in.
#include "commands/services.h"
#include "core/text.h"
#include "features/builtin/builtin.h"

namespace sakai::features {

using commands::Access;
using commands::CommandContext;
using commands::CommandSpec;
using commands::Registry;

namespace {

std::string available(const I18n& i18n) {
  std::string out;
  for (const auto& l : i18n.languages()) {
    out += (out.empty() ? "" : ", ") + l + " (" + i18n.language_name(l) + ")";
  }
  return out;
}

void lang(CommandContext ctx) {
  const I18n& i18n = ctx.services.i18n;
  if (ctx.line.args.empty()) {
    ctx.reply.ok(telegram::FormattedText(
        ctx.tr("lang.current", {{"language", i18n.language_name(ctx.lang)}, {"code", ctx.lang}}) +
        "\n" +
        ctx.tr("lang.available", {{"languages", available(i18n)}, {"example", "/lang fa"}})));
    return;
  }
  const std::string code = text::ascii_lower(ctx.line.args.front());
  if (!i18n.has_language(code)) {
    ctx.reply.usage("lang.unknown",
                    {{"code", ctx.line.args.front()}, {"languages", available(i18n)}});
    return;
  }
  if (auto st = ctx.services.store.preferences().set(ctx.message.sender, "language", code);
      !st.is_ok()) {
    ctx.services.log.error("lang", "could not save the language", {{"error", st.to_string()}});
    ctx.reply.error("error.storage");
    return;
  }
  // Answer in the language just chosen.
  ctx.reply.ok(telegram::FormattedText(
      i18n.tr(code, "lang.changed", {{"language", i18n.language_name(code)}})));
}

}  // namespace

Status register_lang(Registry& registry) {
  return registry.add(CommandSpec{"lang", {"language"}, "general", Access::kFriends, {}, lang});
}

}  // namespace sakai::features
