#pragma once
// Pollinations (IMAGE-APIS.md): the default image provider, usable without a key.
//   - With keys: the gateway, GET {base_url}/image/{prompt}?model&width&height&seed&
//     negative_prompt&enhance=false&nologo=true&private=true with "Authorization: Bearer <key>"
//     (keys rotate on 429/401/403). When every key gets a 401 (the gateway has answered 401 to
//     valid keys, pollinations issue #9873) the call falls back to the legacy endpoint.
//   - Without a key: the legacy endpoint at once, GET {legacy_url}/prompt/{prompt}?width&height&
//     seed&model&nologo=true&private=true&enhance=false, anonymous (about one image per 5 s per
//     IP).
// Success is the image bytes; errors are JSON {"status","success":false,"error":{"code",
// "message"}}. Threading and ownership: see image_http.h.
#include <memory>
#include <string>
#include <vector>

#include "ai/image/image_http.h"

namespace sakai::ai::image {

struct PollinationsSettings {
  std::string base_url = "https://gen.pollinations.ai";
  std::string legacy_url = "https://image.pollinations.ai";
  std::vector<std::string> api_keys;
  std::string model;  // "" = flux
};

std::unique_ptr<HttpImageProvider> make_pollinations_provider(ImageContext context,
                                                              PollinationsSettings settings);

}  // namespace sakai::ai::image
