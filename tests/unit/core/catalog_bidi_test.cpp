// Every Persian and Arabic catalog message, rendered with realistic values, displays in the right
// order: each command, URL, number and value keeps its left-to-right order, and the sentence
// keeps its right-to-left order (support/bidi_check.h runs ICU's implementation of the Unicode
// bidi algorithm). And every number a Persian or Arabic reader sees is in their digits.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/format.h"
#include "core/i18n.h"
#include "core/i18n_message.h"
#include "support/bidi_check.h"

namespace sakai {
namespace {

const I18n& embedded() {
  static const I18n i18n = [] {
    auto r = I18n::from_embedded();
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    return r.is_ok() ? std::move(r).value() : I18n();
  }();
  return i18n;
}

// A value of the kind the code passes for each placeholder name: commands, URLs, model names,
// ids and numbers, as left-to-right as they come. A placeholder without a sample fails the test
// (add one here when you add a placeholder).
const std::map<std::string, std::vector<std::string>>& samples() {
  static const std::map<std::string, std::vector<std::string>> s = {
      {"aliases", {"/h, /commands"}},
      {"ago", {"600", "45"}},
      {"arg", {"groupz"}},
      {"backend", {"SQLite"}},
      {"calls", {"1", "2", "1234"}},
      {"chars", {"4200"}},
      {"chat", {"-1001234567890", "Book club"}},
      {"choices", {"WIDTHxHEIGHT (256–2048), 1:1, 16:9, square, portrait"}},
      {"code", {"en"}},
      {"command", {"/prompt"}},
      {"cost", {"$0.0123"}},
      {"count", {"0", "1", "2", "3", "11", "100", "1234"}},
      {"date", {"2025-01-31 12:00 UTC"}},
      {"detail", {"HTTP 500 Internal Server Error"}},
      {"done", {"3"}},
      {"engine", {"local"}},
      {"error", {"connection refused"}},
      {"errors", {"0", "2"}},
      {"example", {"/help ping"}},
      {"examples", {"en, de, French"}},
      {"failures", {"1", "2", "6"}},
      {"fits", {"fa", "kal16"}},
      {"found", {"0", "1", "2", "3", "11", "40"}},
      {"free", {"12.3 GB", "180 MB"}},
      {"host", {"127.0.0.1:11434", "api.groq.com"}},
      {"idle", {"600"}},
      {"images", {"1", "3", "12"}},
      {"input", {"1,234"}},
      {"key_setting", {"gemini.api_keys"}},
      {"kind", {"Speech-to-text"}},
      {"keys", {"1", "2", "3", "11"}},
      {"language", {"English"}},
      {"left", {"3300", "59"}},
      {"languages", {"English (en), Deutsch (de)"}},
      {"limit", {"1", "100000"}},
      {"location", {"/home/ali/.local/share/sakaibot/sakaibot.db"}},
      {"max", {"1", "3", "500", "600"}},
      {"mode", {"direct"}},
      {"model", {"gemini-2.5-flash"}},
      {"model_setting", {"gemini.model"}},
      {"models", {"flux, turbo, kontext"}},
      {"modes", {"general, fun, romance"}},
      {"ms", {"0.25", "42"}},
      {"name", {"Gemini"}},
      {"output", {"5,678"}},
      {"package", {"libpocketsphinx3", "pocketsphinx-en-us"}},
      {"period", {"yesterday"}},
      {"persona", {"a pirate"}},
      {"position", {"3"}},
      {"queued", {"0", "4"}},
      {"provider", {"OpenRouter"}},
      {"providers", {"pollinations, huggingface, openai"}},
      {"rate", {"5x"}},
      {"reason", {"content filter", "safety", "moderation: hate"}},
      {"refresh", {"/chats refresh"}},
      {"request", {"/prompt=capital of France?", "/ping"}},
      {"reset", {"/model reset"}},
      {"running", {"1"}},
      {"schema", {"3"}},
      {"seconds", {"1", "30", "600"}},
      {"seed", {"42", "-1"}},
      {"size", {"12.3 KB", "1024×1024", "16:9"}},
      {"skipped", {"1", "2", "3", "11", "31"}},
      {"state", {"ready"}},
      {"speaks", {"en", "fa", "ar"}},
      {"status", {"500", "502"}},
      {"sub", {"grant"}},
      {"suggestion", {"/help ping"}},
      {"text", {"tomorrow please"}},
      {"thinking", {"0"}},
      {"threads", {"2"}},
      {"tokens", {"1", "1,234"}},
      {"topic", {"pnig"}},
      {"topics", {"/topics <id>"}},
      {"total", {"10"}},
      {"transport", {"TDLib"}},
      {"until", {"2025-01-31"}},
      {"url_setting", {"openai.base_url"}},
      {"uptime", {"3700"}},
      {"used", {"1,234", "1", "2", "9"}},
      {"user", {"@mallory"}},
      {"value", {"abc"}},
      {"version", {"0.1.0"}},
      {"voice", {"kal17"}},
      {"what", {"/prompt, /tts"}},
  };
  return s;
}

struct Rendering {
  std::string text;
  std::vector<std::string> values;
  std::string args;  // for messages
};

// The message rendered with every combination of the first placeholder's samples (so each plural
// branch is seen) and the first sample of the others.
std::vector<Rendering> renderings(const std::string& lang, const std::string& key,
                                  std::string* missing) {
  const I18n& i18n = embedded();
  const std::string* tmpl = i18n.message(lang, key);
  auto ps = i18n_message::placeholders(tmpl ? *tmpl : "");
  std::vector<std::string> names;
  for (const auto& p : ps.is_ok() ? *ps : std::vector<i18n_message::Placeholder>{}) {
    if (std::find(names.begin(), names.end(), p.name) == names.end()) names.push_back(p.name);
  }
  for (const auto& n : names) {
    if (!samples().count(n)) *missing += (missing->empty() ? "" : ", ") + n;
  }
  std::vector<Rendering> out;
  const auto& all = samples();
  // Vary each placeholder in turn, the others at their first sample.
  std::set<std::string> seen;
  for (std::size_t vary = 0; vary < std::max<std::size_t>(names.size(), 1); ++vary) {
    const std::size_t n_choices =
        names.empty() || !all.count(names[vary]) ? 1 : all.at(names[vary]).size();
    for (std::size_t c = 0; c < n_choices; ++c) {
      std::vector<TrArg> args;
      Rendering r;
      for (std::size_t k = 0; k < names.size(); ++k) {
        if (!all.count(names[k])) continue;
        const auto& choices = all.at(names[k]);
        const std::string& v = choices[k == vary ? c : 0];
        args.push_back(TrArg{names[k], v});
        r.values.push_back(v);
        r.args += names[k] + "=" + v + " ";
      }
      r.text = i18n.tr(lang, key, args);
      if (seen.insert(r.text).second) out.push_back(std::move(r));
    }
  }
  return out;
}

TEST(CatalogBidi, EveryPersianAndArabicMessageDisplaysInOrder) {
  const I18n& i18n = embedded();
  int checked = 0;
  std::set<std::string> failed_keys;
  for (const char* lang : {"fa", "ar"}) {
    for (const auto& key : i18n.keys(lang)) {
      if (key.rfind("meta.", 0) == 0) continue;
      std::string missing;
      for (const auto& r : renderings(lang, key, &missing)) {
        ++checked;
        const auto problems = testing::rtl_problems(r.text, r.values);
        if (!problems.empty()) failed_keys.insert(std::string(lang) + " " + key);
        for (const auto& p : problems)
          ADD_FAILURE() << lang << " " << key << " [" << r.args << "]: " << p
                        << "\n  logical: " << r.text;
      }
      EXPECT_TRUE(missing.empty())
          << key << ": no sample value for {" << missing << "} in catalog_bidi_test.cpp";
    }
  }
  EXPECT_GT(checked, 300);
  EXPECT_TRUE(failed_keys.empty()) << failed_keys.size() << " messages display out of order";
}

// Digits a reader sees outside commands, identifiers and isolated values.
std::vector<std::string> stray_digits(const std::string& text, char32_t zero) {
  std::vector<std::string> out;
  const std::u32string cps = text::decode(text);
  int isolate_depth = 0;
  std::size_t token_start = 0;
  for (std::size_t i = 0; i < cps.size(); ++i) {
    const char32_t c = cps[i];
    if (c == 0x2066 || c == 0x2067 || c == 0x2068) ++isolate_depth;
    if (c == 0x2069 && isolate_depth > 0) --isolate_depth;
    if (c == ' ') token_start = i + 1;
    if (isolate_depth > 0 || !testing::is_digit_cp(c) || (c >= zero && c <= zero + 9)) continue;
    // A digit inside a Latin identifier or a command (UTF-8, MP3, gemini-2.5, 30m, /tts) is
    // part of a name the user types, not a number they read.
    std::size_t end = i;
    while (end < cps.size() && cps[end] != ' ')
      ++end;
    bool name = false;
    for (std::size_t k = token_start; k < end; ++k) {
      name = name || (cps[k] >= 'a' && cps[k] <= 'z') || (cps[k] >= 'A' && cps[k] <= 'Z') ||
             cps[k] == '/' || cps[k] == '=';
    }
    if (!name)
      out.push_back(text::encode(std::u32string_view(cps).substr(token_start, end - token_start)));
  }
  return out;
}

TEST(CatalogDigits, PersianAndArabicMessagesUseTheirOwnDigits) {
  const I18n& i18n = embedded();
  for (const char* lang : {"fa", "ar"}) {
    // The digits ICU writes for the language (fa: ۰-۹; ar: ICU's default for "ar").
    const char32_t zero = text::decode(l10n::integer(lang, 0)).front();
    for (const auto& key : i18n.keys(lang)) {
      std::string missing;
      for (const auto& r : renderings(lang, key, &missing)) {
        for (const auto& d : stray_digits(r.text, zero))
          ADD_FAILURE() << lang << " " << key << ": “" << d << "” is not in " << lang
                        << " digits\n  " << r.text;
      }
    }
  }
}

}  // namespace
}  // namespace sakai
