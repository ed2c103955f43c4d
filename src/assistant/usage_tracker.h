#pragma once
// Usage and cost accounting of LLM calls, and the per-user daily token budget.
//
//   UsageTracker usage(ctx.services);
//   if (usage.refuse_if_over_budget(ctx)) return;  // before the call: answers the refusal
//   ... services.llm->chat(...) ... when it succeeds:
//   usage.record(ctx, "prompt", outcome.result());  // provider, model, tokens, cost
//
// Prices come from [pricing] models = ["model=input/output", ...] (USD per 1M tokens; thinking
// tokens are billed as output; "prefix*" matches by prefix; unlisted models cost 0) and, for
// images, "image:<provider>/<model>=price", "image:<model>=price" or "image:<provider>=price"
// (USD per image). Budgets from [budget] daily_tokens_per_user (0 = unlimited, the owner exempt),
// counted per UTC day; the image quota from [image] daily_quota (images per friend and UTC day).
// Stateless apart from the parsed price table: build one wherever it is needed.
// Thread-safety: event loop thread (it uses the store).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ai/llm/chat.h"
#include "core/config.h"
#include "core/ids.h"

namespace sakai::commands {
struct Services;
struct CommandContext;
}  // namespace sakai::commands

namespace sakai::assistant {

struct ModelPrice {
  std::string pattern;  // a model name, or "prefix*"
  double input_per_million = 0;
  double output_per_million = 0;
};

struct ImagePrice {
  std::string pattern;  // "openai/gpt-image-1", "gpt-image-1", "pollinations", "prefix*"
  double per_image = 0;
};

class PriceTable {
 public:
  // Entries "model=input/output" ("gemini-2.5-flash=0.30/2.50") and "image:<name>=price"
  // ("image:openai/gpt-image-1=0.04"); malformed ones are skipped and listed in `bad` when given.
  static PriceTable parse(const std::vector<std::string>& entries,
                          std::vector<std::string>* bad = nullptr);
  static PriceTable from_config(const Config& config);

  // Exact name first, then the longest matching prefix pattern; "models/" and "provider/" path
  // prefixes of the asked model are tried too ("models/gemini-2.5-flash").
  [[nodiscard]] std::optional<ModelPrice> find(std::string_view model) const;
  [[nodiscard]] std::int64_t cost_micro_usd(std::string_view model, const ai::Usage& usage) const;
  [[nodiscard]] const std::vector<ModelPrice>& entries() const { return entries_; }

  // The price of one image of `model` from `provider`: "provider/model" first, then "model",
  // then "provider"; for each, the exact name before the longest matching "prefix*".
  [[nodiscard]] std::optional<ImagePrice> find_image(std::string_view provider,
                                                     std::string_view model) const;
  [[nodiscard]] std::int64_t image_cost_micro_usd(std::string_view provider, std::string_view model,
                                                  std::int64_t images) const;
  [[nodiscard]] const std::vector<ImagePrice>& image_entries() const { return image_entries_; }

 private:
  std::vector<ModelPrice> entries_;
  std::vector<ImagePrice> image_entries_;
};

struct BudgetCheck {
  bool allowed = true;
  std::int64_t used = 0;   // tokens used today (UTC)
  std::int64_t limit = 0;  // 0: unlimited
};

class UsageTracker {
 public:
  explicit UsageTracker(commands::Services& services);

  // Whether `user` may start another LLM call today. The owner is always allowed.
  [[nodiscard]] BudgetCheck check_budget(UserId user, bool is_owner) const;
  // Answers ctx.reply with the localised refusal (usage.budget_exceeded) and returns true when
  // the sender is over budget; otherwise returns false and leaves the reply alone.
  bool refuse_if_over_budget(commands::CommandContext& ctx) const;

  // Records one finished call (model falls back to the provider's default when the result
  // does not name it). A storage failure is logged, never shown to the user.
  void record(UserId user, ChatId chat, std::string_view command,
              const ai::ChatResult& result) const;
  void record(const commands::CommandContext& ctx, std::string_view command,
              const ai::ChatResult& result) const;

  // Whether `user` may have `asked` more images made today (UTC), `pending` of theirs being
  // queued or drawn already: [image] daily_quota images per friend (0 = unlimited); the owner is
  // always allowed. `used` counts the images made today and the pending ones.
  [[nodiscard]] BudgetCheck check_image_quota(UserId user, bool is_owner, std::int64_t pending,
                                              std::int64_t asked) const;
  // Records one image request that made `images` images, with their cost from the price table.
  // A storage failure is logged, never shown to the user.
  void record_images(UserId user, ChatId chat, std::string_view command, std::string_view provider,
                     std::string_view model, std::int64_t images) const;

  [[nodiscard]] const PriceTable& prices() const { return prices_; }
  // The first Unix millisecond of the current UTC day.
  [[nodiscard]] std::int64_t day_start_ms() const;

 private:
  commands::Services& services_;
  PriceTable prices_;
};

}  // namespace sakai::assistant
