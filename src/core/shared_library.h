#pragma once
// Libraries an idle bot does not need (FFmpeg, flite and its voices, espeak-ng, pocketsphinx,
// libcurl with its TLS stack) are not linked into the binary, so an idle bot never maps them.
// Each is opened with dlopen() by its Debian soname the first time a job needs it, on whichever
// thread runs that job, and then kept for the life of the process (never dlclose()d: the
// libraries keep global state and threads).
//
// SharedLibrary is one opened library; LazyLibrary<Api> is one library's table of typed function
// pointers, loaded once on first use. A missing package is an ErrorCode::kUnavailable Status that
// names the Debian package to install, which callers show through their localised "engine
// unavailable" replies.
//
// Thread-safety: SharedLibrary is immutable after open(). LazyLibrary::get() and loaded() may be
// called from any thread; the first successful get() loads, concurrent callers wait for it.
// Ownership: the handles and tables live until the process exits.
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "core/result.h"

namespace sakai {

// A library as Debian ships it: what dlopen() asks for and the package that installs it.
struct LibraryName {
  std::string soname;   // "libavcodec.so.59"
  std::string package;  // "libavcodec59"
};

class SharedLibrary {
 public:
  // dlopen(RTLD_NOW | RTLD_LOCAL) of `name.soname` (or its test override). kUnavailable
  // "libavcodec.so.59 is not installed (install the Debian package libavcodec59, e.g. with
  // scripts/install-deps.sh): <dlerror>" when it cannot be opened.
  static Result<SharedLibrary> open(const LibraryName& name);

  // Points `slot` at the function `symbol`. kUnavailable naming the symbol, the soname and the
  // package when the library lacks it (a different version than the one built against).
  template <class Fn>
  Status bind(Fn*& slot, const char* symbol) const {
    void* address = find(symbol);
    if (address == nullptr) return missing_symbol(symbol);
    slot = reinterpret_cast<Fn*>(address);
    return Status::ok();
  }

  [[nodiscard]] const LibraryName& name() const { return name_; }

 private:
  SharedLibrary(void* handle, LibraryName name) : handle_(handle), name_(std::move(name)) {}
  [[nodiscard]] void* find(const char* symbol) const;
  [[nodiscard]] Status missing_symbol(const char* symbol) const;

  void* handle_ = nullptr;
  LibraryName name_;
};

// One library's symbol table, loaded by `Loader` (a function returning Result<Api>) on the first
// get(). A failed load is not remembered: the next get() tries again, so a package installed
// while the bot runs is picked up without a restart.
template <class Api>
class LazyLibrary {
 public:
  using Loader = Result<Api> (*)();
  explicit LazyLibrary(Loader loader) : loader_(loader) {}
  LazyLibrary(const LazyLibrary&) = delete;
  LazyLibrary& operator=(const LazyLibrary&) = delete;

  // The loaded table, or the load's error. The pointer stays valid for the process.
  Result<const Api*> get() {
    if (const Api* api = api_.load(std::memory_order_acquire)) return api;
    const std::lock_guard lock(mu_);
    if (const Api* api = api_.load(std::memory_order_relaxed)) return api;
    Result<Api> loaded = loader_();
    if (!loaded.is_ok()) return loaded.status();
    table_ = std::make_unique<Api>(std::move(loaded).value());
    api_.store(table_.get(), std::memory_order_release);
    return static_cast<const Api*>(table_.get());
  }

  // Whether a get() has loaded the library in this process.
  [[nodiscard]] bool loaded() const { return api_.load(std::memory_order_acquire) != nullptr; }

 private:
  Loader loader_;
  std::mutex mu_;
  std::unique_ptr<Api> table_;
  std::atomic<const Api*> api_{nullptr};
};

// Tests: from now on SharedLibrary::open() asks dlopen() for `replacement` where it would ask for
// `soname` (e.g. a name that does not exist, to see the missing-package error). Affects only
// libraries not loaded yet, so tests call it in a fresh process before the library's first use.
void override_soname_for_testing(std::string_view soname, std::string replacement);

}  // namespace sakai
