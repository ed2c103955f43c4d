#include "ai/image/image_http.h"

#include <algorithm>
#include <deque>
#include <utility>

#include "ai/http/wire_errors.h"
#include "ai/image/image_wire.h"
#include "core/base64.h"

namespace sakai::ai::image {
namespace {

using std::chrono::duration_cast;
using std::chrono::milliseconds;

ApiError call_error(ApiErrorKind kind, ApiCause cause, std::string provider, std::string message) {
  ApiError e;
  e.kind = kind;
  e.cause = cause;
  e.provider = std::move(provider);
  e.message = std::move(message);
  return e;
}

std::string header(const net::HttpResponse& response, const std::string& name) {
  const auto it = response.headers.find(name);
  return it == response.headers.end() ? std::string() : it->second;
}

}  // namespace

std::string trim_base_url(std::string base) {
  while (!base.empty() && base.back() == '/')
    base.pop_back();
  return base;
}

ParsedImages parse_raw_image(const net::HttpResponse& response, const ImageLimits& limits) {
  ParsedImages out;
  auto checked = check_image(response.body, header(response, "content-type"), limits);
  if (checked.ok()) {
    out.images.push_back(std::move(checked.value()));
  } else {
    out.error = std::move(checked.error());
  }
  return out;
}

ApiOutcome<GeneratedImage> check_base64_image(std::string_view data, std::string_view mime,
                                              const ImageLimits& limits) {
  std::string type(mime);
  // A data URL: "data:image/png;base64,....".
  if (data.starts_with("data:")) {
    const auto comma = data.find(',');
    if (comma != std::string_view::npos) {
      const std::string_view head = data.substr(5, comma - 5);
      type = std::string(head.substr(0, head.find(';')));
      data = data.substr(comma + 1);
    }
  }
  std::string compact;
  compact.reserve(data.size());
  for (const char c : data) {
    if (c != '\n' && c != '\r' && c != ' ' && c != '\t') compact += c;
  }
  auto bytes = base64_decode(compact);
  if (!bytes) {
    ApiError e;
    e.kind = ApiErrorKind::kMalformed;
    e.message = "the image data in the answer is not valid base64";
    return e;
  }
  if (bytes->empty()) {
    ApiError e;
    e.kind = ApiErrorKind::kMalformed;
    e.message = "the answer's image data is empty (0 bytes)";
    return e;
  }
  return check_image(std::move(*bytes), type, limits);
}

// One generate() call. Lives in shared_ptrs held by its HTTP call, timer, worker job and the
// ImageCall handle; everything here runs on the event loop thread.
struct HttpImageProvider::Run : std::enable_shared_from_this<Run> {
  HttpImageProvider* provider = nullptr;  // outlives the run; unused once cancelled
  std::string name;
  ImageRequest request;
  ImageProgressCallback progress;
  ImageDone done;
  Clock::TimePoint deadline_at{};
  ImageRound round;
  std::optional<std::int64_t> base_seed;
  std::vector<GeneratedImage> images;
  std::string revised_prompt;
  std::deque<std::string> urls;  // image URLs of the answer still to fetch
  KeyedCall http;                // in flight, when not finished()
  std::optional<EventLoop::TimerId> timer;
  bool in_worker = false;
  bool cancelled = false;
  bool finished = false;

  [[nodiscard]] const ImageContext& ctx() const { return provider->context_; }
  [[nodiscard]] Clock::Duration remaining() const { return deadline_at - ctx().clock->now(); }

  void finish(ApiOutcome<ImageResult> outcome) {
    if (finished) return;
    finished = true;
    if (timer) {
      ctx().loop->cancel(*timer);
      timer.reset();
    }
    auto callback = std::move(done);
    done = nullptr;
    progress = nullptr;
    callback(std::move(outcome));
  }

  void fail(ApiError e) {
    e.provider = name;
    finish(std::move(e));
  }

  void finish_cancelled() {
    fail(call_error(ApiErrorKind::kCancelled, ApiCause::kCancelled, name, "cancelled"));
  }

  void cancel() {
    if (finished || cancelled) return;
    cancelled = true;
    if (!http.finished()) http.cancel();  // its done reports kCancelled
    if (timer && ctx().loop->cancel(*timer)) timer.reset();
    ctx().loop->post([self = shared_from_this()] {
      if (!self->finished && self->http.finished() && !self->in_worker) self->finish_cancelled();
    });
  }

  // Runs `job` on the pool and `then` with its result on the loop.
  template <class T>
  void on_worker(std::function<T()> job, std::function<void(T)> then) {
    in_worker = true;
    auto self = shared_from_this();
    const bool queued = ctx().workers->run(
        *ctx().loop,
        [job = std::move(job), then = std::move(then), self]() -> std::function<void()> {
          auto result = std::make_shared<T>(job());
          return [then, result, self] {
            self->in_worker = false;
            then(std::move(*result));
          };
        });
    if (!queued) {
      in_worker = false;
      fail(call_error(ApiErrorKind::kUnavailable, ApiCause::kTransport, name,
                      "the image workers are busy; try again in a moment"));
    }
  }

  void next_round() {
    if (finished) return;
    if (cancelled) return finish_cancelled();
    if (images.size() >= static_cast<std::size_t>(request.count)) {
      images.resize(static_cast<std::size_t>(request.count));
      ImageResult result;
      if (!revised_prompt.empty()) {
        for (auto& img : images) {
          if (img.revised_prompt.empty()) img.revised_prompt = revised_prompt;
        }
      }
      result.images = std::move(images);
      result.provider = name;
      result.model = round.model;
      return finish(std::move(result));
    }
    const int have = static_cast<int>(images.size());
    round.images = std::clamp(provider->per_request(round.model), 1, request.count - have);
    if (base_seed) round.seed = *base_seed + have;
    round.waits = 0;
    send_round();
  }

  void send_round() {
    if (finished) return;
    if (cancelled) return finish_cancelled();
    const Clock::Duration left = remaining();
    if (left <= Clock::Duration::zero()) {
      return fail(call_error(
          ApiErrorKind::kTimeout, ApiCause::kTimedOut, name,
          "no image within the deadline of " +
              std::to_string(duration_cast<milliseconds>(request.deadline).count() / 1000) + " s"));
    }
    PlannedRequest planned = provider->plan(request, round);
    planned.request.timeout = std::max(milliseconds(1), duration_cast<milliseconds>(left));
    KeyedHttp& via = planned.keyless ? provider->keyless_ : provider->keyed_;
    http = via.send(std::move(planned.request), planned.where,
                    [self = shared_from_this()](ApiOutcome<net::HttpResponse> outcome) {
                      self->on_answer(std::move(outcome));
                    });
  }

  void on_answer(ApiOutcome<net::HttpResponse> outcome) {
    http = KeyedCall();
    if (finished) return;
    if (cancelled) return finish_cancelled();
    if (!outcome.ok()) {
      ApiError& error = outcome.error();
      const Clock::Duration left = remaining();
      const auto recovery = provider->recover(error, round, left);
      if (!recovery || recovery->wait >= left) return fail(std::move(error));
      if (recovery->progress && progress) {
        progress(ImageProgress{name, std::chrono::ceil<std::chrono::seconds>(recovery->wait)});
      }
      if (recovery->wait <= Clock::Duration::zero()) return send_round();
      timer = ctx().loop->post_after(recovery->wait, [self = shared_from_this()] {
        self->timer.reset();
        self->send_round();
      });
      return;
    }
    auto response = std::make_shared<net::HttpResponse>(std::move(outcome.value()));
    ImageParser parse = provider->parser(request, round);
    on_worker<ParsedImages>(
        [parse = std::move(parse), response] { return parse(*response); },
        [self = shared_from_this()](ParsedImages parsed) { self->on_parsed(std::move(parsed)); });
  }

  void on_parsed(ParsedImages parsed) {
    if (finished) return;
    if (cancelled) return finish_cancelled();
    if (parsed.error) {
      ApiError e = std::move(*parsed.error);
      if (e.http_status == 0) e.http_status = 200;
      e.message = provider->keyed_.redact(std::move(e.message));
      return fail(std::move(e));
    }
    if (parsed.images.empty() && parsed.urls.empty()) {
      return fail(call_error(ApiErrorKind::kMalformed, ApiCause::kService, name,
                             "the answer held no image"));
    }
    for (std::size_t i = 0; i < parsed.images.size(); ++i) {
      GeneratedImage& img = parsed.images[i];
      if (!img.seed && round.seed) img.seed = *round.seed + static_cast<std::int64_t>(i);
      images.push_back(std::move(img));
    }
    if (!parsed.revised_prompt.empty()) revised_prompt = std::move(parsed.revised_prompt);
    for (auto& url : parsed.urls)
      urls.push_back(std::move(url));
    fetch_next_url();
  }

  // Image URLs expire (OpenAI's after an hour): fetched at once, one after the other.
  void fetch_next_url() {
    if (finished) return;
    if (cancelled) return finish_cancelled();
    if (urls.empty()) {
      ++round.index;
      return next_round();
    }
    const std::string url = std::move(urls.front());
    urls.pop_front();
    if (!url.starts_with("https://") && !url.starts_with("http://")) {
      return fail(call_error(ApiErrorKind::kMalformed, ApiCause::kService, name,
                             "the answer's image URL is not http(s)"));
    }
    const Clock::Duration left = remaining();
    if (left <= Clock::Duration::zero()) {
      return fail(call_error(ApiErrorKind::kTimeout, ApiCause::kTimedOut, name,
                             "no image within the deadline"));
    }
    net::HttpRequest get;
    get.method = "GET";
    get.url = url;
    get.timeout = std::max(milliseconds(1), duration_cast<milliseconds>(left));
    http = provider->fetcher_.send(
        std::move(get), KeyHeader::bearer(),
        [self = shared_from_this()](ApiOutcome<net::HttpResponse> outcome) {
          self->http = KeyedCall();
          if (self->finished) return;
          if (self->cancelled) return self->finish_cancelled();
          if (!outcome.ok()) return self->fail(std::move(outcome.error()));
          auto response = std::make_shared<net::HttpResponse>(std::move(outcome.value()));
          const ImageLimits limits = self->ctx().limits;
          self->on_worker<ParsedImages>(
              [response, limits] { return parse_raw_image(*response, limits); },
              [self](ParsedImages parsed) {
                if (parsed.error) parsed.error->message += " (fetched from the answer's URL)";
                self->on_parsed(std::move(parsed));
              });
        });
  }
};

HttpImageProvider::HttpImageProvider(ImageContext context, KeyedHttpOptions keyed)
    : context_(context),
      keyed_(*context.http, *context.clock, keyed),
      keyless_(*context.http, *context.clock,
               KeyedHttpOptions{
                   .provider = keyed.provider, .api_keys = {}, .map_error = keyed.map_error}),
      fetcher_(*context.http, *context.clock,
               KeyedHttpOptions{.provider = keyed.provider,
                                .api_keys = {},
                                .map_error = image_url_error_mapper(keyed.provider)}),
      seeds_(std::random_device{}()) {}

std::optional<Recovery> HttpImageProvider::recover(const ApiError& /*error*/, ImageRound& /*round*/,
                                                   Clock::Duration /*remaining*/) const {
  return std::nullopt;
}

int HttpImageProvider::per_request(const std::string& /*model*/) const {
  return std::max(1, caps().max_count_per_request);
}

ImageCall HttpImageProvider::generate(ImageRequest request, ImageProgressCallback progress,
                                      ImageDone done) {
  auto run = std::make_shared<Run>();
  run->provider = this;
  run->name = name();
  run->request = std::move(request);
  run->request.count = std::clamp(run->request.count, 1, 4);
  run->progress = std::move(progress);
  run->done = std::move(done);
  run->deadline_at = context_.clock->now() + run->request.deadline;
  run->round.model = run->request.model.empty() ? default_model() : run->request.model;
  if (caps().seed) {
    // A seed the caption can show, and distinct images for n > 1.
    run->base_seed = run->request.seed ? *run->request.seed
                                       : static_cast<std::int64_t>(seeds_() % 1'000'000'000);
  }
  // The first request goes out from the loop, so `done` never runs inside generate().
  context_.loop->post([run] { run->next_round(); });
  return ImageCall([run] { run->cancel(); });
}

}  // namespace sakai::ai::image
