#pragma once
// Where SakaiBot keeps its files. Pure apart from reading the environment.
#include <string>

#include "core/config.h"
#include "core/result.h"

namespace sakai::app {

// data.dir, else $XDG_DATA_HOME/sakaibot, else ~/.local/share/sakaibot, else ./sakaibot-data.
std::string data_dir(const Config& config);
// storage.path, else <data dir>/sakaibot.db.
std::string sqlite_path(const Config& config);
// Creates `dir` (and parents) with mode 0700 when missing.
Status ensure_private_dir(const std::string& dir);

}  // namespace sakai::app
