#pragma once
// Prompt templates: the system instructions SakaiBot sends to LLMs, kept as data
// (prompts/<lang>.toml, compiled in by cmake/GenerateLocales.cmake as embedded_prompts()).
// Each language's file is written natively, not translated. Tables nest into dotted keys
// ("prompt.system", "summary.instruction"); values are strings with {name} placeholders.
// A key missing in a language falls back to English; a key missing everywhere renders empty.
// The loader is generic: features add their own tables without touching this class.
// Thread-safety: immutable after loading; render() may be called from any thread.
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace sakai {

class PromptTemplates {
 public:
  using Args = std::vector<std::pair<std::string, std::string>>;

  // Adds (or replaces) one language's templates from TOML text.
  Status add(const std::string& lang, std::string_view toml_text);
  // The templates compiled into the binary (loaded once, shared).
  static const PromptTemplates& embedded();

  [[nodiscard]] bool has(std::string_view lang, std::string_view key) const;
  [[nodiscard]] std::vector<std::string> keys(std::string_view lang) const;
  [[nodiscard]] std::vector<std::string> languages() const;
  // The template for `key` in `lang` (else English) with {name} placeholders substituted;
  // unknown placeholders stay as written.
  [[nodiscard]] std::string render(std::string_view lang, std::string_view key,
                                   const Args& args = {}) const;

 private:
  std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> langs_;
};

}  // namespace sakai
