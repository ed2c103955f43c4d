#include "core/shared_library.h"

#include <dlfcn.h>

#include <map>

#include <fmt/format.h>

namespace sakai {
namespace {

// Test overrides (override_soname_for_testing); empty in the bot.
struct Overrides {
  std::mutex mu;
  std::map<std::string, std::string, std::less<>> by_soname;
};

Overrides& overrides() {
  static Overrides o;  // function-local: no static-initialisation-order issue
  return o;
}

std::string file_to_open(const std::string& soname) {
  Overrides& o = overrides();
  const std::lock_guard lock(o.mu);
  const auto it = o.by_soname.find(soname);
  return it == o.by_soname.end() ? soname : it->second;
}

// dlerror() is per thread: read it right after the failing call.
std::string last_dl_error() {
  const char* err = dlerror();
  return err != nullptr ? err : "unknown error";
}

}  // namespace

Result<SharedLibrary> SharedLibrary::open(const LibraryName& name) {
  const std::string file = file_to_open(name.soname);
  // RTLD_LOCAL: the library's symbols (and its dependencies') stay out of the global scope.
  // No RTLD_DEEPBIND: the sanitizer runtimes refuse it, and these libraries bundle nothing of
  // their own that could clash with ours.
  dlerror();
  void* handle = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    return make_error(ErrorCode::kUnavailable,
                      fmt::format("{} is not installed: install the Debian package {} "
                                  "(scripts/install-deps.sh does) [{}]",
                                  name.soname, name.package, last_dl_error()));
  }
  return SharedLibrary(handle, name);
}

void* SharedLibrary::find(const char* symbol) const {
  dlerror();
  return dlsym(handle_, symbol);
}

Status SharedLibrary::missing_symbol(const char* symbol) const {
  return make_error(ErrorCode::kUnavailable,
                    fmt::format("{} has no function {}: it is not the version this build needs; "
                                "reinstall the Debian package {}",
                                name_.soname, symbol, name_.package));
}

void override_soname_for_testing(std::string_view soname, std::string replacement) {
  Overrides& o = overrides();
  const std::lock_guard lock(o.mu);
  o.by_soname.insert_or_assign(std::string(soname), std::move(replacement));
}

}  // namespace sakai
