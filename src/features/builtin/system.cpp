// /status, /health, /ping — what a user checks first when something seems off.
#include <fmt/format.h>

#include "ai/provider_catalog.h"
#include "commands/services.h"
#include "core/duration.h"
#include "core/format.h"
#include "core/text.h"
#include "features/builtin/builtin.h"

namespace sakai::features {

using commands::Access;
using commands::CommandContext;
using commands::CommandSpec;
using commands::Registry;
using commands::Services;

namespace {

// The database's size as the reader's language writes it: "3.5 MB"; in Persian and Arabic the
// unit's full name ("۳٫۵ مگابایت"), as their short forms are Latin abbreviations.
std::string human_size(const I18n& i18n, std::string_view lang, std::int64_t bytes) {
  if (bytes < 0) return "?";
  return l10n::bytes(lang, static_cast<std::uint64_t>(bytes),
                     i18n.is_rtl(lang) ? l10n::Width::kWide : l10n::Width::kShort);
}

std::chrono::seconds uptime(const Services& s) {
  return std::chrono::duration_cast<std::chrono::seconds>(s.clock.now() - s.started_at);
}

void status(CommandContext ctx) {
  const Services& s = ctx.services;
  const auto& i18n = s.i18n;
  telegram::TextBuilder b;
  b.add(ctx.tr("status.title", {{"version", s.version}}), telegram::EntityType::kBold).line();
  // {uptime, duration}: the catalog writes the seconds as words in the reader's language.
  b.line(ctx.tr("status.uptime", {{"uptime", std::to_string(uptime(s).count())}}));
  b.line(ctx.tr("status.transport", {{"transport", s.transport_name}}));
  b.line(ctx.tr("status.language", {{"language", i18n.language_name(ctx.lang)}}));
  b.line().add(ctx.tr("status.providers"), telegram::EntityType::kBold).line();
  for (const auto& p : ai::configured_providers(s.config)) {
    const std::string state =
        p.usable ? ctx.tr("status.provider_ready", {{"keys", std::to_string(p.key_count)}})
                 : ctx.tr("status.provider_no_key");
    b.line(ctx.tr(p.primary ? "status.provider_primary" : "status.provider_fallback",
                  {{"name", p.name}, {"model", p.model}, {"state", state}}));
  }
  const auto info = s.store.info();
  b.line().add(ctx.tr("status.storage_title"), telegram::EntityType::kBold).line();
  b.line(ctx.tr("status.storage", {{"backend", info.backend},
                                   {"location", info.location},
                                   {"size", human_size(i18n, ctx.lang, info.size_bytes)},
                                   {"schema", std::to_string(info.schema_version)}}));
  const std::int64_t day_ago = to_unix_ms(s.clock.wall_now()) - 24LL * 3600 * 1000;
  if (auto stats = s.store.command_log().stats(day_ago); stats.is_ok()) {
    b.line(ctx.tr("status.commands_today", {{"count", std::to_string(stats->total)},
                                            {"errors", std::to_string(stats->errors)}}));
  }
  ctx.reply.ok(std::move(b).build());
}

void health(CommandContext ctx) {
  Services& s = ctx.services;
  telegram::TextBuilder b;
  bool healthy = true;
  const auto t0 = s.clock.now();
  const Status st = s.store.ping();
  const auto store_ms =
      std::chrono::duration_cast<std::chrono::microseconds>(s.clock.now() - t0).count();
  if (st.is_ok()) {
    b.line("✅ " + ctx.tr("health.storage_ok",
                         {{"ms", fmt::format("{:.2f}", static_cast<double>(store_ms) / 1000.0)}}));
  } else {
    healthy = false;
    b.line("❌ " + ctx.tr("health.storage_failed", {{"error", st.message()}}));
  }
  b.line("✅ " + ctx.tr("health.transport_ok", {{"transport", s.transport_name}}));
  const auto providers = ai::configured_providers(s.config);
  bool any_llm = false;
  for (const auto& p : providers)
    any_llm = any_llm || p.usable;
  if (any_llm) {
    b.line("✅ " + ctx.tr("health.llm_configured"));
  } else {
    b.line("⚠️ " + ctx.tr("health.llm_missing"));
  }
  b.line(ctx.tr("status.uptime", {{"uptime", text::human_duration(uptime(s))}}));
  telegram::TextBuilder head;
  head.add(ctx.tr(healthy ? "health.healthy" : "health.degraded"), telegram::EntityType::kBold)
      .line();
  auto top = std::move(head).build();
  auto body = std::move(b).build();
  // Shift the body's entities past the heading.
  const auto shift = static_cast<std::int32_t>(text::utf16_length(top.text) + 1);
  top.text += "\n" + body.text;
  for (auto e : body.entities) {
    e.offset += shift;
    top.entities.push_back(e);
  }
  ctx.reply.ok(std::move(top));
}

void ping(CommandContext ctx) {
  Services& s = ctx.services;
  const auto started = s.clock.now();
  const ChatId chat = ctx.message.chat;
  const std::string lang = ctx.lang;
  ctx.reply.ok(telegram::FormattedText("🏓 " + ctx.tr("ping.pong")), [&s, started, chat, lang](
                                                                           Result<MessageId> sent) {
    if (!sent.is_ok()) return;
    const auto ms =
        std::chrono::duration_cast<std::chrono::microseconds>(s.clock.now() - started).count();
    s.transport.edit_text(
        chat, *sent,
        telegram::FormattedText(
            "🏓 " + s.i18n.tr(lang, "ping.pong_ms",
                                {{"ms", fmt::format("{:.1f}", static_cast<double>(ms) / 1000.0)}})),
        [](Status) {});
  });
}

}  // namespace

Status register_system_commands(Registry& registry) {
  SAKAI_TRY(registry.add(CommandSpec{"status", {"stats"}, "general", Access::kOwner, {}, status}));
  SAKAI_TRY(registry.add(CommandSpec{"health", {}, "general", Access::kOwner, {}, health}));
  return registry.add(CommandSpec{"ping", {}, "general", Access::kFriends, {}, ping});
}

}  // namespace sakai::features
