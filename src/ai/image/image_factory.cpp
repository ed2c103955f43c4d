#include "ai/image/image_factory.h"

#include <algorithm>
#include <utility>

#include "ai/image/cloudflare_provider.h"
#include "ai/image/gemini_image_provider.h"
#include "ai/image/huggingface_provider.h"
#include "ai/image/openai_image_provider.h"
#include "ai/image/pollinations_provider.h"
#include "ai/image/worker_provider.h"
#include "core/text.h"
#include "net/url.h"

namespace sakai::ai::image {
namespace {

std::vector<std::string> keys_of(const Config& config, const std::string& dotted) {
  std::vector<std::string> out;
  for (const auto& key : config.get_list(dotted)) {
    const std::string_view trimmed = text::trim(key);
    if (!trimmed.empty()) out.emplace_back(trimmed);
  }
  return out;
}

std::string trimmed(const Config& config, const std::string& dotted) {
  return std::string(text::trim(config.get_string(dotted)));
}

// [image] model for the primary, else the section's own.
std::string model_for(const Config& config, bool primary, const std::string& section_key) {
  if (primary) {
    std::string m = trimmed(config, "image.model");
    if (!m.empty()) return m;
  }
  return section_key.empty() ? std::string() : trimmed(config, section_key);
}

bool is_loopback(const std::string& url) {
  const auto parsed = net::parse_url(url);
  return parsed && parsed->is_loopback();
}

}  // namespace

const std::vector<std::string>& image_provider_names() {
  static const std::vector<std::string> kNames = {"pollinations", "huggingface", "openai",
                                                  "gemini",       "cloudflare",  "worker"};
  return kNames;
}

bool image_provider_configured(const Config& config, std::string_view name) {
  if (name == "pollinations") return true;
  if (name == "huggingface") return !keys_of(config, "huggingface.api_keys").empty();
  if (name == "openai") {
    return !keys_of(config, "openai.api_keys").empty() ||
           is_loopback(trimmed(config, "openai.base_url"));
  }
  if (name == "gemini") return !keys_of(config, "gemini.api_keys").empty();
  if (name == "cloudflare") {
    return !trimmed(config, "cloudflare.account_id").empty() &&
           !keys_of(config, "cloudflare.api_keys").empty();
  }
  if (name == "worker") {
    return !trimmed(config, "worker.flux_url").empty() ||
           !trimmed(config, "worker.sdxl_url").empty();
  }
  return false;
}

std::vector<std::string> image_chain_names(const Config& config) {
  std::vector<std::string> wanted;
  const auto want = [&](const std::string& n) {
    if (std::find(wanted.begin(), wanted.end(), n) == wanted.end()) wanted.push_back(n);
  };
  want(text::ascii_lower(text::trim(config.get_string("image.provider"))));
  for (const auto& f : config.get_list("image.fallback")) {
    const std::string n = text::ascii_lower(text::trim(f));
    if (n == "none") break;
    if (!n.empty()) want(n);
  }
  std::vector<std::string> out;
  for (const auto& n : wanted) {
    if (image_provider_configured(config, n)) out.push_back(n);
  }
  return out;
}

std::unique_ptr<ImageProvider> make_image_member(const Config& config, std::string_view name,
                                                 ImageContext context, bool primary) {
  if (name == "pollinations") {
    PollinationsSettings s;
    s.base_url = trimmed(config, "pollinations.base_url");
    s.legacy_url = trimmed(config, "pollinations.legacy_url");
    s.api_keys = keys_of(config, "pollinations.api_keys");
    s.model = model_for(config, primary, "pollinations.model");
    return make_pollinations_provider(context, std::move(s));
  }
  if (name == "huggingface") {
    HuggingFaceSettings s;
    s.base_url = trimmed(config, "huggingface.base_url");
    s.api_keys = keys_of(config, "huggingface.api_keys");
    s.model = model_for(config, primary, "huggingface.model");
    return make_huggingface_provider(context, std::move(s));
  }
  if (name == "openai") {
    OpenAiImageSettings s;
    s.base_url = trimmed(config, "openai.base_url");
    s.api_keys = keys_of(config, "openai.api_keys");
    s.model = model_for(config, primary, "openai.images_model");
    return make_openai_image_provider(context, std::move(s));
  }
  if (name == "gemini") {
    GeminiImageSettings s;
    s.base_url = trimmed(config, "gemini.base_url");
    s.api_keys = keys_of(config, "gemini.api_keys");
    s.model = model_for(config, primary, "gemini.images_model");
    return make_gemini_image_provider(context, std::move(s));
  }
  if (name == "cloudflare") {
    CloudflareSettings s;
    s.base_url = trimmed(config, "cloudflare.base_url");
    s.account_id = trimmed(config, "cloudflare.account_id");
    s.api_keys = keys_of(config, "cloudflare.api_keys");
    s.model = model_for(config, primary, "cloudflare.model");
    return make_cloudflare_provider(context, std::move(s));
  }
  if (name == "worker") {
    WorkerSettings s;
    s.flux_url = trimmed(config, "worker.flux_url");
    s.sdxl_url = trimmed(config, "worker.sdxl_url");
    s.api_keys = keys_of(config, "worker.api_keys");
    s.model = model_for(config, primary, "");
    return make_worker_provider(context, std::move(s));
  }
  return nullptr;
}

std::unique_ptr<ImageChain> make_image_provider(const Config& config, net::HttpClient& http,
                                                const Clock& clock, WorkerPool& workers,
                                                EventLoop& loop, ImageChainOptions options) {
  ImageContext context{
      .http = &http, .clock = &clock, .workers = &workers, .loop = &loop, .limits = ImageLimits{}};
  std::vector<std::unique_ptr<ImageProvider>> members;
  // [image] model belongs to [image] provider, also when that one is not set up.
  const std::string primary = text::ascii_lower(text::trim(config.get_string("image.provider")));
  for (const auto& n : image_chain_names(config)) {
    if (auto p = make_image_member(config, n, context, n == primary))
      members.push_back(std::move(p));
  }
  return std::make_unique<ImageChain>(std::move(members), loop, options);
}

}  // namespace sakai::ai::image
