#include "ai/image/huggingface_provider.h"

#include <nlohmann/json.hpp>
#include <utility>

#include "ai/http/json_fields.h"
#include "ai/image/image_wire.h"

namespace sakai::ai::image {
namespace {

using nlohmann::json;

// Waits for a loading model at most this often in one call.
constexpr int kMaxLoadingWaits = 6;
// When the 503 gives no estimated_time.
constexpr auto kDefaultLoadingWait = std::chrono::seconds(10);

// Each path segment of a model id ("org/name") encoded on its own.
std::string model_path(std::string_view model) {
  std::string out;
  std::size_t start = 0;
  while (start <= model.size()) {
    const auto slash = model.find('/', start);
    const auto end = slash == std::string_view::npos ? model.size() : slash;
    if (!out.empty()) out += '/';
    out += percent_encode(model.substr(start, end - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return out;
}

ParsedImages parse_answer(const net::HttpResponse& response, const ImageLimits& limits) {
  const auto type = response.headers.find("content-type");
  const bool is_json =
      (type != response.headers.end() && type->second.find("json") != std::string::npos) ||
      response.body.starts_with("{");
  if (!is_json) return parse_raw_image(response, limits);
  const json j = json::parse(response.body, nullptr, false);
  ParsedImages out;
  if (const auto* data = member(j, "data"); data && data->is_array()) {
    for (const auto& item : *data) {
      const std::string b64 = string_field(item, "b64_json");
      const std::string url = string_field(item, "url");
      if (!b64.empty()) {
        auto img = check_base64_image(b64, "", limits);
        if (!img.ok()) {
          out.error = std::move(img.error());
          return out;
        }
        out.images.push_back(std::move(img.value()));
      } else if (!url.empty()) {
        out.urls.push_back(url);
      }
    }
  }
  if (const auto* output = member(j, "output"); output && output->is_array()) {
    for (const auto& item : *output) {
      if (item.is_string()) out.urls.push_back(item.get<std::string>());
    }
  } else if (output && output->is_string()) {
    out.urls.push_back(output->get<std::string>());
  }
  if (out.images.empty() && out.urls.empty()) {
    // {"error": ...} with status 200, or JSON of another shape: said plainly.
    return parse_raw_image(response, limits);
  }
  return out;
}

class HuggingFaceProvider final : public HttpImageProvider {
 public:
  HuggingFaceProvider(ImageContext context, HuggingFaceSettings s)
      : HttpImageProvider(context,
                          KeyedHttpOptions{.provider = "huggingface",
                                           .api_keys = s.api_keys,
                                           .map_error = image_error_mapper("huggingface")}),
        s_(std::move(s)) {}

  [[nodiscard]] std::string name() const override { return "huggingface"; }
  [[nodiscard]] std::string default_model() const override {
    return s_.model.empty() ? "black-forest-labs/FLUX.1-schnell" : s_.model;
  }
  // Any model id on the Hub.
  [[nodiscard]] std::vector<std::string> models() const override { return {}; }
  [[nodiscard]] ImageCaps caps() const override {
    return ImageCaps{.negative_prompt = true, .seed = true, .max_count_per_request = 1};
  }

 protected:
  [[nodiscard]] PlannedRequest plan(const ImageRequest& request,
                                    const ImageRound& round) const override {
    PlannedRequest p;
    p.request.method = "POST";
    p.request.url = trim_base_url(s_.base_url) + "/" + model_path(round.model);
    p.request.headers.emplace_back("Content-Type", "application/json");
    p.request.headers.emplace_back("Accept", "image/png, image/jpeg, image/webp, application/json");
    json parameters = {{"width", request.width}, {"height", request.height}};
    if (round.seed) parameters["seed"] = *round.seed;
    if (!request.negative_prompt.empty()) parameters["negative_prompt"] = request.negative_prompt;
    const json body = {{"inputs", request.prompt}, {"parameters", parameters}};
    p.request.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
    return p;
  }

  [[nodiscard]] ImageParser parser(const ImageRequest&, const ImageRound&) const override {
    return [limits = context().limits](const net::HttpResponse& response) {
      return parse_answer(response, limits);
    };
  }

  [[nodiscard]] std::optional<Recovery> recover(const ApiError& error, ImageRound& round,
                                                Clock::Duration remaining) const override {
    if (error.provider_code != kModelLoadingCode || round.waits >= kMaxLoadingWaits) {
      return std::nullopt;
    }
    ++round.waits;
    Clock::Duration wait = error.retry_after ? Clock::Duration(*error.retry_after)
                                             : Clock::Duration(kDefaultLoadingWait);
    if (wait >= remaining) return std::nullopt;  // it would not be ready in time
    return Recovery{.wait = wait, .progress = true};
  }

 private:
  HuggingFaceSettings s_;
};

}  // namespace

std::unique_ptr<HttpImageProvider> make_huggingface_provider(ImageContext context,
                                                             HuggingFaceSettings settings) {
  return std::make_unique<HuggingFaceProvider>(context, std::move(settings));
}

}  // namespace sakai::ai::image
