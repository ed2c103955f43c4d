#include "telegram/format/markdown.h"

#include <md4c.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "core/text.h"
#include "telegram/format/text_table.h"

namespace sakai::telegram {
namespace {

constexpr std::uint64_t kNoSeq = std::numeric_limits<std::uint64_t>::max();
constexpr std::size_t kMaxIndentLevels = 8;  // deeper lists reuse the deepest indentation
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";
// Stands in for a "*" of arithmetic ("2*3*4") while md4c parses, so it is not read as emphasis;
// written back as "*" wherever text leaves the renderer. U+E000 (private use): md4c treats it as
// a letter, and it is used only when the input does not contain it already.
constexpr std::string_view kLiteralStar = "\xEE\x80\x80";
constexpr std::string_view kFirstStrongIsolate = "\xE2\x81\xA8";     // U+2068
constexpr std::string_view kPopDirectionalIsolate = "\xE2\x81\xA9";  // U+2069
constexpr std::string_view kRightToLeftMark = "\xE2\x80\x8F";        // U+200F

std::int32_t u16(std::string_view s) {
  return static_cast<std::int32_t>(text::utf16_length(s));
}

// Valid UTF-8, "\r\n" and "\r" as "\n", no control characters but tab and newline.
std::string sanitize_input(std::string_view in) {
  const std::string s = text::is_valid_utf8(in) ? std::string(in) : text::encode(text::decode(in));
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '\r') {
      out.push_back('\n');
      if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
      continue;
    }
    if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F) continue;
    if (c == 0xC2 && i + 1 < s.size()) {  // C1 controls U+0080..U+009F
      const auto next = static_cast<unsigned char>(s[i + 1]);
      if (next >= 0x80 && next <= 0x9F) {
        ++i;
        continue;
      }
    }
    out.push_back(static_cast<char>(c));
  }
  return out;
}

bool is_control(char32_t cp) {
  return (cp < 0x20 && cp != '\t' && cp != '\n') || (cp >= 0x7F && cp <= 0x9F);
}

bool is_ascii_alnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool is_ascii_digit(char c) {
  return c >= '0' && c <= '9';
}

// "2*3*4" and "2**10" are arithmetic, not emphasis: a run of "*" with a letter or digit on both
// sides and a digit on at least one is replaced by kLiteralStar for the parse. Nothing is
// replaced (and nothing must be restored) when the input already holds kLiteralStar.
bool can_protect_arithmetic(std::string_view s) {
  return s.find(kLiteralStar) == std::string_view::npos;
}

std::string protect_arithmetic(std::string s) {
  if (s.find('*') == std::string::npos || !can_protect_arithmetic(s)) return s;
  std::string out;
  out.reserve(s.size() + 16);
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] != '*') {
      out += s[i++];
      continue;
    }
    std::size_t end = i;
    while (end < s.size() && s[end] == '*')
      ++end;
    const bool arithmetic = i > 0 && end < s.size() && is_ascii_alnum(s[i - 1]) &&
                            is_ascii_alnum(s[end]) &&
                            (is_ascii_digit(s[i - 1]) || is_ascii_digit(s[end]));
    for (; i < end; ++i) {
      if (arithmetic) {
        out += kLiteralStar;
      } else {
        out += '*';
      }
    }
  }
  return out;
}

std::string restore_stars(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t from = 0;
  for (std::size_t at = s.find(kLiteralStar); at != std::string_view::npos;
       at = s.find(kLiteralStar, from)) {
    out += s.substr(from, at - from);
    out += '*';
    from = at + kLiteralStar.size();
  }
  out += s.substr(from);
  return out;
}

// A table reads right to left when its cells hold more right-to-left letters than
// left-to-right ones.
bool is_rtl_table(const std::vector<std::vector<std::string>>& rows) {
  long long balance = 0;
  for (const auto& row : rows) {
    for (const auto& cell : row) {
      for (char32_t cp : text::decode(cell)) {
        if (text::is_rtl_letter(cp)) ++balance;
        if (text::is_ltr_letter(cp)) --balance;
      }
    }
  }
  return balance > 0;
}

std::string isolated(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 6);
  out += kFirstStrongIsolate;
  out += s;
  out += kPopDirectionalIsolate;
  return out;
}

// "&amp;", "&#1234;", "&#x1F600;" to their text; unknown names stay literal.
std::string decode_html_entity(std::string_view e) {
  if (e.size() < 3 || e.front() != '&' || e.back() != ';') return std::string(e);
  const std::string_view body = e.substr(1, e.size() - 2);
  if (body.front() == '#') {
    const bool hex = body.size() > 1 && (body[1] == 'x' || body[1] == 'X');
    const std::string_view digits = body.substr(hex ? 2 : 1);
    if (digits.empty() || digits.size() > 8) return std::string(e);
    char32_t cp = 0;
    for (const char c : digits) {
      int d = -1;
      if (c >= '0' && c <= '9') d = c - '0';
      if (hex && c >= 'a' && c <= 'f') d = c - 'a' + 10;
      if (hex && c >= 'A' && c <= 'F') d = c - 'A' + 10;
      if (d < 0) return std::string(e);
      cp = cp * (hex ? 16 : 10) + static_cast<char32_t>(d);
    }
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
    if (is_control(cp)) return {};
    return text::encode(cp);
  }
  struct Named {
    std::string_view name;
    char32_t cp;
  };
  static constexpr Named kNamed[] = {
      {"amp", '&'},      {"lt", '<'},        {"gt", '>'},       {"quot", '"'},
      {"apos", '\''},    {"nbsp", 0xA0},     {"copy", 0xA9},    {"reg", 0xAE},
      {"trade", 0x2122}, {"hellip", 0x2026}, {"mdash", 0x2014}, {"ndash", 0x2013},
      {"laquo", 0xAB},   {"raquo", 0xBB},    {"lsquo", 0x2018}, {"rsquo", 0x2019},
      {"ldquo", 0x201C}, {"rdquo", 0x201D},  {"bull", 0x2022},  {"middot", 0xB7},
      {"times", 0xD7},   {"divide", 0xF7},   {"deg", 0xB0},     {"plusmn", 0xB1},
      {"euro", 0x20AC},  {"pound", 0xA3},    {"yen", 0xA5},     {"cent", 0xA2},
      {"sect", 0xA7},    {"para", 0xB6},     {"zwnj", 0x200C},  {"zwj", 0x200D},
      {"lrm", 0x200E},   {"rlm", 0x200F},    {"larr", 0x2190},  {"rarr", 0x2192},
      {"uarr", 0x2191},  {"darr", 0x2193},   {"check", 0x2713}, {"shy", 0xAD},
  };
  for (const auto& n : kNamed) {
    if (n.name == body) return text::encode(n.cp);
  }
  return std::string(e);
}

// An md4c attribute (link destination, code language) as plain text.
std::string attribute_text(const MD_ATTRIBUTE& a, bool stars) {
  std::string out;
  if (a.text == nullptr || a.size == 0 || a.substr_offsets == nullptr) return out;
  for (std::size_t i = 0; a.substr_offsets[i] < a.size; ++i) {
    const MD_OFFSET off = a.substr_offsets[i];
    const MD_OFFSET end = a.substr_offsets[i + 1];
    const std::string_view piece(a.text + off, end - off);
    if (a.substr_types[i] == MD_TEXT_ENTITY) {
      out += decode_html_entity(piece);
    } else if (a.substr_types[i] == MD_TEXT_NULLCHAR) {
      out += kReplacement;
    } else {
      out += piece;
    }
  }
  return stars ? restore_stars(out) : out;
}

bool single_word(std::string_view s) {
  return !s.empty() && std::none_of(s.begin(), s.end(), [](char c) {
    return static_cast<unsigned char>(c) <= 0x20 || c == 0x7F;
  });
}

// A link Telegram will accept as a text URL: one word, not a fragment or a site-relative path.
bool usable_url(std::string_view url) {
  return single_word(url) && url.front() != '#' && url.front() != '/';
}

// 0 = quote, 1 = link-like, 2 = splittable style, 3 = code: for equal ranges, lower is outer.
int nesting_rank(EntityType t) {
  switch (t) {
    case EntityType::kBlockQuote:
      return 0;
    case EntityType::kTextUrl:
    case EntityType::kMention:
    case EntityType::kMentionName:
    case EntityType::kUrl:
      return 1;
    case EntityType::kPre:
    case EntityType::kCode:
      return 3;
    default:
      return 2;
  }
}

class Renderer {
 public:
  int enter_block(MD_BLOCKTYPE type, void* detail);
  int leave_block(MD_BLOCKTYPE type, void* detail);
  int enter_span(MD_SPANTYPE type, void* detail);
  int leave_span(MD_SPANTYPE type);
  int on_text(MD_TEXTTYPE type, std::string_view s);
  FormattedText finish() &&;
  // The input's arithmetic stars were replaced by kLiteralStar (see protect_arithmetic).
  void restore_literal_stars(bool on) { stars_ = on; }

 private:
  struct Open {
    EntityType type;
    std::string argument;
    bool active;
    std::uint64_t seq;
    std::int32_t start = -1;  // set lazily, when the first character inside is written
    std::size_t start_byte = 0;
  };
  struct List {
    bool ordered = false;
    bool tight = true;
    unsigned next_number = 1;
    std::string indent;          // before the marker
    std::string content_indent;  // continuation lines of the current item
    std::uint64_t item_seq = kNoSeq;
  };
  enum class Verbatim { kNone, kCode, kHtml };

  void request_break(int newlines) {
    if (!marker_pending_) pending_breaks_ = std::max(pending_breaks_, newlines);
  }
  void open(EntityType type, std::string argument = {}, bool active = true) {
    open_.push_back(Open{type, std::move(argument), active, ++seq_});
  }
  void close();
  void start_pending(std::uint64_t below_seq);
  void flush(bool verbatim);
  void write(std::string_view s, bool verbatim = false);
  void write_rtl_table();
  void append(std::string_view s) {
    out_ += s;
    pos16_ += u16(s);
  }

  std::string out_;
  std::int32_t pos16_ = 0;
  int pending_breaks_ = 0;
  std::string marker_;
  bool marker_pending_ = false;
  std::uint64_t seq_ = 0;
  std::vector<Open> open_;
  std::vector<std::pair<std::uint64_t, TextEntity>> entities_;  // with the seq they opened at
  std::vector<List> lists_;
  std::vector<int> heading_entities_;
  int quote_depth_ = 0;
  int link_depth_ = 0;
  Verbatim verbatim_ = Verbatim::kNone;
  std::string verbatim_buf_;
  std::string code_language_;
  bool in_table_ = false;
  std::vector<std::vector<std::string>> rows_;
  std::vector<ColumnAlign> aligns_;
  std::string cell_;
  bool stars_ = false;
};

void Renderer::close() {
  if (open_.empty()) return;
  Open e = std::move(open_.back());
  open_.pop_back();
  if (!e.active || e.start < 0 || pos16_ <= e.start) return;
  if (e.type == EntityType::kTextUrl) {
    // A bare autolink: the visible text is the URL itself, Telegram links it on its own.
    const std::string_view shown = std::string_view(out_).substr(e.start_byte);
    const std::string& url = e.argument;
    if (url == shown || url == "http://" + std::string(shown) ||
        url == "https://" + std::string(shown) || url == "mailto:" + std::string(shown))
      return;
  }
  entities_.emplace_back(e.seq,
                         TextEntity{e.start, pos16_ - e.start, e.type, std::move(e.argument)});
}

void Renderer::start_pending(std::uint64_t below_seq) {
  for (auto& e : open_) {
    if (e.start < 0 && e.seq < below_seq) {
      e.start = pos16_;
      e.start_byte = out_.size();
    }
  }
}

// Emits the separator, list marker or indentation due before the next character, and starts
// the entities waiting for it. Entities opened before the current list item begin before its
// marker or indentation; the ones opened inside the item begin after it.
void Renderer::flush(bool verbatim) {
  bool at_line_start = out_.empty();
  if (pending_breaks_ > 0 && !out_.empty()) {
    append(std::string(static_cast<std::size_t>(pending_breaks_), '\n'));
    at_line_start = true;
  }
  pending_breaks_ = 0;
  const std::uint64_t item_seq = lists_.empty() ? kNoSeq : lists_.back().item_seq;
  start_pending(item_seq);
  if (marker_pending_) {
    append(marker_);
    marker_pending_ = false;
  } else if (at_line_start && !verbatim && item_seq != kNoSeq) {
    append(lists_.back().content_indent);
  }
  start_pending(kNoSeq);
}

void Renderer::write(std::string_view s, bool verbatim) {
  if (s.empty()) return;
  const std::string restored =
      !stars_ || s.find(kLiteralStar) == std::string_view::npos ? std::string() : restore_stars(s);
  if (!restored.empty()) s = restored;
  if (in_table_) {
    cell_ += s;
    return;
  }
  flush(verbatim);
  append(s);
}

// A right-to-left table as one line per row: "• first cell — header: cell · header: cell". In a
// preformatted block a client lays each line out right to left and the columns come out
// mirrored; as rows each cell is isolated so it keeps its own direction, and each line starts
// with a right-to-left mark so it is laid out right to left whatever its first cell holds.
void Renderer::write_rtl_table() {
  const std::vector<std::string> none;
  const std::vector<std::string>& header = rows_.empty() ? none : rows_.front();
  const std::size_t first_body = rows_.size() > 1 ? 1 : 0;
  bool first_line = true;
  for (std::size_t r = first_body; r < rows_.size(); ++r) {
    const auto& row = rows_[r];
    if (std::all_of(row.begin(), row.end(), [](const std::string& c) { return c.empty(); }))
      continue;
    if (!first_line) request_break(1);
    first_line = false;
    write(kRightToLeftMark);
    write("• ");
    std::size_t c = 0;
    if (!row.empty() && !row[0].empty() && first_body == 1) {
      open(EntityType::kBold);
      write(isolated(row[0]));
      close();
      c = 1;
    }
    bool any = c == 1;
    for (; c < row.size(); ++c) {
      if (row[c].empty()) continue;
      write(any ? (c == 1 ? " — " : " · ") : "");
      any = true;
      if (first_body == 1 && c < header.size() && !header[c].empty()) {
        write(isolated(header[c]));
        write(": ");
      }
      write(isolated(row[c]));
    }
  }
}

int Renderer::enter_block(MD_BLOCKTYPE type, void* detail) {
  switch (type) {
    case MD_BLOCK_QUOTE:
      request_break(2);
      open(EntityType::kBlockQuote, {}, quote_depth_ == 0);
      ++quote_depth_;
      break;
    case MD_BLOCK_UL:
    case MD_BLOCK_OL: {
      request_break(lists_.empty() || !lists_.back().tight ? 2 : 1);
      List l;
      l.ordered = type == MD_BLOCK_OL;
      if (l.ordered) {
        const auto* d = static_cast<const MD_BLOCK_OL_DETAIL*>(detail);
        l.tight = d->is_tight != 0;
        l.next_number = d->start;
      } else {
        l.tight = static_cast<const MD_BLOCK_UL_DETAIL*>(detail)->is_tight != 0;
      }
      if (!lists_.empty()) {
        l.indent =
            lists_.size() < kMaxIndentLevels ? lists_.back().content_indent : lists_.back().indent;
      }
      lists_.push_back(std::move(l));
      break;
    }
    case MD_BLOCK_LI: {
      if (lists_.empty()) break;
      List& l = lists_.back();
      request_break(l.tight ? 1 : 2);
      std::string core = l.ordered ? std::to_string(l.next_number++) + ". " : "";
      const auto* d = static_cast<const MD_BLOCK_LI_DETAIL*>(detail);
      if (d->is_task != 0) {
        core += (d->task_mark == ' ') ? "☐ " : "☑ ";
      } else if (!l.ordered) {
        core += "• ";
      }
      l.content_indent = l.indent + std::string(text::codepoint_count(core), ' ');
      // An item that starts with a nested list keeps the outer marker on the same line.
      marker_ = (marker_pending_ ? marker_ : l.indent) + core;
      marker_pending_ = true;
      l.item_seq = ++seq_;
      break;
    }
    case MD_BLOCK_HR:
      request_break(2);
      write("———");
      break;
    case MD_BLOCK_H: {
      request_break(2);
      const unsigned level = static_cast<const MD_BLOCK_H_DETAIL*>(detail)->level;
      open(EntityType::kBold);
      if (level <= 2) open(EntityType::kUnderline);
      heading_entities_.push_back(level <= 2 ? 2 : 1);
      break;
    }
    case MD_BLOCK_CODE:
      request_break(2);
      verbatim_ = Verbatim::kCode;
      verbatim_buf_.clear();
      code_language_ =
          attribute_text(static_cast<const MD_BLOCK_CODE_DETAIL*>(detail)->lang, stars_);
      if (!single_word(code_language_)) code_language_.clear();
      break;
    case MD_BLOCK_HTML:
      request_break(2);
      verbatim_ = Verbatim::kHtml;
      verbatim_buf_.clear();
      break;
    case MD_BLOCK_P:
      request_break(2);
      break;
    case MD_BLOCK_TABLE:
      request_break(2);
      in_table_ = true;
      rows_.clear();
      aligns_.clear();
      break;
    case MD_BLOCK_TR:
      rows_.emplace_back();
      break;
    case MD_BLOCK_TH:
    case MD_BLOCK_TD:
      cell_.clear();
      if (rows_.size() == 1) {
        const MD_ALIGN a = static_cast<const MD_BLOCK_TD_DETAIL*>(detail)->align;
        aligns_.push_back(a == MD_ALIGN_RIGHT    ? ColumnAlign::kRight
                          : a == MD_ALIGN_CENTER ? ColumnAlign::kCenter
                                                 : ColumnAlign::kLeft);
      }
      break;
    default:
      break;
  }
  return 0;
}

int Renderer::leave_block(MD_BLOCKTYPE type, void* /*detail*/) {
  switch (type) {
    case MD_BLOCK_QUOTE:
      --quote_depth_;
      close();
      break;
    case MD_BLOCK_UL:
    case MD_BLOCK_OL:
      if (!lists_.empty()) lists_.pop_back();
      break;
    case MD_BLOCK_LI:
      marker_pending_ = false;  // an empty item prints nothing
      if (!lists_.empty()) lists_.back().item_seq = kNoSeq;
      break;
    case MD_BLOCK_H:
      if (!heading_entities_.empty()) {
        for (int i = 0; i < heading_entities_.back(); ++i)
          close();
        heading_entities_.pop_back();
      }
      break;
    case MD_BLOCK_CODE:
    case MD_BLOCK_HTML: {
      const bool code = verbatim_ == Verbatim::kCode;
      verbatim_ = Verbatim::kNone;
      while (!verbatim_buf_.empty() && verbatim_buf_.back() == '\n')
        verbatim_buf_.pop_back();
      if (code) open(EntityType::kPre, code_language_);
      write(verbatim_buf_, true);
      if (code) close();
      break;
    }
    case MD_BLOCK_TABLE: {
      in_table_ = false;
      if (is_rtl_table(rows_)) {
        write_rtl_table();
        break;
      }
      open(EntityType::kPre);
      write(render_text_table(rows_, aligns_), true);
      close();
      break;
    }
    case MD_BLOCK_TH:
    case MD_BLOCK_TD:
      if (!rows_.empty()) rows_.back().emplace_back(text::trim(cell_));
      cell_.clear();
      break;
    default:
      break;
  }
  return 0;
}

int Renderer::enter_span(MD_SPANTYPE type, void* detail) {
  if (in_table_) return 0;  // cells are plain text inside the table's pre block
  switch (type) {
    case MD_SPAN_EM:
      open(EntityType::kItalic);
      break;
    case MD_SPAN_STRONG:
      open(EntityType::kBold);
      break;
    case MD_SPAN_DEL:
      open(EntityType::kStrikethrough);
      break;
    case MD_SPAN_U:
      open(EntityType::kUnderline);
      break;
    case MD_SPAN_CODE:
      open(EntityType::kCode);
      break;
    case MD_SPAN_A:
    case MD_SPAN_IMG: {
      const MD_ATTRIBUTE& target = type == MD_SPAN_A
                                       ? static_cast<const MD_SPAN_A_DETAIL*>(detail)->href
                                       : static_cast<const MD_SPAN_IMG_DETAIL*>(detail)->src;
      std::string url = attribute_text(target, stars_);
      const bool active = link_depth_ == 0 && usable_url(url);
      open(EntityType::kTextUrl, std::move(url), active);
      ++link_depth_;
      break;
    }
    default:
      open(EntityType::kBold, {}, false);  // keeps enter/leave balanced
      break;
  }
  return 0;
}

int Renderer::leave_span(MD_SPANTYPE type) {
  if (in_table_) return 0;
  if (type == MD_SPAN_A || type == MD_SPAN_IMG) --link_depth_;
  close();
  return 0;
}

int Renderer::on_text(MD_TEXTTYPE type, std::string_view s) {
  if (verbatim_ != Verbatim::kNone) {
    verbatim_buf_ += type == MD_TEXT_NULLCHAR ? kReplacement : s;
    return 0;
  }
  switch (type) {
    case MD_TEXT_NULLCHAR:
      write(kReplacement);
      break;
    case MD_TEXT_BR:
    case MD_TEXT_SOFTBR:
      if (in_table_) {
        cell_ += ' ';
      } else {
        request_break(1);
      }
      break;
    case MD_TEXT_ENTITY:
      write(decode_html_entity(s));
      break;
    default:
      write(s);
      break;
  }
  return 0;
}

FormattedText Renderer::finish() && {
  while (!open_.empty())
    close();
  FormattedText result;
  while (!out_.empty() && (out_.back() == ' ' || out_.back() == '\n' || out_.back() == '\t'))
    out_.pop_back();
  result.text = std::move(out_);
  // Opening order: for equal ranges the outer entity comes first.
  std::sort(entities_.begin(), entities_.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [seq, entity] : entities_)
    result.entities.push_back(std::move(entity));
  return result;
}

template <typename F>
int guarded(void* user, F&& f) {
  try {
    return f(*static_cast<Renderer*>(user));
  } catch (...) {
    return -1;  // aborts the parse; the caller falls back to plain text
  }
}

int cb_enter_block(MD_BLOCKTYPE t, void* d, void* u) {
  return guarded(u, [&](Renderer& r) { return r.enter_block(t, d); });
}
int cb_leave_block(MD_BLOCKTYPE t, void* d, void* u) {
  return guarded(u, [&](Renderer& r) { return r.leave_block(t, d); });
}
int cb_enter_span(MD_SPANTYPE t, void* d, void* u) {
  return guarded(u, [&](Renderer& r) { return r.enter_span(t, d); });
}
int cb_leave_span(MD_SPANTYPE t, void* /*d*/, void* u) {
  return guarded(u, [&](Renderer& r) { return r.leave_span(t); });
}
int cb_text(MD_TEXTTYPE t, const MD_CHAR* s, MD_SIZE n, void* u) {
  return guarded(u, [&](Renderer& r) { return r.on_text(t, std::string_view(s, n)); });
}

}  // namespace

void normalize_entities(FormattedText& t) {
  const auto total = static_cast<std::int64_t>(text::utf16_length(t.text));
  std::vector<TextEntity> in;
  in.reserve(t.entities.size());
  for (auto& e : t.entities) {
    if (e.offset < 0 || e.length <= 0 || e.offset >= total) continue;
    const std::int64_t end = std::min<std::int64_t>(std::int64_t{e.offset} + e.length, total);
    e.length = static_cast<std::int32_t>(end - e.offset);
    in.push_back(std::move(e));
  }
  std::stable_sort(in.begin(), in.end(), [](const TextEntity& a, const TextEntity& b) {
    if (a.offset != b.offset) return a.offset < b.offset;
    if (a.length != b.length) return a.length > b.length;
    return nesting_rank(a.type) < nesting_rank(b.type);
  });
  std::vector<TextEntity> out;
  std::vector<std::size_t> stack;  // indices into `out` of the entities enclosing the cursor
  for (auto& e : in) {
    while (!stack.empty() && out[stack.back()].offset + out[stack.back()].length <= e.offset)
      stack.pop_back();
    if (!stack.empty()) {  // crossing its parent: cut it at the parent's end
      const TextEntity& parent = out[stack.back()];
      e.length = std::min(e.length, parent.offset + parent.length - e.offset);
    }
    const int rank = nesting_rank(e.type);
    const bool allowed = std::none_of(stack.begin(), stack.end(), [&](std::size_t i) {
      const int parent_rank = nesting_rank(out[i].type);
      return parent_rank == 3 || (rank == 0 && parent_rank <= 1) || (parent_rank == 1 && rank != 2);
    });
    if (!allowed) continue;
    out.push_back(std::move(e));
    stack.push_back(out.size() - 1);
  }
  t.entities = std::move(out);
}

FormattedText markdown_to_formatted(std::string_view markdown) {
  const std::string clean = sanitize_input(markdown);
  const bool stars = can_protect_arithmetic(clean);
  const std::string input = stars ? protect_arithmetic(clean) : clean;
  FormattedText result;
  int rc = -1;
  if (input.size() < std::numeric_limits<MD_SIZE>::max()) {
    try {
      Renderer renderer;
      renderer.restore_literal_stars(stars);
      MD_PARSER parser{};
      parser.abi_version = 0;
      parser.flags = MD_DIALECT_GITHUB;
      parser.enter_block = cb_enter_block;
      parser.leave_block = cb_leave_block;
      parser.enter_span = cb_enter_span;
      parser.leave_span = cb_leave_span;
      parser.text = cb_text;
      rc = md_parse(input.data(), static_cast<MD_SIZE>(input.size()), &parser, &renderer);
      if (rc == 0) result = std::move(renderer).finish();
    } catch (...) {
      rc = -1;
    }
  }
  if (rc != 0) {  // worst case: the Markdown source as plain text
    result = FormattedText(stars ? restore_stars(input) : input);
    while (!result.text.empty() &&
           (result.text.back() == ' ' || result.text.back() == '\n' || result.text.back() == '\t'))
      result.text.pop_back();
  }
  normalize_entities(result);
  return result;
}

}  // namespace sakai::telegram
