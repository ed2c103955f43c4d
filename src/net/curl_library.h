#pragma once
// The libcurl functions CurlHttpClient calls, loaded at run time from Debian's libcurl4
// (libcurl.so.4) on the first HTTP request rather than linked: libcurl brings ~30 libraries
// (OpenSSL, GnuTLS, Kerberos, LDAP, ssh2, ...) and runs their initialisation, ~8 MB of resident
// memory that an idle bot (no AI command yet) never uses. Only net sources include this header.
// The members drop the curl_ prefix: curl.h defines curl_easy_setopt(...) and friends as
// type-checking macros, which a call through a member of the same name would expand.
// Thread-safety and ownership: as LazyLibrary (core/shared_library.h).
#include <curl/curl.h>

#include "core/result.h"
#include "core/shared_library.h"

namespace sakai::net {

struct CurlApi {
  decltype(&::curl_easy_init) easy_init = nullptr;
  decltype(&::curl_easy_cleanup) easy_cleanup = nullptr;
  decltype(&::curl_easy_setopt) easy_setopt = nullptr;
  decltype(&::curl_easy_getinfo) easy_getinfo = nullptr;
  decltype(&::curl_easy_strerror) easy_strerror = nullptr;
  decltype(&::curl_slist_append) slist_append = nullptr;
  decltype(&::curl_slist_free_all) slist_free_all = nullptr;
  decltype(&::curl_multi_init) multi_init = nullptr;
  decltype(&::curl_multi_cleanup) multi_cleanup = nullptr;
  decltype(&::curl_multi_setopt) multi_setopt = nullptr;
  decltype(&::curl_multi_add_handle) multi_add_handle = nullptr;
  decltype(&::curl_multi_remove_handle) multi_remove_handle = nullptr;
  decltype(&::curl_multi_perform) multi_perform = nullptr;
  decltype(&::curl_multi_info_read) multi_info_read = nullptr;
  decltype(&::curl_multi_poll) multi_poll = nullptr;
  decltype(&::curl_multi_wakeup) multi_wakeup = nullptr;
};

// The table, loading libcurl.so.4 and running curl_global_init() once on the first call (never
// paired with curl_global_cleanup(): clients may live until exit). kUnavailable naming the
// Debian package when the library is missing or does not initialise.
Result<const CurlApi*> curl_api();

// Whether this process has loaded libcurl (by an HTTP request).
bool curl_loaded();

}  // namespace sakai::net
