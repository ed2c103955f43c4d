#include "ai/image/pollinations_provider.h"

#include <algorithm>
#include <utility>

#include "ai/image/image_wire.h"

namespace sakai::ai::image {
namespace {

class PollinationsProvider final : public HttpImageProvider {
 public:
  PollinationsProvider(ImageContext context, PollinationsSettings s)
      : HttpImageProvider(context,
                          KeyedHttpOptions{.provider = "pollinations",
                                           .api_keys = s.api_keys,
                                           .map_error = image_error_mapper("pollinations")}),
        s_(std::move(s)) {}

  [[nodiscard]] std::string name() const override { return "pollinations"; }
  [[nodiscard]] std::string default_model() const override {
    return s_.model.empty() ? "flux" : s_.model;
  }
  // As listed by GET /image/models (the list changes; any other name is refused by the feature,
  // so a new model is set with [image] model or [pollinations] model).
  [[nodiscard]] std::vector<std::string> models() const override {
    std::vector<std::string> out = {"flux",     "turbo",      "kontext", "gptimage",
                                    "seedream", "nanobanana", "zimage"};
    if (std::find(out.begin(), out.end(), default_model()) == out.end()) {
      out.insert(out.begin(), default_model());
    }
    return out;
  }
  [[nodiscard]] ImageCaps caps() const override {
    return ImageCaps{.negative_prompt = true, .seed = true, .max_count_per_request = 1};
  }

 protected:
  [[nodiscard]] PlannedRequest plan(const ImageRequest& request,
                                    const ImageRound& round) const override {
    PlannedRequest p;
    p.request.method = "GET";
    const bool legacy = round.alternate || keyed().keys().empty();
    std::string query = "model=" + percent_encode(round.model) +
                        "&width=" + std::to_string(request.width) +
                        "&height=" + std::to_string(request.height);
    if (round.seed) query += "&seed=" + std::to_string(*round.seed);
    // SakaiBot enhances prompts itself; the service must not rewrite them again.
    query += "&enhance=false&nologo=true&private=true";
    if (legacy) {
      p.request.url =
          trim_base_url(s_.legacy_url) + "/prompt/" + percent_encode(request.prompt) + "?" + query;
      p.keyless = true;
    } else {
      if (!request.negative_prompt.empty()) {
        query += "&negative_prompt=" + percent_encode(request.negative_prompt);
      }
      p.request.url =
          trim_base_url(s_.base_url) + "/image/" + percent_encode(request.prompt) + "?" + query;
    }
    p.request.headers.emplace_back("Accept", "image/jpeg, image/png, image/webp, application/json");
    return p;
  }

  [[nodiscard]] ImageParser parser(const ImageRequest&, const ImageRound&) const override {
    return [limits = context().limits](const net::HttpResponse& response) {
      return parse_raw_image(response, limits);
    };
  }

  [[nodiscard]] std::optional<Recovery> recover(const ApiError& error, ImageRound& round,
                                                Clock::Duration) const override {
    // Every key was refused by the gateway: the legacy endpoint, once.
    if (!round.alternate && error.kind == ApiErrorKind::kAuth && error.http_status == 401) {
      round.alternate = true;
      return Recovery{};
    }
    return std::nullopt;
  }

 private:
  PollinationsSettings s_;
};

}  // namespace

std::unique_ptr<HttpImageProvider> make_pollinations_provider(ImageContext context,
                                                              PollinationsSettings settings) {
  return std::make_unique<PollinationsProvider>(context, std::move(settings));
}

}  // namespace sakai::ai::image
