#include "telegram/tdjson/td_client.h"

#include "telegram/tdjson/td_decode.h"
#include "telegram/tdjson/td_errors.h"

#include <cstdio>
#include <exception>
#include <nlohmann/json.hpp>
#include <unordered_map>
#include <utility>
#include <vector>

namespace sakai::telegram::tdjson {

namespace {

using nlohmann::json;

constexpr std::string_view kComponent = "tdlib";
// "@extra" of our own close request; send() numbers requests from 1.
constexpr std::uint64_t kCloseExtra = 0;

std::string str_field(const json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string format_seconds(Clock::Duration d) {
  const double s = std::chrono::duration<double>(d).count();
  char buf[32];
  if (s == static_cast<double>(static_cast<long long>(s))) {
    std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(s));
  } else {
    std::snprintf(buf, sizeof buf, "%.3g", s);
  }
  return buf;
}

std::string to_ms(Clock::Duration d) {
  return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(d).count());
}

}  // namespace

struct TdClient::Core {
  struct Pending {
    ResponseCallback cb;
    std::string type;
    EventLoop::TimerId timer = 0;
    Clock::TimePoint sent_at;
    Clock::Duration deadline{};
  };

  Core(EventLoop& l, Logger& lg) : loop(l), logger(lg) {}

  std::optional<Pending> take(std::uint64_t id) {
    std::lock_guard lock(mu);
    auto it = pending.find(id);
    if (it == pending.end()) return std::nullopt;
    Pending p = std::move(it->second);
    pending.erase(it);
    return p;
  }

  // On the loop thread, when the deadline timer fires.
  void expire(std::uint64_t id) {
    auto p = take(id);
    if (!p) return;  // answered meanwhile
    const std::string within = format_seconds(p->deadline);
    logger.warn(kComponent, "request got no answer in time",
                {{"type", p->type}, {"extra", std::to_string(id)}, {"deadline_s", within}});
    p->cb(make_error(ErrorCode::kDeadlineExceeded,
                     "tdlib: " + p->type + " got no answer within " + within + " s"));
    loop.end_work();
  }

  EventLoop& loop;
  Logger& logger;
  mutable std::mutex mu;
  std::unordered_map<std::uint64_t, Pending> pending;
  std::atomic<std::uint64_t> next_id{1};
  std::atomic<std::uint64_t> dropped{0};
};

TdClient::TdClient(TdJsonHub& hub, EventLoop& loop, Logger& logger, const Clock& clock,
                   TdClientOptions options)
    : hub_(hub),
      loop_(loop),
      logger_(logger),
      clock_(clock),
      options_(options),
      core_(std::make_shared<Core>(loop, logger)) {}

TdClient::~TdClient() {
  stop();
}

void TdClient::set_update_sink(UpdateSink sink) {
  if (started_) {
    logger_.error(kComponent, "set_update_sink after start() ignored");
    return;
  }
  sink_ = std::move(sink);
}

void TdClient::start() {
  if (started_ || stopped_) {
    logger_.error(kComponent, "start() ignored: the client was already started or stopped");
    return;
  }
  started_ = true;
  client_id_ = hub_.add_client([this](std::string_view object) { dispatch(object); });
  logger_.info(kComponent, "client started", {{"client_id", std::to_string(client_id_)}});
}

void TdClient::stop() {
  if (stopped_.exchange(true)) return;
  if (!started_) return;
  stopping_ = true;
  const auto began = clock_.now();
  if (!closed()) hub_.api().send(client_id_, R"({"@type":"close","@extra":0})");
  bool confirmed = false;
  {
    std::unique_lock lock(state_mu_);
    confirmed = state_cv_.wait_for(lock, options_.close_timeout, [this] { return closed_; });
  }
  if (!confirmed) {
    logger_.warn(kComponent, "close not confirmed in time; abandoning the client",
                 {{"client_id", std::to_string(client_id_)},
                  {"timeout_ms", std::to_string(options_.close_timeout.count())}});
  }
  // After this nothing of this client reaches dispatch() any more.
  hub_.remove_client(client_id_);

  std::vector<Core::Pending> rest;
  {
    std::lock_guard lock(core_->mu);
    for (auto& [id, p] : core_->pending)
      rest.push_back(std::move(p));
    core_->pending.clear();
  }
  for (auto& p : rest) {
    loop_.cancel(p.timer);
    fail_later(std::move(p.cb), make_error(ErrorCode::kCancelled,
                                           "tdlib: " + p.type + " cancelled: the client stopped"));
    loop_.end_work();
  }
  logger_.info(kComponent, "client stopped",
               {{"client_id", std::to_string(client_id_)},
                {"closed", confirmed ? "true" : "false"},
                {"cancelled", std::to_string(rest.size())},
                {"took_ms", to_ms(clock_.now() - began)}});
}

bool TdClient::closed() const {
  std::lock_guard lock(state_mu_);
  return closed_;
}

std::size_t TdClient::pending_requests() const {
  std::lock_guard lock(core_->mu);
  return core_->pending.size();
}

std::uint64_t TdClient::dropped_responses() const {
  return core_->dropped.load();
}

void TdClient::fail_later(ResponseCallback cb, Status status) {
  loop_.post([cb = std::move(cb), status = std::move(status)] { cb(status); });
}

std::uint64_t TdClient::send(std::string request_json, Clock::Duration deadline,
                             ResponseCallback cb) {
  const std::uint64_t id = core_->next_id++;
  if (!cb) cb = [](const Result<std::string>&) {};
  json request = json::parse(request_json, nullptr, false);
  const std::string type = request.is_object() ? str_field(request, "@type") : std::string();
  if (type.empty()) {
    fail_later(std::move(cb), make_error(ErrorCode::kInvalidArgument,
                                         "tdlib: request is not a JSON object with \"@type\""));
    return id;
  }
  if (!started_) {
    fail_later(std::move(cb), make_error(ErrorCode::kFailedPrecondition,
                                         "tdlib: " + type + " sent before the client started"));
    return id;
  }
  if (stopping_ || closed()) {
    fail_later(std::move(cb),
               make_error(ErrorCode::kUnavailable, "tdlib: " + type + ": the client is closed"));
    return id;
  }
  request["@extra"] = id;
  const std::string text = request.dump(-1, ' ', false, json::error_handler_t::replace);
  {
    std::lock_guard lock(core_->mu);
    core_->pending.emplace(id, Core::Pending{std::move(cb), type, 0, clock_.now(), deadline});
  }
  loop_.begin_work();
  // keeps_alive = true: run_until_idle() waits for outstanding work without looking at
  // background timers, so a background deadline would never fire there. The timer is
  // cancelled as soon as the answer arrives, so it never holds an idle loop open.
  const auto timer = loop_.post_after(
      deadline, [core = core_, id] { core->expire(id); }, true);
  {
    std::lock_guard lock(core_->mu);
    if (auto it = core_->pending.find(id); it != core_->pending.end()) it->second.timer = timer;
  }
  hub_.api().send(client_id_, text);
  return id;
}

void TdClient::dispatch(std::string_view object) {
  // One decode per object (simdjson, on this thread): answers are matched by "@extra", and the
  // typed event goes to the sink so nothing downstream parses the JSON again.
  TdEvent event = decode_td_object(object, &groups_);
  if (const auto* chat = std::get_if<ChatSeen>(&event)) {
    if (chat->kind == ChatKind::kPrivate) {
      groups_.erase(chat->id.value());
    } else {
      groups_.insert(chat->id.value());
    }
  }
  if (auto* response = std::get_if<Response>(&event)) {
    if (response->request_id == kCloseExtra) {
      // close's own answer, or an error TDLib sent without "@extra".
      if (response->is_error) {
        logger_.debug(
            kComponent, "unmatched error from TDLib",
            {{"code", std::to_string(response->error_code)}, {"message", response->error_message}});
      }
      return;
    }
    auto pending = core_->take(response->request_id);
    if (!pending) {
      core_->dropped++;
      logger_.debug(kComponent, "late answer dropped (deadline passed or request unknown)",
                    {{"type", response->type}, {"extra", std::to_string(response->request_id)}});
      return;
    }
    loop_.cancel(pending->timer);
    Result<std::string> result =
        response->is_error
            ? Result<std::string>(td_error_status(response->error_code, response->error_message))
            : Result<std::string>(std::move(response->json));
    if (logger_.enabled(LogLevel::kDebug)) {
      logger_.debug(kComponent, "answer",
                    {{"request", pending->type},
                     {"type", response->type},
                     {"extra", std::to_string(response->request_id)},
                     {"ms", to_ms(clock_.now() - pending->sent_at)}});
    }
    loop_.post([cb = std::move(pending->cb), result = std::move(result)]() mutable {
      cb(std::move(result));
    });
    loop_.end_work();  // after post(): the queued task keeps run_until_idle() going
    return;
  }
  if (const auto* auth = std::get_if<AuthorizationState>(&event)) {
    logger_.info(kComponent, "authorization state",
                 {{"client_id", std::to_string(client_id_)}, {"state", auth->state}});
    if (auth->state == "authorizationStateClosed") {
      {
        std::lock_guard lock(state_mu_);
        closed_ = true;
      }
      state_cv_.notify_all();
    }
  }
  if (!sink_) return;
  try {
    sink_(object, std::move(event));
  } catch (const std::exception& e) {
    logger_.error(kComponent, "update sink threw", {{"error", e.what()}});
  }
}

}  // namespace sakai::telegram::tdjson
