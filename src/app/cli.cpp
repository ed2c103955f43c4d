#include "app/cli.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include <CLI/CLI.hpp>

#include "app/accounts.h"
#include "app/bot_core.h"
#include "app/config_loader.h"
#include "app/config_render.h"
#include "app/console_chat.h"
#include "app/console_render.h"
#include "app/debug_render.h"
#include "app/host.h"
#include "app/paths.h"
#include "app/telegram_commands.h"

namespace sakai::app {
namespace {

struct GlobalOptions {
  std::string config_path;
  std::string log_level;
  std::string log_format;
  std::string account;  // --account of the subcommand that runs
  const CliContext* context = nullptr;
};

// Loads the configuration and applies command-line overrides. Prints problems (warnings too,
// unless the command lists the problems itself); returns nullopt (after printing) when the
// configuration cannot be used.
std::optional<LoadedConfig> load(const GlobalOptions& g, bool fail_on_errors,
                                 bool print_warnings = true) {
  std::ostream& err = *g.context->err;
  LoadOptions opts;
  if (!g.config_path.empty()) opts.explicit_path = g.config_path;
  opts.env = g.context->env;
  opts.working_dir = g.context->working_dir;
  auto loaded = load_config(opts);
  if (!loaded.is_ok()) {
    err << "sakaibot: " << loaded.status().message() << "\n";
    return std::nullopt;
  }
  if (!g.log_level.empty()) loaded->set_everywhere("log.level", g.log_level, "command line");
  if (!g.log_format.empty()) loaded->set_everywhere("log.format", g.log_format, "command line");
  if (fail_on_errors && has_errors(loaded->problems)) {
    err << "sakaibot: the configuration has problems:\n"
        << render_problems(loaded->problems)
        << "Run `sakaibot config validate` after fixing them.\n";
    return std::nullopt;
  }
  // Warnings (such as a secrets file readable by others) are shown but do not stop us.
  for (const auto& p : loaded->problems) {
    if (p.warning && print_warnings) {
      err << render_problems({p});
    }
  }
  return std::move(loaded).value();
}

// Process-wide settings a command picks when the configuration leaves them alone.
void default_log_level(LoadedConfig& loaded, const std::string& level, const std::string& why) {
  if (!loaded.config.is_set("log.level")) loaded.set_everywhere("log.level", level, why);
}

bool interactive(const GlobalOptions& g) {
  return g.context->interactive.value_or(::isatty(STDIN_FILENO) != 0);
}

bool stdout_is_terminal(const GlobalOptions& g) {
  return g.context->out_terminal.value_or(g.context->out == &std::cout &&
                                          ::isatty(STDOUT_FILENO) != 0);
}

// A variable of the environment the configuration is read from.
std::optional<std::string> env_value(const GlobalOptions& g, const std::string& name) {
  if (g.context->env != nullptr) {
    const auto it = g.context->env->find(name);
    if (it == g.context->env->end()) return std::nullopt;
    return it->second;
  }
  const char* v = std::getenv(name.c_str());
  return v ? std::optional<std::string>(v) : std::nullopt;
}

int cmd_console(const GlobalOptions& g, bool jsonl, bool dev_clock) {
  auto loaded = load(g, true);
  if (!loaded) return 2;
  std::ostream& err = *g.context->err;
  // The chat is on stdout and the log on stderr; in a terminal the log would still interleave
  // with the chat, so the console logs only warnings unless asked otherwise.
  default_log_level(*loaded, "warn", "console default");
  auto selected =
      select_accounts(loaded->accounts, g.account.empty() ? kDefaultAccount : g.account);
  if (!selected.is_ok()) {
    err << "sakaibot: " << selected.status().message() << "\n";
    return 2;
  }
  const AccountConfig& account = *selected->front();
  SystemClock system_clock;
  AdjustableClock dev;  // --dev-clock: `:advance DURATION` moves it
  const Clock& clock = dev_clock ? static_cast<const Clock&>(dev) : system_clock;
  auto host = Host::create(loaded->config, err, clock);
  if (!host.is_ok()) {
    err << "sakaibot: " << host.status().message() << "\n";
    return 1;
  }
  auto core = BotCore::create(**host, account.name, account.config);
  if (!core.is_ok()) {
    err << "sakaibot: " << core.status().message() << "\n";
    return 1;
  }
  ConsoleOptions opts;
  opts.jsonl = jsonl;
  opts.interactive = interactive(g);
  opts.ansi = console_wants_ansi(jsonl, stdout_is_terminal(g), env_value(g, "NO_COLOR"));
  if (dev_clock) opts.clock = &dev;
  ConsoleChat chat(**core, opts, *g.context->in, *g.context->out, err);
  return chat.run();
}

int cmd_config_validate(const GlobalOptions& g) {
  // The problems are the output here: listed once, on stdout.
  auto loaded = load(g, false, false);
  if (!loaded) return 2;
  std::ostream& out = *g.context->out;
  const std::string where =
      loaded->file_path.empty() ? "no config file (defaults and environment)" : loaded->file_path;
  if (loaded->problems.empty()) {
    out << "Configuration is valid (" << where << ").\n";
    return 0;
  }
  out << render_problems(loaded->problems);
  if (has_errors(loaded->problems)) {
    out << "Configuration is invalid (" << where << ").\n";
    return 2;
  }
  out << "Configuration is valid, with warnings (" << where << ").\n";
  return 0;
}

int cmd_config_show(const GlobalOptions& g) {
  // The problems follow the configuration, once, on stderr.
  auto loaded = load(g, false, false);
  if (!loaded) return 2;
  std::ostream& out = *g.context->out;
  std::ostream& err = *g.context->err;
  if (!g.account.empty()) {
    // One account's effective configuration.
    auto selected = select_accounts(loaded->accounts, g.account);
    if (!selected.is_ok()) {
      err << "sakaibot: " << selected.status().message() << "\n";
      return 2;
    }
    const Config& config = selected->front()->config;
    out << "# Account " << g.account << "\n"
        << render_config_show(config, ShowDefaults{data_dir(config), sqlite_path(config)});
  } else {
    out << render_config_show(loaded->config,
                              ShowDefaults{data_dir(loaded->config), sqlite_path(loaded->config)});
    for (const auto& account : loaded->accounts)
      out << render_account_show(account);
  }
  if (!loaded->problems.empty()) err << render_problems(loaded->problems);
  return has_errors(loaded->problems) ? 2 : 0;
}

TelegramCommandOptions telegram_options(const GlobalOptions& g, bool qr) {
  TelegramCommandOptions o;
  o.config_path = g.config_path;
  o.qr = qr;
  o.interactive = interactive(g);
  o.account = g.account;
  o.in = g.context->in;
  o.out = g.context->out;
  o.err = g.context->err;
  o.tdjson = g.context->tdjson;
  o.hub = g.context->hub;
  return o;
}

int cmd_run_with_setup(const GlobalOptions& g) {
  auto loaded = load(g, true);
  if (!loaded) return 2;
  auto opts = telegram_options(g, false);
  // A new user's first `make run`: no Telegram keys yet, so the wizard asks for them.
  if (loaded->accounts.size() == 1 && !loaded->config.is_set("telegram.api_id") &&
      opts.interactive) {
    std::string written;
    if (const int rc = cmd_setup(opts, &written); rc != 0) return rc;
    GlobalOptions again = g;
    again.config_path = written;
    loaded = load(again, true);
    if (!loaded) return 2;
  }
  return cmd_run(*loaded, opts);
}

}  // namespace

int run_cli(int argc, char** argv) {
  return run_cli(argc, argv, CliContext{});
}

int run_cli(int argc, char** argv, const CliContext& context) {
  CLI::App app{"SakaiBot — a Telegram userbot with AI", "sakaibot"};
  app.set_version_flag("-V,--version", std::string("sakaibot ") + kVersion);
  app.require_subcommand(1);
  // Global options may also follow the subcommand: `sakaibot config validate --config FILE`.
  app.fallthrough();
  GlobalOptions g;
  g.context = &context;
  app.add_option("-c,--config", g.config_path,
                 "Config file (default: $SAKAIBOT_CONFIG or ./sakaibot.toml)");
  app.add_option("--log-level", g.log_level, "trace, debug, info, warn, error or off");
  app.add_option("--log-format", g.log_format, "human or json");
  auto account_option = [&g](CLI::App* sub, const std::string& what) {
    sub->add_option("-a,--account", g.account, what);
  };

  bool jsonl = false;
  auto* console = app.add_subcommand(
      "console",
      "Chat with SakaiBot in the terminal: you are the owner, no Telegram account needed");
  console->add_flag("--jsonl", jsonl, "Print every transport action as one JSON object per line");
  // A developer option, left out of --help (CONTRIBUTING.md, "Console scripts and time").
  bool dev_clock = false;
  console
      ->add_flag("--dev-clock", dev_clock,
                 "Let the script line `:advance DURATION` move the clock forward (tests)")
      ->group("");
  account_option(console, "Use this account's settings and stored state (default: default)");
  console->footer("Input lines:\n" + console_input_help() +
                  "Piped input runs as a script, line by line. In a terminal the answers' bold, "
                  "italic, code\nand links are drawn with terminal attributes (not with --jsonl "
                  "or when piped; NO_COLOR=1 turns\nthem off).");

  auto* run = app.add_subcommand(
      "run", "Run the userbot on every logged-in Telegram account (first run: setup and login)");
  account_option(run, "Run only this account");
  bool qr = false;
  auto* login = app.add_subcommand(
      "login", "Log in to Telegram: phone number, code and 2FA password, or a QR code");
  login->add_flag("--qr", qr, "Log in by scanning a QR code with Telegram on your phone");
  account_option(login, "The account to log in (default: default)");
  auto* logout = app.add_subcommand("logout", "Log out and delete the session on this machine");
  account_option(logout, "The account to log out (default: default)");
  auto* accounts = app.add_subcommand(
      "accounts", "List the accounts: phone, logged in or not, session directory");
  account_option(accounts, "Only this account");
  auto* setup =
      app.add_subcommand("setup", "First-run wizard: Telegram and AI keys, language; then login");

  auto* debug = app.add_subcommand("debug", "Tools for developers");
  debug->require_subcommand(1);
  auto* render = debug->add_subcommand(
      "render-markdown",
      "Markdown on stdin -> TDLib formattedText JSON on stdout (the converter answers use)");

  auto* config = app.add_subcommand("config", "Check, show or create the configuration");
  config->require_subcommand(1);
  auto* validate =
      config->add_subcommand("validate", "List every problem in the configuration (exit 2 if any)");
  auto* show = config->add_subcommand("show", "Show the effective configuration, secrets masked");
  account_option(show, "Show this account's effective configuration");
  auto* example = config->add_subcommand("example", "Print a commented example sakaibot.toml");

  int rc = 0;
  run->callback([&] { rc = cmd_run_with_setup(g); });
  login->callback([&] {
    auto loaded = load(g, true);
    // Prompts and TDLib's info lines would interleave on the terminal.
    if (loaded) default_log_level(*loaded, "warn", "login default");
    rc = loaded ? cmd_login(*loaded, telegram_options(g, qr)) : 2;
  });
  logout->callback([&] {
    auto loaded = load(g, true);
    rc = loaded ? cmd_logout(*loaded, telegram_options(g, false)) : 2;
  });
  accounts->callback([&] {
    auto loaded = load(g, true);
    rc = loaded ? cmd_accounts(*loaded, telegram_options(g, false)) : 2;
  });
  setup->callback([&] {
    auto opts = telegram_options(g, false);
    std::string written;
    rc = cmd_setup(opts, &written);
    if (rc != 0) return;
    GlobalOptions again = g;
    again.config_path = written;
    auto loaded = load(again, true);
    if (loaded) default_log_level(*loaded, "warn", "setup default");
    rc = loaded
             ? cmd_login(*loaded, telegram_options(
                                      again, loaded->config.get_string("telegram.phone").empty()))
             : 2;
  });
  render->callback([&] { rc = run_render_markdown(*context.in, *context.out); });
  console->callback([&] { rc = cmd_console(g, jsonl, dev_clock); });
  validate->callback([&] { rc = cmd_config_validate(g); });
  show->callback([&] { rc = cmd_config_show(g); });
  example->callback([&] { *context.out << render_config_example(); });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e, *context.out, *context.err);
    return code == 0 ? 0 : 2;
  }
  return rc;
}

}  // namespace sakai::app
