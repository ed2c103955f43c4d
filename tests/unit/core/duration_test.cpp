// Durations as people read them in /status, /chats and voice mode's idle notice.
#include "core/duration.h"

#include <gtest/gtest.h>

namespace sakai::text {
namespace {

using std::chrono::seconds;

TEST(HumanDuration, TheTwoLargestUnits) {
  EXPECT_EQ(human_duration(seconds(0)), "0s");
  EXPECT_EQ(human_duration(seconds(42)), "42s");
  EXPECT_EQ(human_duration(seconds(60)), "1m 0s");
  EXPECT_EQ(human_duration(seconds(250)), "4m 10s");
  EXPECT_EQ(human_duration(seconds(2 * 3600 + 5 * 60 + 59)), "2h 5m");
  EXPECT_EQ(human_duration(seconds(3 * 86400 + 4 * 3600 + 59 * 60)), "3d 4h");
}

TEST(HumanDuration, NegativeCountsAsZero) {
  EXPECT_EQ(human_duration(seconds(-5)), "0s");
}

}  // namespace
}  // namespace sakai::text
