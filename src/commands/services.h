#pragma once
// Everything a command handler may use, handed in by the app: one account's view of the
// process (its transport, store, configuration) and the parts the process shares (loop, HTTP
// client, worker pool). No globals: a test builds its own. No member belongs to one feature: a
// feature keeps its own state in what its hooks capture (commands/feature.h).
// Thread-safety: all members are used on the event loop thread (WorkerPool::run may be called
// from any thread).
#include <chrono>
#include <memory>
#include <string>

#include "core/clock.h"
#include "core/config.h"
#include "core/event_loop.h"
#include "core/i18n.h"
#include "core/log.h"
#include "storage/store.h"
#include "telegram/transport.h"

namespace sakai {
class WorkerPool;
}
namespace sakai::ai {
class LlmProvider;
}
namespace sakai::assistant {
class LiveAnswers;
}
namespace sakai::net {
class HttpClient;
}

namespace sakai::commands {

class PendingConfirmations;
class Registry;

struct Services {
  telegram::Transport& transport;
  storage::Store& store;
  const I18n& i18n;
  const Config& config;
  Logger& log;
  EventLoop& loop;
  const Clock& clock;
  const Registry& registry;
  std::string version;
  std::string transport_name;  // "console", "tdlib", "memory"
  Clock::TimePoint started_at;
  // The LLM fallback chain built from the configuration (never null; with no provider
  // configured every call fails with an error that says how to add one).
  ai::LlmProvider* llm = nullptr;
  // Shared HTTP client (libcurl), for providers of other kinds (speech, images).
  net::HttpClient* http = nullptr;
  // The process's pool for CPU work (speech, encoding, images); null when the app gave none
  // (then work that needs it fails with a clear error).
  WorkerPool* workers = nullptr;
  // The LLM answers being written, for /stop; null when the app keeps no such list.
  assistant::LiveAnswers* answers = nullptr;
  // False once the app is shutting down: work still queued then is dropped without answering
  // (the transport may already be gone). Shared, so whatever holds it outlives these Services.
  std::shared_ptr<bool> live = std::make_shared<bool>(true);
  // The account these services serve ("default" while the process has one account).
  std::string account = "default";
  // The directory SakaiBot keeps its files in, as the app resolved it (data.dir, else
  // $XDG_DATA_HOME/sakaibot, else ~/.local/share/sakaibot); empty when the app gave none (tests
  // that build bare Services: then data.dir, and no directory at all when that is empty too).
  std::string data_dir = {};
  // The friends' commands waiting for the owner's confirmation (/auth pending): set by the
  // CommandRouter for its lifetime, null without one.
  PendingConfirmations* pending = nullptr;
};

}  // namespace sakai::commands
