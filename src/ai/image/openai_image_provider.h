#pragma once
// Any OpenAI-compatible POST {base_url}/images/generations (IMAGE-APIS.md): {"model", "prompt",
// "n", "size"} → {"data":[{"b64_json"} or {"url"}, "revised_prompt"?]}. Several images come from
// one request (n; DALL·E 3 makes one per request). A url answer is fetched at once (OpenAI's
// expire after an hour; an expired one is kUnavailable, image_url_expired). Sizes are snapped to
// what OpenAI's models accept (gpt-image-*: 1024x1024, 1536x1024, 1024x1536; dall-e-3: 1024x1024,
// 1792x1024, 1024x1792; dall-e-2: 256, 512 or 1024 square); other models get WxH as asked.
// Refusals (content_policy_violation, moderation_blocked) are kSafetyBlocked.
// Threading and ownership: see image_http.h.
#include <memory>
#include <string>
#include <vector>

#include "ai/image/image_http.h"

namespace sakai::ai::image {

struct OpenAiImageSettings {
  std::string base_url = "https://api.openai.com/v1";
  std::vector<std::string> api_keys;  // none: a keyless local server
  std::string model;                  // "" = gpt-image-1
};

std::unique_ptr<HttpImageProvider> make_openai_image_provider(ImageContext context,
                                                              OpenAiImageSettings settings);

// The `size` sent for `model` and a wanted width × height.
std::string openai_image_size(const std::string& model, int width, int height);

}  // namespace sakai::ai::image
