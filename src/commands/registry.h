#pragma once
// Name (or alias) → command. Lookups are case-insensitive. Built at start-up, then read-only.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "commands/command_spec.h"
#include "core/result.h"

namespace sakai::commands {

class Registry {
 public:
  // Fails on a name or alias that is already taken.
  Status add(CommandSpec spec);
  [[nodiscard]] const CommandSpec* find(std::string_view name_or_alias) const;
  // In registration order.
  [[nodiscard]] std::vector<const CommandSpec*> all() const;
  [[nodiscard]] std::vector<std::string> topics() const;
  // The closest known name within a small edit distance, for "did you mean".
  [[nodiscard]] std::optional<std::string> suggest(std::string_view name) const;

 private:
  std::vector<std::unique_ptr<CommandSpec>> specs_;
  std::map<std::string, const CommandSpec*, std::less<>> by_name_;
};

}  // namespace sakai::commands
