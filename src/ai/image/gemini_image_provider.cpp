#include "ai/image/gemini_image_provider.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <utility>

#include "ai/http/json_fields.h"
#include "ai/http/wire_errors.h"
#include "ai/image/image_wire.h"

namespace sakai::ai::image {
namespace {

using nlohmann::json;

// finishReason and blockReason values that mean a filter stopped it (AI-APIS.md §1.3, §1.9).
bool is_safety_reason(const std::string& reason) {
  return reason == "SAFETY" || reason == "RECITATION" || reason == "BLOCKLIST" ||
         reason == "PROHIBITED_CONTENT" || reason == "SPII" || reason == "IMAGE_SAFETY" ||
         reason == "IMAGE_PROHIBITED_CONTENT" || reason == "IMAGE_RECITATION" ||
         reason == "MODEL_ARMOR" || reason == "JAILBREAK";
}

ApiError safety_error(const std::string& reason, const std::string& what) {
  ApiError e;
  e.kind = ApiErrorKind::kSafetyBlocked;
  e.block_reason = reason;
  e.message = what + " (" + reason + ")";
  return e;
}

ParsedImages parse_answer(const net::HttpResponse& response, const ImageLimits& limits) {
  ParsedImages out;
  const json j = json::parse(response.body, nullptr, false);
  if (!j.is_object()) return parse_raw_image(response, limits);  // HTML, text: says what it is
  if (const auto* err = member(j, "error")) {
    out.error = gemini_error(0, *err);
    return out;
  }
  if (const auto* feedback = member(j, "promptFeedback")) {
    const std::string reason = string_field(*feedback, "blockReason");
    if (!reason.empty()) {
      out.error = safety_error(reason, "the prompt was blocked");
      return out;
    }
  }
  const auto* candidates = member(j, "candidates");
  if (!candidates || !candidates->is_array() || candidates->empty()) {
    ApiError e;
    e.kind = ApiErrorKind::kMalformed;
    e.message = "the answer has no candidates";
    out.error = std::move(e);
    return out;
  }
  const json& candidate = candidates->front();
  const std::string finish = string_field(candidate, "finishReason");
  std::string text;
  if (const auto* content = member(candidate, "content")) {
    if (const auto* parts = member(*content, "parts"); parts && parts->is_array()) {
      for (const auto& part : *parts) {
        if (member(part, "thought") && part["thought"].is_boolean() &&
            part["thought"].get<bool>()) {
          continue;  // a thinking model's reasoning, not its answer
        }
        const json* inline_data = member(part, "inlineData");
        if (!inline_data) inline_data = member(part, "inline_data");
        if (inline_data) {
          std::string mime = string_field(*inline_data, "mimeType");
          if (mime.empty()) mime = string_field(*inline_data, "mime_type");
          auto img = check_base64_image(string_field(*inline_data, "data"), mime, limits);
          if (!img.ok()) {
            out.error = std::move(img.error());
            return out;
          }
          out.images.push_back(std::move(img.value()));
        } else if (const std::string t = string_field(part, "text"); !t.empty()) {
          if (!text.empty()) text += ' ';
          text += t;
        }
      }
    }
  }
  out.revised_prompt = clip_provider_text(text, 1000);
  if (!out.images.empty()) return out;
  if (is_safety_reason(finish)) {
    out.error = safety_error(finish, "the image was stopped by the service's filters");
    return out;
  }
  ApiError e;
  e.kind = ApiErrorKind::kMalformed;
  e.message = "the model answered without an image";
  if (!finish.empty()) e.message += " (finishReason " + finish + ")";
  if (!text.empty()) e.message += ": " + clip_provider_text(text, 200);
  e.provider_code = finish;
  out.error = std::move(e);
  return out;
}

class GeminiImageProvider final : public HttpImageProvider {
 public:
  GeminiImageProvider(ImageContext context, GeminiImageSettings s)
      : HttpImageProvider(context, KeyedHttpOptions{.provider = "gemini",
                                                    .api_keys = s.api_keys,
                                                    .map_error = gemini_error_mapper()}),
        s_(std::move(s)) {}

  [[nodiscard]] std::string name() const override { return "gemini"; }
  [[nodiscard]] std::string default_model() const override {
    return s_.model.empty() ? "gemini-2.5-flash-image" : s_.model;
  }
  [[nodiscard]] std::vector<std::string> models() const override {
    std::vector<std::string> out = {"gemini-2.5-flash-image", "gemini-3-pro-image-preview"};
    if (std::find(out.begin(), out.end(), default_model()) == out.end()) {
      out.insert(out.begin(), default_model());
    }
    return out;
  }
  [[nodiscard]] ImageCaps caps() const override {
    return ImageCaps{.negative_prompt = false, .seed = false, .max_count_per_request = 1};
  }

 protected:
  [[nodiscard]] PlannedRequest plan(const ImageRequest& request,
                                    const ImageRound& round) const override {
    std::string base = trim_base_url(s_.base_url);
    if (!base.ends_with("/v1beta") && !base.ends_with("/v1")) base += "/v1beta";
    std::string model = round.model;
    if (model.starts_with("models/")) model.erase(0, 7);
    PlannedRequest p;
    p.where = KeyHeader::goog_api_key();
    p.request.method = "POST";
    p.request.url = base + "/models/" + percent_encode(model) + ":generateContent";
    p.request.headers.emplace_back("Content-Type", "application/json");
    const json body = {
        {"contents", json::array({{{"parts", json::array({{{"text", request.prompt}}})}}})},
        {"generationConfig",
         {{"responseModalities", json::array({"TEXT", "IMAGE"})},
          {"imageConfig", {{"aspectRatio", gemini_aspect_ratio(request.width, request.height)}}}}}};
    p.request.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
    return p;
  }

  [[nodiscard]] ImageParser parser(const ImageRequest&, const ImageRound&) const override {
    return [limits = context().limits](const net::HttpResponse& response) {
      return parse_answer(response, limits);
    };
  }

 private:
  GeminiImageSettings s_;
};

}  // namespace

std::string gemini_aspect_ratio(int width, int height) {
  static const std::pair<int, int> kRatios[] = {{1, 1}, {2, 3}, {3, 2},  {3, 4},  {4, 3},
                                                {4, 5}, {5, 4}, {9, 16}, {16, 9}, {21, 9}};
  const double want = std::log(static_cast<double>(std::max(1, width)) / std::max(1, height));
  std::pair<int, int> best = kRatios[0];
  double best_distance = 1e9;
  for (const auto& r : kRatios) {
    const double d = std::abs(std::log(static_cast<double>(r.first) / r.second) - want);
    if (d < best_distance) {
      best_distance = d;
      best = r;
    }
  }
  return std::to_string(best.first) + ":" + std::to_string(best.second);
}

std::unique_ptr<HttpImageProvider> make_gemini_image_provider(ImageContext context,
                                                              GeminiImageSettings settings) {
  return std::make_unique<GeminiImageProvider>(context, std::move(settings));
}

}  // namespace sakai::ai::image
