#include "assistant/usage_tracker.h"

#include <charconv>
#include <cmath>

#include "ai/llm/provider.h"
#include "commands/command_spec.h"
#include "commands/services.h"
#include "core/text.h"

namespace sakai::assistant {

using commands::CommandContext;
using commands::Services;

namespace {

constexpr std::int64_t kMsPerDay = 86'400'000;

std::optional<double> parse_price(std::string_view s) {
  s = text::trim(s);
  if (!s.empty() && s.front() == '$') s.remove_prefix(1);
  if (s.empty()) return std::nullopt;
  double v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(v) || v < 0) {
    return std::nullopt;
  }
  return v;
}

constexpr std::string_view kImagePrefix = "image:";

// "image:openai/gpt-image-1=0.04" → {"openai/gpt-image-1", 0.04}.
std::optional<ImagePrice> parse_image_price(std::string_view entry) {
  entry = text::trim(entry).substr(kImagePrefix.size());
  const auto eq = entry.rfind('=');
  if (eq == std::string_view::npos) return std::nullopt;
  const auto name = text::trim(entry.substr(0, eq));
  const auto price = parse_price(entry.substr(eq + 1));
  if (name.empty() || !price) return std::nullopt;
  return ImagePrice{text::ascii_lower(name), *price};
}

}  // namespace

PriceTable PriceTable::parse(const std::vector<std::string>& entries,
                             std::vector<std::string>* bad) {
  PriceTable table;
  for (const auto& raw : entries) {
    const std::string entry = text::normalize_digits(raw);
    if (text::ascii_lower(text::trim(entry)).starts_with(kImagePrefix)) {
      if (auto price = parse_image_price(entry)) {
        table.image_entries_.push_back(std::move(*price));
      } else if (bad) {
        bad->push_back(raw);
      }
      continue;
    }
    const auto eq = entry.rfind('=');
    const auto slash = eq == std::string::npos ? std::string::npos : entry.find('/', eq);
    std::optional<double> in, out;
    if (slash != std::string::npos) {
      in = parse_price(std::string_view(entry).substr(eq + 1, slash - eq - 1));
      out = parse_price(std::string_view(entry).substr(slash + 1));
    }
    const auto name = eq == std::string::npos ? std::string_view()
                                              : text::trim(std::string_view(entry).substr(0, eq));
    if (!in || !out || name.empty()) {
      if (bad) bad->push_back(raw);
      continue;
    }
    table.entries_.push_back(ModelPrice{text::ascii_lower(name), *in, *out});
  }
  return table;
}

PriceTable PriceTable::from_config(const Config& config) {
  return parse(config.get_list("pricing.models"));
}

std::optional<ModelPrice> PriceTable::find(std::string_view model) const {
  std::string name = text::ascii_lower(text::trim(model));
  while (!name.empty()) {
    const ModelPrice* best = nullptr;
    std::size_t best_len = 0;
    for (const auto& e : entries_) {
      if (e.pattern == name) return e;
      if (!e.pattern.empty() && e.pattern.back() == '*') {
        const std::string_view prefix = std::string_view(e.pattern).substr(0, e.pattern.size() - 1);
        if (name.starts_with(prefix) && prefix.size() >= best_len) {
          best = &e;
          best_len = prefix.size();
        }
      }
    }
    if (best) return *best;
    const auto slash = name.find('/');
    if (slash == std::string::npos) break;
    name.erase(0, slash + 1);
  }
  return std::nullopt;
}

std::int64_t PriceTable::cost_micro_usd(std::string_view model, const ai::Usage& usage) const {
  const auto price = find(model);
  if (!price) return 0;
  // USD per 1M tokens == micro-USD per token.
  const double micro =
      static_cast<double>(usage.input_tokens) * price->input_per_million +
      static_cast<double>(usage.output_tokens + usage.thinking_tokens) * price->output_per_million;
  return static_cast<std::int64_t>(std::llround(micro));
}

std::optional<ImagePrice> PriceTable::find_image(std::string_view provider,
                                                 std::string_view model) const {
  const std::string p = text::ascii_lower(text::trim(provider));
  const std::string m = text::ascii_lower(text::trim(model));
  std::vector<std::string> names;
  if (!p.empty() && !m.empty()) names.push_back(p + "/" + m);
  if (!m.empty()) names.push_back(m);
  if (!p.empty()) names.push_back(p);
  for (const auto& name : names) {
    const ImagePrice* best = nullptr;
    std::size_t best_len = 0;
    for (const auto& e : image_entries_) {
      if (e.pattern == name) return e;
      if (!e.pattern.empty() && e.pattern.back() == '*') {
        const std::string_view prefix = std::string_view(e.pattern).substr(0, e.pattern.size() - 1);
        if (name.starts_with(prefix) && prefix.size() >= best_len) {
          best = &e;
          best_len = prefix.size();
        }
      }
    }
    if (best) return *best;
  }
  return std::nullopt;
}

std::int64_t PriceTable::image_cost_micro_usd(std::string_view provider, std::string_view model,
                                              std::int64_t images) const {
  const auto price = find_image(provider, model);
  if (!price || images <= 0) return 0;
  return static_cast<std::int64_t>(
      std::llround(static_cast<double>(images) * price->per_image * 1e6));
}

UsageTracker::UsageTracker(Services& services)
    : services_(services), prices_(PriceTable::from_config(services.config)) {}

std::int64_t UsageTracker::day_start_ms() const {
  const std::int64_t now = to_unix_ms(services_.clock.wall_now());
  return now - (((now % kMsPerDay) + kMsPerDay) % kMsPerDay);
}

BudgetCheck UsageTracker::check_budget(UserId user, bool is_owner) const {
  BudgetCheck check;
  check.limit = services_.config.get_int("budget.daily_tokens_per_user");
  if (check.limit <= 0 || is_owner || user == services_.transport.self_id()) {
    check.limit = 0;
    return check;
  }
  auto totals = services_.store.usage().totals(user, day_start_ms());
  if (!totals.is_ok()) {
    // Failing open: a storage hiccup must not lock friends out; it is logged.
    services_.log.warn("usage", "could not read today's usage",
                       {{"error", totals.status().to_string()}});
    return check;
  }
  check.used = totals->tokens();
  check.allowed = check.used < check.limit;
  return check;
}

bool UsageTracker::refuse_if_over_budget(CommandContext& ctx) const {
  const BudgetCheck check = check_budget(ctx.message.sender, ctx.by_owner);
  if (check.allowed) return false;
  ctx.reply.error("usage.budget_exceeded",
                  {{"used", std::to_string(check.used)}, {"limit", std::to_string(check.limit)}});
  return true;
}

void UsageTracker::record(UserId user, ChatId chat, std::string_view command,
                          const ai::ChatResult& result) const {
  storage::UsageRecord r;
  r.ts_ms = to_unix_ms(services_.clock.wall_now());
  r.user = user;
  r.chat = chat;
  r.command = std::string(command);
  r.provider = result.provider;
  r.model = result.model;
  if (r.model.empty() && services_.llm != nullptr) r.model = services_.llm->default_model();
  r.input_tokens = result.usage.input_tokens;
  r.output_tokens = result.usage.output_tokens;
  r.thinking_tokens = result.usage.thinking_tokens;
  r.cost_micro_usd = prices_.cost_micro_usd(r.model, result.usage);
  if (auto st = services_.store.usage().append(r); !st.is_ok()) {
    services_.log.warn("usage", "could not record LLM usage", {{"error", st.to_string()}});
  }
}

void UsageTracker::record(const CommandContext& ctx, std::string_view command,
                          const ai::ChatResult& result) const {
  record(ctx.message.sender, ctx.message.chat, command, result);
}

BudgetCheck UsageTracker::check_image_quota(UserId user, bool is_owner, std::int64_t pending,
                                            std::int64_t asked) const {
  BudgetCheck check;
  check.limit = services_.config.get_int("image.daily_quota");
  if (check.limit <= 0 || is_owner || user == services_.transport.self_id()) {
    check.limit = 0;
    return check;
  }
  check.used = pending;
  auto totals = services_.store.usage().totals(user, day_start_ms());
  if (totals.is_ok()) {
    check.used += totals->images;
  } else {
    // Failing open, as the token budget does: logged.
    services_.log.warn("usage", "could not read today's images",
                       {{"error", totals.status().to_string()}});
  }
  check.allowed = check.used + asked <= check.limit;
  return check;
}

void UsageTracker::record_images(UserId user, ChatId chat, std::string_view command,
                                 std::string_view provider, std::string_view model,
                                 std::int64_t images) const {
  storage::UsageRecord r;
  r.ts_ms = to_unix_ms(services_.clock.wall_now());
  r.user = user;
  r.chat = chat;
  r.command = std::string(command);
  r.provider = std::string(provider);
  r.model = std::string(model);
  r.images = images;
  r.cost_micro_usd = prices_.image_cost_micro_usd(provider, model, images);
  if (auto st = services_.store.usage().append(r); !st.is_ok()) {
    services_.log.warn("usage", "could not record image usage", {{"error", st.to_string()}});
  }
}

}  // namespace sakai::assistant
