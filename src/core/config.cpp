#include "core/config.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <stdexcept>

#include "core/text.h"

namespace sakai {
namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

std::optional<double> parse_float(std::string_view s) {
  const std::string str(text::trim(s));
  if (str.empty()) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(str.c_str(), &end);
  if (end != str.c_str() + str.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::string url_scheme(std::string_view url) {
  const auto pos = url.find("://");
  if (pos == std::string_view::npos) return {};
  return text::ascii_lower(url.substr(0, pos));
}

std::string join(const std::vector<std::string_view>& v, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i) out += sep;
    out += v[i];
  }
  return out;
}

}  // namespace

std::string ConfigKey::dotted() const {
  std::string out(section);
  out += '.';
  out += name;
  return out;
}

std::string ConfigKey::env_name() const {
  return "SAKAIBOT_" + upper(section) + "_" + upper(name);
}

const ConfigKey* find_config_key(std::string_view dotted) {
  for (const auto& k : config_schema()) {
    if (dotted.size() == k.section.size() + 1 + k.name.size() &&
        dotted.substr(0, k.section.size()) == k.section && dotted[k.section.size()] == '.' &&
        dotted.substr(k.section.size() + 1) == k.name) {
      return &k;
    }
  }
  return nullptr;
}

std::optional<bool> parse_bool(std::string_view raw) {
  const std::string s = text::ascii_lower(text::trim(raw));
  if (s == "true" || s == "1" || s == "yes" || s == "on") return true;
  if (s == "false" || s == "0" || s == "no" || s == "off") return false;
  return std::nullopt;
}

std::optional<long long> parse_duration_seconds(std::string_view raw) {
  std::string s = text::ascii_lower(text::trim(text::normalize_digits(raw)));
  if (s.empty()) return std::nullopt;
  long long mult = 1;
  switch (s.back()) {
    case 's':
      mult = 1;
      s.pop_back();
      break;
    case 'm':
      mult = 60;
      s.pop_back();
      break;
    case 'h':
      mult = 3600;
      s.pop_back();
      break;
    case 'd':
      mult = 86400;
      s.pop_back();
      break;
    case 'w':
      mult = 7 * 86400;
      s.pop_back();
      break;
    default:
      break;
  }
  const auto n = text::parse_int(s);
  constexpr long long kTenYears = 10LL * 365 * 86400;
  if (!n || *n > kTenYears || *n * mult > kTenYears) return std::nullopt;
  return *n * mult;
}

std::string mask_secret(std::string_view value) {
  if (value.empty()) return "";
  const std::size_t n = text::codepoint_count(value);
  if (value.size() < 12) return "*** (" + std::to_string(n) + " chars)";
  // The last four characters, not bytes: a cut inside a UTF-8 sequence would print garbage.
  const std::u32string cps = text::decode(value);
  return "***" + text::encode(std::u32string_view(cps).substr(cps.size() - 4)) + " (" +
         std::to_string(n) + " chars)";
}

void Config::set(std::string_view dotted, std::string value, std::string source) {
  // Choices are case-insensitive when validated, so they are stored the way the code compares
  // them: "FA" and "SQLite" mean "fa" and "sqlite".
  if (const ConfigKey* k = find_config_key(dotted); k && k->type == ConfigType::kEnum) {
    value = text::ascii_lower(text::trim(value));
  }
  values_[std::string(dotted)] = std::move(value);
  sources_[std::string(dotted)] = std::move(source);
}

void Config::unset(std::string_view dotted) {
  if (auto it = values_.find(dotted); it != values_.end()) values_.erase(it);
  if (auto it = sources_.find(dotted); it != sources_.end()) sources_.erase(it);
}

std::string_view config_type_name(ConfigType type) {
  switch (type) {
    case ConfigType::kString:
      return "string";
    case ConfigType::kInt:
      return "int";
    case ConfigType::kBool:
      return "bool";
    case ConfigType::kFloat:
      return "float";
    case ConfigType::kStringList:
      return "string list";
    case ConfigType::kUrl:
      return "url";
    case ConfigType::kEnum:
      return "enum";
    case ConfigType::kDuration:
      return "duration";
  }
  return "unknown";
}

bool config_reader_accepts(std::string_view getter, ConfigType type) {
  if (getter == "is_set" || getter == "source" || getter == "raw") return true;
  if (getter == "get_string") {
    return type == ConfigType::kString || type == ConfigType::kUrl || type == ConfigType::kEnum;
  }
  if (getter == "get_int") return type == ConfigType::kInt;
  if (getter == "get_bool") return type == ConfigType::kBool;
  if (getter == "get_float") return type == ConfigType::kFloat;
  if (getter == "get_list") return type == ConfigType::kStringList;
  if (getter == "get_seconds") return type == ConfigType::kDuration;
  return false;
}

const ConfigKey& Config::key_for(std::string_view getter, std::string_view dotted) {
  const ConfigKey* k = find_config_key(dotted);
  const std::string call = "Config::" + std::string(getter) + "(\"" + std::string(dotted) + "\")";
  if (k == nullptr) {
    throw std::logic_error(call + ": no such key in the schema (core/config_schema.cpp)");
  }
  if (!config_reader_accepts(getter, k->type)) {
    throw std::logic_error(call + ": the key is of type " + std::string(config_type_name(k->type)) +
                           ", which " + std::string(getter) + " does not read");
  }
  return *k;
}

bool Config::is_set(std::string_view dotted) const {
  key_for("is_set", dotted);
  return values_.find(dotted) != values_.end();
}

std::string Config::source(std::string_view dotted) const {
  key_for("source", dotted);
  auto it = sources_.find(dotted);
  return it == sources_.end() ? "default" : it->second;
}

std::string Config::raw(std::string_view dotted) const {
  return raw_or_default(key_for("raw", dotted));
}

std::string Config::raw_or_default(const ConfigKey& key) const {
  if (auto it = values_.find(key.dotted()); it != values_.end()) return it->second;
  return std::string(key.default_value);
}

std::string Config::get_string(std::string_view dotted) const {
  return raw_or_default(key_for("get_string", dotted));
}

long long Config::get_int(std::string_view dotted) const {
  const ConfigKey& k = key_for("get_int", dotted);
  const std::string raw = raw_or_default(k);
  bool negative = false;
  std::string_view digits = text::trim(raw);
  if (!digits.empty() && digits.front() == '-') {
    negative = true;
    digits.remove_prefix(1);
  }
  if (auto v = text::parse_int(digits)) return negative ? -*v : *v;
  if (auto d = text::parse_int(k.default_value)) return *d;
  return 0;
}

bool Config::get_bool(std::string_view dotted) const {
  const ConfigKey& k = key_for("get_bool", dotted);
  if (auto v = parse_bool(raw_or_default(k))) return *v;
  return parse_bool(k.default_value).value_or(false);
}

double Config::get_float(std::string_view dotted) const {
  const ConfigKey& k = key_for("get_float", dotted);
  if (auto v = parse_float(raw_or_default(k))) return *v;
  return parse_float(k.default_value).value_or(0.0);
}

std::vector<std::string> Config::get_list(std::string_view dotted) const {
  const std::string raw = raw_or_default(key_for("get_list", dotted));
  std::vector<std::string> out;
  if (text::trim(raw).empty()) return out;
  // Lists come from TOML arrays (joined by '\n') or from environment variables (comma separated).
  const char sep = raw.find('\n') != std::string::npos ? '\n' : ',';
  for (const auto& item : text::split(raw, sep)) {
    const auto t = text::trim(item);
    if (!t.empty()) out.emplace_back(t);
  }
  // command_prefixes is a list of single characters and may be written "/." as one string.
  if (dotted == "bot.command_prefixes" && out.size() == 1 && out[0].size() > 1) {
    std::vector<std::string> chars;
    for (char c : out[0])
      chars.emplace_back(1, c);
    return chars;
  }
  return out;
}

long long Config::get_seconds(std::string_view dotted) const {
  const ConfigKey& k = key_for("get_seconds", dotted);
  if (auto v = parse_duration_seconds(raw_or_default(k))) return *v;
  return parse_duration_seconds(k.default_value).value_or(0);
}

std::vector<std::string> Config::secret_values() const {
  std::vector<std::string> out;
  for (const auto& k : config_schema()) {
    if (!k.secret) continue;
    const std::string dotted = k.dotted();
    if (!is_set(dotted)) continue;
    if (k.type == ConfigType::kStringList) {
      for (auto& v : get_list(dotted))
        out.push_back(std::move(v));
    } else if (k.type == ConfigType::kUrl) {
      // Only the credentials inside a proxy URL are secret, but the whole URL is cheap to hide.
      const std::string url = raw_or_default(k);
      out.push_back(url);
      const auto at = url.find('@');
      const auto scheme_end = url.find("://");
      if (at != std::string::npos && scheme_end != std::string::npos && at > scheme_end + 3) {
        out.push_back(url.substr(scheme_end + 3, at - scheme_end - 3));
      }
    } else {
      out.push_back(raw_or_default(k));
    }
  }
  return out;
}

std::vector<ConfigProblem> Config::validate() const {
  std::vector<ConfigProblem> problems;
  for (const auto& k : config_schema()) {
    const std::string dotted = k.dotted();
    if (!is_set(dotted)) continue;
    const std::string raw = raw_or_default(k);
    const std::string_view v = text::trim(raw);
    const std::string where = " (from " + source(dotted) + ")";
    switch (k.type) {
      case ConfigType::kInt: {
        std::string_view digits = v;
        const bool negative = !digits.empty() && digits.front() == '-';
        if (negative) digits.remove_prefix(1);
        const auto n = text::parse_int(digits);
        if (!n) {
          problems.push_back({dotted, "'" + raw + "' is not a whole number" + where,
                              "write a number, e.g. " + dotted + " = " +
                                  (k.default_value.empty() ? std::string("12345")
                                                           : std::string(k.default_value))});
        } else if (k.min != k.max &&
                   ((negative ? -*n : *n) < k.min || (negative ? -*n : *n) > k.max)) {
          problems.push_back(
              {dotted, "'" + raw + "' is out of range" + where,
               "use a value from " + std::to_string(k.min) + " to " + std::to_string(k.max)});
        }
        break;
      }
      case ConfigType::kBool:
        if (!parse_bool(v)) {
          problems.push_back(
              {dotted, "'" + raw + "' is not true or false" + where, "write true or false"});
        }
        break;
      case ConfigType::kFloat:
        if (!parse_float(v)) {
          problems.push_back(
              {dotted, "'" + raw + "' is not a number" + where, "write a number such as 1.5"});
        }
        break;
      case ConfigType::kDuration:
        if (!parse_duration_seconds(v)) {
          problems.push_back({dotted, "'" + raw + "' is not a duration" + where,
                              "write seconds or a number with s, m, h or d, e.g. 90s or 15m"});
        }
        break;
      case ConfigType::kEnum:
        if (std::find(k.choices.begin(), k.choices.end(), text::ascii_lower(v)) ==
            k.choices.end()) {
          problems.push_back({dotted, "'" + raw + "' is not one of the choices" + where,
                              "use one of: " + join(k.choices, ", ")});
        }
        break;
      case ConfigType::kUrl: {
        if (v.empty()) break;
        const std::string scheme = url_scheme(v);
        const auto host_start = v.find("://");
        const bool has_host = host_start != std::string_view::npos && host_start + 3 < v.size();
        const bool known = std::find(k.choices.begin(), k.choices.end(), scheme) != k.choices.end();
        if (!known || !has_host) {
          const std::string shown = k.secret ? mask_secret(raw) : "'" + raw + "'";
          problems.push_back(
              {dotted, shown + " is not a usable URL" + where,
               "write scheme://host[:port] with scheme one of: " + join(k.choices, ", ")});
        }
        break;
      }
      case ConfigType::kString:
      case ConfigType::kStringList:
        break;
    }
  }
  // Cross-key rules.
  const bool has_api_id = is_set("telegram.api_id");
  const bool has_api_hash = is_set("telegram.api_hash");
  if (has_api_id != has_api_hash) {
    problems.push_back({has_api_id ? "telegram.api_hash" : "telegram.api_id",
                        "api_id and api_hash go together and only one is set",
                        "copy both from my.telegram.org > API development tools"});
  }
  if (is_set("telegram.api_hash")) {
    const std::string h = get_string("telegram.api_hash");
    const bool hex = h.size() == 32 && std::all_of(h.begin(), h.end(), [](char c) {
                       return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
                     });
    if (!hex) {
      problems.push_back({"telegram.api_hash", "is not 32 lowercase hex characters",
                          "copy api_hash exactly as my.telegram.org shows it"});
    }
  }
  if (is_set("telegram.phone")) {
    const std::string p = text::normalize_digits(get_string("telegram.phone"));
    std::size_t digits = 0;
    bool ok = !p.empty();
    for (std::size_t i = 0; i < p.size(); ++i) {
      const char c = p[i];
      if (c >= '0' && c <= '9') {
        ++digits;
      } else if (!(c == '+' && i == 0) && c != ' ' && c != '-') {
        ok = false;
      }
    }
    if (!ok || digits < 7 || digits > 15) {
      problems.push_back({"telegram.phone", "is not a phone number",
                          "write it in international form, e.g. +989121234567"});
    }
  }
  if (get_string("storage.backend") == "postgres" && !is_set("storage.postgres_url")) {
    problems.push_back(
        {"storage.postgres_url", "storage.backend is postgres but no URL is set",
         "set storage.postgres_url = \"postgresql://user:pass@127.0.0.1/sakaibot\""});
  }
  const std::string provider = get_string("llm.provider");
  const std::string keys_key = provider == "gemini"       ? "gemini.api_keys"
                               : provider == "openrouter" ? "openrouter.api_keys"
                                                          : "";
  if (!keys_key.empty() && !is_set(keys_key)) {
    problems.push_back(
        {keys_key, "llm.provider is " + provider + " but it has no API key; AI commands will fail",
         "set " + keys_key + " (or " +
             (provider == "gemini" ? "GEMINI_API_KEY" : "OPENROUTER_API_KEY") +
             "), or choose another llm.provider",
         true});
  }
  for (const auto& p : get_list("bot.command_prefixes")) {
    if (p.size() != 1 || std::isalnum(static_cast<unsigned char>(p[0])) || p[0] == ' ') {
      problems.push_back({"bot.command_prefixes",
                          "'" + p + "' is not a single punctuation character",
                          "use characters such as / . !"});
    }
  }
  return problems;
}

}  // namespace sakai
