#pragma once
// The sakaibot command line: subcommands, their options and help (CLI11).
#include <iostream>
#include <map>
#include <optional>
#include <string>

#include "telegram/tdjson/td_json_api.h"
#include "telegram/tdjson/td_json_hub.h"

namespace sakai::app {

// Where the command line reads and writes, and what it runs on: the process's terminal,
// environment and TDLib by default; tests script them.
struct CliContext {
  std::istream* in = &std::cin;
  std::ostream* out = &std::cout;
  std::ostream* err = &std::cerr;
  std::optional<bool> interactive;   // stdin is a terminal (default: isatty(0))
  std::optional<bool> out_terminal;  // `out` is a terminal (default: out is std::cout, isatty(1))
  // A TDLib double instead of libtdjson.so (borrowed), and the hub's poll interval.
  telegram::tdjson::TdJsonApi* tdjson = nullptr;
  telegram::tdjson::TdJsonHubOptions hub;
  // The environment the configuration is read from (nullptr: the process's) and the working
  // directory ("" = the current one), as LoadOptions.
  const std::map<std::string, std::string>* env = nullptr;
  std::string working_dir;
};

// Parses argv, runs the chosen subcommand, returns the exit code:
// 0 success, 1 failure, 2 invalid configuration or usage.
int run_cli(int argc, char** argv);
int run_cli(int argc, char** argv, const CliContext& context);

}  // namespace sakai::app
