#include "features/ai/chat_digest.h"

#include <fmt/format.h>

#include <algorithm>
#include <memory>

#include "ai/llm/provider.h"
#include "assistant/usage_tracker.h"
#include "commands/services.h"
#include "core/text.h"
#include "features/ai/reply_helpers.h"
#include "telegram/format/markdown.h"

namespace sakai::features {

using assistant::group_thousands;
using assistant::UsageTracker;
using commands::CommandContext;
using commands::Services;

namespace {

constexpr std::size_t kMaxInFlight = 2;
constexpr int kMaxDepth = 3;
constexpr auto kProgressInterval = std::chrono::milliseconds(1500);
constexpr std::string_view kNothingRelevant = "NOTHING RELEVANT";

bool starts_with_status_marker(std::string_view t) {
  return t.starts_with("⏳") || t.starts_with("⚠️") || t.starts_with("⚠");
}

bool is_command_text(std::string_view t, std::string_view prefixes) {
  if (t.size() < 2 || prefixes.find(t[0]) == std::string_view::npos) return false;
  const char c = t[1];
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

void append_hhmm(std::string& out, std::int64_t date_unix, int offset_minutes) {
  std::int64_t minutes = (date_unix / 60 + offset_minutes) % (24 * 60);
  if (minutes < 0) minutes += 24 * 60;
  const auto h = static_cast<int>(minutes / 60), m = static_cast<int>(minutes % 60);
  out += '[';
  out += static_cast<char>('0' + h / 10);
  out += static_cast<char>('0' + h % 10);
  out += ':';
  out += static_cast<char>('0' + m / 10);
  out += static_cast<char>('0' + m % 10);
  out += "] ";
}

}  // namespace

std::vector<std::string> format_transcript(const std::vector<Message>& newest_first,
                                           const TranscriptOptions& options) {
  std::vector<std::string> lines;
  lines.reserve(newest_first.size());
  for (auto it = newest_first.rbegin(); it != newest_first.rend(); ++it) {
    const Message& m = *it;
    const std::string_view body = text::trim(m.text);
    if (body.empty()) continue;  // media without a caption
    if (is_command_text(body, options.prefixes) || starts_with_status_marker(body)) continue;
    if (std::find(options.exclude.begin(), options.exclude.end(), m.id) != options.exclude.end()) {
      continue;
    }
    std::string line;
    line.reserve(body.size() + m.sender_name.size() + 12);
    append_hhmm(line, m.date_unix, options.utc_offset_minutes);
    if (m.sender_name.empty()) {
      line += "User " + m.sender.str();
    } else {
      line += m.sender_name;
    }
    line += ": ";
    const std::size_t start = line.size();
    for (const char c : body) {
      if (c == '\n') {
        line += " ⏎ ";
      } else if (c != '\r') {
        line += c;
      }
    }
    if (line.size() - start > options.max_line_codepoints &&
        text::codepoint_count(std::string_view(line).substr(start)) > options.max_line_codepoints) {
      line = line.substr(0, start) +
             text::truncate(std::string_view(line).substr(start), options.max_line_codepoints);
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

std::size_t estimate_tokens(std::string_view s) {
  return (text::codepoint_count(s) + 3) / 4;
}

std::vector<std::string> chunk_lines(const std::vector<std::string>& lines,
                                     std::size_t max_tokens) {
  std::vector<std::string> chunks;
  if (max_tokens == 0) max_tokens = 1;
  std::string cur;
  std::size_t cur_tokens = 0;
  for (const auto& line : lines) {
    std::size_t t = estimate_tokens(line) + 1;  // + the line break
    std::string piece;
    const std::string* use = &line;
    if (t > max_tokens) {
      piece = text::truncate(line, max_tokens * 4 > 8 ? max_tokens * 4 - 8 : 1);
      use = &piece;
      t = estimate_tokens(piece) + 1;
    }
    if (!cur.empty() && cur_tokens + t > max_tokens) {
      chunks.push_back(std::move(cur));
      cur.clear();
      cur_tokens = 0;
    }
    if (!cur.empty()) cur += '\n';
    cur += *use;
    cur_tokens += t;
  }
  if (!cur.empty()) chunks.push_back(std::move(cur));
  return chunks;
}

std::size_t transcript_budget_tokens(long long context_budget_tokens) {
  const auto b = static_cast<std::size_t>(std::max<long long>(context_budget_tokens, 100));
  return b - std::min<std::size_t>(b / 4, 8000);
}

namespace {

class Digest : public std::enable_shared_from_this<Digest> {
 public:
  Digest(CommandContext ctx, DigestJob job)
      : ctx_(std::move(ctx)), job_(std::move(job)), s_(ctx_.services), usage_(s_) {
    job_.vars.emplace_back("language", s_.i18n.language_name(ctx_.lang));
    budget_ = transcript_budget_tokens(s_.config.get_int("ai.context_budget_tokens"));
  }

  void start() {
    if (s_.llm == nullptr) {
      ctx_.reply.error("ai.error.no_provider");
      return;
    }
    if (usage_.refuse_if_over_budget(ctx_)) return;
    telegram::SendOptions opts;
    opts.reply_to = ctx_.message.id;
    auto self = shared_from_this();
    s_.transport.send_text(
        ctx_.message.chat, status_text("digest.reading", 0), opts,
        [self](Result<telegram::SentParts> sent) {
          self->on_progress_sent(sent.is_ok() ? Result<MessageId>(sent->first()) : sent.status());
        });
  }

 private:
  std::string status_text(std::string_view key, int done, int total = 0) const {
    return "⏳ " + ctx_.tr(key, {{"done", group_thousands(done)},
                                {"total", group_thousands(total > 0 ? total : job_.count)}});
  }

  void set_status(std::string text, bool force) {
    if (!progress_) return;
    const auto now = s_.clock.now();
    if (!force && last_edit_ && now - *last_edit_ < kProgressInterval) return;
    if (text == last_status_) return;
    last_edit_ = now;
    last_status_ = text;
    s_.transport.edit_text(ctx_.message.chat, *progress_, telegram::FormattedText(std::move(text)),
                           [](Status) {});
  }

  void on_progress_sent(const Result<MessageId>& sent) {
    if (sent.is_ok()) progress_ = *sent;
    auto self = shared_from_this();
    s_.transport.get_history(
        ctx_.message.chat, job_.count + 2,
        [self](int fetched) {
          self->set_status(self->status_text("digest.reading", std::min(fetched, self->job_.count)),
                           false);
        },
        [self](Result<std::vector<Message>> history) { self->on_history(std::move(history)); });
  }

  void on_history(Result<std::vector<Message>> history) {
    if (!history.is_ok()) {
      fail("digest.history_failed", {{"error", history.status().message()}});
      return;
    }
    std::vector<Message> messages;
    messages.reserve(history->size());
    for (auto& m : *history) {
      if (m.id == ctx_.message.id || (progress_ && m.id == *progress_)) continue;
      if (static_cast<int>(messages.size()) >= job_.count) break;
      messages.push_back(std::move(m));
    }
    TranscriptOptions opts;
    for (const auto& p : s_.config.get_list("bot.command_prefixes"))
      opts.prefixes += p;
    lines_ = format_transcript(messages, opts);
    if (lines_.empty()) {
      fail("digest.no_messages", {});
      return;
    }
    set_status(status_text("digest.thinking", static_cast<int>(lines_.size()),
                           static_cast<int>(lines_.size())),
               true);
    reduce(std::move(lines_), 0, false);
  }

  // Works on `items` (transcript lines, or notes from the previous level).
  void reduce(std::vector<std::string> items, int depth, bool notes) {
    std::string body;
    if (notes) {
      body = PromptTemplates::embedded().render(ctx_.lang, "digest.summaries_header",
                                                {{"parts", std::to_string(items.size())}});
      for (std::size_t i = 0; i < items.size(); ++i)
        body += fmt::format("\n\n### {}/{}\n{}", i + 1, items.size(), items[i]);
    } else {
      for (const auto& l : items) {
        if (!body.empty()) body += '\n';
        body += l;
      }
    }
    if (estimate_tokens(body) <= budget_ || depth >= kMaxDepth) {
      final_call(std::move(body));
      return;
    }
    auto chunks = chunk_lines(items, budget_);
    if (chunks.size() <= 1) {
      final_call(text::truncate(body, budget_ * 4));
      return;
    }
    map(std::move(chunks), depth);
  }

  struct MapState {
    std::vector<std::string> chunks;
    std::vector<std::string> notes;
    std::size_t next = 0;
    std::size_t in_flight = 0;
    std::size_t done = 0;
    int depth = 0;
  };

  void map(std::vector<std::string> chunks, int depth) {
    auto st = std::make_shared<MapState>();
    st->notes.resize(chunks.size());
    st->chunks = std::move(chunks);
    st->depth = depth;
    set_status(status_text("digest.summarising", 0, static_cast<int>(st->chunks.size())), true);
    pump(st);
  }

  void pump(const std::shared_ptr<MapState>& st) {
    while (!failed_ && st->in_flight < kMaxInFlight && st->next < st->chunks.size()) {
      const std::size_t idx = st->next++;
      ++st->in_flight;
      PromptTemplates::Args vars = job_.vars;
      vars.emplace_back("part", std::to_string(idx + 1));
      vars.emplace_back("parts", std::to_string(st->chunks.size()));
      ai::ChatRequest req;
      req.system_instruction = PromptTemplates::embedded().render(ctx_.lang, job_.map_key, vars);
      req.messages.push_back(ai::ChatMessage{ai::ChatRole::kUser, std::move(st->chunks[idx])});
      auto self = shared_from_this();
      call(std::move(req), [self, st, idx](ai::ChatOutcome outcome) {
        --st->in_flight;
        if (self->failed_) return;
        if (!outcome.ok()) {
          self->fail_llm(outcome.error());
          return;
        }
        st->notes[idx] = std::move(outcome.result().text);
        ++st->done;
        self->set_status(self->status_text("digest.summarising", static_cast<int>(st->done),
                                           static_cast<int>(st->chunks.size())),
                         false);
        if (st->done == st->chunks.size()) {
          std::vector<std::string> notes;
          for (auto& n : st->notes) {
            if (text::trim(n) != kNothingRelevant) notes.push_back(std::move(n));
          }
          self->reduce(std::move(notes), st->depth + 1, true);
        } else {
          self->pump(st);
        }
      });
    }
  }

  void final_call(std::string body) {
    ai::ChatRequest req;
    req.system_instruction =
        PromptTemplates::embedded().render(ctx_.lang, job_.final_key, job_.vars);
    req.messages.push_back(ai::ChatMessage{ai::ChatRole::kUser, std::move(body)});
    auto self = shared_from_this();
    call(std::move(req), [self](ai::ChatOutcome outcome) {
      if (!outcome.ok()) {
        self->fail_llm(outcome.error());
        return;
      }
      self->finish(outcome.result().text);
    });
  }

  void call(ai::ChatRequest req, std::function<void(ai::ChatOutcome)> done) {
    // [ai] model_analyze / model_tellme; empty: the provider's default.
    req.model = s_.config.get_string("ai.model_" + job_.command);
    auto self = shared_from_this();
    s_.llm->chat(std::move(req), nullptr, [self, done = std::move(done)](ai::ChatOutcome outcome) {
      if (outcome.ok()) self->usage_.record(self->ctx_, self->job_.command, outcome.result());
      done(std::move(outcome));
    });
  }

  void finish(const std::string& markdown) {
    telegram::TextBuilder head;
    if (!job_.header.empty()) head.add(job_.header, telegram::EntityType::kBold).add("\n\n");
    auto full = concat(std::move(head).build(), telegram::markdown_to_formatted(markdown));
    const bool fits =
        static_cast<int>(text::utf16_length(full.text)) <= s_.transport.message_text_limit();
    if (!progress_ || !fits) {
      // A digest too long for the progress message goes out as new messages, which the
      // transport splits (Transport::send_text); the progress message makes way for them.
      if (progress_) s_.transport.delete_messages(ctx_.message.chat, {*progress_}, [](Status) {});
      ctx_.reply.ok(std::move(full));
      return;
    }
    auto self = shared_from_this();
    auto copy = std::make_shared<telegram::FormattedText>(full);
    s_.transport.edit_text(ctx_.message.chat, *progress_, std::move(full),
                           [self, copy](const Status& st) {
                             if (st.is_ok()) {
                               self->ctx_.reply.done_silently();
                             } else {
                               self->ctx_.reply.ok(std::move(*copy));
                             }
                           });
  }

  void drop_progress() {
    if (progress_) s_.transport.delete_messages(ctx_.message.chat, {*progress_}, [](Status) {});
    progress_.reset();
  }

  void fail(const std::string& key, std::vector<std::pair<std::string, std::string>> args) {
    failed_ = true;
    drop_progress();
    reply_arg_error(ctx_.reply, ArgError{key, std::move(args), false});
  }

  void fail_llm(const ai::LlmError& error) {
    failed_ = true;
    drop_progress();
    s_.log.warn("commands", "LLM call failed",
                {{"command", job_.command}, {"error", error.describe()}});
    reply_llm_error(ctx_.reply, error);
  }

  CommandContext ctx_;
  DigestJob job_;
  Services& s_;
  UsageTracker usage_;
  std::size_t budget_ = 0;
  std::optional<MessageId> progress_;
  std::optional<Clock::TimePoint> last_edit_;
  std::string last_status_;
  std::vector<std::string> lines_;
  bool failed_ = false;
};

}  // namespace

void run_chat_digest(CommandContext ctx, DigestJob job) {
  std::make_shared<Digest>(std::move(ctx), std::move(job))->start();
}

}  // namespace sakai::features
