#pragma once
// Localised strings. Catalogs are data (locales/<lang>.toml); every user-facing string comes
// from here. Placeholders are written {name}; plural and select blocks use ICU MessageFormat's
// syntax ({count, plural, one {# message} other {# messages}}), see core/i18n_message.h. A value
// that is a plain number ("1234", "0.25") is written in the catalog language's digits and
// grouping (fa "۱٬۲۳۴"; ICU underneath, see core/format.h). In right-to-left catalogs (fa, ar) a
// substituted value of the other direction (a command, URL or model name in a Persian sentence)
// is wrapped in Unicode isolates so it renders in the right order without reordering the sentence
// around it.
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
  // Adds (or replaces) the catalog for `lang` from TOML text: tables nest into dotted keys. A
  // message whose placeholder syntax is malformed (an unclosed plural block, a block without an
  // "other" branch) is refused with its key.
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
  // The message as written in `lang`'s catalog (no fallback), or nullptr.
  [[nodiscard]] const std::string* message(std::string_view lang, std::string_view key) const;

  // Looks `key` up in `lang`, then in English; a missing key renders as the key itself so a gap
  // is visible instead of silent.
  [[nodiscard]] std::string tr(std::string_view lang, std::string_view key,
                               std::initializer_list<TrArg> args = {}) const;
  [[nodiscard]] std::string tr(std::string_view lang, std::string_view key,
                               const std::vector<TrArg>& args) const;

  // Wraps `value` in first-strong isolates when it holds letters of the direction opposite to
  // `lang`'s, or, in a right-to-left language, a "/" (a command) or an ASCII digit (an id, a
  // version, "-5"), which would otherwise be reordered by the sentence around them. Single-line
  // values only (an isolate ends at a line break).
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
