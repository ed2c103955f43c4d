#pragma once
// The image chain from the configuration (docs/IMAGES.md):
//   [image] provider     the primary: pollinations (default), huggingface, openai, gemini,
//                        cloudflare or worker
//   [image] fallback     providers tried after it, in order ("none" ends the list)
//   [image] model        the primary's model ("" = its section's or built-in default)
//   [pollinations] base_url / legacy_url / api_keys / model
//   [huggingface] base_url / api_keys / model
//   [openai] base_url / api_keys / images_model     (the LLM section's server and keys)
//   [gemini] base_url / api_keys / images_model     (the LLM section's keys)
//   [cloudflare] base_url / account_id / api_keys / model
//   [worker] flux_url / sdxl_url / api_keys
// A provider that is not set up (no key where one is needed, no URL) is left out of the chain;
// Pollinations needs nothing.
// Threading: build on the event loop thread. Ownership: the HttpClient, Clock, WorkerPool and
// EventLoop must outlive what is built.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ai/image/image_chain.h"
#include "ai/image/image_http.h"
#include "core/config.h"
#include "core/worker_pool.h"
#include "net/http_client.h"

namespace sakai::ai::image {

// Every provider name [image] provider accepts.
const std::vector<std::string>& image_provider_names();

// Whether `name` has what it needs in `config` (a key, an account, a URL).
bool image_provider_configured(const Config& config, std::string_view name);

// The chain's names: [image] provider, then [image] fallback up to "none", without duplicates,
// keeping only configured providers.
std::vector<std::string> image_chain_names(const Config& config);

// One provider from the configuration; nullptr for an unknown name. `primary`: [image] model
// applies to it.
std::unique_ptr<ImageProvider> make_image_member(const Config& config, std::string_view name,
                                                 ImageContext context, bool primary);

std::unique_ptr<ImageChain> make_image_provider(const Config& config, net::HttpClient& http,
                                                const Clock& clock, WorkerPool& workers,
                                                EventLoop& loop, ImageChainOptions options = {});

}  // namespace sakai::ai::image
