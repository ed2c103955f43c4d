#include "core/i18n_message.h"

#include <cstdlib>
#include <optional>
#include <utility>

#include "core/format.h"

namespace sakai::i18n_message {
namespace {

struct Node;
using Nodes = std::vector<Node>;

struct Branch {
  std::string selector;
  Nodes body;
};

struct Node {
  enum class Kind { kText, kArg, kPound, kPlural, kSelect };
  Kind kind = Kind::kText;
  std::string text;    // kText: the literal; otherwise the argument's name
  std::string type;    // kArg: "", "text" or "duration"
  std::string source;  // the placeholder as written, shown when its value is not given
  long long offset = 0;
  std::vector<Branch> branches;
};

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// Recursive descent over a message. In lenient mode (rendering) a "{" that does not open a valid
// placeholder is text; in strict mode (checking a catalog) it is an error.
class Parser {
 public:
  Parser(std::string_view s, bool strict) : s_(s), strict_(strict) {}

  Nodes parse() {
    Nodes out = body(false, 0);
    if (pos_ < s_.size() && error_.empty()) fail("unexpected '}'");
    return out;
  }
  [[nodiscard]] const std::string& error() const { return error_; }

 private:
  void fail(const std::string& what) {
    if (error_.empty()) error_ = what + " at offset " + std::to_string(pos_);
  }
  void skip_spaces() {
    while (pos_ < s_.size() && is_space(s_[pos_]))
      ++pos_;
  }
  std::string word() {
    const std::size_t start = pos_;
    while (pos_ < s_.size() && is_name_char(s_[pos_]))
      ++pos_;
    return std::string(s_.substr(start, pos_ - start));
  }
  static void add_text(Nodes& out, std::string_view t) {
    if (t.empty()) return;
    if (out.empty() || out.back().kind != Node::Kind::kText) out.push_back(Node{});
    out.back().text += t;
  }

  // Text and placeholders up to the end, or (depth > 0) up to the "}" closing a branch, which is
  // left for the caller.
  Nodes body(bool in_plural, int depth) {
    Nodes out;
    while (pos_ < s_.size()) {
      const char c = s_[pos_];
      if (c == '}') {
        if (depth > 0) return out;
        if (strict_) return out;  // parse() reports it
        add_text(out, "}");
        ++pos_;
        continue;
      }
      if (c == '#' && in_plural) {
        Node n;
        n.kind = Node::Kind::kPound;
        out.push_back(std::move(n));
        ++pos_;
        continue;
      }
      if (c == '{') {
        const std::size_t start = pos_;
        if (auto n = placeholder(in_plural, depth)) {
          n->source = std::string(s_.substr(start, pos_ - start));
          out.push_back(std::move(*n));
          continue;
        }
        if (strict_) return out;
        pos_ = start + 1;
        add_text(out, "{");
        continue;
      }
      const std::size_t start = pos_;
      while (pos_ < s_.size() && s_[pos_] != '{' && s_[pos_] != '}' &&
             !(in_plural && s_[pos_] == '#'))
        ++pos_;
      add_text(out, s_.substr(start, pos_ - start));
    }
    if (depth > 0 && strict_) fail("unclosed block");
    return out;
  }

  // At "{": a placeholder, or nullopt (position unspecified) when the text is not one.
  std::optional<Node> placeholder(bool in_plural, int depth) {
    ++pos_;  // "{"
    skip_spaces();
    Node n;
    n.kind = Node::Kind::kArg;
    n.text = word();
    if (n.text.empty()) return invalid("a placeholder needs a name");
    skip_spaces();
    if (pos_ < s_.size() && s_[pos_] == '}') {
      ++pos_;
      return n;
    }
    if (pos_ >= s_.size() || s_[pos_] != ',') return invalid("expected ',' or '}'");
    ++pos_;
    skip_spaces();
    const std::string type = word();
    skip_spaces();
    if (type == "text" || type == "duration") {
      if (pos_ >= s_.size() || s_[pos_] != '}') return invalid("expected '}'");
      ++pos_;
      n.type = type;
      return n;
    }
    if (type != "plural" && type != "select") return invalid("unknown type '" + type + "'");
    if (pos_ >= s_.size() || s_[pos_] != ',') return invalid("expected ',' after " + type);
    ++pos_;
    n.kind = type == "plural" ? Node::Kind::kPlural : Node::Kind::kSelect;
    skip_spaces();
    if (n.kind == Node::Kind::kPlural && s_.substr(pos_).starts_with("offset:")) {
      pos_ += 7;
      skip_spaces();
      const std::size_t start = pos_;
      while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9')
        ++pos_;
      if (start == pos_) return invalid("offset needs a number");
      n.offset = std::atoll(std::string(s_.substr(start, pos_ - start)).c_str());
    }
    bool has_other = false;
    while (true) {
      skip_spaces();
      if (pos_ >= s_.size()) return invalid("unclosed " + type + " block");
      if (s_[pos_] == '}') {
        ++pos_;
        break;
      }
      std::string selector;
      if (s_[pos_] == '=' && n.kind == Node::Kind::kPlural) {
        ++pos_;
        const std::size_t start = pos_;
        while (pos_ < s_.size() && ((s_[pos_] >= '0' && s_[pos_] <= '9') || s_[pos_] == '.'))
          ++pos_;
        if (start == pos_) return invalid("'=' needs a number");
        selector = "=" + std::string(s_.substr(start, pos_ - start));
      } else {
        selector = word();
        if (selector.empty()) return invalid("expected a branch keyword");
      }
      skip_spaces();
      if (pos_ >= s_.size() || s_[pos_] != '{') return invalid("expected '{' after " + selector);
      ++pos_;
      Branch b;
      b.selector = selector;
      b.body = body(in_plural || n.kind == Node::Kind::kPlural, depth + 1);
      if (!error_.empty()) return std::nullopt;
      if (pos_ >= s_.size() || s_[pos_] != '}') return invalid("unclosed branch " + selector);
      ++pos_;
      has_other = has_other || selector == "other";
      n.branches.push_back(std::move(b));
    }
    if (!has_other) return invalid(type + " block without an 'other' branch");
    return n;
  }

  std::optional<Node> invalid(const std::string& what) {
    if (strict_) fail(what);
    return std::nullopt;
  }

  std::string_view s_;
  bool strict_;
  std::size_t pos_ = 0;
  std::string error_;
};

void collect(const Nodes& nodes, std::vector<Placeholder>& out) {
  for (const Node& n : nodes) {
    if (n.kind == Node::Kind::kText || n.kind == Node::Kind::kPound) continue;
    Placeholder p;
    p.name = n.text;
    p.type = n.kind == Node::Kind::kPlural   ? "plural"
             : n.kind == Node::Kind::kSelect ? "select"
                                             : n.type;
    for (const Branch& b : n.branches)
      p.selectors.push_back(b.selector);
    out.push_back(std::move(p));
    for (const Branch& b : n.branches)
      collect(b.body, out);
  }
}

// "Content filter" / "content-filter" -> "content_filter".
std::string select_key(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c == ' ' || c == '-') c = '_';
    out += c;
  }
  return out;
}

class Renderer {
 public:
  Renderer(std::string_view lang, const std::vector<TrArg>& args,
           const std::function<std::string(std::string_view)>& isolate)
      : lang_(lang), args_(args), isolate_(isolate) {}

  void render(const Nodes& nodes, const std::string* pound, std::string& out) const {
    for (const Node& n : nodes) {
      switch (n.kind) {
        case Node::Kind::kText:
          out += n.text;
          break;
        case Node::Kind::kPound:
          if (pound != nullptr) out += *pound;
          break;
        case Node::Kind::kArg:
          argument(n, out);
          break;
        case Node::Kind::kPlural:
          plural(n, out);
          break;
        case Node::Kind::kSelect:
          select(n, pound, out);
          break;
      }
    }
  }

 private:
  [[nodiscard]] const std::string* value_of(const std::string& name) const {
    for (const auto& a : args_) {
      if (a.name == name) return &a.value;
    }
    return nullptr;
  }

  // A value as it appears in the sentence: a plain number in the language's digits, anything
  // else isolated.
  [[nodiscard]] std::string shown(std::string_view value) const {
    if (auto n = l10n::plain_number(lang_, value)) return n->text;
    return isolate_(value);
  }

  void argument(const Node& n, std::string& out) const {
    const std::string* v = value_of(n.text);
    if (v == nullptr) {
      out += n.source;
      return;
    }
    if (n.type == "text") {
      out += isolate_(*v);
    } else if (n.type == "duration" && l10n::is_plain_number(*v) &&
               v->find('.') == std::string::npos && v->front() != '-') {
      std::string digits;
      for (char c : *v) {
        if (c >= '0' && c <= '9') digits += c;
      }
      out += l10n::human_duration(lang_, std::chrono::seconds(std::atoll(digits.c_str())));
    } else {
      out += shown(*v);
    }
  }

  void plural(const Node& n, std::string& out) const {
    const std::string* v = value_of(n.text);
    if (v == nullptr) {
      out += n.source;
      return;
    }
    const Branch* chosen = nullptr;
    std::string pound;
    if (l10n::is_plain_number(*v)) {
      std::string plain;
      for (char c : *v) {
        if (c != ',' && c != '+') plain += c;
      }
      const double number = std::strtod(plain.c_str(), nullptr);
      for (const Branch& b : n.branches) {
        if (b.selector.front() == '=' && std::strtod(b.selector.c_str() + 1, nullptr) == number) {
          chosen = &b;
          break;
        }
      }
      std::string shifted = plain;
      if (n.offset != 0 && plain.find('.') == std::string::npos) {
        shifted = std::to_string(std::atoll(plain.c_str()) - n.offset);
      }
      const auto local = l10n::plain_number(lang_, shifted);
      pound = local ? local->text : shifted;
      if (chosen == nullptr && local) chosen = branch(n, local->category);
    } else {
      pound = isolate_(*v);
    }
    if (chosen == nullptr) chosen = branch(n, "other");
    if (chosen != nullptr) render(chosen->body, &pound, out);
  }

  void select(const Node& n, const std::string* pound, std::string& out) const {
    const std::string* v = value_of(n.text);
    if (v == nullptr) {
      out += n.source;
      return;
    }
    const Branch* chosen = branch(n, select_key(*v));
    if (chosen == nullptr || chosen->selector.front() == '=') chosen = branch(n, "other");
    if (chosen != nullptr) render(chosen->body, pound, out);
  }

  static const Branch* branch(const Node& n, std::string_view selector) {
    for (const Branch& b : n.branches) {
      if (b.selector == selector) return &b;
    }
    return nullptr;
  }

  std::string_view lang_;
  const std::vector<TrArg>& args_;
  const std::function<std::string(std::string_view)>& isolate_;
};

}  // namespace

Result<std::vector<Placeholder>> placeholders(std::string_view tmpl) {
  Parser parser(tmpl, true);
  const Nodes nodes = parser.parse();
  if (!parser.error().empty()) return make_error(ErrorCode::kInvalidArgument, parser.error());
  std::vector<Placeholder> out;
  collect(nodes, out);
  return out;
}

std::string render(std::string_view lang, std::string_view tmpl, const std::vector<TrArg>& args,
                   const std::function<std::string(std::string_view)>& isolate) {
  Parser parser(tmpl, false);
  const Nodes nodes = parser.parse();
  std::string out;
  out.reserve(tmpl.size() + 32);
  Renderer(lang, args, isolate).render(nodes, nullptr, out);
  return out;
}

}  // namespace sakai::i18n_message
