#pragma once
// The subcommands that talk to Telegram: login, logout, run, accounts, setup.
#include <iostream>
#include <string>

#include "app/config_loader.h"
#include "telegram/tdjson/td_json_api.h"
#include "telegram/tdjson/td_json_hub.h"

namespace sakai::app {

struct TelegramCommandOptions {
  std::string config_path;   // where `setup` writes the configuration ("" = ./sakaibot.toml)
  bool qr = false;           // login with a QR code instead of the phone number
  bool interactive = false;  // stdin is a terminal
  // --account NAME; "" = the command's default ("default" for login and logout, every account
  // for run and accounts).
  std::string account;
  // Where the command talks to the person: the terminal, or a test's streams.
  std::istream* in = &std::cin;
  std::ostream* out = &std::cout;
  std::ostream* err = &std::cerr;
  // Tests: a TDLib double instead of libtdjson.so (borrowed), and the hub's poll interval.
  telegram::tdjson::TdJsonApi* tdjson = nullptr;
  telegram::tdjson::TdJsonHubOptions hub;
};

// Logs the account in (--account, default "default").
int cmd_login(const LoadedConfig& loaded, const TelegramCommandOptions& opts);
// Logs the account out and deletes its session on this machine.
int cmd_logout(const LoadedConfig& loaded, const TelegramCommandOptions& opts);
// Runs the userbot until SIGINT/SIGTERM (app/stop_signal.h) on every account that is logged in,
// or on --account alone. One account that is not logged in is reported and skipped; one whose
// TDLib closes stops alone; the process ends when no account is left. A single account without a
// session gets the login first when stdin is a terminal; otherwise it fails at once with the
// command to run (it never waits for the network forever).
int cmd_run(const LoadedConfig& loaded, const TelegramCommandOptions& opts);
// Lists every account (or --account): name, phone (masked), logged in or not, session directory.
int cmd_accounts(const LoadedConfig& loaded, const TelegramCommandOptions& opts);
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
