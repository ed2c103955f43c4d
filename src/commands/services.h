#pragma once
// Everything a command handler may use, handed in by the app. No globals: a test builds its own.
// Thread-safety: all members are used on the event loop thread.
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
namespace sakai::net {
class HttpClient;
}

namespace sakai::commands {

class LiveAnswers;
class Registry;
class TtsQueue;

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
  // The process's pool for CPU work (speech, Opus encoding, images); the app always sets it.
  WorkerPool* workers = nullptr;
  // The text-to-speech queue (/tts); null when the app did not build one.
  TtsQueue* tts = nullptr;
  // The LLM answers being written, for /stop; null when the app keeps no such list.
  LiveAnswers* answers = nullptr;
  // False once the app is shutting down: work still queued then is dropped without answering
  // (the transport may already be gone). Shared, so whatever holds it outlives these Services.
  std::shared_ptr<bool> live = std::make_shared<bool>(true);
};

}  // namespace sakai::commands
