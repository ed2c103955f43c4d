#pragma once
// Localised strings. Catalogs are data (locales/<lang>.toml); every user-facing string comes
// from here. Placeholders are written {name}. In right-to-left catalogs (fa, ar) a substituted
// value of the other direction (a command, URL or model name in a Persian sentence) is wrapped in
// Unicode isolates so it renders in the right order without reordering the sentence around it.
// Thread-safety: immutable after loading; tr() may be called from any thread.
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace sakai {

struct TrArg {
  std::string_view name;
  std::string value;
};

class I18n {
 public:
  // Adds (or replaces) the catalog for `lang` from TOML text: tables nest into dotted keys.
  Status add_catalog(const std::string& lang, std::string_view toml_text);
  // The catalogs compiled into the binary.
  static Result<I18n> from_embedded();

  [[nodiscard]] bool has_language(std::string_view lang) const;
  [[nodiscard]] std::vector<std::string> languages() const;
  [[nodiscard]] bool is_rtl(std::string_view lang) const;
  // The language's own name ("فارسی"), from its catalog's meta.name.
  [[nodiscard]] std::string language_name(std::string_view lang) const;
  [[nodiscard]] std::vector<std::string> keys(std::string_view lang) const;
  [[nodiscard]] bool has_key(std::string_view lang, std::string_view key) const;

  // Looks `key` up in `lang`, then in English; a missing key renders as the key itself so a gap
  // is visible instead of silent.
  [[nodiscard]] std::string tr(std::string_view lang, std::string_view key,
                               std::initializer_list<TrArg> args = {}) const;
  [[nodiscard]] std::string tr(std::string_view lang, std::string_view key,
                               const std::vector<TrArg>& args) const;

  // Wraps `value` in first-strong isolates when it holds letters of the direction opposite to
  // `lang`'s; single-line values only (an isolate ends at a line break).
  [[nodiscard]] std::string isolate_for(std::string_view lang, std::string_view value) const;

 private:
  struct Catalog {
    bool rtl = false;
    std::string name;
    std::map<std::string, std::string, std::less<>> messages;
  };
  std::map<std::string, Catalog, std::less<>> catalogs_;
};

inline constexpr std::string_view kFirstStrongIsolate = "\u2068";
inline constexpr std::string_view kPopDirectionalIsolate = "\u2069";

}  // namespace sakai
