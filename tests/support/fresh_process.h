#pragma once
// Checks about what a process has loaded (libraries opened on first use, core/shared_library.h)
// need a process in which nothing ran before: earlier tests in the same binary may have loaded
// the library already. in_fresh_process() runs a block in a re-executed copy of the test binary
// (a "threadsafe" death test: fork + exec, then only this test up to the block) and expects it to
// exit with 0; child_check() ends that copy with 1 and says why on stderr, which gtest shows.
// Use it only in tests whose binary runs nothing at static-initialisation time that loads them.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

namespace sakai::testing {

// Whether a file whose path contains `needle` is mapped into this process (/proc/self/maps).
inline bool mapped(std::string_view needle) {
  std::ifstream in("/proc/self/maps");
  std::ostringstream all;
  all << in.rdbuf();
  return all.str().find(needle) != std::string::npos;
}

// In the child: ends it with exit code 1 and `what` on stderr unless `ok`.
inline void child_check(bool ok, const std::string& what) {
  if (ok) return;
  std::fprintf(stderr, "fresh-process check failed: %s\n", what.c_str());
  std::fflush(stderr);
  std::_Exit(1);  // not exit(): nothing of the half-done test may run on
}

// Runs `body` in a fresh copy of this test binary: the test fails unless `body` returns there
// (then the copy exits with 0). `body`'s own checks use child_check().
template <class Body>
void in_fresh_process(Body body) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        body();
        std::fflush(nullptr);
        std::_Exit(0);
      },
      ::testing::ExitedWithCode(0), "");
}

}  // namespace sakai::testing
