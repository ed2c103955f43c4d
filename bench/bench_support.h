#pragma once
// What the benchmarks share: the sample chat they feed the bot, and a BotCore set up the way the
// bot runs it (SystemClock, real SQLite, the log kept in memory).
#include <array>
#include <filesystem>
#include <memory>
#include <span>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "app/bot_core.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/result.h"

namespace sakai::bench {

// Ordinary chat in English and Persian, short and long, with emoji, a link and a line that starts
// with '/' but is no command. None needs escaping in JSON.
inline constexpr std::array<const char*, 10> kChatPhrases = {
    "salam, chetori? emshab miay?",
    "سلام، امشب می‌آیی؟ ساعت ۸ خوبه؟",
    "I'll be there around 8, traffic is terrible today",
    "این فیلم رو دیدی؟ خیلی قشنگ بود 😍",
    "ok",
    "https://example.com/some/article?id=42 check this out",
    "هوا امروز خیلی سرده، لباس گرم بپوش",
    "lol 😂😂",
    "/path/to/file is where the logs are",
    "can you send me the document from yesterday's meeting please?",
};

// The first `n` of kChatPhrases followed by `more`, in that order.
std::vector<const char*> chat_phrases(std::size_t n, std::span<const char* const> more);

// A BotCore for a benchmark. `settings` (key, value) are set over the defaults: log.level =
// error and, unless `settings` sets storage.path, a SQLite database in a fresh temporary
// directory sakaibot-<name>-<pid> that the destructor removes after the core is gone.
class BenchCore {
 public:
  using Settings = std::vector<std::pair<std::string, std::string>>;

  explicit BenchCore(const std::string& name, const Settings& settings = {});
  ~BenchCore();
  BenchCore(const BenchCore&) = delete;
  BenchCore& operator=(const BenchCore&) = delete;

  // Why the core could not be created; OK when it was.
  [[nodiscard]] const Status& status() const { return status_; }
  [[nodiscard]] bool ok() const { return core_ != nullptr; }
  app::BotCore& operator*() { return *core_; }
  app::BotCore* operator->() { return core_.get(); }
  // Destroys the core now, while a transport attached to it still exists.
  void reset() { core_.reset(); }

 private:
  std::filesystem::path dir_;  // empty when storage.path came from `settings`
  SystemClock clock_;
  std::ostringstream log_sink_;
  std::unique_ptr<app::BotCore> core_;
  Status status_;
};

}  // namespace sakai::bench
