#pragma once
// Text-to-image providers behind one interface (issue 10): Pollinations, Hugging Face Inference,
// OpenAI-compatible /v1/images/generations, Gemini image models, Cloudflare Workers AI and
// self-hosted workers. Every adapter calls its service through the keyed-HTTP layer
// (ai/http/keyed_http.h) and hands back CHECKED images: the bytes were recognised by their magic
// bytes and decoded by a real image library (ai/image/image_check.h), never an HTML error page,
// a JSON error with status 200, a truncated body or zero bytes.
//
// Threading: generate(), ImageCall::cancel() and every callback run on the event loop thread;
// callbacks never run inside generate(). Decoding and checking run on the WorkerPool.
// Ownership: a provider must outlive the calls it started (cancel them first).
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ai/http/api_error.h"

namespace sakai::ai::image {

enum class ImageFormat { kPng, kJpeg, kWebp };

struct ImageRequest {
  std::string prompt;           // what to draw (already enhanced when the feature enhances it)
  std::string negative_prompt;  // "" when not asked; dropped by providers that cannot take it
  std::string model;            // "" = the provider's configured default
  int width = 1024;
  int height = 1024;
  std::optional<std::int64_t> seed;  // none: the provider picks (the answer reports it if known)
  // 1–4. Every provider returns `count` images: in one request where the service makes several
  // (caps().max_count_per_request), else one request per image, one after the other.
  int count = 1;
  std::chrono::milliseconds deadline{120000};  // the whole call, retries and waits included
};

struct GeneratedImage {
  std::string bytes;  // the encoded image as the service sent it (or fetched from its URL)
  ImageFormat format = ImageFormat::kPng;
  int width = 0;  // decoded, not claimed
  int height = 0;
  std::optional<std::int64_t> seed;  // when the service reports or was given it
  std::string revised_prompt;        // OpenAI's revised_prompt, Gemini's text part, ...
  // Telegram would refuse it as a photo (aspect ratio above 20, or still above the photo limits
  // after scaling): send it as a document instead (ai/image/image_check.h).
  bool send_as_document = false;
};

struct ImageResult {
  std::vector<GeneratedImage> images;  // at least one on success
  std::string provider;                // "pollinations", "huggingface", ...
  std::string model;                   // the model that answered
};

// The status the user sees while a call waits on something other than the drawing itself
// (e.g. Hugging Face's 503 "model is loading" with estimated_time).
struct ImageProgress {
  std::string provider;
  std::chrono::seconds estimated_wait{0};
};

using ImageDone = std::function<void(ApiOutcome<ImageResult>)>;
using ImageProgressCallback = std::function<void(const ImageProgress&)>;

// Returned by generate(). Copyable; dropping it does not cancel the call.
class ImageCall {
 public:
  ImageCall() = default;
  explicit ImageCall(std::function<void()> cancel) : cancel_(std::move(cancel)) {}
  // Idempotent. The call then ends with kCancelled through done (never from inside cancel()).
  void cancel() const {
    if (cancel_) cancel_();
  }

 private:
  std::function<void()> cancel_;
};

struct ImageCaps {
  bool negative_prompt = false;
  bool seed = false;
  int max_count_per_request = 1;  // > 1: n images in one request (OpenAI-compatible)
};

class ImageProvider {
 public:
  virtual ~ImageProvider() = default;
  // "pollinations", "huggingface", "openai", "gemini", "cloudflare", "worker"; a chain names its
  // members: "pollinations>huggingface".
  [[nodiscard]] virtual std::string name() const = 0;
  [[nodiscard]] virtual std::string default_model() const = 0;
  // Models the user may name (model=, /image=<model>=…); empty when any name is passed through.
  [[nodiscard]] virtual std::vector<std::string> models() const = 0;
  [[nodiscard]] virtual ImageCaps caps() const = 0;
  // done runs exactly once, later; progress may run any number of times before it.
  virtual ImageCall generate(ImageRequest request, ImageProgressCallback progress,
                             ImageDone done) = 0;
};

}  // namespace sakai::ai::image
