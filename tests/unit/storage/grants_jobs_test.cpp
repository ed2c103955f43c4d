// Grants (permissions with expiry) and scheduled jobs.
#include <string>
#include <vector>

#include "storage_test_util.h"

namespace sakai::storage::testing {
namespace {

class GrantsTest : public StoreTest {
 protected:
  GrantRepository& grants() { return store_->grants(); }
  void put(std::int64_t user, const std::string& command, GrantMode mode,
           std::optional<std::int64_t> expires = std::nullopt) {
    ASSERT_TRUE(grants().put({UserId(user), command, mode, expires, 1000}).is_ok());
  }
  std::vector<std::string> commands_of(std::int64_t user) {
    std::vector<std::string> out;
    // Keep the Result alive: value() of a temporary would dangle inside a range-for.
    const auto listed = grants().for_user(UserId(user));
    EXPECT_TRUE(listed.is_ok()) << listed.status().to_string();
    if (!listed.is_ok()) return out;
    for (const auto& g : listed.value())
      out.push_back(g.command);
    return out;
  }
};

using Names = std::vector<std::string>;

TEST_F(GrantsTest, PutThenReadBackEveryField) {
  put(7, "tts", GrantMode::kDirect, 99'000);
  put(7, "ask", GrantMode::kConfirm);
  auto got = grants().for_user(UserId(7)).value();
  ASSERT_EQ(got.size(), 2U);
  EXPECT_EQ(got[0].command, "ask");  // by command name
  EXPECT_EQ(got[0].mode, GrantMode::kConfirm);
  EXPECT_FALSE(got[0].expires_ms.has_value());
  EXPECT_EQ(got[1].user, UserId(7));
  EXPECT_EQ(got[1].command, "tts");
  EXPECT_EQ(got[1].mode, GrantMode::kDirect);
  EXPECT_EQ(got[1].expires_ms, std::optional<std::int64_t>(99'000));
  EXPECT_EQ(got[1].created_ms, 1000);
  EXPECT_TRUE(grants().for_user(UserId(8)).value().empty());
}

TEST_F(GrantsTest, PutReplacesTheSameUserAndCommand) {
  put(7, "tts", GrantMode::kConfirm, 5000);
  put(7, "tts", GrantMode::kDirect);
  auto got = grants().for_user(UserId(7)).value();
  ASSERT_EQ(got.size(), 1U);
  EXPECT_EQ(got[0].mode, GrantMode::kDirect);
  EXPECT_FALSE(got[0].expires_ms.has_value());  // the new grant never expires
}

TEST_F(GrantsTest, CreatedTimeDefaultsToTheClock) {
  ASSERT_TRUE(grants().put({UserId(1), "*", GrantMode::kConfirm, std::nullopt, 0}).is_ok());
  EXPECT_EQ(grants().for_user(UserId(1)).value().at(0).created_ms, now_ms());
}

TEST_F(GrantsTest, RemoveOneOrAllOfAUser) {
  put(7, "tts", GrantMode::kDirect);
  put(7, "ask", GrantMode::kDirect);
  put(7, "*", GrantMode::kConfirm);
  put(8, "tts", GrantMode::kDirect);
  EXPECT_EQ(grants().remove(UserId(7), "tts").value(), 1);
  EXPECT_EQ(grants().remove(UserId(7), "tts").value(), 0);
  EXPECT_EQ(commands_of(7), (Names{"*", "ask"}));
  EXPECT_EQ(grants().remove(UserId(7), "").value(), 2);
  EXPECT_TRUE(commands_of(7).empty());
  EXPECT_EQ(commands_of(8), (Names{"tts"}));
  EXPECT_EQ(grants().remove(UserId(7), "").value(), 0);
}

TEST_F(GrantsTest, ListIsOrderedByUserThenCommand) {
  put(9, "b", GrantMode::kDirect);
  put(3, "z", GrantMode::kDirect);
  put(9, "a", GrantMode::kDirect);
  put(3, "m", GrantMode::kDirect);
  std::vector<std::pair<std::int64_t, std::string>> seen;
  const auto listed = grants().list();
  ASSERT_TRUE(listed.is_ok()) << listed.status().to_string();
  for (const auto& g : listed.value())
    seen.emplace_back(g.user.value(), g.command);
  EXPECT_EQ(seen, (std::vector<std::pair<std::int64_t, std::string>>{
                      {3, "m"}, {3, "z"}, {9, "a"}, {9, "b"}}));
}

TEST_F(GrantsTest, PurgeExpiredDeletesOnlyGrantsThatExpiredBeforeNow) {
  put(1, "expired", GrantMode::kDirect, 999);
  put(1, "expires-now", GrantMode::kDirect, 1000);
  put(1, "later", GrantMode::kDirect, 5000);
  put(1, "forever", GrantMode::kDirect);
  put(2, "expired-too", GrantMode::kConfirm, 10);
  EXPECT_EQ(grants().purge_expired(1000).value(), 2);
  EXPECT_EQ(commands_of(1), (Names{"expires-now", "forever", "later"}));
  EXPECT_TRUE(commands_of(2).empty());
  EXPECT_EQ(grants().purge_expired(1000).value(), 0);
  EXPECT_EQ(grants().purge_expired(1'000'000).value(), 2);
  EXPECT_EQ(commands_of(1), (Names{"forever"}));
}

class JobsTest : public StoreTest {
 protected:
  JobRepository& jobs() { return store_->jobs(); }
  std::int64_t add(std::int64_t due_ms, const std::string& kind = "message",
                   JobStatus status = JobStatus::kPending) {
    ScheduledJob job;
    job.kind = kind;
    job.chat = ChatId(-100);
    job.owner = UserId(1);
    job.due_ms = due_ms;
    job.payload = kind + "@" + std::to_string(due_ms);
    job.status = status;
    job.created_ms = 1;
    auto id = jobs().add(job);
    EXPECT_TRUE(id.is_ok()) << id.status().to_string();
    return id.value_or(0);
  }
  static std::vector<std::int64_t> ids(const std::vector<ScheduledJob>& list) {
    std::vector<std::int64_t> out;
    for (const auto& j : list)
      out.push_back(j.id);
    return out;
  }
};

using Ids = std::vector<std::int64_t>;

TEST_F(JobsTest, AddThenGetRoundTrips) {
  ScheduledJob job;
  job.kind = "tts";
  job.chat = ChatId(-100123);
  job.owner = UserId(42);
  job.due_ms = 1'700'000'123'456;
  job.payload = std::string("{\"text\":\"hi\"}\0binary", 21);
  job.attempts = 2;
  job.created_ms = 77;
  auto id = jobs().add(job);
  ASSERT_TRUE(id.is_ok()) << id.status().to_string();
  auto got = jobs().get(*id).value();
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->id, *id);
  EXPECT_EQ(got->kind, "tts");
  EXPECT_EQ(got->chat, ChatId(-100123));
  EXPECT_EQ(got->owner, UserId(42));
  EXPECT_EQ(got->due_ms, 1'700'000'123'456);
  EXPECT_EQ(got->payload, job.payload);
  EXPECT_EQ(got->status, JobStatus::kPending);
  EXPECT_EQ(got->attempts, 2);
  EXPECT_EQ(got->created_ms, 77);
  EXPECT_FALSE(jobs().get(*id + 1000).value().has_value());
}

TEST_F(JobsTest, CreatedTimeDefaultsToTheClock) {
  ScheduledJob job;
  job.kind = "message";
  auto id = jobs().add(job).value();
  EXPECT_EQ(jobs().get(id).value()->created_ms, now_ms());
}

TEST_F(JobsTest, DueReturnsPendingJobsUpToNowEarliestFirst) {
  const auto late = add(300);
  const auto early = add(100);
  const auto tie_first = add(200);
  const auto tie_second = add(200);
  add(400);  // not due yet
  add(50, "message", JobStatus::kRunning);
  add(50, "message", JobStatus::kDone);
  add(50, "message", JobStatus::kFailed);
  add(50, "message", JobStatus::kCancelled);
  EXPECT_EQ(ids(jobs().due(300, 10).value()), (Ids{early, tie_first, tie_second, late}));
  EXPECT_EQ(ids(jobs().due(300, 2).value()), (Ids{early, tie_first}));
  EXPECT_EQ(ids(jobs().due(99, 10).value()), Ids{});
  EXPECT_EQ(ids(jobs().due(100, 10).value()), (Ids{early}));  // due_ms == now is due
}

TEST_F(JobsTest, SetStatusTakesAJobOutOfDue) {
  const auto a = add(100);
  const auto b = add(200);
  ASSERT_TRUE(jobs().set_status(a, JobStatus::kRunning, 1).is_ok());
  EXPECT_EQ(ids(jobs().due(1000, 10).value()), (Ids{b}));
  auto got = jobs().get(a).value();
  EXPECT_EQ(got->status, JobStatus::kRunning);
  EXPECT_EQ(got->attempts, 1);
  // A retry puts it back.
  ASSERT_TRUE(jobs().set_status(a, JobStatus::kPending, 1).is_ok());
  EXPECT_EQ(ids(jobs().due(1000, 10).value()), (Ids{a, b}));
}

TEST_F(JobsTest, SetStatusOfAnUnknownJobIsNotFound) {
  const Status status = jobs().set_status(12345, JobStatus::kDone, 0);
  EXPECT_EQ(status.code(), ErrorCode::kNotFound);
}

TEST_F(JobsTest, PendingListsPendingAndRunningByKind) {
  const auto msg_late = add(500, "message");
  const auto tts = add(100, "tts");
  const auto msg_running = add(300, "message", JobStatus::kRunning);
  const auto msg_early = add(200, "message");
  add(10, "message", JobStatus::kDone);
  add(10, "tts", JobStatus::kFailed);
  add(10, "tts", JobStatus::kCancelled);
  EXPECT_EQ(ids(jobs().pending("message").value()), (Ids{msg_early, msg_running, msg_late}));
  EXPECT_EQ(ids(jobs().pending("tts").value()), (Ids{tts}));
  EXPECT_EQ(ids(jobs().pending("").value()), (Ids{tts, msg_early, msg_running, msg_late}));
  EXPECT_TRUE(jobs().pending("nothing").value().empty());
}

TEST_F(JobsTest, EveryStatusRoundTrips) {
  for (JobStatus status : {JobStatus::kPending, JobStatus::kRunning, JobStatus::kDone,
                           JobStatus::kFailed, JobStatus::kCancelled}) {
    const auto id = add(1, "message", status);
    EXPECT_EQ(jobs().get(id).value()->status, status) << job_status_name(status);
  }
}

}  // namespace
}  // namespace sakai::storage::testing
