#include "ai/image/worker_provider.h"

#include <nlohmann/json.hpp>
#include <utility>

#include "ai/image/image_wire.h"

namespace sakai::ai::image {
namespace {

using nlohmann::json;

class WorkerProvider final : public HttpImageProvider {
 public:
  WorkerProvider(ImageContext context, WorkerSettings s)
      : HttpImageProvider(context, KeyedHttpOptions{.provider = "worker",
                                                    .api_keys = s.api_keys,
                                                    .map_error = image_error_mapper("worker")}),
        s_(std::move(s)) {}

  [[nodiscard]] std::string name() const override { return "worker"; }
  [[nodiscard]] std::string default_model() const override {
    const auto all = models();
    for (const auto& m : all) {
      if (m == s_.model) return m;
    }
    return all.empty() ? "flux" : all.front();
  }
  [[nodiscard]] std::vector<std::string> models() const override {
    std::vector<std::string> out;
    if (!s_.flux_url.empty()) out.emplace_back("flux");
    if (!s_.sdxl_url.empty()) out.emplace_back("sdxl");
    return out;
  }
  [[nodiscard]] ImageCaps caps() const override {
    return ImageCaps{.negative_prompt = false, .seed = false, .max_count_per_request = 1};
  }

 protected:
  [[nodiscard]] PlannedRequest plan(const ImageRequest& request,
                                    const ImageRound& round) const override {
    PlannedRequest p;
    // A model without its URL (asked by name) goes to the other one.
    const bool sdxl = (round.model == "sdxl" && !s_.sdxl_url.empty()) || s_.flux_url.empty();
    if (sdxl) {
      p.request.method = "POST";
      p.request.url = s_.sdxl_url;
      p.request.headers.emplace_back("Content-Type", "application/json");
      p.request.body =
          json{{"prompt", request.prompt}}.dump(-1, ' ', false, json::error_handler_t::replace);
    } else {
      p.request.method = "GET";
      p.request.url = s_.flux_url + (s_.flux_url.find('?') == std::string::npos ? "?" : "&") +
                      "prompt=" + percent_encode(request.prompt);
      p.keyless = true;
    }
    return p;
  }

  [[nodiscard]] ImageParser parser(const ImageRequest&, const ImageRound&) const override {
    return [limits = context().limits](const net::HttpResponse& response) {
      return parse_raw_image(response, limits);
    };
  }

 private:
  WorkerSettings s_;
};

}  // namespace

std::unique_ptr<HttpImageProvider> make_worker_provider(ImageContext context,
                                                        WorkerSettings settings) {
  return std::make_unique<WorkerProvider>(context, std::move(settings));
}

}  // namespace sakai::ai::image
