#pragma once
// Durations for people. Pure functions, thread-safe.
#include <chrono>
#include <string>

namespace sakai::text {

// The two largest units of `s`: "3d 4h", "2h 5m", "4m 10s", "42s" (negative counts as 0).
std::string human_duration(std::chrono::seconds s);

}  // namespace sakai::text
