#pragma once
// Temporary directories and files for the config loader tests.
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "support/temp_dir.h"

namespace sakai::app::testing {

// support/temp_dir.h's directory, with path() as a string and files written with given modes.
class TempDir : public sakai::testing::TempDir {
 public:
  TempDir() : sakai::testing::TempDir("sakaibot-config") {}

  [[nodiscard]] std::string path() const { return str(); }

  // Writes `name` (creating parent directories) with the given permission bits.
  std::string write(const std::string& name, const std::string& content,
                    unsigned mode = 0600) const {
    const std::string p = file(name);
    std::filesystem::create_directories(std::filesystem::path(p).parent_path());
    {
      std::ofstream out(p, std::ios::binary | std::ios::trunc);
      out << content;
    }
    EXPECT_EQ(::chmod(p.c_str(), static_cast<mode_t>(mode)), 0);
    return p;
  }
};

}  // namespace sakai::app::testing
