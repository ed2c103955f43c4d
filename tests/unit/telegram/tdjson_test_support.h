#pragma once
// Helpers shared by the tdjson_* tests: a log sink that may be read while TDLib's receive
// thread writes to it, and polling with a real-time limit.
#include <chrono>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <ostream>
#include <streambuf>
#include <string>
#include <thread>
#include <vector>

namespace sakai::telegram::tdjson::test_support {

class LockedLog {
 public:
  std::ostream& stream() { return stream_; }
  std::string text() const { return buf_.text(); }
  // The JSON log lines (LogFormat::kJson) of `component`.
  std::vector<nlohmann::json> lines(const std::string& component) const {
    std::vector<nlohmann::json> out;
    const std::string all = text();
    std::size_t start = 0;
    while (start < all.size()) {
      auto end = all.find('\n', start);
      if (end == std::string::npos) end = all.size();
      auto j = nlohmann::json::parse(all.substr(start, end - start), nullptr, false);
      if (j.is_object() && j.value("component", "") == component) out.push_back(std::move(j));
      start = end + 1;
    }
    return out;
  }

 private:
  class Buf : public std::streambuf {
   public:
    std::string text() const {
      std::lock_guard lock(mu_);
      return s_;
    }

   protected:
    int_type overflow(int_type c) override {
      if (c != traits_type::eof()) {
        std::lock_guard lock(mu_);
        s_.push_back(static_cast<char>(c));
      }
      return c;
    }
    std::streamsize xsputn(const char* p, std::streamsize n) override {
      std::lock_guard lock(mu_);
      s_.append(p, static_cast<std::size_t>(n));
      return n;
    }

   private:
    mutable std::mutex mu_;
    std::string s_;
  };
  Buf buf_;
  std::ostream stream_{&buf_};
};

// Calls `step` (e.g. loop.run_ready()) until `done` or `limit` of real time has passed.
inline bool eventually(const std::function<bool()>& done, const std::function<void()>& step = {},
                       std::chrono::milliseconds limit = std::chrono::milliseconds(3000)) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (true) {
    if (step) step();
    if (done()) return true;
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

}  // namespace sakai::telegram::tdjson::test_support
