#include "telegram/tdjson/td_json_hub.h"

#include <exception>
#include <utility>

namespace sakai::telegram::tdjson {

namespace {

constexpr std::string_view kComponent = "tdlib";
constexpr std::string_view kClientIdKey = "\"@client_id\":";

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// Digits of a non-negative int starting at `pos` (after optional spaces); nullopt when none or
// too large.
std::optional<int> int_at(std::string_view s, std::size_t pos) {
  while (pos < s.size() && is_space(s[pos]))
    ++pos;
  long long v = 0;
  std::size_t digits = 0;
  for (; pos < s.size() && s[pos] >= '0' && s[pos] <= '9'; ++pos, ++digits) {
    v = v * 10 + (s[pos] - '0');
    if (v > 2147483647) return std::nullopt;
  }
  if (digits == 0) return std::nullopt;
  return static_cast<int>(v);
}

// TDLib's log lines look like "[ 1][t 3][1795576794.748][Logging.cpp:160][&client]\ttext":
// our Logger adds its own time and level, so keep the text and the source location.
void log_tdlib_message(Logger& logger, int verbosity, std::string_view message) {
  std::string_view text = message;
  std::string where;
  const auto tab = message.find('\t');
  if (!message.empty() && message.front() == '[' && tab != std::string_view::npos) {
    text = message.substr(tab + 1);
    std::string_view header = message.substr(0, tab);
    int group = 0;
    while (!header.empty() && header.front() == '[') {
      const auto close = header.find(']');
      if (close == std::string_view::npos) break;
      if (++group == 4) where = std::string(header.substr(1, close - 1));
      header.remove_prefix(close + 1);
    }
  }
  LogLevel level = LogLevel::kDebug;
  if (verbosity <= 1) {
    level = LogLevel::kError;
  } else if (verbosity == 2) {
    level = LogLevel::kWarn;
  } else if (verbosity == 3) {
    level = LogLevel::kInfo;
  }
  // Verbosity 0 is fatal: TDLib aborts the process as soon as the callback returns.
  logger.log(level, kComponent, verbosity == 0 ? "FATAL: " + std::string(text) : text,
             {{"verbosity", std::to_string(verbosity)}, {"at", where}});
}

}  // namespace

std::optional<int> TdJsonHub::client_id_of(std::string_view object) {
  // TDLib writes `...,"@client_id":N}`: walk back over the closing brace and the digits.
  std::size_t end = object.size();
  while (end > 0 && is_space(object[end - 1]))
    --end;
  if (end > 0 && object[end - 1] == '}') {
    std::size_t start = end - 1;
    while (start > 0 && object[start - 1] >= '0' && object[start - 1] <= '9')
      --start;
    if (start < end - 1 && start >= kClientIdKey.size() &&
        object.substr(start - kClientIdKey.size(), kClientIdKey.size()) == kClientIdKey) {
      return int_at(object, start);
    }
  }
  // Not where TDLib puts it (a hand-written or reordered object): the last occurrence of the
  // key. Inside a JSON string its quotes would be escaped, so this finds only a real key.
  const auto at = object.rfind(kClientIdKey);
  if (at == std::string_view::npos) return std::nullopt;
  return int_at(object, at + kClientIdKey.size());
}

TdJsonHub::TdJsonHub(TdJsonApi& api, Logger& logger, TdJsonHubOptions options)
    : api_(api), logger_(logger), options_(options) {
  // TDLib's global verbosity (1 since TdJsonLibrary::load) is the real filter; this only keeps
  // a raised verbosity from flooding a quieter Logger.
  const int max_verbosity = logger_.enabled(LogLevel::kDebug)  ? 1023
                            : logger_.enabled(LogLevel::kInfo) ? 3
                                                               : 2;
  api_.set_log_callback(max_verbosity, [&logger = logger_](int verbosity, std::string_view msg) {
    log_tdlib_message(logger, verbosity, msg);
  });
}

TdJsonHub::~TdJsonHub() {
  quit_ = true;
  if (thread_.joinable()) thread_.join();
  std::size_t left = 0;
  {
    std::lock_guard lock(mu_);
    left = routes_.size();
    routes_.clear();
  }
  if (left > 0) {
    logger_.error(kComponent, "the TDLib hub went while clients were still registered",
                  {{"clients", std::to_string(left)}});
  }
  api_.set_log_callback(0, nullptr);
}

int TdJsonHub::add_client(Route route) {
  std::lock_guard lock(mu_);
  // Under the lock: an object for the new id (there is none before its first request) always
  // finds its route.
  const int id = api_.create_client_id();
  routes_[id] = std::make_unique<Route>(std::move(route));
  generation_.fetch_add(1);
  if (!thread_.joinable()) thread_ = std::thread([this] { receive_loop(); });
  return id;
}

void TdJsonHub::remove_client(int client_id) {
  std::unique_ptr<Route> removed;
  {
    std::lock_guard lock(mu_);
    auto it = routes_.find(client_id);
    if (it == routes_.end()) return;
    removed = std::move(it->second);
    routes_.erase(it);
    generation_.fetch_add(1);
  }
  if (busy_.load() != client_id) return;  // `removed` is freed here, unused
  if (thread_.get_id() == std::this_thread::get_id()) {
    // From inside that very Route: it is freed once it returns.
    doomed_ = std::move(removed);
    return;
  }
  // Its Route is running on the hub's thread (rare: only while an account closes).
  while (busy_.load() == client_id)
    std::this_thread::yield();
}

std::size_t TdJsonHub::clients() const {
  std::lock_guard lock(mu_);
  return routes_.size();
}

void TdJsonHub::receive_loop() {
  while (!quit_) {
    std::optional<std::string_view> object;
    try {
      object = api_.receive_view(options_.receive_timeout_seconds);
    } catch (const std::exception& e) {
      logger_.error(kComponent, "receive failed", {{"error", e.what()}});
      continue;
    }
    if (object) route(*object);
  }
}

void TdJsonHub::route(std::string_view object) {
  const std::optional<int> id = client_id_of(object);
  Route* target = nullptr;
  if (id) {
    busy_.store(*id);
    if (generation_.load() != snapshot_generation_) {
      std::lock_guard lock(mu_);
      snapshot_.clear();
      for (const auto& [client, r] : routes_)
        snapshot_.emplace_back(client, r.get());
      snapshot_generation_ = generation_.load();
    }
    for (const auto& [client, r] : snapshot_) {
      if (client == *id) {
        target = r;
        break;
      }
    }
  }
  if (target == nullptr) {
    busy_.store(0);
    dropped_++;
    if (logger_.enabled(LogLevel::kDebug)) {
      const auto type_at = object.find("\"@type\":\"");
      const std::string type =
          type_at == std::string_view::npos
              ? std::string("?")
              : std::string(
                    object.substr(type_at + 9, object.find('"', type_at + 9) - (type_at + 9)));
      logger_.debug(
          kComponent, "object for no registered client dropped",
          {{"client_id", id ? std::to_string(*id) : std::string("none")}, {"type", type}});
    }
    return;
  }
  try {
    (*target)(object);
  } catch (const std::exception& e) {
    logger_.error(kComponent, "client threw on an object",
                  {{"client_id", std::to_string(*id)}, {"error", e.what()}});
  }
  // Release is enough here: a remover waiting for 0 then sees everything the call did.
  busy_.store(0, std::memory_order_release);
  doomed_.reset();
}

}  // namespace sakai::telegram::tdjson
