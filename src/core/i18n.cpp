#include "core/i18n.h"

#include "core/embedded_locales.h"
#include "core/i18n_message.h"
#include "core/string_table.h"
#include "core/text.h"

namespace sakai {

Status I18n::add_catalog(const std::string& lang, std::string_view toml_text) {
  auto messages = parse_string_table(toml_text, "locale " + lang);
  if (!messages.is_ok()) return messages.status();
  Catalog cat;
  cat.messages = std::move(messages).value();
  for (const auto& [key, text] : cat.messages) {
    if (auto parsed = i18n_message::placeholders(text); !parsed.is_ok()) {
      return make_error(ErrorCode::kInvalidArgument,
                        "locale " + lang + ": key '" + key + "': " + parsed.status().message());
    }
  }
  cat.rtl = cat.messages.count("meta.direction") && cat.messages["meta.direction"] == "rtl";
  cat.name = cat.messages.count("meta.name") ? cat.messages["meta.name"] : lang;
  catalogs_[lang] = std::move(cat);
  return Status::ok();
}

Result<I18n> I18n::from_embedded() {
  I18n i18n;
  for (const auto& loc : core::embedded_locales()) {
    SAKAI_TRY(i18n.add_catalog(loc.lang, loc.toml));
  }
  return i18n;
}

bool I18n::has_language(std::string_view lang) const {
  return catalogs_.find(lang) != catalogs_.end();
}

std::vector<std::string> I18n::languages() const {
  std::vector<std::string> out;
  for (const auto& [lang, _] : catalogs_)
    out.push_back(lang);
  return out;
}

bool I18n::is_rtl(std::string_view lang) const {
  auto it = catalogs_.find(lang);
  return it != catalogs_.end() && it->second.rtl;
}

std::string I18n::language_name(std::string_view lang) const {
  auto it = catalogs_.find(lang);
  return it == catalogs_.end() ? std::string(lang) : it->second.name;
}

std::vector<std::string> I18n::keys(std::string_view lang) const {
  std::vector<std::string> out;
  auto it = catalogs_.find(lang);
  if (it == catalogs_.end()) return out;
  for (const auto& [k, _] : it->second.messages)
    out.push_back(k);
  return out;
}

bool I18n::has_key(std::string_view lang, std::string_view key) const {
  auto it = catalogs_.find(lang);
  return it != catalogs_.end() && it->second.messages.find(key) != it->second.messages.end();
}

const std::string* I18n::message(std::string_view lang, std::string_view key) const {
  auto it = catalogs_.find(lang);
  if (it == catalogs_.end()) return nullptr;
  auto m = it->second.messages.find(key);
  return m == it->second.messages.end() ? nullptr : &m->second;
}

std::string I18n::isolate_for(std::string_view lang, std::string_view value) const {
  if (value.find('\n') != std::string_view::npos) return std::string(value);
  const bool rtl = is_rtl(lang);
  bool opposite = false;
  bool own_script = false;
  for (char32_t cp : text::decode(value)) {
    if (rtl ? text::is_ltr_letter(cp) : text::is_rtl_letter(cp)) opposite = true;
    if (rtl && text::is_rtl_letter(cp)) own_script = true;
  }
  // A right-to-left text with commands inside (a localised usage line placed into an error) is
  // already laid out, its commands isolated by its own catalog: isolating it as a whole would make
  // the paragraph run left to right from its first command.
  if (own_script) return std::string(value);
  // In an RTL sentence even a letterless command such as "/ping 5" needs isolating: its slash
  // would otherwise attach to the Persian text around it; so does "-5" or "2.5.1" (a sign or a
  // separator next to a digit takes the sentence's direction).
  if (!opposite && rtl) {
    opposite = value.find_first_of("/0123456789") != std::string_view::npos;
  }
  if (!opposite) return std::string(value);
  std::string out;
  out.reserve(value.size() + 6);
  out += kFirstStrongIsolate;
  out += value;
  out += kPopDirectionalIsolate;
  return out;
}

std::string I18n::tr(std::string_view lang, std::string_view key,
                     std::initializer_list<TrArg> args) const {
  return tr(lang, key, std::vector<TrArg>(args));
}

std::string I18n::tr(std::string_view lang, std::string_view key,
                     const std::vector<TrArg>& args) const {
  const std::string* tmpl = nullptr;
  std::string_view used_lang = lang;
  for (std::string_view candidate : {lang, std::string_view("en")}) {
    auto it = catalogs_.find(candidate);
    if (it == catalogs_.end()) continue;
    auto m = it->second.messages.find(key);
    if (m != it->second.messages.end()) {
      tmpl = &m->second;
      used_lang = candidate;
      break;
    }
  }
  if (tmpl == nullptr) return std::string(key);
  return i18n_message::render(used_lang, *tmpl, args, [&](std::string_view value) {
    return isolate_for(used_lang, value);
  });
}

}  // namespace sakai
