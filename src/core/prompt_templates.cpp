#include "core/prompt_templates.h"

#include <toml++/toml.h>

#include "core/embedded_locales.h"

namespace sakai {
namespace {

void flatten(const toml::table& table, const std::string& prefix,
             std::map<std::string, std::string, std::less<>>& out, std::string& error) {
  for (const auto& [k, node] : table) {
    const std::string key =
        prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
    if (const auto* sub = node.as_table()) {
      flatten(*sub, key, out, error);
    } else if (const auto* str = node.as_string()) {
      out[key] = str->get();
    } else if (error.empty()) {
      error = "key '" + key + "' must be a string";
    }
  }
}

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
  toml::table parsed;
  try {
    parsed = toml::parse(toml_text, "prompts/" + lang + ".toml");
  } catch (const toml::parse_error& err) {
    return make_error(ErrorCode::kInvalidArgument, "prompts " + lang + ": line " +
                                                       std::to_string(err.source().begin.line) +
                                                       ": " + std::string(err.description()));
  }
  std::map<std::string, std::string, std::less<>> flat;
  std::string error;
  flatten(parsed, "", flat, error);
  if (!error.empty())
    return make_error(ErrorCode::kInvalidArgument, "prompts " + lang + ": " + error);
  langs_[lang] = std::move(flat);
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
