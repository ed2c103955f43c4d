#include "ai/image/image_chain.h"

#include <algorithm>
#include <utility>

#include "ai/http/wire_errors.h"

namespace sakai::ai::image {

struct ImageChain::Call {
  ImageRequest request;
  ImageProgressCallback progress;
  ImageDone done;
  Clock::TimePoint deadline_at{};
  std::size_t index = 0;
  std::optional<net::Backoff> backoff;  // for the member at `index`
  std::optional<ApiError> first_error;
  ImageCall member_call;  // in flight when `in_member`
  bool in_member = false;
  std::optional<EventLoop::TimerId> timer;
  bool cancelled = false;
  bool done_called = false;
  int attempt = 0;
};

namespace {

ApiError chain_error(ApiErrorKind kind, std::string provider, std::string message) {
  ApiError e;
  e.kind = kind;
  e.cause = kind == ApiErrorKind::kCancelled ? ApiCause::kCancelled : ApiCause::kService;
  e.provider = std::move(provider);
  e.message = std::move(message);
  return e;
}

bool counts_as_provider_failure(const ApiError& e) {
  return e.retryable() || e.kind == ApiErrorKind::kAuth ||
         e.kind == ApiErrorKind::kQuotaExhausted || e.kind == ApiErrorKind::kMalformed;
}

// A safety refusal is the prompt's fate everywhere; a cancel is the user's wish.
bool worth_another_provider(const ApiError& e) {
  return e.kind != ApiErrorKind::kSafetyBlocked && e.kind != ApiErrorKind::kCancelled;
}

}  // namespace

ImageChain::ImageChain(std::vector<std::unique_ptr<ImageProvider>> providers, EventLoop& loop,
                       ImageChainOptions options)
    : loop_(loop), options_(options), seeds_(options.seed) {
  for (auto& p : providers) {
    if (!p) continue;
    members_.push_back(Member{std::move(p), net::CircuitBreaker(loop_.clock(), options_.breaker)});
  }
}

ImageChain::~ImageChain() {
  for (const auto& weak : live_) {
    if (auto call = weak.lock()) {
      call->done_called = true;
      call->member_call = ImageCall();
      call->done = nullptr;
      call->progress = nullptr;
    }
  }
}

std::string ImageChain::name() const {
  if (members_.empty()) return "none";
  std::string out;
  for (const auto& m : members_) {
    if (!out.empty()) out += '>';
    out += m.provider->name();
  }
  return out;
}

std::string ImageChain::default_model() const {
  return members_.empty() ? std::string() : members_.front().provider->default_model();
}

std::vector<std::string> ImageChain::models() const {
  return members_.empty() ? std::vector<std::string>() : members_.front().provider->models();
}

ImageCaps ImageChain::caps() const {
  return members_.empty() ? ImageCaps{} : members_.front().provider->caps();
}

ImageProvider* ImageChain::find(std::string_view wanted) {
  for (auto& m : members_) {
    if (m.provider->name() == wanted) return m.provider.get();
  }
  return nullptr;
}

std::vector<std::string> ImageChain::names() const {
  std::vector<std::string> out;
  for (const auto& m : members_)
    out.push_back(m.provider->name());
  return out;
}

ImageCall ImageChain::generate(ImageRequest request, ImageProgressCallback progress,
                               ImageDone done) {
  auto call = std::make_shared<Call>();
  call->request = std::move(request);
  call->progress = std::move(progress);
  call->done = std::move(done);
  call->deadline_at = loop_.clock().now() + call->request.deadline;
  std::erase_if(live_, [](const std::weak_ptr<Call>& w) { return w.expired(); });
  live_.push_back(call);
  if (members_.empty()) {
    loop_.post([this, call] {
      finish(call, chain_error(ApiErrorKind::kAuth, "image",
                               "no image provider is configured: see [image] provider"));
    });
  } else {
    // From the loop, so that done never runs inside generate() (a member might fail at once).
    loop_.post([this, call] { try_member(call); });
  }
  return ImageCall([this, call] {
    if (call->done_called || call->cancelled) return;
    call->cancelled = true;
    if (call->in_member) {
      call->member_call.cancel();  // the member reports kCancelled
      return;
    }
    if (call->timer) {
      loop_.cancel(*call->timer);
      call->timer.reset();
    }
    loop_.post([this, call] {
      if (!call->in_member)
        finish(call, chain_error(ApiErrorKind::kCancelled, name(), "cancelled"));
    });
  });
}

void ImageChain::try_member(const std::shared_ptr<Call>& call) {
  call->timer.reset();
  if (call->done_called) return;
  if (call->cancelled) {
    finish(call, chain_error(ApiErrorKind::kCancelled, name(), "cancelled"));
    return;
  }
  const Clock::Duration left = call->deadline_at - loop_.clock().now();
  if (left <= Clock::Duration::zero()) {
    finish(call, call->first_error
                     ? std::move(*call->first_error)
                     : chain_error(ApiErrorKind::kTimeout, name(), "no image within the deadline"));
    return;
  }
  while (call->index < members_.size()) {
    Member& member = members_[call->index];
    if (!member.breaker.allow()) {
      ApiError skipped = chain_error(ApiErrorKind::kUnavailable, member.provider->name(),
                                     "paused after repeated failures");
      skipped.retry_after = to_retry_after(member.breaker.remaining_cool_down());
      if (!call->first_error) call->first_error = std::move(skipped);
      ++call->index;
      call->backoff.reset();
      continue;
    }
    if (!call->backoff) call->backoff.emplace(options_.backoff, seeds_());
    ImageRequest request = call->request;
    if (call->index != 0) request.model.clear();  // a model name belongs to the primary
    request.deadline = std::chrono::duration_cast<std::chrono::milliseconds>(left);
    ImageProgressCallback progress;
    if (call->progress) {
      progress = [call](const ImageProgress& p) {
        if (!call->done_called && !call->cancelled && call->progress) call->progress(p);
      };
    }
    const int attempt = ++call->attempt;
    call->in_member = true;
    ImageCall handle =
        member.provider->generate(std::move(request), std::move(progress),
                                  [this, call, attempt](ApiOutcome<ImageResult> outcome) {
                                    if (call->attempt != attempt) return;
                                    call->in_member = false;
                                    call->member_call = ImageCall();
                                    on_result(call, std::move(outcome));
                                  });
    if (call->in_member && call->attempt == attempt) call->member_call = std::move(handle);
    return;
  }
  // Every member left was paused by its breaker.
  finish(call, std::move(*call->first_error));
}

void ImageChain::on_result(const std::shared_ptr<Call>& call, ApiOutcome<ImageResult> outcome) {
  if (call->done_called) return;
  Member& member = members_[call->index];
  if (outcome.ok()) {
    member.breaker.record_success();
    finish(call, std::move(outcome));
    return;
  }
  ApiError& error = outcome.error();
  if (counts_as_provider_failure(error)) {
    member.breaker.record_failure();
  } else if (error.kind != ApiErrorKind::kCancelled) {
    member.breaker.record_success();  // it answered; the answer was a refusal
  }
  if (call->cancelled || error.kind == ApiErrorKind::kCancelled) {
    finish(call, chain_error(ApiErrorKind::kCancelled, error.provider, "cancelled"));
    return;
  }
  if (!worth_another_provider(error)) {
    finish(call, std::move(outcome));
    return;
  }
  if (!call->first_error) call->first_error = error;

  const Clock::Duration left = call->deadline_at - loop_.clock().now();
  if (error.retryable() && left > Clock::Duration::zero()) {
    std::optional<Clock::Duration> hint;
    if (error.retry_after) hint = *error.retry_after;
    if (const auto delay = call->backoff->next_delay(hint); delay && *delay < left) {
      call->timer = loop_.post_after(*delay, [this, call] { try_member(call); });
      return;
    }
  }
  if (call->index + 1 < members_.size() && left > Clock::Duration::zero()) {
    ++call->index;
    call->backoff.reset();
    try_member(call);
    return;
  }
  finish(call, std::move(*call->first_error));
}

void ImageChain::finish(const std::shared_ptr<Call>& call, ApiOutcome<ImageResult> outcome) {
  if (call->done_called) return;
  call->done_called = true;
  if (call->timer) {
    loop_.cancel(*call->timer);
    call->timer.reset();
  }
  auto done = std::move(call->done);
  call->done = nullptr;
  call->progress = nullptr;
  done(std::move(outcome));
}

}  // namespace sakai::ai::image
