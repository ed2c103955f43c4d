#include "net/sse_parser.h"

#include <algorithm>

namespace sakai::net {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

std::optional<std::chrono::milliseconds> parse_retry(std::string_view value) {
  if (value.empty() || value.size() > 15) return std::nullopt;
  long long ms = 0;
  for (char c : value) {
    if (c < '0' || c > '9') return std::nullopt;
    ms = ms * 10 + (c - '0');
  }
  return std::chrono::milliseconds(ms);
}

}  // namespace

bool SseParser::starts_json(std::string_view line) const {
  if (!options_.detect_json) return false;
  const auto first = line.find_first_not_of(" \t");
  return first != std::string_view::npos && (line[first] == '{' || line[first] == '[');
}

void SseParser::enter_tail(std::string_view rest, std::vector<SseEvent>& out) {
  dispatch(out);
  in_tail_ = true;
  tail_.append(rest);
}

std::vector<SseEvent> SseParser::feed(std::string_view bytes) {
  std::vector<SseEvent> out;
  if (finished_) return out;
  if (in_tail_) {
    tail_.append(bytes);
    return out;
  }
  buf_.append(bytes);
  if (!bom_checked_) {
    if (buf_.size() < kBom.size() && kBom.substr(0, buf_.size()) == buf_) return out;
    if (buf_.compare(0, kBom.size(), kBom) == 0) buf_.erase(0, kBom.size());
    bom_checked_ = true;
  }
  std::size_t pos = 0;
  if (skip_lf_ && !buf_.empty()) {
    if (buf_[0] == '\n') pos = 1;
    skip_lf_ = false;
    scanned_ = pos;
  }
  std::size_t search = std::max(pos, scanned_);
  while (true) {
    const std::size_t eol = buf_.find_first_of("\r\n", search);
    if (eol == std::string::npos) break;
    const std::string_view line(buf_.data() + pos, eol - pos);
    if (starts_json(line)) {
      enter_tail(std::string_view(buf_).substr(pos), out);
      buf_.clear();
      scanned_ = 0;
      return out;
    }
    process_line(line, out);
    pos = eol + 1;
    if (buf_[eol] == '\r') {
      if (pos < buf_.size()) {
        if (buf_[pos] == '\n') ++pos;
      } else {
        skip_lf_ = true;  // the LF of a CRLF pair may come with the next chunk
      }
    }
    search = pos;
  }
  buf_.erase(0, pos);
  scanned_ = buf_.size();
  return out;
}

std::vector<SseEvent> SseParser::finish() {
  std::vector<SseEvent> out;
  if (finished_) return out;
  finished_ = true;
  if (!in_tail_ && !buf_.empty()) {
    if (starts_json(buf_)) {
      enter_tail(buf_, out);
    } else {
      process_line(buf_, out);
    }
    buf_.clear();
  }
  dispatch(out);
  return out;
}

void SseParser::process_line(std::string_view line, std::vector<SseEvent>& out) {
  if (line.empty()) {
    dispatch(out);
    return;
  }
  saw_sse_line_ = true;
  if (line.front() == ':') return;  // comment
  std::string_view field = line;
  std::string_view value;
  if (const auto colon = line.find(':'); colon != std::string_view::npos) {
    field = line.substr(0, colon);
    value = line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  }
  if (field == "data") {
    data_.append(value);
    data_.push_back('\n');
  } else if (field == "event") {
    event_ = std::string(value);
  } else if (field == "id") {
    if (value.find('\0') == std::string_view::npos) last_id_ = std::string(value);
  } else if (field == "retry") {
    if (const auto ms = parse_retry(value)) {
      retry_ = ms;
      event_retry_ = ms;
    }
  } else if (options_.keep_unknown_fields) {
    fields_.emplace_back(std::string(field), std::string(value));
  }
}

void SseParser::dispatch(std::vector<SseEvent>& out) {
  if (data_.empty() && fields_.empty()) {
    event_.clear();
    event_retry_.reset();
    return;
  }
  SseEvent ev;
  if (!data_.empty()) {
    data_.pop_back();  // the '\n' after the last data line
    ev.data = std::move(data_);
  }
  if (!event_.empty()) ev.event = std::move(event_);
  ev.id = last_id_;
  ev.retry = event_retry_;
  ev.fields = std::move(fields_);
  out.push_back(std::move(ev));
  data_.clear();
  event_.clear();
  event_retry_.reset();
  fields_.clear();
}

}  // namespace sakai::net
