#pragma once
// The sakaibot command line: subcommands, their options and help (CLI11).
namespace sakai::app {

// Parses argv, runs the chosen subcommand, returns the exit code:
// 0 success, 1 failure, 2 invalid configuration or usage.
int run_cli(int argc, char** argv);

}  // namespace sakai::app
