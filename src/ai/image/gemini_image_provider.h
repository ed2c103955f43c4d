#pragma once
// Gemini image models (IMAGE-APIS.md, AI-APIS.md §1.9): POST {base_url}/v1beta/models/{model}:
// generateContent with x-goog-api-key and generationConfig.responseModalities ["TEXT","IMAGE"]
// (imageConfig.aspectRatio: the supported ratio nearest the asked size). The image is an
// inlineData / inline_data part {mimeType|mime_type, data: base64}; a text part alongside
// becomes revised_prompt. A prompt blocked (promptFeedback.blockReason) or an answer stopped by a
// filter (finishReason SAFETY, IMAGE_SAFETY, PROHIBITED_CONTENT, ...) is kSafetyBlocked; an answer
// without an image (NO_IMAGE, IMAGE_OTHER, text only) is kMalformed with the model's words.
// One image per request. Threading and ownership: see image_http.h.
#include <memory>
#include <string>
#include <vector>

#include "ai/image/image_http.h"

namespace sakai::ai::image {

struct GeminiImageSettings {
  std::string base_url = "https://generativelanguage.googleapis.com";
  std::vector<std::string> api_keys;
  std::string model;  // "" = gemini-2.5-flash-image
};

std::unique_ptr<HttpImageProvider> make_gemini_image_provider(ImageContext context,
                                                              GeminiImageSettings settings);

// The aspect ratio Gemini accepts nearest to width : height ("16:9").
std::string gemini_aspect_ratio(int width, int height);

}  // namespace sakai::ai::image
