// Every test has a timeout: each gtest_discover_tests() call in the test CMake code sets the
// TIMEOUT property, so one hanging test fails at its timeout instead of eating CI's time budget.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace sakai::testing {
namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The CMake code of the tests: every CMakeLists.txt and *.cmake under tests/.
std::vector<fs::path> test_cmake_files() {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(fs::path(SAKAIBOT_SOURCE_DIR) / "tests")) {
    if (!e.is_regular_file()) continue;
    const auto name = e.path().filename().string();
    if (name == "CMakeLists.txt" || e.path().extension() == ".cmake") out.push_back(e.path());
  }
  return out;
}

// The text of every call to `command` in `cmake` (from its name to the closing parenthesis),
// comments removed.
std::vector<std::string> calls(const std::string& cmake, const std::string& command) {
  std::string code;
  std::istringstream lines(cmake);
  for (std::string line; std::getline(lines, line);) {
    const auto hash = line.find('#');
    code += (hash == std::string::npos ? line : line.substr(0, hash)) + "\n";
  }
  std::vector<std::string> out;
  const std::regex head("\\b" + command + "\\s*\\(");
  for (auto it = std::sregex_iterator(code.begin(), code.end(), head); it != std::sregex_iterator();
       ++it) {
    std::size_t i = static_cast<std::size_t>(it->position() + it->length());
    int depth = 1;
    while (i < code.size() && depth > 0) {
      if (code[i] == '(') ++depth;
      if (code[i] == ')') --depth;
      ++i;
    }
    out.push_back(code.substr(static_cast<std::size_t>(it->position()),
                              i - static_cast<std::size_t>(it->position())));
  }
  return out;
}

TEST(TestTimeouts, EveryDiscoveredTestHasATimeout) {
  int discovered = 0;
  const std::regex timeout_property("PROPERTIES[^)]*\\sTIMEOUT\\s+\\S+");
  for (const auto& file : test_cmake_files()) {
    const std::string cmake = read(file);
    for (const auto& call : calls(cmake, "gtest_discover_tests")) {
      ++discovered;
      EXPECT_TRUE(std::regex_search(call, timeout_property))
          << file << ": a gtest_discover_tests() call without PROPERTIES ... TIMEOUT:\n"
          << call;
    }
    // Tests added one by one need set_tests_properties(... TIMEOUT ...) too; there are none.
    EXPECT_TRUE(calls(cmake, "add_test").empty())
        << file << " adds a test without gtest_discover_tests: give it a TIMEOUT property";
  }
  EXPECT_GE(discovered, 2) << "the test CMake code was not found under " << SAKAIBOT_SOURCE_DIR;
}

}  // namespace
}  // namespace sakai::testing
