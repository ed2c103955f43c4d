#include "app/paths.h"

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace sakai::app {

std::string data_dir(const Config& config) {
  const std::string configured = config.get_string("data.dir");
  if (!configured.empty()) {
    if (configured.front() == '~') {
      if (const char* home = std::getenv("HOME")) return std::string(home) + configured.substr(1);
    }
    return configured;
  }
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
    return std::string(xdg) + "/sakaibot";
  if (const char* home = std::getenv("HOME"); home && *home) {
    return std::string(home) + "/.local/share/sakaibot";
  }
  return "sakaibot-data";
}

std::string sqlite_path(const Config& config) {
  const std::string configured = config.get_string("storage.path");
  if (!configured.empty()) return configured;
  return data_dir(config) + "/sakaibot.db";
}

Status ensure_private_dir(const std::string& dir) {
  std::error_code ec;
  if (std::filesystem::is_directory(dir, ec)) return Status::ok();
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return make_error(ErrorCode::kIo,
                      "cannot create directory " + dir + ": " + ec.message() +
                          " (set data.dir or SAKAIBOT_DATA_DIR to a writable place)");
  }
  ::chmod(dir.c_str(), 0700);
  return Status::ok();
}

}  // namespace sakai::app
