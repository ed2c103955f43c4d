#include "core/rate_limiter.h"

#include <gtest/gtest.h>

namespace sakai {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

const UserId kAli(2001);
const UserId kBob(2002);

TEST(CoreRateLimiter, AllowsUpToTheLimitThenRefuses) {
  ManualClock clock;
  RateLimiter limiter(clock, 3, seconds(60));
  for (int i = 0; i < 3; ++i) {
    const auto d = limiter.check(kAli);
    EXPECT_TRUE(d.allowed) << i;
    EXPECT_FALSE(d.notify) << i;
  }
  const auto refused = limiter.check(kAli);
  EXPECT_FALSE(refused.allowed);
  EXPECT_TRUE(refused.notify);
  EXPECT_EQ(refused.retry_after, seconds(60));
}

TEST(CoreRateLimiter, NotifiesOncePerWindowNotOncePerMessage) {
  ManualClock clock;
  RateLimiter limiter(clock, 2, seconds(60));
  ASSERT_TRUE(limiter.check(kAli).allowed);
  ASSERT_TRUE(limiter.check(kAli).allowed);
  int notices = 0;
  for (int i = 0; i < 20; ++i) {
    clock.advance(seconds(1));
    const auto d = limiter.check(kAli);
    EXPECT_FALSE(d.allowed) << i;
    notices += d.notify ? 1 : 0;
  }
  EXPECT_EQ(notices, 1);
}

TEST(CoreRateLimiter, WindowSlides) {
  ManualClock clock;
  RateLimiter limiter(clock, 2, seconds(60));
  ASSERT_TRUE(limiter.check(kAli).allowed);  // t = 0
  clock.advance(seconds(10));
  ASSERT_TRUE(limiter.check(kAli).allowed);  // t = 10
  clock.advance(seconds(40));
  auto d = limiter.check(kAli);  // t = 50: both still in the window
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.retry_after, seconds(10));  // the event at t = 0 leaves at t = 60
  clock.advance(seconds(10));
  EXPECT_TRUE(limiter.check(kAli).allowed);  // t = 60: one slot back
  EXPECT_FALSE(limiter.check(kAli).allowed);
  clock.advance(seconds(10));
  EXPECT_TRUE(limiter.check(kAli).allowed);  // t = 70: the t = 10 event left
}

TEST(CoreRateLimiter, NoticeComesAgainAfterAnAllowedCommand) {
  ManualClock clock;
  RateLimiter limiter(clock, 1, seconds(60));
  ASSERT_TRUE(limiter.check(kAli).allowed);
  EXPECT_TRUE(limiter.check(kAli).notify);
  EXPECT_FALSE(limiter.check(kAli).notify);
  clock.advance(seconds(60));
  ASSERT_TRUE(limiter.check(kAli).allowed);
  const auto d = limiter.check(kAli);
  EXPECT_FALSE(d.allowed);
  EXPECT_TRUE(d.notify);
}

TEST(CoreRateLimiter, RetryAfterRoundsUpAndIsAtLeastOneSecond) {
  ManualClock clock;
  RateLimiter limiter(clock, 1, seconds(60));
  ASSERT_TRUE(limiter.check(kAli).allowed);
  clock.advance(milliseconds(500));
  EXPECT_EQ(limiter.check(kAli).retry_after, seconds(60));  // 59.5 s rounds up
  clock.advance(milliseconds(59'400));
  EXPECT_EQ(limiter.check(kAli).retry_after, seconds(1));  // 0.1 s left
}

TEST(CoreRateLimiter, UsersAreIndependent) {
  ManualClock clock;
  RateLimiter limiter(clock, 1, seconds(60));
  EXPECT_TRUE(limiter.check(kAli).allowed);
  EXPECT_FALSE(limiter.check(kAli).allowed);
  EXPECT_TRUE(limiter.check(kBob).allowed);
  EXPECT_EQ(limiter.tracked_users(), 2u);
  limiter.forget(kAli);
  EXPECT_EQ(limiter.tracked_users(), 1u);
  EXPECT_TRUE(limiter.check(kAli).allowed);
}

TEST(CoreRateLimiter, ZeroMaxDisablesLimiting) {
  ManualClock clock;
  RateLimiter limiter(clock, 0, seconds(60));
  for (int i = 0; i < 1000; ++i) {
    const auto d = limiter.check(kAli);
    ASSERT_TRUE(d.allowed) << i;
    ASSERT_FALSE(d.notify);
  }
  EXPECT_EQ(limiter.tracked_users(), 0u);
}

TEST(CoreRateLimiter, IdleUsersAreSweptAway) {
  ManualClock clock;
  RateLimiter limiter(clock, 5, seconds(60));
  for (int i = 0; i < 100; ++i)
    ASSERT_TRUE(limiter.check(UserId(10'000 + i)).allowed);
  EXPECT_EQ(limiter.tracked_users(), 100u);
  clock.advance(seconds(61));
  // The sweep runs every few thousand checks; one busy user triggers it.
  for (int i = 0; i < 5000; ++i) {
    (void)limiter.check(kAli);
    if (i % 5 == 4) clock.advance(seconds(61));
  }
  EXPECT_LE(limiter.tracked_users(), 2u);
}

}  // namespace
}  // namespace sakai
