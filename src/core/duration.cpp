#include "core/duration.h"

namespace sakai::text {

std::string human_duration(std::chrono::seconds s) {
  long long t = s.count();
  if (t < 0) t = 0;
  const long long d = t / 86400, h = (t % 86400) / 3600, m = (t % 3600) / 60, sec = t % 60;
  if (d > 0) return std::to_string(d) + "d " + std::to_string(h) + "h";
  if (h > 0) return std::to_string(h) + "h " + std::to_string(m) + "m";
  if (m > 0) return std::to_string(m) + "m " + std::to_string(sec) + "s";
  return std::to_string(sec) + "s";
}

}  // namespace sakai::text
