#include "features/ai/text_args.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>

#include "core/language_names.h"
#include "core/text.h"

namespace sakai::features {
namespace {

constexpr std::array<LanguageInfo, 40> kLanguages = {{
    {"en", "English", "English", "انگلیسی"},
    {"fa", "Persian", "فارسی", "فارسی"},
    {"ar", "Arabic", "العربية", "عربی"},
    {"de", "German", "Deutsch", "آلمانی"},
    {"fr", "French", "Français", "فرانسوی"},
    {"es", "Spanish", "Español", "اسپانیایی"},
    {"it", "Italian", "Italiano", "ایتالیایی"},
    {"pt", "Portuguese", "Português", "پرتغالی"},
    {"ru", "Russian", "Русский", "روسی"},
    {"tr", "Turkish", "Türkçe", "ترکی"},
    {"zh", "Chinese", "中文", "چینی"},
    {"ja", "Japanese", "日本語", "ژاپنی"},
    {"ko", "Korean", "한국어", "کره‌ای"},
    {"hi", "Hindi", "हिन्दी", "هندی"},
    {"ur", "Urdu", "اردو", "اردو"},
    {"ps", "Pashto", "پښتو", "پشتو"},
    {"ku", "Kurdish", "Kurdî", "کردی"},
    {"az", "Azerbaijani", "Azərbaycanca", "آذربایجانی"},
    {"hy", "Armenian", "Հայերեն", "ارمنی"},
    {"ka", "Georgian", "ქართული", "گرجی"},
    {"he", "Hebrew", "עברית", "عبری"},
    {"nl", "Dutch", "Nederlands", "هلندی"},
    {"sv", "Swedish", "Svenska", "سوئدی"},
    {"no", "Norwegian", "Norsk", "نروژی"},
    {"da", "Danish", "Dansk", "دانمارکی"},
    {"fi", "Finnish", "Suomi", "فنلاندی"},
    {"pl", "Polish", "Polski", "لهستانی"},
    {"uk", "Ukrainian", "Українська", "اوکراینی"},
    {"el", "Greek", "Ελληνικά", "یونانی"},
    {"cs", "Czech", "Čeština", "چکی"},
    {"ro", "Romanian", "Română", "رومانیایی"},
    {"hu", "Hungarian", "Magyar", "مجاری"},
    {"id", "Indonesian", "Bahasa Indonesia", "اندونزیایی"},
    {"ms", "Malay", "Bahasa Melayu", "مالایی"},
    {"th", "Thai", "ไทย", "تایلندی"},
    {"vi", "Vietnamese", "Tiếng Việt", "ویتنامی"},
    {"bn", "Bengali", "বাংলা", "بنگالی"},
    {"tg", "Tajik", "Тоҷикӣ", "تاجیکی"},
    {"uz", "Uzbek", "Oʻzbekcha", "ازبکی"},
    {"la", "Latin", "Latina", "لاتین"},
}};

// Extra spellings people type.
constexpr std::array<std::pair<std::string_view, std::string_view>, 12> kAliases = {{
    {"farsi", "fa"},
    {"parsi", "fa"},
    {"پارسی", "fa"},
    {"انگلیسی‌", "en"},
    {"عربي", "ar"},
    {"chinese-simplified", "zh"},
    {"zh-cn", "zh"},
    {"pt-br", "pt"},
    {"turkce", "tr"},
    {"deutsch", "de"},
    {"espanol", "es"},
    {"jp", "ja"},
}};

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

ArgError usage_error(std::string key = {},
                     std::vector<std::pair<std::string, std::string>> args = {}) {
  return ArgError{std::move(key), std::move(args), true};
}

// Splits "<head><sep><rest>" at the first whitespace (or any char in `seps`).
std::pair<std::string_view, std::string_view> split_head(std::string_view s,
                                                         std::string_view seps) {
  s = text::trim(s);
  std::size_t i = 0;
  while (i < s.size() && !is_space(s[i]) && seps.find(s[i]) == std::string_view::npos)
    ++i;
  const std::string_view head = s.substr(0, i);
  const std::string_view rest = i < s.size() ? text::trim(s.substr(i + 1)) : std::string_view();
  return {head, rest};
}

Parsed<long long> parse_count(std::string_view token, long long max_messages) {
  Parsed<long long> out;
  const auto n = text::parse_int(token);
  if (!n || *n < 1) {
    out.error = usage_error("digest.bad_count", {{"value", std::string(token)}});
    return out;
  }
  if (*n > max_messages) {
    out.error = ArgError{"digest.too_many", {{"max", std::to_string(max_messages)}}, false};
    return out;
  }
  out.value = *n;
  return out;
}

std::optional<std::string> analyze_mode(std::string_view token) {
  const std::string t = text::ascii_lower(token);
  for (const auto m : kAnalyzeModes) {
    if (t == m) return std::string(m);
  }
  if (t == "عمومی" || t == "کلی" || t == "عام") return "general";
  if (t == "طنز" || t == "فان" || t == "مرح") return "fun";
  if (t == "عاشقانه" || t == "رمانتیک" || t == "رومانسي" || t == "love") return "romance";
  return std::nullopt;
}

std::string strip_fences(std::string_view s) {
  std::string out(text::trim(s));
  if (out.starts_with("```")) {
    const auto nl = out.find('\n');
    out = nl == std::string::npos ? std::string() : out.substr(nl + 1);
    const auto end = out.rfind("```");
    if (end != std::string::npos) out.resize(end);
  }
  return out;
}

std::string first_string(const nlohmann::json& j, std::initializer_list<const char*> keys) {
  for (const char* k : keys) {
    const auto it = j.find(k);
    if (it != j.end() && it->is_string()) return it->get<std::string>();
  }
  return {};
}

}  // namespace

const LanguageInfo* find_language(std::string_view name) {
  const std::string key = text::ascii_lower(text::trim(name));
  if (key.empty()) return nullptr;
  for (const auto& [alias, code] : kAliases) {
    if (key == alias) return find_language(code);
  }
  for (const auto& l : kLanguages) {
    if (key == l.code || key == text::ascii_lower(l.english) || key == l.native ||
        key == text::ascii_lower(l.native) || key == l.persian) {
      return &l;
    }
  }
  return nullptr;
}

std::string language_examples() {
  return "en, fa, ar, de, fr, es, ru, tr, zh, ja";
}

std::string language_display_name(const LanguageInfo& lang, std::string_view ui_lang) {
  if (ui_lang == "fa") return std::string(lang.persian);
  if (ui_lang == "en") return std::string(lang.english);
  // Other readers (ar): the name in their language from ICU, else the language's own name.
  if (auto name = l10n::language_name(lang.code, ui_lang)) return *name;
  return std::string(lang.native);
}

Parsed<TranslateArgs> parse_translate(std::string_view raw) {
  Parsed<TranslateArgs> out;
  const auto [spec, rest] = split_head(raw, "");
  if (spec.empty()) {
    out.error = usage_error();
    return out;
  }
  TranslateArgs args;
  for (const auto& entry : text::split(spec, ',')) {
    std::string_view e = text::trim(entry);
    if (e.empty()) continue;
    bool is_source = false;
    for (const std::string_view marker : {"src=", "from=", "src:", "from:"}) {
      if (text::ascii_lower(e.substr(0, std::min(e.size(), marker.size()))) == marker) {
        e.remove_prefix(marker.size());
        is_source = true;
        break;
      }
    }
    const LanguageInfo* lang = find_language(e);
    if (lang == nullptr) {
      out.error = ArgError{"translate.unknown_language",
                           {{"language", std::string(e)}, {"examples", language_examples()}},
                           false};
      return out;
    }
    if (is_source) {
      args.source = lang;
    } else if (std::find(args.targets.begin(), args.targets.end(), lang) == args.targets.end()) {
      args.targets.push_back(lang);
    }
  }
  if (args.targets.empty()) {
    out.error = usage_error("translate.no_target");
    return out;
  }
  if (args.targets.size() > kMaxTranslateTargets) {
    out.error = ArgError{
        "translate.too_many_targets", {{"max", std::to_string(kMaxTranslateTargets)}}, false};
    return out;
  }
  args.text = std::string(rest);
  out.value = std::move(args);
  return out;
}

Parsed<AnalyzeArgs> parse_analyze(std::string_view raw, long long max_messages) {
  Parsed<AnalyzeArgs> out;
  std::vector<std::string> tokens;
  std::string cur;
  for (const char c : text::trim(raw)) {
    if (c == '=' || is_space(c)) {
      if (!cur.empty()) tokens.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) tokens.push_back(std::move(cur));
  if (tokens.empty()) {
    out.error = usage_error();
    return out;
  }
  if (tokens.size() > 2) {
    out.error = usage_error("digest.extra_words", {{"text", tokens[2]}});
    return out;
  }
  AnalyzeArgs args;
  std::string_view count_token = tokens.back();
  if (tokens.size() == 2) {
    // Mode and count in either order: /analyze=fun=500 or /analyze=500=fun.
    std::string_view mode_token = tokens[0];
    if (!text::parse_int(tokens[1]) && text::parse_int(tokens[0])) {
      mode_token = tokens[1];
      count_token = tokens[0];
    }
    const auto mode = analyze_mode(mode_token);
    if (!mode) {
      out.error = usage_error("analyze.unknown_mode", {{"mode", std::string(mode_token)},
                                                       {"modes", "general, fun, romance"}});
      return out;
    }
    args.mode = *mode;
  } else if (analyze_mode(count_token)) {
    out.error = usage_error("digest.missing_count");
    return out;
  }
  auto count = parse_count(count_token, max_messages);
  if (!count.ok()) {
    out.error = std::move(count.error);
    return out;
  }
  args.count = *count.value;
  out.value = std::move(args);
  return out;
}

Parsed<TellmeArgs> parse_tellme(std::string_view raw, long long max_messages) {
  Parsed<TellmeArgs> out;
  const auto [head, rest] = split_head(raw, "=");
  if (head.empty()) {
    out.error = usage_error();
    return out;
  }
  auto count = parse_count(head, max_messages);
  if (!count.ok()) {
    out.error = std::move(count.error);
    return out;
  }
  if (rest.empty()) {
    out.error = usage_error("tellme.no_question");
    return out;
  }
  out.value = TellmeArgs{*count.value, std::string(rest)};
  return out;
}

std::optional<TranslationAnswer> parse_translation_answer(std::string_view answer) {
  const std::string body = strip_fences(answer);
  const auto open = body.find('{');
  const auto close = body.rfind('}');
  if (open == std::string::npos || close == std::string::npos || close < open) return std::nullopt;
  const auto j = nlohmann::json::parse(body.substr(open, close - open + 1), nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  TranslationAnswer out;
  out.source_language = first_string(j, {"source_language", "source", "detected_language"});
  const auto it = j.find("translations");
  if (it != j.end() && it->is_array()) {
    for (const auto& t : *it) {
      if (!t.is_object()) continue;
      Translation tr;
      tr.language = first_string(t, {"language", "lang", "code", "target"});
      tr.text = first_string(t, {"text", "translation", "translated"});
      tr.pronunciation =
          first_string(t, {"pronunciation", "phonetic", "transliteration", "persian_phonetic"});
      if (!tr.text.empty()) out.translations.push_back(std::move(tr));
    }
  } else if (it != j.end() && it->is_object()) {
    // {"translations": {"en": "...", "de": {"text": "...", "pronunciation": "..."}}}
    for (const auto& [code, v] : it->items()) {
      Translation tr;
      tr.language = code;
      if (v.is_string()) {
        tr.text = v.get<std::string>();
      } else if (v.is_object()) {
        tr.text = first_string(v, {"text", "translation"});
        tr.pronunciation = first_string(v, {"pronunciation", "phonetic", "transliteration"});
      }
      if (!tr.text.empty()) out.translations.push_back(std::move(tr));
    }
  }
  if (out.translations.empty()) return std::nullopt;
  return out;
}

}  // namespace sakai::features
