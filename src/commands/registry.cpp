#include "commands/registry.h"

#include <algorithm>

#include "commands/services.h"
#include "core/text.h"

namespace sakai::commands {
namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j)
    prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      cur[j] =
          std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

std::string CommandContext::tr(std::string_view key, std::initializer_list<TrArg> args) const {
  return services.i18n.tr(lang, key, args);
}

Status Registry::add(CommandSpec spec) {
  spec.name = text::ascii_lower(spec.name);
  for (auto& a : spec.aliases)
    a = text::ascii_lower(a);
  std::vector<std::string> names = spec.aliases;
  names.push_back(spec.name);
  for (const auto& n : names) {
    if (by_name_.count(n)) {
      return make_error(ErrorCode::kAlreadyExists,
                        "command name '" + n + "' is already registered");
    }
  }
  specs_.push_back(std::make_unique<CommandSpec>(std::move(spec)));
  const CommandSpec* p = specs_.back().get();
  for (const auto& n : names)
    by_name_.emplace(n, p);
  return Status::ok();
}

const CommandSpec* Registry::find(std::string_view name) const {
  auto it = by_name_.find(name);
  if (it != by_name_.end()) return it->second;
  // Names are stored lower-case; callers usually pass lower-case already.
  it = by_name_.find(text::ascii_lower(name));
  return it == by_name_.end() ? nullptr : it->second;
}

std::vector<const CommandSpec*> Registry::all() const {
  std::vector<const CommandSpec*> out;
  out.reserve(specs_.size());
  for (const auto& s : specs_)
    out.push_back(s.get());
  return out;
}

std::vector<std::string> Registry::topics() const {
  std::vector<std::string> out;
  for (const auto& s : specs_) {
    if (std::find(out.begin(), out.end(), s->topic) == out.end()) out.push_back(s->topic);
  }
  return out;
}

std::optional<std::string> Registry::suggest(std::string_view name) const {
  const std::string lower = text::ascii_lower(name);
  std::optional<std::string> best;
  // Up to one edit for short names, two for longer ones; never a 1-2 letter alias.
  std::size_t best_d = lower.size() >= 5 ? 3 : 2;
  for (const auto& [n, spec] : by_name_) {
    if (n.size() < 3) continue;
    const std::size_t d = edit_distance(lower, n);
    if (d < best_d) {
      best_d = d;
      best = spec->name;
    }
  }
  return best;
}

void Registry::add_reply_continuation(ReplyContinuation continuation) {
  continuations_.push_back(std::move(continuation));
}

void Registry::add_media_handler(MediaHandler handler) {
  media_handlers_.push_back(std::move(handler));
}

}  // namespace sakai::commands
