#pragma once
// Incremental Server-Sent Events parser (WHATWG "event stream interpretation") for the AI
// providers' streams, with the deviations real servers need:
//
// - feed() takes bytes split anywhere: inside a line, inside a CRLF pair, inside a UTF-8
//   sequence. Lines end with LF, CRLF or CR. A leading UTF-8 BOM is dropped.
// - Lines starting with ':' are comments. `data:` lines join with '\n'; one space after the
//   colon is dropped. `event:`, `id:` (last event id, kept across events) and `retry:` (digits
//   only) are understood; other fields are ignored unless keep_unknown_fields is set (llama.cpp
//   reports stream errors as an `error: {...}` field).
// - An event is dispatched at a blank line when it has data. finish() also dispatches a last
//   event that lacks the blank line (Gemini's final event may).
// - Non-SSE text: a line whose first non-blank byte is '{' or '[' is not SSE (Gemini can append a
//   raw, multi-line `{"error": ...}` after HTTP 200). From that line on, every byte goes to
//   non_sse_tail() unparsed. When that happens before any SSE line, the whole body is raw JSON
//   (a provider answered without streaming) and is_raw_json() is true.
//
// Bytes are never validated or decoded: data is passed through as it arrived.
// Thread-safety: none; one parser per stream.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sakai::net {

struct SseEvent {
  std::string event = "message";                   // the `event:` field, "message" when absent
  std::string data;                                // `data:` lines joined with '\n'
  std::string id;                                  // the last event id seen so far ("" when none)
  std::optional<std::chrono::milliseconds> retry;  // a `retry:` field inside this event
  // Only with SseParserOptions::keep_unknown_fields: other fields in arrival order.
  std::vector<std::pair<std::string, std::string>> fields;
};

struct SseParserOptions {
  // Keep unknown fields in SseEvent::fields and dispatch an event that has only such fields.
  bool keep_unknown_fields = false;
  // Send a line starting with '{' or '[' and the rest of the body to non_sse_tail().
  bool detect_json = true;
};

class SseParser {
 public:
  explicit SseParser(SseParserOptions options = {}) : options_(options) {}

  // Consumes `bytes` and returns the events they complete, in order.
  std::vector<SseEvent> feed(std::string_view bytes);
  // End of the body: parses an unterminated last line and dispatches a pending event.
  // Later feed() calls are ignored.
  std::vector<SseEvent> finish();

  // Bytes after the SSE part of the body, verbatim (see above); "" when the body was all SSE.
  [[nodiscard]] const std::string& non_sse_tail() const { return tail_; }
  // True when the body was not SSE at all: its first non-blank byte was '{' or '['. The whole
  // body is then in non_sse_tail().
  [[nodiscard]] bool is_raw_json() const { return in_tail_ && !saw_sse_line_; }
  // True once non-SSE text started.
  [[nodiscard]] bool in_non_sse_tail() const { return in_tail_; }
  // The latest `retry:` value (the reconnection time the server asked for).
  [[nodiscard]] std::optional<std::chrono::milliseconds> retry() const { return retry_; }
  [[nodiscard]] const std::string& last_event_id() const { return last_id_; }

 private:
  void process_line(std::string_view line, std::vector<SseEvent>& out);
  void dispatch(std::vector<SseEvent>& out);
  [[nodiscard]] bool starts_json(std::string_view line) const;
  void enter_tail(std::string_view rest, std::vector<SseEvent>& out);

  SseParserOptions options_;
  std::string buf_;          // bytes of the current, unfinished line
  std::size_t scanned_ = 0;  // leading bytes of buf_ known to hold no line ending
  bool skip_lf_ = false;     // the last line ended with CR: a LF right after belongs to it
  bool bom_checked_ = false;
  bool finished_ = false;
  bool in_tail_ = false;
  bool saw_sse_line_ = false;
  std::string tail_;

  // The event being built.
  std::string data_;
  std::string event_;
  std::optional<std::chrono::milliseconds> event_retry_;
  std::vector<std::pair<std::string, std::string>> fields_;
  std::string last_id_;
  std::optional<std::chrono::milliseconds> retry_;
};

}  // namespace sakai::net
