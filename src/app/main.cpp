// sakaibot — the executable is only the command line; everything else lives in the libraries.
#include "app/cli.h"

int main(int argc, char** argv) {
  return sakai::app::run_cli(argc, argv);
}
