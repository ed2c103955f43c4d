// /usage [today|week|month]: tokens and estimated cost of the asker; the owner also sees
// everyone's total and the heaviest users.
#include "assistant/usage_tracker.h"
#include "commands/services.h"
#include "core/format.h"
#include "core/text.h"
#include "features/ai/text_commands.h"

namespace sakai::features {

using assistant::BudgetCheck;
using assistant::UsageTracker;
using commands::Access;
using commands::CommandContext;
using commands::CommandSpec;
using commands::Registry;
using commands::Services;

namespace {

constexpr std::int64_t kMsPerDay = 86'400'000;
constexpr std::size_t kTopUsers = 10;

std::optional<std::string> parse_period(std::string_view raw) {
  const std::string p = text::ascii_lower(text::trim(raw));
  if (p.empty() || p == "today" || p == "day" || p == "امروز" || p == "اليوم") return "today";
  if (p == "week" || p == "7d" || p == "هفته" || p == "أسبوع" || p == "اسبوع") return "week";
  if (p == "month" || p == "30d" || p == "ماه" || p == "شهر") return "month";
  return std::nullopt;
}

void add_totals(telegram::TextBuilder& b, const CommandContext& ctx,
                const storage::UsageTotals& t) {
  b.line(ctx.tr("usage.tokens",
                {{"tokens", std::to_string(t.tokens())}, {"calls", std::to_string(t.calls)}}));
  b.line(ctx.tr("usage.split", {{"input", std::to_string(t.input_tokens)},
                                {"output", std::to_string(t.output_tokens)},
                                {"thinking", std::to_string(t.thinking_tokens)}}));
  b.line(ctx.tr("usage.cost", {{"cost", l10n::usd(ctx.lang, t.cost_micro_usd)}}));
  if (t.images > 0) b.line(ctx.tr("usage.images.total", {{"images", std::to_string(t.images)}}));
}

std::string user_label(Services& s, UserId id) {
  if (id == s.transport.self_id()) return "★";
  auto u = s.store.users().get(id);
  if (u.is_ok() && u->has_value()) {
    const auto& rec = **u;
    if (!rec.username.empty()) return "@" + rec.username;
    if (!rec.display_name.empty()) return rec.display_name;
  }
  return id.str();
}

void usage(CommandContext ctx) {
  const auto period = parse_period(ctx.line.raw);
  if (!period) {
    ctx.reply.usage("usage.bad_period", {{"period", std::string(text::trim(ctx.line.raw))}});
    return;
  }
  Services& s = ctx.services;
  UsageTracker tracker(s);
  const std::int64_t today = tracker.day_start_ms();
  const std::int64_t since = *period == "today"  ? today
                             : *period == "week" ? today - 6 * kMsPerDay
                                                 : today - 29 * kMsPerDay;
  auto& repo = s.store.usage();
  const UserId me = ctx.message.sender;
  auto mine = repo.totals(me, since);
  auto models = repo.by_model(me, since);
  if (!mine.is_ok() || !models.is_ok()) {
    ctx.reply.error("error.storage");
    return;
  }
  telegram::TextBuilder b;
  b.add(ctx.tr("usage.title." + *period), telegram::EntityType::kBold).line();
  if (mine->calls == 0) {
    b.line(ctx.tr("usage.none"));
  } else {
    add_totals(b, ctx, *mine);
    b.line().add(ctx.tr("usage.by_model"), telegram::EntityType::kBold).line();
    for (const auto& [model, t] : *models) {
      b.add("• ").add(model, telegram::EntityType::kCode);
      if (t.images > 0) {  // an image model: its images, not tokens
        b.line(" — " + ctx.tr("usage.images.model_line",
                              {{"images", std::to_string(t.images)},
                               {"cost", l10n::usd(ctx.lang, t.cost_micro_usd)}}));
        continue;
      }
      b.line(" — " + ctx.tr("usage.model_line", {{"tokens", std::to_string(t.tokens())},
                                                 {"cost", l10n::usd(ctx.lang, t.cost_micro_usd)}}));
    }
  }
  const BudgetCheck budget = tracker.check_budget(me, ctx.by_owner);
  if (budget.limit > 0) {
    b.line().line(ctx.tr("usage.budget", {{"used", std::to_string(budget.used)},
                                          {"limit", std::to_string(budget.limit)}}));
  }
  if (ctx.by_owner) {
    auto all = repo.totals(std::nullopt, since);
    auto users = repo.by_user(since);
    if (all.is_ok() && users.is_ok() && all->calls > mine->calls) {
      b.line().add(ctx.tr("usage.everyone"), telegram::EntityType::kBold).line();
      add_totals(b, ctx, *all);
      std::size_t shown = 0;
      for (const auto& [user, t] : *users) {
        if (shown++ == kTopUsers) break;
        b.line("• " + s.i18n.isolate_for(ctx.lang, user_label(s, user)) + " — " +
               ctx.tr("usage.model_line", {{"tokens", std::to_string(t.tokens())},
                                           {"cost", l10n::usd(ctx.lang, t.cost_micro_usd)}}));
      }
    }
  }
  b.line().add(ctx.tr("usage.estimate_note"), telegram::EntityType::kItalic);
  ctx.reply.ok(std::move(b).build());
}

}  // namespace

Status register_usage(Registry& registry) {
  return registry.add(CommandSpec{"usage", {}, "ai", Access::kFriends, {}, usage});
}

}  // namespace sakai::features
