#include "core/prompt_templates.h"

#include "core/embedded_locales.h"
#include "core/string_table.h"

namespace sakai {
namespace {

std::string substitute(std::string_view tmpl, const PromptTemplates::Args& args) {
  std::string out;
  out.reserve(tmpl.size());
  std::size_t i = 0;
  while (i < tmpl.size()) {
    if (tmpl[i] == '{') {
      const auto close = tmpl.find('}', i + 1);
      if (close != std::string_view::npos) {
        const std::string_view name = tmpl.substr(i + 1, close - i - 1);
        bool found = false;
        for (const auto& [k, v] : args) {
          if (k == name) {
            out += v;
            found = true;
            break;
          }
        }
        if (found) {
          i = close + 1;
          continue;
        }
      }
    }
    out += tmpl[i++];
  }
  return out;
}

}  // namespace

Status PromptTemplates::add(const std::string& lang, std::string_view toml_text) {
  auto flat = parse_string_table(toml_text, "prompts " + lang);
  if (!flat.is_ok()) return flat.status();
  langs_[lang] = std::move(flat).value();
  return Status::ok();
}

const PromptTemplates& PromptTemplates::embedded() {
  static const PromptTemplates kEmbedded = [] {
    PromptTemplates t;
    for (const auto& p : core::embedded_prompts()) {
      // The files are checked by the unit tests; a broken one leaves its language empty.
      (void)t.add(p.lang, p.toml);
    }
    return t;
  }();
  return kEmbedded;
}

bool PromptTemplates::has(std::string_view lang, std::string_view key) const {
  const auto it = langs_.find(lang);
  return it != langs_.end() && it->second.find(key) != it->second.end();
}

std::vector<std::string> PromptTemplates::keys(std::string_view lang) const {
  std::vector<std::string> out;
  if (const auto it = langs_.find(lang); it != langs_.end()) {
    for (const auto& [k, v] : it->second)
      out.push_back(k);
  }
  return out;
}

std::vector<std::string> PromptTemplates::languages() const {
  std::vector<std::string> out;
  for (const auto& [k, v] : langs_)
    out.push_back(k);
  return out;
}

std::string PromptTemplates::render(std::string_view lang, std::string_view key,
                                    const Args& args) const {
  for (std::string_view l : {lang, std::string_view("en")}) {
    const auto it = langs_.find(l);
    if (it == langs_.end()) continue;
    const auto k = it->second.find(key);
    if (k != it->second.end()) return substitute(k->second, args);
  }
  return {};
}

}  // namespace sakai
