#pragma once
// What every HTTP image provider shares: one generate() call as a series of requests ("rounds")
// through the keyed-HTTP layer until request.count images are in, all within request.deadline.
//
//   round → KeyedHttp (keys rotate on 429/401/403; wire errors mapped)
//         → 2xx body parsed and every image checked on the WorkerPool (image_check.h)
//         → image URLs in the answer fetched at once (no key sent there) and checked
//         → next round, or done.
// A subclass says how to build a round's request (plan), how to read a 2xx answer (a parser
// that runs on a worker thread, so it holds copies, never the provider), and what to do about
// an error (recover: e.g. Hugging Face waits out a loading model, Pollinations falls back to its
// legacy endpoint on a gateway 401).
//
// Threading: generate(), cancel and every callback on the event loop thread; parsing, decoding
// and checking on the WorkerPool. Ownership: the HttpClient, Clock, WorkerPool and EventLoop
// must outlive the provider; the provider must outlive its calls (cancel them first).
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "ai/http/keyed_http.h"
#include "ai/image/image_check.h"
#include "ai/image/image_provider.h"
#include "core/clock.h"
#include "core/event_loop.h"
#include "core/worker_pool.h"
#include "net/http_client.h"

namespace sakai::ai::image {

// The process's parts an image provider runs on.
struct ImageContext {
  net::HttpClient* http = nullptr;
  const Clock* clock = nullptr;
  WorkerPool* workers = nullptr;
  EventLoop* loop = nullptr;
  ImageLimits limits;
};

// One request of a call.
struct ImageRound {
  int index = 0;                     // 0 for the first request of the call
  int images = 1;                    // images this request asks for
  std::optional<std::int64_t> seed;  // this request's seed, when the provider takes one
  std::string model;                 // the model asked for (resolved: never empty)
  bool alternate = false;            // the provider's fallback endpoint (Pollinations legacy)
  int waits = 0;                     // loading waits so far (Hugging Face)
};

// What a worker thread made of one 2xx answer.
struct ParsedImages {
  std::vector<GeneratedImage> images;  // checked already
  std::vector<std::string> urls;       // to fetch and check
  std::string revised_prompt;
  std::optional<ApiError> error;
};

// Reads one 2xx answer on a worker thread: holds copies of what it needs, never the provider.
using ImageParser = std::function<ParsedImages(const net::HttpResponse& response)>;

// One request to send.
struct PlannedRequest {
  net::HttpRequest request;  // timeout is set by the caller
  KeyHeader where = KeyHeader::bearer();
  bool keyless = false;  // send it without any key (e.g. an anonymous legacy endpoint)
};

// What to do after an error: wait this long and send the (possibly changed) round again.
struct Recovery {
  Clock::Duration wait{0};
  bool progress = false;  // tell the caller (ImageProgress) before waiting
};

// Reads the images of a body that is an image itself (raw bytes), checked.
ParsedImages parse_raw_image(const net::HttpResponse& response, const ImageLimits& limits);
// Decodes base64 image data (e.g. b64_json) and checks it; errors are kMalformed.
ApiOutcome<GeneratedImage> check_base64_image(std::string_view data, std::string_view mime,
                                              const ImageLimits& limits);

class HttpImageProvider : public ImageProvider {
 public:
  ImageCall generate(ImageRequest request, ImageProgressCallback progress, ImageDone done) final;

  struct Run;

 protected:
  // `keyed` is the service's keyed layer (name, keys, error mapper).
  HttpImageProvider(ImageContext context, KeyedHttpOptions keyed);

  // The request of `round` (its timeout is set by generate()).
  [[nodiscard]] virtual PlannedRequest plan(const ImageRequest& request,
                                            const ImageRound& round) const = 0;
  // The parser of a 2xx answer to `round`.
  [[nodiscard]] virtual ImageParser parser(const ImageRequest& request,
                                           const ImageRound& round) const = 0;
  // After an error of `round` with `remaining` time left: nullopt ends the call with the error;
  // a Recovery sends `round` (which it may change) again after its wait.
  [[nodiscard]] virtual std::optional<Recovery> recover(const ApiError& error, ImageRound& round,
                                                        Clock::Duration remaining) const;
  // Images one request may ask for with `model` (≥ 1).
  [[nodiscard]] virtual int per_request(const std::string& model) const;

  [[nodiscard]] const ImageContext& context() const { return context_; }
  [[nodiscard]] const KeyedHttp& keyed() const { return keyed_; }

 private:
  ImageContext context_;
  KeyedHttp keyed_;
  KeyedHttp keyless_;  // anonymous endpoints: the service's error format, never a key
  KeyedHttp fetcher_;  // image URLs in answers: never a key; 403/404 mean "expired"
  std::mt19937_64 seeds_;
};

// A base URL without trailing slashes.
std::string trim_base_url(std::string base);

}  // namespace sakai::ai::image
