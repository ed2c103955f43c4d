// LLM usage records: sums per user, per model, per user and per day.
#include <gtest/gtest.h>

#include "storage_test_util.h"

namespace sakai::storage::testing {
namespace {

constexpr std::int64_t kDay = 86'400'000;

class UsageRepoTest : public StoreTest {
 protected:
  void add(std::int64_t ts, std::int64_t user, const std::string& model, std::int64_t in,
           std::int64_t out, std::int64_t think = 0, std::int64_t cost = 0) {
    UsageRecord r;
    r.ts_ms = ts;
    r.user = UserId(user);
    r.chat = ChatId(user);
    r.command = "prompt";
    r.provider = "gemini";
    r.model = model;
    r.input_tokens = in;
    r.output_tokens = out;
    r.thinking_tokens = think;
    r.cost_micro_usd = cost;
    ASSERT_TRUE(store_->usage().append(r).is_ok());
  }
};

TEST_F(UsageRepoTest, EmptyTotalsAreZero) {
  auto t = store_->usage().totals(std::nullopt, 0);
  ASSERT_TRUE(t.is_ok());
  EXPECT_EQ(t->calls, 0);
  EXPECT_EQ(t->tokens(), 0);
}

TEST_F(UsageRepoTest, SumsPerUserModelAndDay) {
  add(10 * kDay + 5, 1, "flash", 100, 10, 5, 7);
  add(10 * kDay + 9, 1, "pro", 1000, 100, 0, 50);
  add(11 * kDay + 1, 2, "flash", 10, 1, 0, 1);
  add(9 * kDay, 1, "flash", 9999, 0);  // before the window

  auto mine = store_->usage().totals(UserId(1), 10 * kDay);
  ASSERT_TRUE(mine.is_ok());
  EXPECT_EQ(mine->calls, 2);
  EXPECT_EQ(mine->input_tokens, 1100);
  EXPECT_EQ(mine->output_tokens, 110);
  EXPECT_EQ(mine->thinking_tokens, 5);
  EXPECT_EQ(mine->tokens(), 1215);
  EXPECT_EQ(mine->cost_micro_usd, 57);

  auto all = store_->usage().totals(std::nullopt, 10 * kDay);
  ASSERT_TRUE(all.is_ok());
  EXPECT_EQ(all->calls, 3);

  auto models = store_->usage().by_model(UserId(1), 10 * kDay);
  ASSERT_TRUE(models.is_ok());
  ASSERT_EQ(models->size(), 2u);
  EXPECT_EQ((*models)[0].first, "pro");  // most tokens first
  EXPECT_EQ((*models)[1].second.tokens(), 115);

  auto users = store_->usage().by_user(10 * kDay);
  ASSERT_TRUE(users.is_ok());
  ASSERT_EQ(users->size(), 2u);
  EXPECT_EQ((*users)[0].first, UserId(1));

  auto days = store_->usage().by_day(std::nullopt, 0);
  ASSERT_TRUE(days.is_ok());
  ASSERT_EQ(days->size(), 3u);
  EXPECT_EQ((*days)[0].first, 9 * kDay);
  EXPECT_EQ((*days)[1].first, 10 * kDay);
  EXPECT_EQ((*days)[1].second.calls, 2);
  auto my_days = store_->usage().by_day(UserId(2), 0);
  ASSERT_TRUE(my_days.is_ok());
  ASSERT_EQ(my_days->size(), 1u);
  EXPECT_EQ((*my_days)[0].first, 11 * kDay);
}

TEST_F(UsageRepoTest, ImagesAreCountedPerUserModelAndDay) {
  add(10 * kDay + 5, 1, "flash", 100, 10, 0, 7);  // the prompt's enhancement
  UsageRecord r;
  r.ts_ms = 10 * kDay + 6;
  r.user = UserId(1);
  r.chat = ChatId(1);
  r.command = "imagine";
  r.provider = "openai";
  r.model = "gpt-image-1";
  r.images = 2;
  r.cost_micro_usd = 80'000;
  ASSERT_TRUE(store_->usage().append(r).is_ok());
  r.user = UserId(2);
  r.images = 1;
  r.cost_micro_usd = 40'000;
  ASSERT_TRUE(store_->usage().append(r).is_ok());

  auto mine = store_->usage().totals(UserId(1), 10 * kDay);
  ASSERT_TRUE(mine.is_ok());
  EXPECT_EQ(mine->calls, 2);
  EXPECT_EQ(mine->images, 2);
  EXPECT_EQ(mine->tokens(), 110);
  EXPECT_EQ(mine->cost_micro_usd, 80'007);
  EXPECT_EQ(store_->usage().totals(std::nullopt, 10 * kDay)->images, 3);
  auto models = store_->usage().by_model(UserId(1), 10 * kDay);
  ASSERT_TRUE(models.is_ok());
  ASSERT_EQ(models->size(), 2u);
  EXPECT_EQ((*models)[1].first, "gpt-image-1");  // no tokens: after the LLM model
  EXPECT_EQ((*models)[1].second.images, 2);
  auto users = store_->usage().by_user(10 * kDay);
  ASSERT_TRUE(users.is_ok());
  ASSERT_EQ(users->size(), 2u);
  EXPECT_EQ((*users)[1].second.images, 1);
  auto days = store_->usage().by_day(UserId(1), 0);
  ASSERT_TRUE(days.is_ok());
  ASSERT_EQ(days->size(), 1u);
  EXPECT_EQ((*days)[0].second.images, 2);
}

}  // namespace
}  // namespace sakai::storage::testing
