#include "telegram/tdjson/tdjson_library.h"

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <utility>

// The sanitizer runtimes (ASan, TSan, MSan) abort the process on dlopen(RTLD_DEEPBIND)
// (google/sanitizers#611). Sanitized builds are test builds: they load TDLib without it and
// accept that its bundled OpenSSL could bind to a libssl already in the process.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SAKAI_TDJSON_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
#define SAKAI_TDJSON_SANITIZED 1
#endif
#endif

#ifdef SAKAI_TDJSON_SANITIZED
// TDLib leaks a few bytes of its own at client start-up (td::Global, td::Status); they are not
// ours to fix. This object file is linked into every binary that can load TDLib.
extern "C" const char* __lsan_default_suppressions() {
  return "leak:libtdjson.so\n";
}
#endif

namespace sakai::telegram::tdjson {

namespace {

#ifdef SAKAI_TDJSON_SANITIZED
constexpr int kDlopenFlags = RTLD_NOW | RTLD_LOCAL;
#else
constexpr int kDlopenFlags = RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND;
#endif

constexpr std::string_view kFix = "run ./scripts/install-deps.sh, or set telegram.tdjson_path";
constexpr std::string_view kNpmLibrary =
    "node_modules/@prebuilt-tdlib/linux-x64-glibc/libtdjson.so";

// Why this one global is unavoidable: td_set_log_message_callback takes a bare C function
// pointer and no user-data argument, so the only way from TDLib's log to a C++ object is state
// the trampoline finds on its own. TDLib keeps exactly one log callback per process, so one slot
// here mirrors it. The mutex is held while the callback runs: replacing or clearing the slot
// waits for a call in progress, so nothing the old callback references dies under it.
struct LogSlot {
  std::mutex mu;
  std::function<void(int, std::string_view)> callback;
  const void* owner = nullptr;
};

LogSlot& log_slot() {
  static LogSlot slot;  // function-local: no static-initialisation-order issue
  return slot;
}

// Called by TDLib on any of its threads. TDLib's messages end with '\n'.
void log_trampoline(int verbosity, const char* message) {
  std::string_view text = message != nullptr ? std::string_view(message) : std::string_view();
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
    text.remove_suffix(1);
  LogSlot& slot = log_slot();
  std::lock_guard lock(slot.mu);
  if (slot.callback) slot.callback(verbosity, text);
}

template <class Fn>
Fn resolve(void* handle, const char* name) {
  void* sym = dlsym(handle, name);
  // POSIX guarantees object and function pointers convert for dlsym's sake.
  return reinterpret_cast<Fn>(sym);
}

std::string join_paths(const std::vector<std::string>& paths) {
  std::string out;
  for (const auto& p : paths) {
    if (!out.empty()) out += ", ";
    out += p;
  }
  return out;
}

}  // namespace

std::vector<std::string> tdjson_search_paths(const std::string& configured,
                                             const std::string& exe_dir) {
  if (!configured.empty()) return {configured};
  std::vector<std::string> paths;
  auto add = [&paths](std::string p) {
    if (p.empty()) return;
    for (const auto& existing : paths) {
      if (existing == p) return;
    }
    paths.push_back(std::move(p));
  };
  if (const char* env = std::getenv("SAKAIBOT_TDJSON_PATH"); env != nullptr) add(env);
  if (!exe_dir.empty()) {
    const std::filesystem::path dir(exe_dir);
    add((dir / ".." / kNpmLibrary).lexically_normal().string());
    add((dir / kNpmLibrary).lexically_normal().string());
  }
  add("./" + std::string(kNpmLibrary));
  add("/usr/local/lib/libtdjson.so");
  add("/usr/lib/libtdjson.so");
  return paths;
}

Status check_tdlib_version(std::string_view get_option_response, std::string_view path) {
  const auto answer = nlohmann::json::parse(get_option_response, nullptr, false);
  std::string found;
  if (answer.is_object() && answer.value("@type", "") == "optionValueString" &&
      answer.contains("value") && answer["value"].is_string()) {
    found = answer["value"].get<std::string>();
  }
  if (found == kTdlibVersion) return Status::ok();
  const std::string what =
      found.empty() ? "does not report its TDLib version (getOption \"version\" answered " +
                          std::string(get_option_response) + ")"
                    : "is TDLib " + found;
  return make_error(ErrorCode::kFailedPrecondition,
                    "tdjson: " + std::string(path) + " " + what + ", but this build needs TDLib " +
                        std::string(kTdlibVersion) +
                        "; fix: run ./scripts/install-deps.sh (it installs the pinned "
                        "@prebuilt-tdlib/linux-x64-glibc@0.1008065.0), or set "
                        "telegram.tdjson_path to a TDLib " +
                        std::string(kTdlibVersion) + " libtdjson.so");
}

Result<std::unique_ptr<TdJsonLibrary>> TdJsonLibrary::load(
    const std::vector<std::string>& candidates) {
  std::vector<std::string> tried;
  for (const auto& path : candidates) {
    if (path.empty()) continue;
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
      tried.push_back(path);
      continue;
    }
    dlerror();  // clear any stale error
    void* handle = dlopen(path.c_str(), kDlopenFlags);
    if (handle == nullptr) {
      const char* err = dlerror();
      return make_error(ErrorCode::kFailedPrecondition,
                        "tdjson: cannot load " + path + ": " +
                            (err != nullptr ? err : "dlopen failed") +
                            "; fix: " + std::string(kFix));
    }
    Symbols s;
    s.create_client_id = resolve<CreateClientIdFn>(handle, "td_create_client_id");
    s.send = resolve<SendFn>(handle, "td_send");
    s.receive = resolve<ReceiveFn>(handle, "td_receive");
    s.execute = resolve<ExecuteFn>(handle, "td_execute");
    s.set_log_message_callback = resolve<SetLogCallbackFn>(handle, "td_set_log_message_callback");
    if (s.create_client_id == nullptr || s.send == nullptr || s.receive == nullptr ||
        s.execute == nullptr || s.set_log_message_callback == nullptr) {
      // Not TDLib's JSON interface (or a build too old for td_create_client_id).
      return make_error(ErrorCode::kFailedPrecondition,
                        "tdjson: " + path +
                            " is a library but lacks TDLib's JSON API (td_create_client_id, "
                            "td_send, td_receive, td_execute, td_set_log_message_callback); fix: " +
                            std::string(kFix));
    }
    std::unique_ptr<TdJsonLibrary> lib(new TdJsonLibrary(path, handle, s));
    // Before anything else: the default verbosity (5) floods stderr.
    lib->execute(R"({"@type":"setLogVerbosityLevel","new_verbosity_level":1})");
    SAKAI_TRY(check_tdlib_version(lib->execute(R"({"@type":"getOption","name":"version"})"), path));
    lib->version_ = std::string(kTdlibVersion);
    return Result<std::unique_ptr<TdJsonLibrary>>(std::move(lib));
  }
  return make_error(ErrorCode::kNotFound, "tdjson: libtdjson.so (TDLib " +
                                              std::string(kTdlibVersion) + ") not found; tried: " +
                                              (tried.empty() ? "(no paths)" : join_paths(tried)) +
                                              "; fix: " + std::string(kFix));
}

TdJsonLibrary::~TdJsonLibrary() {
  bool ours = false;
  {
    LogSlot& slot = log_slot();
    std::lock_guard lock(slot.mu);
    ours = slot.owner == this;
  }
  if (ours) set_log_callback(0, nullptr);
  // handle_ stays open on purpose (see the header).
}

int TdJsonLibrary::create_client_id() {
  return fn_.create_client_id();
}

void TdJsonLibrary::send(int client_id, std::string_view request) {
  const std::string text(request);  // TDLib wants a NUL-terminated string
  fn_.send(client_id, text.c_str());
}

std::optional<std::string> TdJsonLibrary::receive(double timeout_seconds) {
  // The returned pointer stays valid only until the next td_receive call: copy it now.
  const char* result = fn_.receive(timeout_seconds);
  if (result == nullptr) return std::nullopt;
  return std::string(result);
}

std::optional<std::string_view> TdJsonLibrary::receive_view(double timeout_seconds) {
  const char* result = fn_.receive(timeout_seconds);
  if (result == nullptr) return std::nullopt;
  return std::string_view(result);
}

std::string TdJsonLibrary::execute(std::string_view request) {
  const std::string text(request);
  const char* result = fn_.execute(text.c_str());
  return result != nullptr ? std::string(result) : std::string();
}

void TdJsonLibrary::set_log_callback(int max_verbosity,
                                     std::function<void(int, std::string_view)> callback) {
  LogSlot& slot = log_slot();
  if (callback) {
    {
      std::lock_guard lock(slot.mu);
      slot.callback = std::move(callback);
      slot.owner = this;
    }
    fn_.set_log_message_callback(max_verbosity, &log_trampoline);
    // TDLib's default stream (stderr) would print every message a second time.
    execute(R"({"@type":"setLogStream","log_stream":{"@type":"logStreamEmpty"}})");
    return;
  }
  {
    // Another instance (tests load the library more than once) owns the callback: leave it.
    std::lock_guard lock(slot.mu);
    if (slot.owner != nullptr && slot.owner != this) return;
  }
  // Stop TDLib from calling first, then clear the slot: taking the mutex waits for a call that
  // is still running, so after this returns the old callback is never used again.
  fn_.set_log_message_callback(0, nullptr);
  {
    std::lock_guard lock(slot.mu);
    slot.callback = nullptr;
    slot.owner = nullptr;
  }
  execute(R"({"@type":"setLogStream","log_stream":{"@type":"logStreamDefault"}})");
}

}  // namespace sakai::telegram::tdjson
