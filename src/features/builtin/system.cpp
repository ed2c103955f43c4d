// /status, /health, /ping — what a user checks first when something seems off.
#include <fmt/format.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "ai/llm/provider.h"
#include "ai/provider_catalog.h"
#include "commands/registry.h"
#include "commands/services.h"
#include "core/duration.h"
#include "core/format.h"
#include "core/service_health.h"
#include "core/text.h"
#include "core/worker_pool.h"
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

// /health warns when the disk holding the data directory has under 200 MB free, or under 2 % of
// a disk larger than 10 GB: a voice note or an image is a few MB, the database grows with memory.
constexpr std::uintmax_t kDiskLow = 200ULL * 1000 * 1000;
constexpr std::uintmax_t kLargeDisk = 10ULL * 1000 * 1000 * 1000;

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

// /health: every line checks, now, the part it names.
enum class Mark { kOk, kWarning, kFailed };

std::string_view mark(Mark m) {
  switch (m) {
    case Mark::kOk:
      return "✅ ";
    case Mark::kWarning:
      return "⚠️ ";
    case Mark::kFailed:
      return "❌ ";
  }
  return "";
}

// A remote service's line, from the state of its circuit breaker.
std::pair<Mark, std::string> service_line(const CommandContext& ctx, const ServiceHealth& h) {
  const std::string kind = ctx.tr("health.kind." + h.kind);
  const std::string failures = std::to_string(h.consecutive_failures);
  switch (h.circuit) {
    case ServiceHealth::Circuit::kClosed:
      if (h.consecutive_failures == 0) {
        return {Mark::kOk, ctx.tr("health.provider_ok", {{"kind", kind}, {"name", h.name}})};
      }
      return {Mark::kWarning, ctx.tr("health.provider_errors",
                                     {{"kind", kind}, {"name", h.name}, {"failures", failures}})};
    case ServiceHealth::Circuit::kHalfOpen:
      return {Mark::kWarning,
              ctx.tr("health.provider_recovering", {{"kind", kind}, {"name", h.name}})};
    case ServiceHealth::Circuit::kOpen:
      break;
  }
  if (!h.skips_calls) {
    return {Mark::kFailed, ctx.tr("health.provider_failing",
                                  {{"kind", kind}, {"name", h.name}, {"failures", failures}})};
  }
  const auto left = std::chrono::ceil<std::chrono::seconds>(h.cool_down_left);
  return {Mark::kFailed,
          ctx.tr("health.provider_paused", {{"kind", kind},
                                            {"name", h.name},
                                            {"failures", failures},
                                            {"seconds", std::to_string(left.count())}})};
}

void health(CommandContext ctx) {
  Services& s = ctx.services;
  telegram::TextBuilder b;
  bool healthy = true;
  bool warned = false;
  auto add = [&](Mark m, const std::string& text) {
    if (m == Mark::kFailed) healthy = false;
    if (m == Mark::kWarning) warned = true;
    b.line(std::string(mark(m)) + text);
  };

  // Telegram: logged in and connected (the console's chat always is).
  const auto connection = s.transport.connection_state();
  switch (connection) {
    case telegram::ConnectionState::kReady:
      add(Mark::kOk, ctx.tr("health.transport_ok", {{"transport", s.transport_name}}));
      break;
    case telegram::ConnectionState::kStarting:
    case telegram::ConnectionState::kConnecting:
    case telegram::ConnectionState::kConnectingToProxy:
    case telegram::ConnectionState::kUpdating:
    case telegram::ConnectionState::kWaitingForNetwork:
    case telegram::ConnectionState::kLoggedOut:
    case telegram::ConnectionState::kClosed: {
      const bool on_its_way = connection != telegram::ConnectionState::kWaitingForNetwork &&
                              connection != telegram::ConnectionState::kLoggedOut &&
                              connection != telegram::ConnectionState::kClosed;
      const std::string state =
          ctx.tr("health.connection." + std::string(telegram::connection_state_name(connection)));
      add(on_its_way ? Mark::kWarning : Mark::kFailed,
          ctx.tr("health.transport_not_ready",
                 {{"transport", s.transport_name}, {"state", state}}));
      break;
    }
  }

  // Storage: a write, rolled back.
  const auto t0 = s.clock.now();
  const Status st = s.store.ping();
  const auto store_ms =
      std::chrono::duration_cast<std::chrono::microseconds>(s.clock.now() - t0).count();
  if (st.is_ok()) {
    add(Mark::kOk, ctx.tr("health.storage_ok",
                          {{"ms", fmt::format("{:.2f}", static_cast<double>(store_ms) / 1000.0)}}));
  } else {
    add(Mark::kFailed, ctx.tr("health.storage_failed", {{"error", st.message()}}));
  }

  // Disk: the free space where the database, voice notes and images are written.
  if (!s.data_dir.empty()) {
    std::error_code ec;
    const std::filesystem::space_info space = std::filesystem::space(s.data_dir, ec);
    if (ec) {
      add(Mark::kWarning, ctx.tr("health.disk_unknown", {{"error", ec.message()}}));
    } else {
      const auto free = static_cast<std::int64_t>(space.available);
      const std::initializer_list<TrArg> args = {{"free", human_size(s.i18n, ctx.lang, free)}};
      const bool low = space.available < kDiskLow ||
                       (space.capacity > kLargeDisk && space.available < space.capacity / 50);
      add(low ? Mark::kWarning : Mark::kOk,
          ctx.tr(low ? "health.disk_low" : "health.disk_ok", args));
    }
  }

  // AI providers, each with its circuit breaker; then what the features call (speech engines).
  const auto llm = s.llm != nullptr ? s.llm->health() : std::vector<ServiceHealth>{};
  if (llm.empty()) {
    bool any_llm = false;
    for (const auto& p : ai::configured_providers(s.config))
      any_llm = any_llm || p.usable;
    if (any_llm) {
      add(Mark::kOk, ctx.tr("health.llm_configured"));
    } else {
      add(Mark::kWarning, ctx.tr("health.llm_missing"));
    }
  }
  for (const auto& h : llm) {
    auto [m, text] = service_line(ctx, h);
    add(m, text);
  }
  for (const auto& hook : s.registry.health_hooks()) {
    for (const auto& h : hook(s)) {
      auto [m, text] = service_line(ctx, h);
      add(m, text);
    }
  }

  // The worker pool that makes voice notes and images.
  if (s.workers == nullptr) {
    add(Mark::kFailed, ctx.tr("health.workers_missing"));
  } else {
    const std::size_t queued = s.workers->queued();
    const std::size_t limit = s.workers->max_queued();
    const std::initializer_list<TrArg> counts = {{"running", std::to_string(s.workers->running())},
                                                 {"threads", std::to_string(s.workers->threads())},
                                                 {"queued", std::to_string(queued)}};
    if (queued >= limit) {
      add(Mark::kFailed, ctx.tr("health.workers_full", {{"queued", std::to_string(queued)}}));
    } else if (queued * 2 >= limit) {
      add(Mark::kWarning, ctx.tr("health.workers_busy", counts));
    } else {
      add(Mark::kOk, ctx.tr("health.workers_ok", counts));
    }
  }
  b.line(ctx.tr("status.uptime", {{"uptime", std::to_string(uptime(s).count())}}));
  telegram::TextBuilder head;
  const char* headline =
      !healthy ? "health.degraded" : (warned ? "health.warnings" : "health.healthy");
  head.add(ctx.tr(headline), telegram::EntityType::kBold).line();
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
