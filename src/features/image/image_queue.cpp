#include "features/image/image_queue.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <system_error>
#include <utility>

#include "ai/image/image_check.h"
#include "ai/llm/provider.h"
#include "assistant/conversation.h"
#include "assistant/usage_tracker.h"
#include "commands/services.h"
#include "core/prompt_templates.h"
#include "core/text.h"
#include "core/worker_pool.h"
#include "features/image/image_texts.h"

namespace sakai::features {

using commands::Outcome;
using commands::Reply;
using commands::Services;
using nlohmann::json;
namespace image = ai::image;

namespace {

// The status is re-rendered this often, and times in it move in these steps.
constexpr auto kRefresh = std::chrono::seconds(5);
constexpr long long kStepSeconds = 5;
// The enhancement is a short LLM call; past this the prompt is drawn as written.
constexpr auto kEnhanceDeadline = std::chrono::seconds(30);
// What a stalled provider gets beyond the request's deadline before the watchdog ends it.
constexpr auto kWatchdogGrace = std::chrono::seconds(5);
// An enhanced prompt longer than this is cut (image models read a few hundred words at most).
constexpr std::size_t kMaxEnhancedChars = 1500;

enum class Phase { kWaiting, kEnhancing, kDrawing, kSending };

std::filesystem::path image_dir(const Config& config) {
  namespace fs = std::filesystem;
  const std::string dir = config.get_string("data.dir");
  std::error_code ec;
  fs::path base = dir.empty() ? fs::temp_directory_path(ec) / "sakaibot" : fs::path(dir);
  base /= "images";
  fs::create_directories(base, ec);
  return base;
}

// Images of an earlier run that were never sent or removed (a crash, the console's).
std::size_t sweep_image_dir(const Config& config) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto cutoff = fs::file_time_type::clock::now() - std::chrono::hours(1);
  std::size_t removed = 0;
  for (fs::directory_iterator it(image_dir(config), ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code e;
    if (!it->is_regular_file(e) || e) continue;
    const auto written = it->last_write_time(e);
    if (!e && written < cutoff && fs::remove(it->path(), e)) ++removed;
  }
  return removed;
}

// The LLM's answer as an image prompt: one paragraph, no quotes or "Prompt:" label around it.
std::string clean_prompt(std::string_view answer) {
  std::string s;
  for (const char c : answer)
    s += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  std::string_view v = text::trim(s);
  for (const std::string_view label : {"Prompt:", "prompt:", "PROMPT:", "Image prompt:"}) {
    if (v.starts_with(label)) v = text::trim(v.substr(label.size()));
  }
  for (const auto& [open, close] : {std::pair<std::string_view, std::string_view>{"\"", "\""},
                                    {"\u201C", "\u201D"},
                                    {"'", "'"},
                                    {"`", "`"}}) {
    if (v.size() >= open.size() + close.size() && v.starts_with(open) && v.ends_with(close))
      v = text::trim(v.substr(open.size(), v.size() - open.size() - close.size()));
  }
  return text::truncate(v, kMaxEnhancedChars, "");
}

bool has_non_ascii_letter(std::string_view s) {
  for (const char32_t cp : text::decode(s)) {
    if (cp > 0x7F && (text::is_rtl_letter(cp) || text::is_ltr_letter(cp))) return true;
  }
  return false;
}

long long stepped_seconds(Clock::Duration d) {
  const auto s = std::chrono::duration_cast<std::chrono::seconds>(d).count();
  return s - s % kStepSeconds;
}

}  // namespace

struct ImageQueue::Job : assistant::QueuedJob {
  ImageJobSpec spec;
  Phase phase = Phase::kWaiting;
  std::string prompt;         // what goes to the provider
  bool not_enhanced = false;  // enhancement was wanted and did not happen
  ai::ChatHandle llm_call;
  image::ImageCall image_call;
  std::optional<image::ImageProgress> progress;
  Clock::TimePoint drawing_since{};
  EventLoop::TimerId watchdog = 0;
  bool watchdog_armed = false;
  std::string drew_with;  // the provider that answered (for the status)
};

// The files of one answer, once written.
struct ImageQueue::Written {
  image::ImageResult result;
  std::vector<std::string> photos;     // sent as photos (one, or an album)
  std::vector<std::string> documents;  // Telegram would refuse them as photos
  std::vector<std::string> all;
  std::optional<std::string> error;
  telegram::FormattedText caption;
  bool caption_used = false;
};

ImageQueue::ImageQueue(Services& services, std::unique_ptr<image::ImageChain> chain)
    : services_(services),
      chain_(std::move(chain)),
      deadline_(std::chrono::seconds(
          std::max<long long>(1, services.config.get_seconds("image.timeout")))),
      enhance_default_(services.config.get_bool("image.enhance")),
      queue_(services, *this,
             assistant::FairQueue::Options{
                 "image",
                 [n = static_cast<std::size_t>(std::max<long long>(
                      1, services.config.get_int("image.concurrency")))](std::string_view) {
                   return n;
                 },
                 kMaxWaitingPerUser, telegram::ChatAction::kUploadingPhoto, kRefresh}) {
  if (const std::size_t n = sweep_image_dir(services.config); n > 0)
    services.log.info("image", "removed old image files", {{"count", std::to_string(n)}});
}

ImageQueue::~ImageQueue() {
  // The provider and the LLM must not call back into a queue that is gone: every call in flight
  // is cancelled (its late answer is dropped: alive_ goes with this object).
  for (const auto& queued : queue_.jobs()) {
    auto job = std::static_pointer_cast<Job>(queued);
    job->image_call.cancel();
    job->llm_call.cancel();
    if (job->watchdog_armed) services_.loop.cancel(job->watchdog);
  }
}

std::string ImageQueue::tr(const assistant::QueuedJob& job, std::string_view key,
                           std::initializer_list<TrArg> args) const {
  return services_.i18n.tr(job.lang, key, args);
}

std::string ImageQueue::lane_of(const ImageJobSpec& spec) const {
  return spec.provider.empty() ? chain_->name() : spec.provider;
}

bool ImageQueue::full(UserId user, std::string_view lane) const {
  return queue_.full(user, lane);
}

std::int64_t ImageQueue::pending_images(UserId user) const {
  std::int64_t n = 0;
  for (const auto& queued : queue_.jobs()) {
    if (queued->user == user) n += static_cast<const Job&>(*queued).spec.count;
  }
  return n;
}

// ---- the status ----

std::string ImageQueue::queued_text(const assistant::QueuedJob& job, int position) const {
  const long long waited = stepped_seconds(services_.clock.now() - job.queued_at);
  const std::string pos = std::to_string(std::max(1, position));
  if (waited <= 0) return tr(job, "image.queued", {{"position", pos}});
  return tr(job, "image.queued_for", {{"position", pos}, {"seconds", std::to_string(waited)}});
}

std::string ImageQueue::running_text(const assistant::QueuedJob& queued) const {
  const auto& job = static_cast<const Job&>(queued);
  switch (job.phase) {
    case Phase::kWaiting:  // starting: what start() will do first
      if (job.spec.enhance && enhance_default_ && services_.llm != nullptr)
        return tr(job, "image.enhancing");
      break;
    case Phase::kEnhancing:
      return tr(job, "image.enhancing");
    case Phase::kSending:
      return tr(job, "image.sending");
    case Phase::kDrawing:
      break;
  }
  const std::string provider =
      image_provider_display_name(job.drew_with.empty() ? job.lane : job.drew_with);
  if (job.progress && job.progress->estimated_wait.count() > 0) {
    return tr(job, "image.loading",
              {{"provider", image_provider_display_name(job.progress->provider)},
               {"seconds", std::to_string(job.progress->estimated_wait.count())}});
  }
  const long long took =
      job.phase == Phase::kDrawing ? stepped_seconds(services_.clock.now() - job.drawing_since) : 0;
  if (took <= 0) return tr(job, "image.drawing", {{"provider", provider}});
  return tr(job, "image.drawing_for", {{"provider", provider}, {"seconds", std::to_string(took)}});
}

std::string ImageQueue::cancelled_text(const assistant::QueuedJob& job) const {
  return tr(job, "image.cancelled");
}

// ---- queueing and storing ----

void ImageQueue::submit(ImageJobSpec spec, std::optional<Reply> reply) {
  auto job = std::make_shared<Job>();
  job->chat = spec.chat;
  job->user = spec.user;
  job->request = spec.request;
  job->lang = spec.lang;
  job->lane = lane_of(spec);
  job->spec = std::move(spec);
  queue_.submit(job, std::move(reply));
}

std::size_t ImageQueue::resume() {
  return queue_.resume();
}

bool ImageQueue::cancel(ChatId chat, MessageId message, std::optional<UserId> user) {
  return queue_.cancel(chat, message, user);
}

void ImageQueue::on_messages_deleted(ChatId chat, const std::vector<MessageId>& ids) {
  queue_.on_messages_deleted(chat, ids);
}

std::string ImageQueue::payload(const assistant::QueuedJob& queued) const {
  const auto& job = static_cast<const Job&>(queued);
  const ImageJobSpec& s = job.spec;
  json p = {{"chat", s.chat.value()},
            {"user", s.user.value()},
            {"request", s.request.value()},
            {"owner", s.by_owner},
            {"status", job.status ? job.status->value() : 0},
            {"prompt", s.prompt},
            {"negative", s.negative},
            {"model", s.model},
            {"provider", s.provider},
            {"width", s.width},
            {"height", s.height},
            {"count", s.count},
            {"enhance", s.enhance},
            {"lang", s.lang}};
  if (s.seed) p["seed"] = *s.seed;
  return p.dump(-1, ' ', false, json::error_handler_t::replace);
}

assistant::QueuedJobPtr ImageQueue::restore(const storage::ScheduledJob& row) {
  const json p = json::parse(row.payload, nullptr, false);
  if (!p.is_object() || !p.contains("prompt") || !p["prompt"].is_string()) return nullptr;
  ImageJobSpec s;
  s.chat = ChatId(p.value("chat", row.chat.value()));
  s.user = UserId(p.value("user", row.owner.value()));
  s.request = MessageId(p.value("request", std::int64_t{0}));
  s.by_owner = p.value("owner", false);
  s.prompt = p.value("prompt", "");
  s.negative = p.value("negative", "");
  s.model = p.value("model", "");
  s.provider = p.value("provider", "");
  s.width = std::clamp(p.value("width", 1024), 64, 4096);
  s.height = std::clamp(p.value("height", 1024), 64, 4096);
  s.count = std::clamp(p.value("count", 1), 1, 4);
  s.enhance = p.value("enhance", true);
  s.lang = p.value("lang", services_.config.get_string("bot.language"));
  if (p.contains("seed") && p["seed"].is_number_integer()) s.seed = p["seed"].get<std::int64_t>();
  // A provider that is not set up any more: the chain draws it (with its own default model).
  if (!s.provider.empty() && chain_->find(s.provider) == nullptr) {
    s.provider.clear();
    s.model.clear();
  }
  auto job = std::make_shared<Job>();
  job->chat = s.chat;
  job->user = s.user;
  job->request = s.request;
  job->lang = s.lang;
  job->lane = lane_of(s);
  if (const std::int64_t status = p.value("status", std::int64_t{0}); status != 0)
    job->status = MessageId(status);
  job->spec = std::move(s);
  return job;
}

// ---- a job's work ----

void ImageQueue::start(const assistant::QueuedJobPtr& queued) {
  auto job = std::static_pointer_cast<Job>(queued);
  job->prompt = job->spec.prompt;
  if (job->spec.enhance && enhance_default_) {
    enhance(job);
  } else {
    draw(job);
  }
}

void ImageQueue::stop(const assistant::QueuedJobPtr& queued) {
  auto job = std::static_pointer_cast<Job>(queued);
  disarm(job);
  job->llm_call.cancel();
  job->image_call.cancel();
}

void ImageQueue::disarm(const JobPtr& job) {
  if (job->watchdog_armed) services_.loop.cancel(job->watchdog);
  job->watchdog_armed = false;
}

void ImageQueue::enhance(const JobPtr& job) {
  if (services_.llm == nullptr) {
    on_enhanced(job, std::nullopt);
    return;
  }
  job->phase = Phase::kEnhancing;
  queue_.refresh(job);
  ai::ChatRequest req;
  req.model = assistant::memory::chat_setting(services_, job->chat, "model").value_or("");
  req.system_instruction = PromptTemplates::embedded().render(job->lang, "image.enhance");
  req.messages.push_back({ai::ChatRole::kUser, job->spec.prompt});
  req.max_output_tokens = 600;
  std::weak_ptr<int> alive = alive_;
  // The watchdog: a slow LLM costs the request its enhancement, not its image.
  job->watchdog = services_.loop.post_after(
      kEnhanceDeadline,
      [this, alive, job] {
        if (alive.expired() || job->ended || job->phase != Phase::kEnhancing) return;
        job->watchdog_armed = false;
        services_.log.warn("image", "prompt enhancement timed out");
        job->llm_call.cancel();
        on_enhanced(job, std::nullopt);
      },
      false);
  job->watchdog_armed = true;
  job->llm_call =
      services_.llm->chat(std::move(req), nullptr, [this, alive, job](ai::ChatOutcome outcome) {
        if (alive.expired() || job->ended || job->phase != Phase::kEnhancing) return;
        disarm(job);
        if (!outcome.ok()) {
          services_.log.info("image", "prompt enhancement failed; drawing the prompt as written",
                             {{"error", outcome.error().describe()}});
          on_enhanced(job, std::nullopt);
          return;
        }
        assistant::UsageTracker(services_).record(job->user, job->chat, "imagine",
                                                  outcome.result());
        std::string prompt = clean_prompt(outcome.result().text);
        on_enhanced(job, prompt.empty() ? std::nullopt : std::optional(std::move(prompt)));
      });
}

void ImageQueue::on_enhanced(const JobPtr& job, std::optional<std::string> prompt) {
  if (prompt) {
    job->prompt = std::move(*prompt);
  } else {
    job->not_enhanced = has_non_ascii_letter(job->spec.prompt);
  }
  draw(job);
}

void ImageQueue::draw(const JobPtr& job) {
  job->phase = Phase::kDrawing;
  job->drawing_since = services_.clock.now();
  queue_.refresh(job);
  image::ImageProvider* provider = chain_.get();
  if (!job->spec.provider.empty()) provider = chain_->find(job->spec.provider);
  if (provider == nullptr) {
    ai::ApiError gone;
    gone.kind = ai::ApiErrorKind::kAuth;
    gone.provider = job->spec.provider;
    gone.message = "not set up";
    fail(job, image_error_text(services_.i18n, job->lang, gone, job->spec.by_owner));
    return;
  }
  image::ImageRequest req;
  req.prompt = job->prompt;
  req.negative_prompt = job->spec.negative;
  req.model = job->spec.model;
  req.width = job->spec.width;
  req.height = job->spec.height;
  req.seed = job->spec.seed;
  req.count = job->spec.count;
  req.deadline = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_);
  std::weak_ptr<int> alive = alive_;
  // A provider that never answers must not leave the status up: past the deadline the call is
  // cancelled and the request fails with a timeout.
  job->watchdog = services_.loop.post_after(
      deadline_ + kWatchdogGrace,
      [this, alive, job] {
        if (alive.expired() || job->ended || job->phase != Phase::kDrawing) return;
        job->watchdog_armed = false;
        services_.log.warn("image", "the provider did not answer within the deadline",
                           {{"provider", job->lane}});
        job->image_call.cancel();
        ai::ApiError late;
        late.kind = ai::ApiErrorKind::kTimeout;
        late.provider = job->spec.provider.empty() ? chain_->name() : job->spec.provider;
        if (const auto cut = late.provider.find('>'); cut != std::string::npos)
          late.provider.resize(cut);
        fail(job, image_error_text(services_.i18n, job->lang, late, job->spec.by_owner));
      },
      false);
  job->watchdog_armed = true;
  job->image_call = provider->generate(
      std::move(req),
      [this, alive, job](const image::ImageProgress& progress) {
        if (alive.expired() || job->ended || job->phase != Phase::kDrawing) return;
        job->progress = progress;
        queue_.refresh(job);
      },
      [this, alive, job](ai::ApiOutcome<image::ImageResult> outcome) {
        if (alive.expired()) return;
        on_drawn(job, std::move(outcome));
      });
}

void ImageQueue::on_drawn(const JobPtr& job, ai::ApiOutcome<image::ImageResult> outcome) {
  if (job->ended || job->phase != Phase::kDrawing) {  // cancelled, or the watchdog ended it
    queue_.finish(job, Outcome::kCancelled);
    return;
  }
  disarm(job);
  job->progress.reset();
  if (!outcome.ok()) {
    const ai::ApiError& e = outcome.error();
    services_.log.warn("image", "image request failed", {{"error", e.describe()}});
    fail(job, image_error_text(services_.i18n, job->lang, e, job->spec.by_owner));
    return;
  }
  image::ImageResult result = std::move(outcome.value());
  if (result.images.empty()) {
    ai::ApiError none;
    none.kind = ai::ApiErrorKind::kMalformed;
    none.provider = result.provider;
    fail(job, image_error_text(services_.i18n, job->lang, none, job->spec.by_owner));
    return;
  }
  job->drew_with = result.provider;
  assistant::UsageTracker(services_).record_images(job->user, job->chat, "imagine", result.provider,
                                                   result.model,
                                                   static_cast<std::int64_t>(result.images.size()));
  write(job, std::move(result));
}

void ImageQueue::write(const JobPtr& job, image::ImageResult result) {
  job->phase = Phase::kSending;
  queue_.refresh(job);
  auto written = std::make_shared<Written>();
  written->result = std::move(result);
  const std::string stem = "img-" + std::to_string(to_unix_ms(services_.clock.wall_now())) + "-" +
                           std::to_string(job->chat.value()) + "-" + std::to_string(next_file_++);
  const std::filesystem::path dir = image_dir(services_.config);
  std::weak_ptr<int> alive = alive_;
  const bool queued =
      services_.workers != nullptr &&
      services_.workers->run(
          services_.loop, [this, alive, job, written, stem, dir]() -> std::function<void()> {
            // On a worker thread: only `written` (owned here until the continuation) is touched.
            int k = 0;
            for (const auto& img : written->result.images) {
              const std::string path =
                  (dir / (stem + "-" + std::to_string(++k) + "." +
                          std::string(image::image_file_extension(img.format))))
                      .string();
              std::ofstream out(path, std::ios::binary | std::ios::trunc);
              out.write(img.bytes.data(), static_cast<std::streamsize>(img.bytes.size()));
              out.close();
              written->all.push_back(path);
              if (!out) {
                written->error = "could not write " + path;
                break;
              }
              (img.send_as_document ? written->documents : written->photos).push_back(path);
            }
            return [this, alive, job, written] {
              if (alive.expired()) return;
              if (job->ended) {
                discard_files(written->all);
                queue_.finish(job, Outcome::kCancelled);
                return;
              }
              if (written->error) {
                discard_files(written->all);
                services_.log.warn("image", "could not write an image",
                                   {{"error", *written->error}});
                fail(job, tr(*job, "image.error.failed", {{"detail", *written->error}}));
                return;
              }
              send(job, written);
            };
          });
  if (!queued) {
    fail(job, tr(*job, "image.error.failed", {{"detail", "no worker free"}}));
  }
}

void ImageQueue::send(const JobPtr& job, const std::shared_ptr<Written>& written) {
  const image::ImageResult& r = written->result;
  const image::GeneratedImage& first = r.images.front();
  CaptionFacts facts;
  facts.prompt = job->spec.prompt;
  facts.provider = r.provider;
  facts.model = r.model;
  facts.width = first.width;
  facts.height = first.height;
  facts.seed = first.seed ? first.seed : job->spec.seed;
  facts.took =
      std::chrono::duration_cast<std::chrono::seconds>(services_.clock.now() - job->started_at);
  facts.images = static_cast<int>(r.images.size());
  facts.not_enhanced = job->not_enhanced;
  written->caption =
      image_caption(services_.i18n, job->lang, facts, services_.transport.caption_limit());
  telegram::SendOptions options;
  options.reply_to = job->request;
  std::weak_ptr<int> alive = alive_;
  const auto next = [this, alive, job, written](const Status& sent) {
    if (alive.expired()) return;
    if (job->ended) {
      discard_files(written->all);
      queue_.finish(job, Outcome::kCancelled);
      return;
    }
    if (!sent.is_ok()) {
      discard_files(written->all);
      services_.log.warn("image", "could not send an image", {{"error", sent.to_string()}});
      fail(job, tr(*job, "image.error.send", {{"detail", sent.message()}}));
      return;
    }
    send_documents(job, written, 0);
  };
  if (written->photos.size() >= 2) {
    written->caption_used = true;
    services_.transport.send_photos(job->chat, written->photos, written->caption, options,
                                    [next](Result<std::vector<MessageId>> sent) {
                                      next(sent.is_ok() ? Status() : sent.status());
                                    });
  } else if (written->photos.size() == 1) {
    written->caption_used = true;
    services_.transport.send_photo(
        job->chat, written->photos.front(), written->caption, options,
        [next](Result<MessageId> sent) { next(sent.is_ok() ? Status() : sent.status()); });
  } else {
    send_documents(job, written, 0);
  }
}

void ImageQueue::send_documents(const JobPtr& job, const std::shared_ptr<Written>& written,
                                std::size_t index) {
  if (index >= written->documents.size()) {
    discard_files(written->all);
    queue_.finish(job, Outcome::kOk);
    return;
  }
  telegram::SendOptions options;
  options.reply_to = job->request;
  const telegram::FormattedText caption =
      written->caption_used ? telegram::FormattedText() : written->caption;
  written->caption_used = true;
  std::weak_ptr<int> alive = alive_;
  services_.transport.send_document(
      job->chat, written->documents[index], caption, options,
      [this, alive, job, written, index](Result<MessageId> sent) {
        if (alive.expired()) return;
        if (job->ended) {
          discard_files(written->all);
          queue_.finish(job, Outcome::kCancelled);
          return;
        }
        if (!sent.is_ok()) {
          discard_files(written->all);
          fail(job, tr(*job, "image.error.send", {{"detail", sent.status().message()}}));
          return;
        }
        send_documents(job, written, index + 1);
      });
}

void ImageQueue::fail(const JobPtr& job, const std::string& text) {
  disarm(job);
  queue_.finish(job, Outcome::kError, text);
}

void ImageQueue::discard_files(const std::vector<std::string>& paths) const {
  // The console's chat keeps what it was sent: there the file is the photo.
  if (services_.transport.keeps_sent_files()) return;
  for (const auto& path : paths) {
    std::error_code ec;
    std::filesystem::remove(path, ec);
  }
}

}  // namespace sakai::features
