#include "net/url.h"

#include "core/text.h"

namespace sakai::net {

int Url::effective_port() const {
  if (port != 0) return port;
  if (scheme == "https") return 443;
  if (scheme == "http") return 80;
  if (scheme == "socks5" || scheme == "socks5h") return 1080;
  if (scheme == "mtproto") return 443;
  return 0;
}

std::string Url::redacted() const {
  std::string out = scheme + "://";
  if (host.find(':') != std::string::npos) {
    out += "[" + host + "]";
  } else {
    out += host;
  }
  if (port != 0) out += ":" + std::to_string(port);
  out += path.substr(0, path.find_first_of("?#"));
  return out;
}

bool Url::is_loopback() const {
  if (host == "localhost" || host == "::1") return true;
  // 127.0.0.0/8 as an address, not a name that merely starts with "127.".
  if (host.rfind("127.", 0) != 0) return false;
  int dots = 0;
  for (char c : host) {
    if (c == '.') {
      ++dots;
    } else if (c < '0' || c > '9') {
      return false;
    }
  }
  return dots == 3;
}

std::optional<Url> parse_url(std::string_view s) {
  s = text::trim(s);
  Url url;
  const auto scheme_end = s.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0) return std::nullopt;
  url.scheme = text::ascii_lower(s.substr(0, scheme_end));
  for (char c : url.scheme) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')) {
      return std::nullopt;
    }
  }
  std::string_view rest = s.substr(scheme_end + 3);
  const auto path_start = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, path_start);
  if (path_start != std::string_view::npos) url.path = std::string(rest.substr(path_start));
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    const std::string_view userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
    const auto colon = userinfo.find(':');
    url.user = std::string(userinfo.substr(0, colon));
    if (colon != std::string_view::npos) url.password = std::string(userinfo.substr(colon + 1));
  }
  std::string_view port_part;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    url.host = std::string(authority.substr(1, close - 1));
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return std::nullopt;
      port_part = after.substr(1);
    }
  } else {
    const auto colon = authority.rfind(':');
    url.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_part = authority.substr(colon + 1);
  }
  if (url.host.empty()) return std::nullopt;
  if (!port_part.empty()) {
    const auto p = text::parse_int(port_part);
    if (!p || *p < 1 || *p > 65535) return std::nullopt;
    url.port = static_cast<int>(*p);
  }
  return url;
}

std::string redact_url(std::string_view s) {
  if (const auto url = parse_url(s)) return url->redacted();
  // Not a URL we understand: keep what comes before any userinfo, query or fragment.
  s = text::trim(s);
  s = s.substr(0, s.find_first_of("?#"));
  if (const auto at = s.rfind('@'); at != std::string_view::npos) {
    const auto scheme_end = s.find("://");
    const auto keep = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
    return std::string(s.substr(0, keep)) + std::string(s.substr(at + 1));
  }
  return std::string(s);
}

}  // namespace sakai::net
