#pragma once
// How a remote service SakaiBot calls (an LLM provider, a speech engine) has been doing lately,
// as /health shows it: the state of the circuit breaker in front of it (net::CircuitBreaker).
// A plain value; no threading concerns.
#include <string>

#include "core/clock.h"

namespace sakai {

struct ServiceHealth {
  enum class Circuit {
    kClosed,    // calls go through (`consecutive_failures` may already be counting)
    kHalfOpen,  // it failed repeatedly; the next call is the trial that decides
    kOpen,      // it failed repeatedly, just now
  };
  std::string kind;  // "llm", "stt", "tts"
  std::string name;  // "gemini", "openrouter", "openai"
  Circuit circuit = Circuit::kClosed;
  int consecutive_failures = 0;
  // kOpen: calls are skipped (the LLM chain answers with the next provider) for this much longer.
  // False: an open circuit only reports (speech has no other engine to turn to).
  bool skips_calls = false;
  Clock::Duration cool_down_left{};
};

}  // namespace sakai
