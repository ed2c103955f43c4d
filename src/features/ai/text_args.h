#pragma once
// Argument parsing of /translate, /analyze and /tellme, the language table, and the parser of
// the translator's structured answer. Pure functions; thread-safe.
//
//   /translate=<lang>[,<lang>…][,src=<lang>] [text]   (alias /tr; or as a reply)
//       every plain entry is a target, a code or a name ("en", "english", "انگلیسی"); the
//       optional source is marked: src=<lang> or from=<lang>. The text follows after a space
//       or a newline.
//   /analyze=<N>, /analyze=<mode>=<N>, /analyze <N>, /analyze <mode> <N>
//   /tellme=<N>=<question>, /tellme <N> <question>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sakai::features {

struct LanguageInfo {
  std::string_view code;     // ISO 639-1
  std::string_view english;  // "German"
  std::string_view native;   // "Deutsch"
  std::string_view persian;  // "آلمانی"
};

// By code, English, native or Persian name; case-insensitive; nullptr when unknown.
const LanguageInfo* find_language(std::string_view name);
// "en, fa, ar, de, fr, es, ru, tr, zh, ja" — for error messages.
std::string language_examples();
// The name to show in `ui_lang` (Persian names for fa, native names otherwise).
std::string language_display_name(const LanguageInfo& lang, std::string_view ui_lang);

// What went wrong with the arguments: a catalog key and its placeholders. `usage` adds the
// command's usage line after the reason (an empty key: the usage line alone).
struct ArgError {
  std::string key;
  std::vector<std::pair<std::string, std::string>> args;
  bool usage = true;
};

template <typename T>
struct Parsed {
  std::optional<T> value;
  ArgError error;
  [[nodiscard]] bool ok() const { return value.has_value(); }
};

inline constexpr std::size_t kMaxTranslateTargets = 5;

struct TranslateArgs {
  std::vector<const LanguageInfo*> targets;
  const LanguageInfo* source = nullptr;  // null: detect
  std::string text;                      // may be empty: translate the replied-to message
};
// `raw` is everything after "/translate=" or "/translate ".
Parsed<TranslateArgs> parse_translate(std::string_view raw);

inline constexpr std::string_view kAnalyzeModes[] = {"general", "fun", "romance"};

struct AnalyzeArgs {
  std::string mode = "general";
  long long count = 0;
};
Parsed<AnalyzeArgs> parse_analyze(std::string_view raw, long long max_messages);

struct TellmeArgs {
  long long count = 0;
  std::string question;
};
Parsed<TellmeArgs> parse_tellme(std::string_view raw, long long max_messages);

struct Translation {
  std::string language;  // as the model wrote it (normally a code)
  std::string text;
  std::string pronunciation;
};
struct TranslationAnswer {
  std::string source_language;
  std::vector<Translation> translations;
};
// Reads the JSON object in a model's answer, tolerating code fences and prose around it and a
// few field-name variants. nullopt when there is no usable JSON (show the text as it is).
std::optional<TranslationAnswer> parse_translation_answer(std::string_view answer);

}  // namespace sakai::features
