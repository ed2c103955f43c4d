#pragma once
// A command as the registry knows it: names, who may run it, its help texts (catalog keys
// cmd.<name>.usage and cmd.<name>.description), and its handler.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "commands/command_line.h"
#include "commands/reply.h"
#include "core/message.h"

namespace sakai::commands {

struct Services;

enum class Access {
  kOwner,    // the owner only
  kFriends,  // the owner, and friends with a grant for it (in private chats)
};

struct CommandContext {
  Services& services;
  Message message;  // the message that carried the command
  CommandLine line;
  std::optional<Message> replied;  // the message it replied to, if any
  std::string lang;                // language to answer in
  bool by_owner = false;
  Reply reply;

  // Shorthand for services.i18n.tr(lang, ...).
  [[nodiscard]] std::string tr(std::string_view key, std::initializer_list<TrArg> args = {}) const;
};

using Handler = std::function<void(CommandContext)>;

struct CommandSpec {
  std::string name;                  // canonical, lower-case
  std::vector<std::string> aliases;  // lower-case
  std::string topic;                 // help group: "general", "ai", "voice", "admin", ...
  Access access = Access::kOwner;
  std::vector<std::string> param_keys;  // key=value parameters it accepts
  Handler handler;

  [[nodiscard]] std::string usage_key() const { return "cmd." + name + ".usage"; }
  [[nodiscard]] std::string description_key() const { return "cmd." + name + ".description"; }
};

}  // namespace sakai::commands
