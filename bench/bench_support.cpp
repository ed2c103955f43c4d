#include "bench_support.h"

#include <unistd.h>

#include <algorithm>

namespace sakai::bench {

std::vector<const char*> chat_phrases(std::size_t n, std::span<const char* const> more) {
  std::vector<const char*> out(kChatPhrases.begin(),
                               kChatPhrases.begin() + static_cast<std::ptrdiff_t>(n));
  out.insert(out.end(), more.begin(), more.end());
  return out;
}

BenchCore::BenchCore(const std::string& name, const Settings& settings) {
  Config config;
  config.set("log.level", "error", "bench");
  const bool own_storage = std::none_of(settings.begin(), settings.end(),
                                        [](const auto& s) { return s.first == "storage.path"; });
  if (own_storage) {
    dir_ = std::filesystem::temp_directory_path() /
           ("sakaibot-" + name + "-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    config.set("storage.path", (dir_ / "bench.db").string(), "bench");
  }
  for (const auto& [key, value] : settings)
    config.set(key, value, "bench");
  auto core = app::BotCore::create(config, log_sink_, clock_);
  if (core.is_ok()) {
    core_ = std::move(core).value();
  } else {
    status_ = core.status();
  }
}

BenchCore::~BenchCore() {
  core_.reset();
  if (!dir_.empty()) std::filesystem::remove_all(dir_);
}

}  // namespace sakai::bench
