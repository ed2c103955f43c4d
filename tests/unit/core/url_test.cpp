#include "net/url.h"

#include <gtest/gtest.h>

namespace sakai::net {
namespace {

Url must_parse(std::string_view s) {
  auto u = parse_url(s);
  EXPECT_TRUE(u.has_value()) << s;
  return u.value_or(Url{});
}

TEST(CoreUrl, SchemeHostPortPath) {
  const Url u = must_parse("https://generativelanguage.googleapis.com");
  EXPECT_EQ(u.scheme, "https");
  EXPECT_EQ(u.host, "generativelanguage.googleapis.com");
  EXPECT_EQ(u.port, 0);
  EXPECT_EQ(u.effective_port(), 443);
  EXPECT_EQ(u.path, "");
  EXPECT_TRUE(u.user.empty());
  EXPECT_TRUE(u.password.empty());

  const Url v = must_parse("  HTTP://127.0.0.1:11434/v1/chat  ");
  EXPECT_EQ(v.scheme, "http");  // schemes are lower-cased
  EXPECT_EQ(v.host, "127.0.0.1");
  EXPECT_EQ(v.port, 11434);
  EXPECT_EQ(v.effective_port(), 11434);
  EXPECT_EQ(v.path, "/v1/chat");
}

TEST(CoreUrl, DefaultPorts) {
  EXPECT_EQ(must_parse("http://a").effective_port(), 80);
  EXPECT_EQ(must_parse("https://a").effective_port(), 443);
  EXPECT_EQ(must_parse("socks5://a").effective_port(), 1080);
  EXPECT_EQ(must_parse("socks5h://a").effective_port(), 1080);
  EXPECT_EQ(must_parse("mtproto://secret@a").effective_port(), 443);
  EXPECT_EQ(must_parse("gopher://a").effective_port(), 0);
}

TEST(CoreUrl, SchemesMustBeWellFormed) {
  EXPECT_FALSE(parse_url("example.com"));
  EXPECT_FALSE(parse_url("example.com:80"));
  EXPECT_FALSE(parse_url("://example.com"));
  EXPECT_FALSE(parse_url("ht tp://example.com"));
  EXPECT_FALSE(parse_url("ht_tp://example.com"));
  EXPECT_FALSE(parse_url(""));
  EXPECT_TRUE(parse_url("svn+ssh://example.com"));
}

TEST(CoreUrl, HostIsRequired) {
  EXPECT_FALSE(parse_url("http://"));
  EXPECT_FALSE(parse_url("http:///path"));
  EXPECT_FALSE(parse_url("http://:80"));
  EXPECT_FALSE(parse_url("socks5://user:pass@:1080"));
  EXPECT_FALSE(parse_url("http://[]:80"));
}

TEST(CoreUrl, Ipv6Literals) {
  const Url u = must_parse("http://[::1]:11434/v1");
  EXPECT_EQ(u.host, "::1");
  EXPECT_EQ(u.port, 11434);
  EXPECT_EQ(u.path, "/v1");
  EXPECT_TRUE(u.is_loopback());
  EXPECT_EQ(u.redacted(), "http://[::1]:11434/v1");

  const Url v = must_parse("socks5://[2001:db8::7]");
  EXPECT_EQ(v.host, "2001:db8::7");
  EXPECT_EQ(v.effective_port(), 1080);
  EXPECT_EQ(v.redacted(), "socks5://[2001:db8::7]");

  EXPECT_FALSE(parse_url("http://[::1"));     // unclosed
  EXPECT_FALSE(parse_url("http://[::1]x"));   // junk after ']'
  EXPECT_FALSE(parse_url("http://[::1]:0"));  // bad port
  EXPECT_FALSE(parse_url("http://[::1]:abc"));
}

TEST(CoreUrl, PortBounds) {
  EXPECT_EQ(must_parse("http://a:1").port, 1);
  EXPECT_EQ(must_parse("http://a:65535").port, 65535);
  EXPECT_FALSE(parse_url("http://a:0"));
  EXPECT_FALSE(parse_url("http://a:65536"));
  EXPECT_FALSE(parse_url("http://a:99999999999999999999"));
  EXPECT_FALSE(parse_url("http://a:-1"));
  EXPECT_FALSE(parse_url("http://a:80x"));
}

TEST(CoreUrl, UserInfo) {
  const Url u = must_parse("socks5://alice:s3cret@proxy.example:1080");
  EXPECT_EQ(u.user, "alice");
  EXPECT_EQ(u.password, "s3cret");
  EXPECT_EQ(u.host, "proxy.example");
  EXPECT_EQ(u.port, 1080);

  const Url only_user = must_parse("http://bob@h");
  EXPECT_EQ(only_user.user, "bob");
  EXPECT_EQ(only_user.password, "");

  // The last '@' ends the user info; a ':' or '@' in the password stays in it.
  const Url tricky = must_parse("socks5://u:p@ss:w0rd@h:1");
  EXPECT_EQ(tricky.user, "u");
  EXPECT_EQ(tricky.password, "p@ss:w0rd");
  EXPECT_EQ(tricky.host, "h");
  EXPECT_EQ(tricky.port, 1);

  const Url mtproto = must_parse("mtproto://ee0123456789abcdef@mt.example:443");
  EXPECT_EQ(mtproto.user, "ee0123456789abcdef");
  EXPECT_EQ(mtproto.host, "mt.example");
}

TEST(CoreUrl, RedactedHidesCredentials) {
  const Url u = must_parse("socks5://alice:s3cret@proxy.example:1080/x");
  const std::string shown = u.redacted();
  EXPECT_EQ(shown, "socks5://proxy.example:1080/x");
  EXPECT_EQ(shown.find("alice"), std::string::npos);
  EXPECT_EQ(shown.find("s3cret"), std::string::npos);
  EXPECT_EQ(must_parse("mtproto://ee0123456789abcdef@mt.example:443").redacted(),
            "mtproto://mt.example:443");
  EXPECT_EQ(must_parse("https://a.example").redacted(), "https://a.example");
}

TEST(CoreUrl, QueryAndFragmentEndTheAuthority) {
  const Url u = must_parse("https://a.example/v1?key=x#top");
  EXPECT_EQ(u.host, "a.example");
  EXPECT_EQ(u.path, "/v1?key=x#top");
  const Url v = must_parse("https://a.example:8443?x=1");
  EXPECT_EQ(v.host, "a.example");
  EXPECT_EQ(v.port, 8443);
}

TEST(CoreUrl, Loopback) {
  EXPECT_TRUE(must_parse("http://localhost:11434").is_loopback());
  EXPECT_TRUE(must_parse("http://127.0.0.1").is_loopback());
  EXPECT_TRUE(must_parse("http://127.1.2.3").is_loopback());
  EXPECT_TRUE(must_parse("http://[::1]").is_loopback());
  EXPECT_FALSE(must_parse("http://10.0.0.1").is_loopback());
  EXPECT_FALSE(must_parse("https://api.openai.com/v1").is_loopback());
  EXPECT_FALSE(must_parse("http://localhost.example.com").is_loopback());
}

// is_loopback() only checks that the host starts with "127.", so a DNS name such as
// "127.attacker.example" counts as local (provider_catalog then treats an openai base_url there
// as a keyless local server).
TEST(CoreUrl, LoopbackNeedsAnAddressNotAName) {
  EXPECT_FALSE(must_parse("http://127.attacker.example/v1").is_loopback());
  EXPECT_FALSE(must_parse("http://127.0.0.1.nip.io/v1").is_loopback());
}

}  // namespace
}  // namespace sakai::net
