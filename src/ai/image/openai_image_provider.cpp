#include "ai/image/openai_image_provider.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <utility>

#include "ai/http/json_fields.h"
#include "ai/image/image_wire.h"

namespace sakai::ai::image {
namespace {

using nlohmann::json;

bool is_dalle(const std::string& model) {
  return model.starts_with("dall-e");
}

ParsedImages parse_answer(const net::HttpResponse& response, const ImageLimits& limits) {
  const json j = json::parse(response.body, nullptr, false);
  const auto* data = member(j, "data");
  if (!data || !data->is_array()) return parse_raw_image(response, limits);  // says what it is
  ParsedImages out;
  for (const auto& item : *data) {
    const std::string b64 = string_field(item, "b64_json");
    const std::string url = string_field(item, "url");
    const std::string revised = string_field(item, "revised_prompt");
    if (!revised.empty()) out.revised_prompt = revised;
    if (!b64.empty()) {
      auto img = check_base64_image(b64, "", limits);
      if (!img.ok()) {
        out.error = std::move(img.error());
        return out;
      }
      img.value().revised_prompt = revised;
      out.images.push_back(std::move(img.value()));
    } else if (url.starts_with("data:")) {
      auto img = check_base64_image(url, "", limits);
      if (!img.ok()) {
        out.error = std::move(img.error());
        return out;
      }
      out.images.push_back(std::move(img.value()));
    } else if (!url.empty()) {
      out.urls.push_back(url);
    }
  }
  if (out.images.empty() && out.urls.empty()) {
    ApiError e;
    e.kind = ApiErrorKind::kMalformed;
    e.message = "the answer's data held neither b64_json nor url";
    out.error = std::move(e);
  }
  return out;
}

class OpenAiImageProvider final : public HttpImageProvider {
 public:
  OpenAiImageProvider(ImageContext context, OpenAiImageSettings s)
      : HttpImageProvider(context,
                          KeyedHttpOptions{.provider = "openai",
                                           .api_keys = s.api_keys,
                                           .map_error = openai_image_error_mapper("openai")}),
        s_(std::move(s)) {}

  [[nodiscard]] std::string name() const override { return "openai"; }
  [[nodiscard]] std::string default_model() const override {
    return s_.model.empty() ? "gpt-image-1" : s_.model;
  }
  // OpenAI-compatible servers name their own models: any name is passed through.
  [[nodiscard]] std::vector<std::string> models() const override { return {}; }
  [[nodiscard]] ImageCaps caps() const override {
    return ImageCaps{.negative_prompt = false,
                     .seed = false,
                     .max_count_per_request = per_request(default_model())};
  }

 protected:
  [[nodiscard]] int per_request(const std::string& model) const override {
    return model == "dall-e-3" ? 1 : 4;
  }

  [[nodiscard]] PlannedRequest plan(const ImageRequest& request,
                                    const ImageRound& round) const override {
    PlannedRequest p;
    p.request.method = "POST";
    p.request.url = trim_base_url(s_.base_url) + "/images/generations";
    p.request.headers.emplace_back("Content-Type", "application/json");
    json body = {{"model", round.model},
                 {"prompt", request.prompt},
                 {"n", round.images},
                 {"size", openai_image_size(round.model, request.width, request.height)}};
    // DALL·E answers with short-lived URLs unless asked; GPT image models always send base64
    // and reject the parameter.
    if (is_dalle(round.model)) body["response_format"] = "b64_json";
    p.request.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
    return p;
  }

  [[nodiscard]] ImageParser parser(const ImageRequest&, const ImageRound&) const override {
    return [limits = context().limits](const net::HttpResponse& response) {
      return parse_answer(response, limits);
    };
  }

 private:
  OpenAiImageSettings s_;
};

}  // namespace

std::string openai_image_size(const std::string& model, int width, int height) {
  const double ratio = static_cast<double>(width) / std::max(1, height);
  if (model.starts_with("gpt-image")) {
    if (ratio > 1.2) return "1536x1024";
    if (ratio < 1 / 1.2) return "1024x1536";
    return "1024x1024";
  }
  if (model == "dall-e-3") {
    if (ratio > 1.3) return "1792x1024";
    if (ratio < 1 / 1.3) return "1024x1792";
    return "1024x1024";
  }
  if (model == "dall-e-2") {
    const int side = std::max(width, height);
    if (side <= 256) return "256x256";
    if (side <= 512) return "512x512";
    return "1024x1024";
  }
  return std::to_string(width) + "x" + std::to_string(height);
}

std::unique_ptr<HttpImageProvider> make_openai_image_provider(ImageContext context,
                                                              OpenAiImageSettings settings) {
  return std::make_unique<OpenAiImageProvider>(context, std::move(settings));
}

}  // namespace sakai::ai::image
