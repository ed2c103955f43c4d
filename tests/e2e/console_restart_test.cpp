// The console across two processes on one data directory: a console killed with SIGKILL while a
// /tts request waits leaves the request stored; the next console speaks it, and numbers its own
// messages after the first console's, so the resumed request's voice note, edits and clean-up
// name the first session's messages and never one of the new session.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>

#include "e2e/console_runner.h"
#include "support/loopback_server.h"

namespace sakai::e2e {
namespace {

constexpr const char* kGeminiTtsPath = R"(/v1beta/models/[^/]+:generateContent)";

// Stored /tts requests in the database file, read while the console runs (0 until the file and
// its tables exist).
int stored_tts_requests(const std::string& db_path) {
  sqlite3* db = nullptr;
  int n = 0;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_busy_timeout(db, 1000);
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM scheduled_jobs WHERE kind = 'tts'", -1, &stmt,
                           nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      n = sqlite3_column_int(stmt, 0);
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return n;
}

// Every message id a session's actions created (receives, sends, voice notes).
std::set<std::int64_t> created_ids(const RunResult& r) {
  std::set<std::int64_t> ids;
  for (const auto& l : r.lines) {
    const std::string action = l.value("action", "");
    if ((action == "receive" || action == "send" || action == "voice") && l.contains("message_id"))
      ids.insert(l["message_id"].get<std::int64_t>());
  }
  return ids;
}

TEST(ConsoleRestart, AKilledConsolesTtsRequestIsSpokenLaterAndTouchesNoNewMessage) {
  // The first console asks Gemini for the voice note, which never comes, and is killed once the
  // request is stored.
  test::LoopbackServer srv;
  srv.hang("POST", kGeminiTtsPath);
  Sandbox box;
  box.set_env("GEMINI_API_KEY", "test-key");
  box.set_env("GEMINI_BASE_URL", srv.url(""));
  const std::string db = box.file("data/sakaibot.db");
  const auto first =
      box.run_until_killed({"console", "--jsonl"}, script({"hello", "/tts good morning everyone"}),
                           [&](const std::string&) { return stored_tts_requests(db) == 1; });
  ASSERT_EQ(first.receive_text(2), "/tts good morning everyone") << first.out;
  const auto status = first.replies_to(2);
  ASSERT_EQ(status.size(), 1u) << first.out;
  const std::int64_t status_id = status[0]["message_id"];
  const auto before = created_ids(first);
  ASSERT_FALSE(before.empty());
  const std::int64_t last_before = *before.rbegin();

  // The second console has no Gemini key: the stored request falls back to the local voice.
  box.unset_env("GEMINI_API_KEY");
  const auto second = box.console(script({"good evening", "/ping"}));
  expect_clean(second);
  const auto now = created_ids(second);
  ASSERT_FALSE(now.empty()) << second.out;
  EXPECT_GT(*now.begin(), last_before) << "message numbering started again:\n" << second.out;

  // The stored request is spoken, in answer to the first console's request message.
  const auto voices = second.with_action("voice");
  ASSERT_EQ(voices.size(), 1u) << second.out;
  EXPECT_EQ(voices[0]["reply_to"], 2) << second.out;
  // Its request and status messages (the first session's) are cleaned up; of what this session
  // wrote, only /ping's answer is edited (with the round-trip time), and nothing is deleted.
  const auto ping = second.with_action("receive").back();
  ASSERT_EQ(ping["text"], "/ping");
  const auto pong = second.replies_to(ping["message_id"].get<std::int64_t>());
  ASSERT_EQ(pong.size(), 1u) << second.out;
  const std::int64_t pong_id = pong[0]["message_id"];
  const auto deletes = second.with_action("delete");
  ASSERT_EQ(deletes.size(), 1u) << second.out;
  EXPECT_EQ(deletes[0]["message_ids"], json::array({2, status_id})) << second.out;
  for (const auto& l : second.lines) {
    const std::string action = l.value("action", "");
    if (action == "edit") {
      const std::int64_t id = l["message_id"];
      EXPECT_TRUE(id == pong_id || now.count(id) == 0u) << l.dump();
    } else if (action == "delete") {
      for (const auto& id : l["message_ids"])
        EXPECT_EQ(now.count(id.get<std::int64_t>()), 0u) << l.dump();
    }
  }
  // And the new session answers as usual.
  EXPECT_EQ(second.answer_to(ping["message_id"].get<std::int64_t>()), "🏓 Pong");
}

TEST(ConsoleRestart, EachConsoleSessionNumbersOnFromTheLast) {
  Sandbox box;
  const auto first = box.console(script({"/ping"}));
  expect_clean(first);
  ASSERT_EQ(first.receive_text(1), "/ping");
  const auto second = box.console(script({"/ping"}));
  expect_clean(second);
  const auto receives = second.with_action("receive");
  ASSERT_EQ(receives.size(), 1u) << second.out;
  const std::int64_t id = receives[0]["message_id"];
  EXPECT_GT(id, *created_ids(first).rbegin());
  EXPECT_EQ(second.answer_to(id), "🏓 Pong");
}

}  // namespace
}  // namespace sakai::e2e
