#pragma once
// Shared fixtures for the storage tests: a fresh temporary directory per test and helpers to
// open a SQLite store in it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "core/clock.h"
#include "storage/sqlite/sqlite_store.h"
#include "storage/store.h"

namespace sakai::storage::testing {

inline std::filesystem::path unique_temp_dir() {
  static std::mt19937_64 rng{std::random_device{}()};
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = "sakaibot-storage-";
  if (info != nullptr) name += std::string(info->name()) + "-";
  name += std::to_string(::getpid()) + "-" + std::to_string(rng());
  for (char& c : name) {
    if (c == '/') c = '_';
  }
  return std::filesystem::temp_directory_path() / name;
}

inline std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void write_bytes(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// A raw sqlite3 connection for poking at the file behind the store's back.
class RawDb {
 public:
  explicit RawDb(const std::string& path) {
    EXPECT_EQ(
        sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr),
        SQLITE_OK);
  }
  ~RawDb() { sqlite3_close_v2(db_); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  void exec(const std::string& sql) {
    char* err = nullptr;
    EXPECT_EQ(sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK)
        << (err != nullptr ? err : "") << " in " << sql;
    sqlite3_free(err);
  }
  // The first column of the first row, as text ("" when there is no row or it is NULL).
  std::string text(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK);
    std::string out;
    if (stmt != nullptr && sqlite3_step(stmt) == SQLITE_ROW) {
      const auto* t = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
      out = t != nullptr ? t : "";
    }
    sqlite3_finalize(stmt);
    return out;
  }
  // Every row, every column as text; NULL reads as "NULL".
  std::vector<std::vector<std::string>> rows(const std::string& sql) {
    std::vector<std::vector<std::string>> out;
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db_) << " in " << sql;
    while (stmt != nullptr && sqlite3_step(stmt) == SQLITE_ROW) {
      std::vector<std::string> row;
      for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
        const auto* t = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
        row.emplace_back(t != nullptr ? t : "NULL");
      }
      out.push_back(std::move(row));
    }
    sqlite3_finalize(stmt);
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
};

class TempDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = unique_temp_dir();
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  [[nodiscard]] std::string db_path() const { return (dir_ / "sakaibot.db").string(); }

  std::unique_ptr<Store> open_store(const std::string& path) {
    Result<std::unique_ptr<Store>> store = open_sqlite_store(path, clock_);
    EXPECT_TRUE(store.is_ok()) << store.status().to_string();
    if (!store.is_ok()) return nullptr;
    return std::move(store).value();
  }

  std::filesystem::path dir_;
  ManualClock clock_;  // wall time starts at 1'700'000'000 s
};

// A store opened in a temp dir, for repository tests.
class StoreTest : public TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    store_ = open_store(db_path());
    ASSERT_NE(store_, nullptr);
  }
  void TearDown() override {
    store_.reset();
    TempDirTest::TearDown();
  }

  [[nodiscard]] std::int64_t now_ms() const { return to_unix_ms(clock_.wall_now()); }

  std::unique_ptr<Store> store_;
};

}  // namespace sakai::storage::testing
