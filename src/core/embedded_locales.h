#pragma once
// The catalogs from locales/*.toml, compiled in by cmake/GenerateLocales.cmake.
#include <string>
#include <vector>

namespace sakai::core {

struct EmbeddedLocale {
  std::string lang;
  std::string toml;
};

const std::vector<EmbeddedLocale>& embedded_locales();
// The prompt templates from prompts/*.toml (same shape: language code and TOML text).
const std::vector<EmbeddedLocale>& embedded_prompts();

}  // namespace sakai::core
