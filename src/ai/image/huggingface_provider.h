#pragma once
// Hugging Face Inference (IMAGE-APIS.md): POST {base_url}/{model} with "Authorization: Bearer
// hf_…" and {"inputs": prompt, "parameters": {width, height, seed, negative_prompt}}.
// The answer is raw image bytes, or JSON {"data":[{"b64_json"}]} or {"output":["<url>"]} (the
// URL is fetched at once) — all three are read. While a model cold-starts the service answers
// 503 {"error":"… is currently loading","estimated_time":N}: the call reports ImageProgress and
// sends the request again after N seconds, as long as that fits in the deadline.
// Threading and ownership: see image_http.h.
#include <memory>
#include <string>
#include <vector>

#include "ai/image/image_http.h"

namespace sakai::ai::image {

struct HuggingFaceSettings {
  std::string base_url = "https://router.huggingface.co/hf-inference/models";
  std::vector<std::string> api_keys;
  std::string model;  // "" = black-forest-labs/FLUX.1-schnell
};

std::unique_ptr<HttpImageProvider> make_huggingface_provider(ImageContext context,
                                                             HuggingFaceSettings settings);

}  // namespace sakai::ai::image
