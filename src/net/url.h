#pragma once
// URL parsing for provider base URLs and proxy settings. Pure; thread-safe.
#include <optional>
#include <string>
#include <string_view>

namespace sakai::net {

struct Url {
  std::string scheme;  // lower-case
  std::string user;
  std::string password;
  std::string host;  // without brackets for IPv6
  int port = 0;      // 0: the scheme's default
  std::string path;  // "" or starting with '/'

  [[nodiscard]] int effective_port() const;
  // scheme://host[:port]path, without credentials, query or fragment: safe to show and to log.
  [[nodiscard]] std::string redacted() const;
  [[nodiscard]] bool is_loopback() const;
};

std::optional<Url> parse_url(std::string_view s);

// A URL made safe for messages and logs: credentials, query and fragment removed (API keys
// travel in queries, e.g. Gemini's ?key=). Works on strings parse_url() rejects too.
std::string redact_url(std::string_view s);

}  // namespace sakai::net
