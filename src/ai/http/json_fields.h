#pragma once
// Lenient reads of optional JSON members for the cloud adapters (src/ai). Used where a missing,
// null or oddly typed member must not abort parsing (error bodies, usage counters). Answer text
// is read strictly instead: a wrong type there is a malformed response.
#include <nlohmann/json.hpp>
#include <string>

namespace sakai::ai {

// The member, or nullptr when `j` is not an object or the member is absent or null.
inline const nlohmann::json* member(const nlohmann::json& j, const char* key) {
  if (!j.is_object()) return nullptr;
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return nullptr;
  return &*it;
}

// A string member as is, a number or bool as its JSON text, anything else as "".
inline std::string string_field(const nlohmann::json& j, const char* key) {
  const auto* m = member(j, key);
  if (!m) return {};
  if (m->is_string()) return m->get<std::string>();
  if (m->is_number() || m->is_boolean()) return m->dump();
  return {};
}

// An integer member; int64 values that Gemini writes as strings are accepted too.
inline long long int_field(const nlohmann::json& j, const char* key, long long fallback = 0) {
  const auto* m = member(j, key);
  if (!m) return fallback;
  if (m->is_number_integer()) return m->get<long long>();
  if (m->is_number_float()) return static_cast<long long>(m->get<double>());
  if (m->is_string()) {
    const auto& s = m->get_ref<const std::string&>();
    if (s.empty() || s.size() > 18) return fallback;
    long long v = 0;
    for (const char c : s) {
      if (c < '0' || c > '9') return fallback;
      v = v * 10 + (c - '0');
    }
    return v;
  }
  return fallback;
}

}  // namespace sakai::ai
