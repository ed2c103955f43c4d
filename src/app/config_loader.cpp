#include "app/config_loader.h"

#include <sys/stat.h>

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string_view>
#include <utility>

#include "app/config_render.h"
#include "app/config_toml.h"
#include "core/text.h"

extern char** environ;  // NOLINT(readability-redundant-declaration): POSIX, not in any header

namespace sakai::app {
namespace {

namespace fs = std::filesystem;
using config_toml::apply_toml_value;
using config_toml::closest;
using config_toml::read_account_entries;
using config_toml::suggest_key;
using config_toml::where;
using text::join;

// SAKAIBOT_ variables that are not configuration keys.
constexpr std::string_view kConfigPathEnv = "SAKAIBOT_CONFIG";
constexpr std::string_view kOtherSakaiEnv[] = {kConfigPathEnv, "SAKAIBOT_LOCALES_DIR",
                                               "SAKAIBOT_REGENERATE_DOCS"};

// ---------------------------------------------------------------------------------------------
// Small helpers

bool is_blank(std::string_view s) {
  return text::trim(s).empty();
}

// Every environment name that can set `k`, legacy "_*" expanded, in increasing priority.
std::vector<std::string> expanded_env_names(const ConfigKey& k) {
  std::vector<std::string> out;
  for (const auto& legacy : k.legacy_env) {
    if (legacy.ends_with("_*")) {
      const std::string base(legacy.substr(0, legacy.size() - 1));
      for (int n = 1; n <= kMaxNumberedEnv; ++n)
        out.push_back(base + std::to_string(n));
    } else {
      out.emplace_back(legacy);
    }
  }
  if (k.dotted() == kLegacyDebugKey) out.emplace_back(kLegacyDebugEnv);
  out.push_back(k.env_name());
  return out;
}

const ConfigKey* key_for_env_name(std::string_view name) {
  for (const auto& k : config_schema()) {
    for (const auto& n : expanded_env_names(k)) {
      if (n == name) return &k;
    }
  }
  return nullptr;
}

std::string shell_quote(const std::string& path) {
  const bool plain = std::all_of(path.begin(), path.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '.' || c == '_' ||
           c == '-' || c == '+' || c == '~' || c == ',' || c == '@' || c == ':';
  });
  if (plain && !path.empty()) return path;
  std::string out = "'";
  for (char c : path) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

// A warning when `path` is readable (or writable) by group or others.
void check_permissions(const std::string& path, std::vector<ConfigProblem>& problems) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return;
  if ((st.st_mode & 077) == 0) return;
  problems.push_back({path,
                      fmt::format("holds secrets and other users can read it (mode {:04o})",
                                  static_cast<unsigned>(st.st_mode & 07777)),
                      "chmod 600 " + shell_quote(path), true});
}

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return ss.str();
}

// ---------------------------------------------------------------------------------------------
// TOML layer

// Reads the TOML file into `config`, and its [[accounts]] entries into `accounts`. Returns true
// when the file holds a secret.
bool load_toml(const std::string& path, Config& config, std::vector<AccountEntry>& accounts,
               std::vector<ConfigProblem>& problems) {
  const auto content = read_file(path);
  if (!content) {
    problems.push_back(
        {path, "cannot be read", "check that the file exists and that you may read it"});
    return false;
  }
  toml::table root;
  try {
    root = toml::parse(*content, std::string_view(path));
  } catch (const toml::parse_error& err) {
    const auto& begin = err.source().begin;
    problems.push_back(
        {path,
         fmt::format("TOML syntax error on line {}, column {}: {}", begin.line, begin.column,
                     err.description()),
         fmt::format("fix line {}; `sakaibot config example` shows the format", begin.line)});
    return false;
  }
  const std::vector<std::string> sections = config_sections();
  bool holds_secret = false;
  for (auto&& [section_key, section_node] : root) {
    const std::string section(section_key.str());
    if (section == "accounts") {
      accounts = read_account_entries(section_node, path, problems, holds_secret);
      continue;
    }
    const toml::table* table = section_node.as_table();
    if (table == nullptr) {
      // A key before the first [section].
      problems.push_back({section,
                          fmt::format("is outside any [section] ({})", where(section_node, path)),
                          suggest_key(section)});
      continue;
    }
    if (std::find(sections.begin(), sections.end(), section) == sections.end()) {
      const auto best = closest(section, sections);
      problems.push_back(
          {"[" + section + "]",
           fmt::format("is not a known section ({})", where(section_node, path)),
           best ? "did you mean [" + *best + "]?" : "known sections: " + join(sections, ", ")});
      continue;
    }
    for (auto&& [name_key, node] : *table) {
      const std::string dotted = section + "." + std::string(name_key.str());
      const ConfigKey* k = find_config_key(dotted);
      if (k == nullptr) {
        problems.push_back({dotted, fmt::format("is not a known setting ({})", where(node, path)),
                            suggest_key(dotted)});
        continue;
      }
      if (apply_toml_value(*k, node, path, dotted, "file:" + path, config, problems)) {
        holds_secret = true;
      }
    }
  }
  return holds_secret;
}

// ---------------------------------------------------------------------------------------------
// .env layer

struct DotenvFile {
  std::string path;
  std::map<std::string, std::string> vars;  // later duplicates win
};

bool valid_env_name(std::string_view name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

// KEY=VALUE lines, `export KEY=...`, # comments, blank lines, 'single' (literal) and "double"
// quoted values (with \n \t \r \" \\ escapes; may span lines), and ` #` comments after unquoted
// values. Malformed lines are skipped with a warning.
DotenvFile parse_dotenv(std::string_view content, const std::string& path,
                        std::vector<ConfigProblem>& problems) {
  DotenvFile out{path, {}};
  int line_no = 0;
  std::size_t pos = 0;
  auto warn = [&](int line, const std::string& what, const std::string& fix) {
    problems.push_back({path, fmt::format("line {}: {}", line, what), fix, true});
  };
  while (pos < content.size()) {
    std::size_t eol = content.find('\n', pos);
    if (eol == std::string_view::npos) eol = content.size();
    std::string_view line = content.substr(pos, eol - pos);
    pos = eol + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::string_view rest = text::trim(line);
    if (rest.empty() || rest.front() == '#') continue;
    if (rest.starts_with("export") && rest.size() > 6 && (rest[6] == ' ' || rest[6] == '\t')) {
      rest = text::trim(rest.substr(6));
    }
    const auto eq = rest.find('=');
    if (eq == std::string_view::npos) {
      warn(line_no, "is not KEY=VALUE; ignored", "write KEY=VALUE or start the line with #");
      continue;
    }
    const std::string name(text::trim(rest.substr(0, eq)));
    if (!valid_env_name(name)) {
      warn(line_no, "'" + name + "' is not a variable name; line ignored",
           "use letters, digits and _ only, e.g. GEMINI_API_KEY=...");
      continue;
    }
    std::string_view raw = rest.substr(eq + 1);
    const bool leading_space = !raw.empty() && (raw.front() == ' ' || raw.front() == '\t');
    while (!raw.empty() && (raw.front() == ' ' || raw.front() == '\t'))
      raw.remove_prefix(1);
    std::string value;
    if (!raw.empty() && (raw.front() == '"' || raw.front() == '\'')) {
      const char quote = raw.front();
      // Quoted values may run over several lines: scan the whole remaining content.
      std::size_t i = static_cast<std::size_t>(raw.data() - content.data()) + 1;
      const int start_line = line_no;
      bool closed = false;
      for (; i < content.size(); ++i) {
        const char c = content[i];
        if (c == quote) {
          closed = true;
          break;
        }
        if (c == '\n') ++line_no;
        if (quote == '"' && c == '\\' && i + 1 < content.size()) {
          const char e = content[++i];
          switch (e) {
            case 'n':
              value += '\n';
              break;
            case 't':
              value += '\t';
              break;
            case 'r':
              value += '\r';
              break;
            case '"':
              value += '"';
              break;
            case '\\':
              value += '\\';
              break;
            default:
              value += '\\';
              value += e;
              if (e == '\n') ++line_no;
              break;
          }
          continue;
        }
        value += c;
      }
      if (!closed) {
        warn(start_line, "the quoted value of " + name + " is never closed; ignored",
             std::string("add the closing ") + quote);
        break;
      }
      // Whatever follows the closing quote on its line is ignored (typically a comment).
      const std::size_t next_eol = content.find('\n', i);
      pos = next_eol == std::string_view::npos ? content.size() : next_eol + 1;
    } else {
      std::size_t cut = raw.size();
      for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] != '#') continue;
        const bool after_space = i == 0 ? leading_space : (raw[i - 1] == ' ' || raw[i - 1] == '\t');
        if (after_space) {
          cut = i;
          break;
        }
      }
      value = std::string(text::trim(raw.substr(0, cut)));
    }
    out.vars[name] = std::move(value);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Environment layer

struct EnvValue {
  std::string value;
  std::string source;  // "env:<NAME>" or ".env:<path>"
};
using EnvLayer = std::map<std::string, EnvValue, std::less<>>;

const EnvValue* lookup(const EnvLayer& env, std::string_view name) {
  auto it = env.find(name);
  return it == env.end() ? nullptr : &it->second;
}

// Several sources of one merged list: the process environment's names first ("env:A,B"), then
// each .env file once.
std::string combine_sources(const std::vector<std::string>& sources) {
  std::vector<std::string> env_names;
  std::vector<std::string> files;
  for (const auto& s : sources) {
    auto& bucket = s.starts_with("env:") ? env_names : files;
    const std::string item = s.starts_with("env:") ? s.substr(4) : s;
    if (std::find(bucket.begin(), bucket.end(), item) == bucket.end()) bucket.push_back(item);
  }
  std::vector<std::string> parts;
  if (!env_names.empty()) parts.push_back("env:" + join(env_names, ","));
  for (auto& f : files)
    parts.push_back(std::move(f));
  return join(parts, ", ");
}

void apply_env(const EnvLayer& env, Config& config) {
  for (const auto& k : config_schema()) {
    const std::string dotted = k.dotted();
    if (const EnvValue* v = lookup(env, k.env_name())) {
      config.set(dotted, v->value, v->source);
      continue;
    }
    const bool numbered = std::any_of(k.legacy_env.begin(), k.legacy_env.end(),
                                      [](std::string_view n) { return n.ends_with("_*"); });
    if (k.type == ConfigType::kStringList && numbered) {
      // GEMINI_API_KEY, GEMINI_API_KEY_1 .. _9: every one contributes, in order, deduplicated.
      std::vector<std::string> items;
      std::vector<std::string> sources;
      for (const auto& name : expanded_env_names(k)) {
        if (name == k.env_name()) continue;
        const EnvValue* v = lookup(env, name);
        if (v == nullptr) continue;
        bool any = false;
        for (auto& piece : text::split(v->value, '\n')) {
          for (auto& item : text::split(piece, ',')) {
            const std::string t(text::trim(item));
            if (t.empty()) continue;
            any = true;
            if (std::find(items.begin(), items.end(), t) == items.end()) items.push_back(t);
          }
        }
        if (any) sources.push_back(v->source);
      }
      if (!items.empty()) config.set(dotted, join(items, "\n"), combine_sources(sources));
      continue;
    }
    const EnvValue* chosen = nullptr;
    for (const auto& legacy : k.legacy_env) {
      if (const EnvValue* v = lookup(env, legacy)) chosen = v;  // later names win
    }
    if (chosen != nullptr) {
      config.set(dotted, chosen->value, chosen->source);
    } else if (dotted == kLegacyDebugKey) {
      if (const EnvValue* v = lookup(env, kLegacyDebugEnv);
          v != nullptr && parse_bool(v->value) == true) {
        config.set(dotted, "debug", v->source);
      }
    }
  }
}

// Unknown SAKAIBOT_* variables are probably typos.
void check_unknown_env(const EnvLayer& env, std::vector<ConfigProblem>& problems) {
  constexpr std::string_view kPrefix = "SAKAIBOT_";
  std::vector<std::string> known;  // without the prefix, so that it does not count as similarity
  for (const auto& k : config_schema())
    known.push_back(k.env_name().substr(kPrefix.size()));
  for (const auto& [name, v] : env) {
    if (!name.starts_with(kPrefix)) continue;
    const std::string rest = name.substr(kPrefix.size());
    if (std::find(known.begin(), known.end(), rest) != known.end()) continue;
    if (std::find(std::begin(kOtherSakaiEnv), std::end(kOtherSakaiEnv), name) !=
        std::end(kOtherSakaiEnv)) {
      continue;
    }
    const auto best = closest(rest, known);
    problems.push_back({name, "is not a SakaiBot setting (from " + v.source + ")",
                        best ? "did you mean " + std::string(kPrefix) + *best + "?"
                             : "remove it; docs/CONFIGURATION.md lists every variable",
                        true});
  }
}

std::map<std::string, std::string> process_environment() {
  std::map<std::string, std::string> out;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const std::string_view entry(*e);
    const auto eq = entry.find('=');
    if (eq == std::string_view::npos) continue;
    out.emplace(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
  }
  return out;
}

bool same_directory(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  const bool same =
      fs::equivalent(a.empty() ? fs::path(".") : a, b.empty() ? fs::path(".") : b, ec);
  return !ec && same;
}

}  // namespace

// ---------------------------------------------------------------------------------------------

std::vector<std::string> config_sections() {
  std::vector<std::string> out;
  for (const auto& k : config_schema()) {
    if (std::find(out.begin(), out.end(), k.section) == out.end()) out.emplace_back(k.section);
  }
  return out;
}

void LoadedConfig::set_everywhere(std::string_view dotted, const std::string& value,
                                  const std::string& source) {
  config.set(dotted, value, source);
  for (auto& account : accounts)
    account.config.set(dotted, value, source);
}

bool has_errors(const std::vector<ConfigProblem>& problems) {
  return std::any_of(problems.begin(), problems.end(),
                     [](const ConfigProblem& p) { return !p.warning; });
}

Result<LoadedConfig> load_config(const LoadOptions& opts) {
  std::map<std::string, std::string> real_env;
  if (opts.env == nullptr) real_env = process_environment();
  const std::map<std::string, std::string>& env = opts.env != nullptr ? *opts.env : real_env;

  // Absolute paths, so that sources and chmod hints are unambiguous.
  std::error_code ec;
  fs::path wd(opts.working_dir);
  if (wd.empty()) wd = fs::current_path(ec);
  if (!wd.empty() && !wd.is_absolute()) wd = fs::absolute(wd, ec);
  auto resolve = [&](const std::string& p) {
    const fs::path path(p);
    return ((path.is_absolute() || wd.empty()) ? path : wd / path).lexically_normal();
  };

  LoadedConfig out;
  std::vector<ConfigProblem> problems;

  // Which file.
  std::optional<std::string> explicit_path;
  std::string explicit_from = "--config";
  if (opts.explicit_path && !opts.explicit_path->empty()) {
    explicit_path = *opts.explicit_path;
  } else if (auto it = env.find(std::string(kConfigPathEnv));
             it != env.end() && !is_blank(it->second)) {
    explicit_path = it->second;
    explicit_from = std::string(kConfigPathEnv);
  }
  if (explicit_path) {
    const fs::path p = resolve(*explicit_path);
    if (!fs::exists(p, ec)) {
      return make_error(ErrorCode::kNotFound, "config file " + p.string() + " (from " +
                                                  explicit_from + ") does not exist");
    }
    if (fs::is_directory(p, ec)) {
      return make_error(ErrorCode::kInvalidArgument, "config file " + p.string() + " (from " +
                                                         explicit_from + ") is a directory");
    }
    out.file_path = p.string();
  } else if (const fs::path p = resolve("sakaibot.toml"); fs::is_regular_file(p, ec)) {
    out.file_path = p.string();
  }

  // Layer 1: the TOML file.
  std::vector<AccountEntry> account_entries;
  if (!out.file_path.empty() && load_toml(out.file_path, out.config, account_entries, problems)) {
    check_permissions(out.file_path, problems);
  }

  // Layer 2: .env files, working directory first (its variables win).
  std::vector<fs::path> env_paths{resolve(".env")};
  if (!out.file_path.empty()) {
    const fs::path dir = fs::path(out.file_path).parent_path();
    if (!same_directory(dir, wd)) env_paths.push_back((dir.empty() ? fs::path(".") : dir) / ".env");
  }
  std::vector<DotenvFile> dotenvs;
  for (const auto& p : env_paths) {
    if (!fs::is_regular_file(p, ec)) continue;
    const std::string path = p.string();
    const auto content = read_file(path);
    if (!content) {
      problems.push_back({path, "cannot be read", "check that you may read it, or remove it"});
      continue;
    }
    out.env_files.push_back(path);
    dotenvs.push_back(parse_dotenv(*content, path, problems));
  }

  // Layer 3: the process environment, then .env values for variables it does not set.
  EnvLayer layer;
  for (const auto& [name, value] : env) {
    if (!is_blank(value)) layer.emplace(name, EnvValue{value, "env:" + name});
  }
  for (const auto& file : dotenvs) {
    bool holds_secret = false;
    for (const auto& [name, value] : file.vars) {
      if (is_blank(value)) continue;
      if (const ConfigKey* k = key_for_env_name(name); k != nullptr && k->secret)
        holds_secret = true;
      layer.emplace(name, EnvValue{value, ".env:" + file.path});
    }
    if (holds_secret) check_permissions(file.path, problems);
  }
  check_unknown_env(layer, problems);
  apply_env(layer, out.config);

  out.problems = std::move(problems);
  for (auto& p : out.config.validate())
    out.problems.push_back(std::move(p));
  // Every account: the shared configuration with its own values over it.
  out.accounts = build_accounts(out.config, account_entries, out.problems);
  // No message quotes a secret, but make sure: mask any secret value that found its way in.
  std::vector<std::string> secrets = out.config.secret_values();
  for (const auto& account : out.accounts) {
    for (auto& secret : account.config.secret_values())
      secrets.push_back(std::move(secret));
  }
  for (const auto& secret : secrets) {
    if (secret.size() < 6) continue;
    for (auto& p : out.problems) {
      for (std::string* field : {&p.problem, &p.fix}) {
        for (auto pos = field->find(secret); pos != std::string::npos;
             pos = field->find(secret, pos)) {
          const std::string m = mask_secret(secret);
          field->replace(pos, secret.size(), m);
          pos += m.size();
        }
      }
    }
  }
  return out;
}

std::string render_problems(const std::vector<ConfigProblem>& problems) {
  constexpr std::size_t kLabelWidth = 9;
  std::string out;
  for (const auto& p : problems) {
    std::string problem = p.problem;
    // Belt and braces: the validators never quote a secret, but if a message about a secret key
    // does quote something, hide it.
    if (const ConfigKey* k = find_config_key(p.key); k != nullptr && k->secret) {
      std::string cleaned;
      bool in_quote = false;
      for (char c : problem) {
        if (c == '\'') {
          cleaned += in_quote ? "***'" : "'";
          in_quote = !in_quote;
        } else if (!in_quote) {
          cleaned += c;
        }
      }
      if (in_quote) cleaned += "***";
      problem = std::move(cleaned);
    }
    std::string label = p.warning ? "warning" : "error";
    label.resize(kLabelWidth, ' ');
    out += label;
    if (!p.key.empty()) out += p.key + ": ";
    out += problem + "\n";
    if (!p.fix.empty()) out += std::string(kLabelWidth, ' ') + "fix: " + p.fix + "\n";
  }
  return out;
}

}  // namespace sakai::app