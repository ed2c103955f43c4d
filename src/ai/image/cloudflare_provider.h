#pragma once
// Cloudflare Workers AI (IMAGE-APIS.md): POST {base_url}/accounts/{account_id}/ai/run/{model}
// with a Bearer token.
//   - flux (@cf/black-forest-labs/flux-1-schnell): {"prompt", "steps": 4, "seed"} →
//     {"result":{"image":"<base64 JPEG>"},"success":true,"errors":[],"messages":[]};
//   - sdxl (@cf/stabilityai/stable-diffusion-xl-base-1.0): {"prompt", "negative_prompt",
//     "width", "height" (256–2048), "num_steps": 20, "seed"} → raw PNG bytes.
// Any other "@cf/…" model id is sent as is and its answer read in either form. Errors:
// {"success":false,"errors":[{"code","message"}]}. Threading and ownership: see image_http.h.
#include <memory>
#include <string>
#include <vector>

#include "ai/image/image_http.h"

namespace sakai::ai::image {

struct CloudflareSettings {
  std::string base_url = "https://api.cloudflare.com/client/v4";
  std::string account_id;
  std::vector<std::string> api_keys;
  std::string model;  // "" = flux; "flux", "sdxl" or a full "@cf/…" id
};

std::unique_ptr<HttpImageProvider> make_cloudflare_provider(ImageContext context,
                                                            CloudflareSettings settings);

// "flux" and "sdxl" to their Workers AI ids; other names unchanged.
std::string cloudflare_model_id(const std::string& model);

}  // namespace sakai::ai::image
