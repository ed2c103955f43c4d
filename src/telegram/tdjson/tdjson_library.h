#pragma once
// The real TdJsonApi: libtdjson.so (TDLib 1.8.65 from the pinned npm package) opened with
// dlopen(RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND). The library bundles its own OpenSSL, zlib and
// libc++ and exports their symbols; RTLD_LOCAL | RTLD_DEEPBIND keeps them from resolving
// against ours (libcurl's OpenSSL) and ours against them. Sanitizer builds drop RTLD_DEEPBIND:
// the ASan/TSan runtimes abort the process on it (google/sanitizers#611).
// Ownership: load() returns the only handle the process needs. The library is never dlclose()d:
// TDLib leaves threads and thread-local state behind that would run into unmapped code.
// Thread-safety: as TdJsonApi (TDLib's rules): send/create_client_id/execute from any thread,
// receive from one thread at a time; set_log_callback from any thread.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "telegram/tdjson/td_json_api.h"

namespace sakai::telegram::tdjson {

// The TDLib version this build speaks (td_api.tl of 1.8.65 defines every object we use).
inline constexpr std::string_view kTdlibVersion = "1.8.65";

// Where to look for libtdjson.so, in order:
//   1. `configured` (telegram.tdjson_path) when non-empty, and then nothing else;
//   2. $SAKAIBOT_TDJSON_PATH when set and non-empty;
//   3. <exe_dir>/../node_modules/@prebuilt-tdlib/linux-x64-glibc/libtdjson.so
//   4. <exe_dir>/node_modules/@prebuilt-tdlib/linux-x64-glibc/libtdjson.so
//   5. ./node_modules/@prebuilt-tdlib/linux-x64-glibc/libtdjson.so
//   6. /usr/local/lib/libtdjson.so
//   7. /usr/lib/libtdjson.so
// An empty `exe_dir` skips 3 and 4. Duplicates are dropped.
std::vector<std::string> tdjson_search_paths(const std::string& configured,
                                             const std::string& exe_dir);

// Checks td_execute's answer to getOption("version") against kTdlibVersion. `path` names the
// library in the error. kFailedPrecondition on a different or unreadable version.
Status check_tdlib_version(std::string_view get_option_response, std::string_view path);

class TdJsonLibrary final : public TdJsonApi {
 public:
  // Opens the first candidate that exists. A candidate that exists but cannot be loaded (not a
  // library, missing symbols) or has another TDLib version stops the search with
  // kFailedPrecondition: a broken install should be fixed, not silently skipped. No candidate
  // present: kNotFound listing every path tried. On success TDLib's log verbosity is already 1
  // (its default, 5, floods stderr).
  static Result<std::unique_ptr<TdJsonLibrary>> load(const std::vector<std::string>& candidates);

  TdJsonLibrary(const TdJsonLibrary&) = delete;
  TdJsonLibrary& operator=(const TdJsonLibrary&) = delete;
  ~TdJsonLibrary() override;

  int create_client_id() override;
  void send(int client_id, std::string_view request) override;
  std::optional<std::string> receive(double timeout_seconds) override;
  // TDLib's buffer, valid until the next td_receive: no copy.
  std::optional<std::string_view> receive_view(double timeout_seconds) override;
  std::string execute(std::string_view request) override;
  // One callback per process (TDLib keeps one). While a callback is set TDLib's own stderr
  // stream is switched off (setLogStream logStreamEmpty) so messages are not written twice;
  // clearing it (an empty function) restores logStreamDefault.
  void set_log_callback(int max_verbosity,
                        std::function<void(int, std::string_view)> callback) override;

  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] const std::string& version() const { return version_; }

 private:
  // TDLib's JSON C API (td_json_client.h, which the npm package does not ship).
  using CreateClientIdFn = int (*)();
  using SendFn = void (*)(int, const char*);
  using ReceiveFn = const char* (*)(double);
  using ExecuteFn = const char* (*)(const char*);
  using LogCallbackFn = void (*)(int, const char*);
  using SetLogCallbackFn = void (*)(int, LogCallbackFn);

  struct Symbols {
    CreateClientIdFn create_client_id = nullptr;
    SendFn send = nullptr;
    ReceiveFn receive = nullptr;
    ExecuteFn execute = nullptr;
    SetLogCallbackFn set_log_message_callback = nullptr;
  };

  TdJsonLibrary(std::string path, void* handle, Symbols symbols)
      : path_(std::move(path)), handle_(handle), fn_(symbols) {}

  std::string path_;
  std::string version_;
  void* handle_;
  Symbols fn_;
};

}  // namespace sakai::telegram::tdjson
