#pragma once
// Self-hosted image workers, as SakaiBot's later versions call them (IMAGE-APIS.md):
//   - flux: GET {flux_url}?prompt=<url-encoded prompt>, no key;
//   - sdxl: POST {sdxl_url} {"prompt": …} with "Authorization: Bearer <key>" (keys rotate).
// Both answer image bytes; errors are JSON {"error", "details"?}. The models are the URLs that
// are set. Threading and ownership: see image_http.h.
#include <memory>
#include <string>
#include <vector>

#include "ai/image/image_http.h"

namespace sakai::ai::image {

struct WorkerSettings {
  std::string flux_url;
  std::string sdxl_url;
  std::vector<std::string> api_keys;  // for sdxl
  std::string model;                  // "" = flux when flux_url is set, else sdxl
};

std::unique_ptr<HttpImageProvider> make_worker_provider(ImageContext context,
                                                        WorkerSettings settings);

}  // namespace sakai::ai::image
