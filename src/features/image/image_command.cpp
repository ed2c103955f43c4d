// /imagine=<prompt> (aliases /img, /image; /image=<model>=<prompt>): checks what was asked —
// prompt, size, count, seed, model, provider, the friend's daily quota, their share of the queue —
// and queues it (image_queue.h). Every refusal names what would be accepted.
#include <algorithm>

#include "ai/image/image_factory.h"
#include "assistant/usage_tracker.h"
#include "commands/registry.h"
#include "commands/services.h"
#include "core/text.h"
#include "features/image/image_args.h"
#include "features/image/image_state.h"
#include "features/image/image_texts.h"

namespace sakai::features {

using commands::Access;
using commands::CommandContext;
using commands::CommandSpec;
using commands::Registry;
using commands::Services;

namespace {

// The most characters of a description (with a replied message's text): image models read a
// few hundred words at most.
constexpr std::size_t kMaxPromptChars = 1000;
constexpr int kMaxCount = 4;

std::string lower(std::string_view s) {
  return text::ascii_lower(text::trim(s));
}

std::string joined(const std::vector<std::string>& names) {
  return names.empty() ? std::string("-") : text::join(names, ", ");
}

// The model name as the provider spells it, or nullopt when it offers no such model (a provider
// that lists none takes any name).
std::optional<std::string> known_model(const ai::image::ImageProvider& provider,
                                       const std::string& asked) {
  const auto models = provider.models();
  if (models.empty()) return asked;
  for (const auto& m : models) {
    if (lower(m) == lower(asked)) return m;
  }
  return std::nullopt;
}

void imagine(CommandContext ctx, ImageQueue* queue) {
  Services& s = ctx.services;
  if (queue == nullptr) {
    ctx.reply.error("image.error.unavailable", {{"detail", "no image provider"}});
    return;
  }
  ai::image::ImageChain& chain = queue->chain();
  const ImageArgs args = parse_image_args(ctx.line, chain.models());

  std::string prompt = args.prompt;
  if (ctx.replied) {  // a reply: the replied text is the prompt, or follows it
    const std::string quoted(text::trim(ctx.replied->text));
    if (!quoted.empty()) prompt = prompt.empty() ? quoted : prompt + "\n" + quoted;
  }
  if (text::trim(prompt).empty()) {
    ctx.reply.usage("image.error.empty");
    return;
  }
  if (const std::size_t chars = text::codepoint_count(prompt); chars > kMaxPromptChars) {
    ctx.reply.error("image.error.too_long",
                    {{"chars", std::to_string(chars)}, {"limit", std::to_string(kMaxPromptChars)}});
    return;
  }

  ImageJobSpec spec;
  // provider=: one of the chain's members.
  const ai::image::ImageProvider* provider = &chain;
  if (args.provider) {
    const std::string name = lower(*args.provider);
    const auto& all = ai::image::image_provider_names();
    if (std::find(all.begin(), all.end(), name) == all.end()) {
      ctx.reply.error("image.error.unknown_provider",
                      {{"provider", *args.provider}, {"providers", joined(all)}});
      return;
    }
    provider = chain.find(name);
    if (provider == nullptr) {
      ctx.reply.error("image.error.provider_off", {{"provider", image_provider_display_name(name)},
                                                   {"providers", joined(chain.names())}});
      return;
    }
    spec.provider = name;
  }
  if (args.model) {
    const auto model = known_model(*provider, *args.model);
    if (!model) {
      ctx.reply.error("image.error.unknown_model",
                      {{"provider", image_provider_display_name(provider->name())},
                       {"model", *args.model},
                       {"models", joined(provider->models())}});
      return;
    }
    spec.model = *model;
  }
  ImageSize size;
  if (args.size) {
    const auto asked = parse_image_size(*args.size);
    if (!asked) {
      ctx.reply.error("image.error.bad_size",
                      {{"size", *args.size}, {"choices", image_size_choices()}});
      return;
    }
    size = *asked;
  } else if (const auto configured = parse_image_size(s.config.get_string("image.size"))) {
    size = *configured;
  }
  if (args.count) {
    const auto n = text::parse_int(*args.count);
    if (!n || *n < 1 || *n > kMaxCount) {
      ctx.reply.error("image.error.bad_count",
                      {{"count", *args.count}, {"max", std::to_string(kMaxCount)}});
      return;
    }
    spec.count = static_cast<int>(*n);
  }
  if (args.seed) {
    const auto seed = text::parse_int(*args.seed);
    if (!seed || *seed > 4'294'967'295LL) {
      ctx.reply.error("image.error.bad_seed", {{"seed", *args.seed}});
      return;
    }
    spec.seed = *seed;
  }

  spec.chat = ctx.message.chat;
  spec.user = ctx.message.sender;
  spec.request = ctx.message.id;
  spec.by_owner = ctx.by_owner;
  spec.prompt = std::move(prompt);
  spec.negative = args.negative.value_or("");
  spec.width = size.width;
  spec.height = size.height;
  spec.enhance = !args.raw;
  spec.lang = ctx.lang;

  if (queue->full(spec.user, queue->lane_of(spec))) {
    ctx.reply.error("image.error.queue_full",
                    {{"count", std::to_string(ImageQueue::kMaxWaitingPerUser)}});
    return;
  }
  const assistant::BudgetCheck quota = assistant::UsageTracker(s).check_image_quota(
      spec.user, ctx.by_owner, queue->pending_images(spec.user), spec.count);
  if (!quota.allowed) {
    ctx.reply.error("image.error.quota",
                    {{"used", std::to_string(quota.used)}, {"limit", std::to_string(quota.limit)}});
    return;
  }
  queue->submit(std::move(spec), std::move(ctx.reply));
}

}  // namespace

Status register_image_commands(Registry& registry, const std::shared_ptr<ImageState>& state) {
  return registry.add(CommandSpec{
      "imagine", {"img", "image"}, "image", Access::kFriends, {}, [state](CommandContext ctx) {
        imagine(std::move(ctx), state->queue.get());
      }});
}

}  // namespace sakai::features
