#pragma once
// The syntax of a catalog message, and its rendering. A message is text with placeholders:
//
//   {name}              the value. A plain number ("42", "0.25", "1,234"; see
//                       l10n::is_plain_number) is written in the catalog language's digits and
//                       grouping; any other value is isolated by the caller's rule
//                       (I18n::isolate_for) so a command or a model name keeps its order.
//   {name, text}        the value as text even when it looks like a number (ids a user copies).
//   {name, duration}    a number of seconds written as a duration ("10 minutes", "۱۰ دقیقه").
//   {name, plural, one {# message} other {# messages}}
//                       ICU MessageFormat's plural block: the branch is chosen by the language's
//                       plural rules (en: one/other; fa: one/other; ar: zero/one/two/few/many/
//                       other) or by an exact "=N" branch; "#" in the branch is the number,
//                       written like {name}. "offset:N" before the branches subtracts N.
//   {name, select, safety {...} other {...}}
//                       ICU's select block: the branch whose keyword equals the value (compared
//                       in lower case, with spaces and hyphens as "_"), else "other"; "{name}"
//                       inside a branch is the value itself.
//
// Every plural and select block needs an "other" branch. There is no apostrophe quoting: a "'" is
// an apostrophe, and "#" is only special inside a plural branch. A "{" that does not start a
// placeholder is kept as text, and a placeholder whose value is not given is kept as written.
// Pure functions; thread-safe.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/i18n.h"
#include "core/result.h"

namespace sakai::i18n_message {

// One placeholder of a message, in order of appearance (nested ones included).
struct Placeholder {
  std::string name;
  std::string type;                    // "", "text", "duration", "plural" or "select"
  std::vector<std::string> selectors;  // plural/select branch keywords as written ("one", "=0")
};

// The placeholders of `tmpl`, or an error naming what is malformed (an unclosed block, a plural
// block without "other", an unknown type).
Result<std::vector<Placeholder>> placeholders(std::string_view tmpl);

// `tmpl` with `args` substituted for `lang` (which chooses digits and plural rules). `isolate` is
// applied to every substituted value that is not written as a number.
std::string render(std::string_view lang, std::string_view tmpl, const std::vector<TrArg>& args,
                   const std::function<std::string(std::string_view)>& isolate);

}  // namespace sakai::i18n_message
