#pragma once
// The subcommands that talk to Telegram: login, logout, run, setup.
#include <string>

#include "app/config_loader.h"

namespace sakai::app {

struct TelegramCommandOptions {
  std::string config_path;   // where `setup` writes the configuration ("" = ./sakaibot.toml)
  bool qr = false;           // login with a QR code instead of the phone number
  bool interactive = false;  // stdin is a terminal
};

int cmd_login(const Config& config, const TelegramCommandOptions& opts);
int cmd_logout(const Config& config, const TelegramCommandOptions& opts);
// Runs the userbot until SIGINT/SIGTERM. Without a session: in a terminal it logs in first,
// otherwise it fails at once with the command to run (it never waits for the network forever).
int cmd_run(const Config& config, const TelegramCommandOptions& opts);
// The first-run wizard: asks for api_id/api_hash, phone, language and AI keys, writes the
// configuration (mode 0600) and logs in. Returns the path written through `written_path`.
int cmd_setup(const TelegramCommandOptions& opts, std::string* written_path);

// The TOML the wizard writes, for tests. Values are escaped as TOML basic strings.
struct SetupAnswers {
  long long api_id = 0;
  std::string api_hash;
  std::string phone;
  std::string language = "en";
  std::string gemini_key;
  std::string openrouter_key;
};
std::string render_setup_toml(const SetupAnswers& answers);

}  // namespace sakai::app
