#include "net/sse_parser.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sakai::net {
namespace {

using std::chrono::milliseconds;

struct Parsed {
  std::vector<SseEvent> events;
  std::string tail;
  bool raw_json = false;
};

Parsed parse_in_pieces(const std::string& body, const std::vector<std::size_t>& cuts,
                       SseParserOptions options = {}) {
  SseParser parser(options);
  Parsed out;
  std::size_t from = 0;
  auto take = [&](std::vector<SseEvent> evs) {
    for (auto& e : evs)
      out.events.push_back(std::move(e));
  };
  for (std::size_t cut : cuts) {
    take(parser.feed(std::string_view(body).substr(from, cut - from)));
    from = cut;
  }
  take(parser.feed(std::string_view(body).substr(from)));
  take(parser.finish());
  out.tail = parser.non_sse_tail();
  out.raw_json = parser.is_raw_json();
  return out;
}

Parsed parse_whole(const std::string& body, SseParserOptions options = {}) {
  return parse_in_pieces(body, {}, options);
}

void expect_same(const Parsed& a, const Parsed& b, const std::string& where) {
  ASSERT_EQ(a.events.size(), b.events.size()) << where;
  for (std::size_t i = 0; i < a.events.size(); ++i) {
    EXPECT_EQ(a.events[i].event, b.events[i].event) << where << " event " << i;
    EXPECT_EQ(a.events[i].data, b.events[i].data) << where << " event " << i;
    EXPECT_EQ(a.events[i].id, b.events[i].id) << where << " event " << i;
    EXPECT_EQ(a.events[i].retry, b.events[i].retry) << where << " event " << i;
    EXPECT_EQ(a.events[i].fields, b.events[i].fields) << where << " event " << i;
  }
  EXPECT_EQ(a.tail, b.tail) << where;
  EXPECT_EQ(a.raw_json, b.raw_json) << where;
}

std::string with_line_endings(const std::string& lf_text, const std::string& eol) {
  std::string out;
  for (char c : lf_text) {
    if (c == '\n') {
      out += eol;
    } else {
      out += c;
    }
  }
  return out;
}

// A stream that uses every feature: BOM, comments, event/id/retry, multi-line data, an empty
// data field, an unknown field, multi-byte UTF-8 (2, 3 and 4 bytes) and a last event without
// a blank line.
const std::string kSample =
    "\xEF\xBB\xBF"
    ": OPENROUTER PROCESSING\n"
    "\n"
    "data: {\"text\":\"Салам 你好 😀\"}\n"
    "\n"
    "event: update\n"
    "id: 42\n"
    "retry: 1500\n"
    "data: line one\n"
    "data:line two\n"
    "data:  indented\n"
    "unknown: ignored\n"
    "\n"
    "data\n"
    "\n"
    "data: [DONE]";

void check_sample(const Parsed& p) {
  ASSERT_EQ(p.events.size(), 4u);
  EXPECT_EQ(p.events[0].event, "message");
  EXPECT_EQ(p.events[0].data, "{\"text\":\"Салам 你好 😀\"}");
  EXPECT_EQ(p.events[0].id, "");
  EXPECT_EQ(p.events[1].event, "update");
  EXPECT_EQ(p.events[1].data, "line one\nline two\n indented");
  EXPECT_EQ(p.events[1].id, "42");
  EXPECT_EQ(p.events[1].retry, milliseconds(1500));
  EXPECT_EQ(p.events[2].data, "");
  EXPECT_EQ(p.events[2].id, "42");  // the last event id carries over
  EXPECT_FALSE(p.events[2].retry.has_value());
  EXPECT_EQ(p.events[3].data, "[DONE]");
  EXPECT_TRUE(p.tail.empty());
  EXPECT_FALSE(p.raw_json);
}

class SseEveryEnding : public ::testing::TestWithParam<std::string> {};

TEST_P(SseEveryEnding, WholeStream) {
  check_sample(parse_whole(with_line_endings(kSample, GetParam())));
}

TEST_P(SseEveryEnding, EverySplitPosition) {
  const std::string body = with_line_endings(kSample, GetParam());
  const Parsed whole = parse_whole(body);
  for (std::size_t cut = 0; cut <= body.size(); ++cut) {
    expect_same(parse_in_pieces(body, {cut}), whole, "cut at " + std::to_string(cut));
  }
}

TEST_P(SseEveryEnding, EveryPairOfSplitPositions) {
  const std::string body = with_line_endings(kSample, GetParam());
  const Parsed whole = parse_whole(body);
  for (std::size_t a = 0; a <= body.size(); a += 3) {
    for (std::size_t b = a; b <= body.size(); ++b) {
      expect_same(parse_in_pieces(body, {a, b}), whole,
                  "cuts " + std::to_string(a) + "," + std::to_string(b));
    }
  }
}

TEST_P(SseEveryEnding, ByteByByte) {
  const std::string body = with_line_endings(kSample, GetParam());
  std::vector<std::size_t> cuts;
  for (std::size_t i = 1; i < body.size(); ++i)
    cuts.push_back(i);
  check_sample(parse_in_pieces(body, cuts));
}

INSTANTIATE_TEST_SUITE_P(LineEndings, SseEveryEnding, ::testing::Values("\n", "\r\n", "\r"),
                         [](const auto& param_info) {
                           return param_info.param == "\n"     ? std::string("LF")
                                  : param_info.param == "\r\n" ? std::string("CRLF")
                                                               : std::string("CR");
                         });

TEST(SseParser, EventsAreReturnedAsSoonAsTheBlankLineArrives) {
  SseParser p;
  EXPECT_TRUE(p.feed("data: a\r\n").empty());
  auto evs = p.feed("\r");  // a CR alone already ends the blank line
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].data, "a");
  evs = p.feed("\ndata: b\r\n\r\n");  // the LF of the split CRLF is not another blank line
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].data, "b");
  EXPECT_TRUE(p.finish().empty());
}

TEST(SseParser, MixedLineEndingsInOneStream) {
  const Parsed p = parse_whole("data: a\r\rdata: b\n\ndata: c\r\n\r\ndata: d\r\n\n");
  ASSERT_EQ(p.events.size(), 4u);
  EXPECT_EQ(p.events[0].data, "a");
  EXPECT_EQ(p.events[3].data, "d");
}

TEST(SseParser, FinishDispatchesTheLastEventWithoutBlankLine) {
  EXPECT_EQ(parse_whole("data: a\n").events.size(), 1u);
  EXPECT_EQ(parse_whole("data: a").events.size(), 1u);
  EXPECT_EQ(parse_whole("data: a\r").events.size(), 1u);
  EXPECT_TRUE(parse_whole("event: x\n").events.empty());  // no data: nothing to dispatch
  EXPECT_TRUE(parse_whole(": just a comment\n\n: another\n\n").events.empty());
  EXPECT_TRUE(parse_whole("").events.empty());
}

TEST(SseParser, FieldDetails) {
  const std::string id_with_nul("id: a\0b\ndata: x\n\n", 17);
  const Parsed p =
      parse_whole("data:no space\n\n" + std::string("data:  two spaces\n\n") + id_with_nul +
                  "retry: 12s\nretry: 250\ndata: y\n\n" + "event\ndata: z\n\n");
  ASSERT_EQ(p.events.size(), 5u);
  EXPECT_EQ(p.events[0].data, "no space");
  EXPECT_EQ(p.events[1].data, " two spaces");
  EXPECT_EQ(p.events[2].id, "");  // an id with NUL is ignored
  EXPECT_EQ(p.events[3].retry, milliseconds(250));
  EXPECT_EQ(p.events[4].event, "message");  // "event" with no value resets to the default
}

TEST(SseParser, RetryWithoutDataIsRemembered) {
  SseParser p;
  EXPECT_TRUE(p.feed("retry: 3000\n\n").empty());
  EXPECT_EQ(p.retry(), milliseconds(3000));
  EXPECT_TRUE(p.feed("id: 7\n\n").empty());
  EXPECT_EQ(p.last_event_id(), "7");
}

TEST(SseParser, OpenAiStream) {
  const Parsed p = parse_whole(
      ": OPENROUTER PROCESSING\n\n"
      "data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\n"
      ": OPENROUTER PROCESSING\n\n"
      "data: {\"choices\":[],\"usage\":{\"total_tokens\":3}}\n\n"
      "data: [DONE]\n\n");
  ASSERT_EQ(p.events.size(), 3u);
  EXPECT_EQ(p.events[2].data, "[DONE]");
  EXPECT_TRUE(p.tail.empty());
}

const std::string kGeminiWithErrorTail =
    "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"Okay\"}]}}]}\r\n\r\n"
    "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \" then\"}]}}]}\r\n\r\n"
    "{\n"
    "  \"error\": {\n"
    "    \"code\": 503,\n"
    "    \"message\": \"The model is overloaded. Please try again later.\",\n"
    "    \"status\": \"UNAVAILABLE\"\n"
    "  }\n"
    "}\n";

TEST(SseParser, GeminiRawJsonErrorAfterEvents) {
  const Parsed p = parse_whole(kGeminiWithErrorTail);
  ASSERT_EQ(p.events.size(), 2u);
  EXPECT_NE(p.events[1].data.find(" then"), std::string::npos);
  EXPECT_FALSE(p.raw_json);
  EXPECT_EQ(p.tail, kGeminiWithErrorTail.substr(kGeminiWithErrorTail.find("{\n")));
  for (std::size_t cut = 0; cut <= kGeminiWithErrorTail.size(); ++cut) {
    expect_same(parse_in_pieces(kGeminiWithErrorTail, {cut}), p, "cut " + std::to_string(cut));
  }
}

TEST(SseParser, GeminiLastEventWithoutBlankLineThenTail) {
  const Parsed p = parse_whole("data: {\"a\":1}\r\n{\"error\":{\"code\":500}}");
  ASSERT_EQ(p.events.size(), 1u);  // the pending event is dispatched before the tail
  EXPECT_EQ(p.events[0].data, "{\"a\":1}");
  EXPECT_EQ(p.tail, "{\"error\":{\"code\":500}}");
}

TEST(SseParser, RawJsonBody) {
  const std::string body = "  {\"error\": {\"code\": 400,\n \"message\": \"bad\"}}";
  const Parsed p = parse_whole(body);
  EXPECT_TRUE(p.events.empty());
  EXPECT_TRUE(p.raw_json);
  EXPECT_EQ(p.tail, body);
  for (std::size_t cut = 0; cut <= body.size(); ++cut) {
    expect_same(parse_in_pieces(body, {cut}), p, "cut " + std::to_string(cut));
  }

  const Parsed array = parse_whole("\r\n[{\"candidates\":[]}]");
  EXPECT_TRUE(array.raw_json);
  EXPECT_EQ(array.tail, "[{\"candidates\":[]}]");

  SseParser early;
  EXPECT_TRUE(early.feed("{\"a\":\n").empty());
  EXPECT_TRUE(early.is_raw_json());  // known as soon as the first line ends
  EXPECT_TRUE(early.in_non_sse_tail());
}

TEST(SseParser, JsonDetectionCanBeTurnedOff) {
  SseParserOptions opts;
  opts.detect_json = false;
  const Parsed p = parse_whole("{\"a\":1}\ndata: x\n\n", opts);
  ASSERT_EQ(p.events.size(), 1u);
  EXPECT_TRUE(p.tail.empty());
  EXPECT_FALSE(p.raw_json);
}

TEST(SseParser, UnknownFieldsKeptOnRequest) {
  const std::string llama = "data: {\"x\":1}\n\nerror: {\"code\":500,\"message\":\"boom\"}\n\n";
  EXPECT_EQ(parse_whole(llama).events.size(), 1u);  // per spec, ignored
  SseParserOptions opts;
  opts.keep_unknown_fields = true;
  const Parsed p = parse_whole(llama, opts);
  ASSERT_EQ(p.events.size(), 2u);
  EXPECT_EQ(p.events[1].data, "");
  ASSERT_EQ(p.events[1].fields.size(), 1u);
  EXPECT_EQ(p.events[1].fields[0].first, "error");
  EXPECT_EQ(p.events[1].fields[0].second, "{\"code\":500,\"message\":\"boom\"}");
}

TEST(SseParser, BomOnlyAtTheStart) {
  const Parsed p = parse_whole(
      "data: a\n\n\xEF\xBB\xBF"
      "data: b\n\n");
  ASSERT_EQ(p.events.size(), 1u);  // "\xEF\xBB\xBFdata" is an unknown field
  EXPECT_EQ(p.events[0].data, "a");
}

TEST(SseParser, FeedAfterFinishIsIgnored) {
  SseParser p;
  EXPECT_EQ(p.finish().size(), 0u);
  EXPECT_TRUE(p.feed("data: a\n\n").empty());
}

TEST(SseParser, LongLineInSmallChunksIsLinear) {
  const std::string payload(2'000'000, 'x');
  const std::string body = "data: " + payload + "\n\n";
  SseParser p;
  std::vector<SseEvent> evs;
  for (std::size_t i = 0; i < body.size(); i += 512) {
    for (auto& e : p.feed(std::string_view(body).substr(i, 512)))
      evs.push_back(std::move(e));
  }
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].data.size(), payload.size());
}

}  // namespace
}  // namespace sakai::net
