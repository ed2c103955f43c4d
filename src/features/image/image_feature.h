#pragma once
// The image feature: /imagine (aliases /img and /image) draws what the user describes, through
// the configured image providers (ai/image: Pollinations, Hugging Face, OpenAI-compatible,
// Gemini, Cloudflare, self-hosted workers), with the chat's LLM writing the detailed prompt, a
// fair and persistent queue (image_queue.h), a per-friend daily quota and the images counted in
// /usage. Its door: the app's feature table (features/all_features.cpp) installs it on every
// account's registry.
//
// Per account, the feature makes its queue (and the provider chain) when the engine starts —
// requests an earlier run left unfinished are queued again — and releases it when the engine
// stops; deleting a request, or /cancel in reply to it (its cancel hook), cancels it.
#include <functional>
#include <memory>

#include "ai/image/image_chain.h"
#include "commands/registry.h"

namespace sakai::features {

struct ImageOptions {
  // Makes the providers when the engine starts. Unset: the configured chain
  // (ai::image::make_image_provider). Null: /imagine answers that images are unavailable.
  std::function<std::unique_ptr<ai::image::ImageChain>(commands::Services&)> providers;
};

// With the configured providers.
Status install_image_feature(commands::Registry& registry);
Status install_image_feature_with(commands::Registry& registry, ImageOptions options);

}  // namespace sakai::features
