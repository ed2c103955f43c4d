#include "net/curl_library.h"

#include <string>

namespace sakai::net {
namespace {

Result<CurlApi> load_curl() {
  auto lib = SharedLibrary::open(LibraryName{"libcurl.so.4", "libcurl4"});
  if (!lib.is_ok()) return lib.status();
  decltype(&::curl_global_init) global_init = nullptr;
  SAKAI_TRY(lib->bind(global_init, "curl_global_init"));
  CurlApi api;
  SAKAI_TRY(lib->bind(api.easy_init, "curl_easy_init"));
  SAKAI_TRY(lib->bind(api.easy_cleanup, "curl_easy_cleanup"));
  SAKAI_TRY(lib->bind(api.easy_setopt, "curl_easy_setopt"));
  SAKAI_TRY(lib->bind(api.easy_getinfo, "curl_easy_getinfo"));
  SAKAI_TRY(lib->bind(api.easy_strerror, "curl_easy_strerror"));
  SAKAI_TRY(lib->bind(api.slist_append, "curl_slist_append"));
  SAKAI_TRY(lib->bind(api.slist_free_all, "curl_slist_free_all"));
  SAKAI_TRY(lib->bind(api.multi_init, "curl_multi_init"));
  SAKAI_TRY(lib->bind(api.multi_cleanup, "curl_multi_cleanup"));
  SAKAI_TRY(lib->bind(api.multi_setopt, "curl_multi_setopt"));
  SAKAI_TRY(lib->bind(api.multi_add_handle, "curl_multi_add_handle"));
  SAKAI_TRY(lib->bind(api.multi_remove_handle, "curl_multi_remove_handle"));
  SAKAI_TRY(lib->bind(api.multi_perform, "curl_multi_perform"));
  SAKAI_TRY(lib->bind(api.multi_info_read, "curl_multi_info_read"));
  SAKAI_TRY(lib->bind(api.multi_poll, "curl_multi_poll"));
  SAKAI_TRY(lib->bind(api.multi_wakeup, "curl_multi_wakeup"));
  if (const CURLcode rc = global_init(CURL_GLOBAL_DEFAULT); rc != CURLE_OK) {
    return make_error(ErrorCode::kUnavailable, "libcurl did not initialise (curl_global_init: " +
                                                   std::string(api.easy_strerror(rc)) + ")");
  }
  return api;
}

// Process-wide like the library itself (dlopen() is per process): one table, one load,
// never destroyed (a job on another thread may still use it while statics are destroyed).
LazyLibrary<CurlApi>& library() {
  static auto* lib = new LazyLibrary<CurlApi>(&load_curl);
  return *lib;
}

}  // namespace

Result<const CurlApi*> curl_api() {
  return library().get();
}

bool curl_loaded() {
  return library().loaded();
}

}  // namespace sakai::net
