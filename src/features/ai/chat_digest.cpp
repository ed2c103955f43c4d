#include "features/ai/chat_digest.h"

#include <fmt/format.h>

#include <algorithm>
#include <memory>

#include "ai/llm/provider.h"
#include "assistant/conversation.h"
#include "assistant/llm_call.h"
#include "assistant/usage_tracker.h"
#include "commands/services.h"
#include "core/text.h"
#include "features/ai/reply_helpers.h"
#include "telegram/format/markdown.h"
#include "telegram/format/splitter.h"

namespace sakai::features {

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
    // Before reading anything: no provider, or no budget left, ends it here.
    if (!assistant::ai_configured(s_)) {
      ctx_.reply.error(ctx_.by_owner ? "ai.error.no_provider" : "ai.error.no_provider_friend");
      return;
    }
    if (usage_.refuse_if_over_budget(ctx_)) return;
    telegram::SendOptions opts;
    opts.reply_to = ctx_.message.id;
    auto self = shared_from_this();
    s_.transport.send_text(ctx_.message.chat, status_text("digest.reading", 0), opts,
                           [self](Result<MessageId> sent) { self->on_progress_sent(sent); });
  }

 private:
  std::string status_text(std::string_view key, int done, int total = 0) const {
    return "⏳ " + ctx_.tr(key, {{"done", std::to_string(done)},
                                {"total", std::to_string(total > 0 ? total : job_.count)}});
  }

  // The status while an LLM call is under way; "still waiting" lines are added below it.
  void set_phase_status(std::string text) {
    phase_status_ = text;
    set_status(std::move(text), true);
  }

  void on_waiting(Clock::Duration waited) {
    const auto now = s_.clock.now();
    const auto every = assistant::progress_interval(assistant::answer_deadline(s_));
    if (last_waiting_ && now - *last_waiting_ < every - std::chrono::milliseconds(500)) return;
    last_waiting_ = now;
    const auto secs = std::chrono::duration_cast<std::chrono::seconds>(waited).count();
    set_status(
        phase_status_ + "\n" +
            ctx_.tr("ai.stream.waiting", {{"provider", assistant::primary_provider_label(s_)},
                                          {"seconds", std::to_string(secs)}}),
        true);
  }

  // SakaiBot's own messages in `newest_first`: its answers (outgoing replies to a command, or
  // answers remembered in the conversation memory) and its status lines ("🤔 Thinking…").
  std::vector<MessageId> own_messages(const std::vector<Message>& newest_first,
                                      std::string_view prefixes) const {
    std::vector<MessageId> commands;
    for (const auto& m : newest_first) {
      if (is_command_text(text::trim(m.text), prefixes)) commands.push_back(m.id);
    }
    std::vector<MessageId> own;
    for (const auto& m : newest_first) {
      if (!m.outgoing) continue;
      const bool answers_command =
          m.reply_to && std::find(commands.begin(), commands.end(), *m.reply_to) != commands.end();
      const bool status = text::trim(m.text).starts_with("🤔");
      bool remembered = false;
      if (!answers_command && !status) {
        const auto found = assistant::memory::find(s_, m.chat, m.id);
        remembered = found && found->role == "assistant";
      }
      if (answers_command || status || remembered) own.push_back(m.id);
    }
    return own;
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
    opts.exclude = own_messages(messages, opts.prefixes);
    lines_ = format_transcript(messages, opts);
    found_ = static_cast<int>(messages.size());
    used_ = static_cast<int>(lines_.size());
    if (lines_.empty()) {
      if (found_ == 0) {
        fail("digest.no_messages", {});
      } else {
        fail("digest.nothing_to_read", {{"found", std::to_string(found_)}});
      }
      return;
    }
    // Say why fewer messages are analysed than were asked for.
    std::string status = status_text("digest.thinking", used_, used_);
    if (found_ < job_.count) {
      status += "\n" + ctx_.tr("digest.found_fewer", {{"found", std::to_string(found_)}});
    }
    if (used_ < found_) {
      status += "\n" + ctx_.tr("digest.skipped", {{"skipped", std::to_string(found_ - used_)}});
    }
    set_phase_status(std::move(status));
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
    set_phase_status(status_text("digest.summarising", 0, static_cast<int>(st->chunks.size())));
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
      const bool long_request = assistant::is_long_request(req);
      call(std::move(req), [self, st, idx, long_request](ai::ChatOutcome outcome) {
        --st->in_flight;
        if (self->failed_) return;
        if (!outcome.ok()) {
          self->fail_llm(outcome.error(), long_request);
          return;
        }
        st->notes[idx] = std::move(outcome.result().text);
        ++st->done;
        self->phase_status_ = self->status_text("digest.summarising", static_cast<int>(st->done),
                                                static_cast<int>(st->chunks.size()));
        self->set_status(self->phase_status_, false);
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
    const bool long_request = assistant::is_long_request(req);
    call(std::move(req), [self, long_request](ai::ChatOutcome outcome) {
      if (!outcome.ok()) {
        self->fail_llm(outcome.error(), long_request);
        return;
      }
      self->finish(outcome.result().text);
    });
  }

  void call(ai::ChatRequest req, std::function<void(ai::ChatOutcome)> done) {
    // [ai] model_analyze / model_tellme; empty: the provider's default.
    req.model = s_.config.get_string("ai.model_" + job_.command);
    auto self = shared_from_this();
    assistant::WaitOptions wait;
    wait.command = job_.command;
    wait.on_waiting = [self](Clock::Duration waited) {
      if (!self->failed_) self->on_waiting(waited);
    };
    assistant::LlmCall::start(
        s_, std::move(req), nullptr,
        [self, done = std::move(done)](ai::ChatOutcome outcome) {
          // Every call is counted, map steps included.
          if (outcome.ok()) self->usage_.record(self->ctx_, self->job_.command, outcome.result());
          done(std::move(outcome));
        },
        std::move(wait));
  }

  void finish(const std::string& markdown) {
    // The title, then (when messages were left out) a line that says how many were read, then
    // the answer: each on its own paragraph.
    telegram::TextBuilder head;
    const std::string header =
        job_.header_key.empty()
            ? std::string()
            : ctx_.tr(job_.header_key, {{"count", std::to_string(std::min(found_, job_.count))}});
    if (!header.empty()) head.add(header, telegram::EntityType::kBold);
    if (used_ < found_) {
      if (!head.empty()) head.add("\n");
      head.add(ctx_.tr("digest.read_note", {{"used", std::to_string(used_)}}),
               telegram::EntityType::kItalic);
    }
    telegram::FormattedText top = std::move(head).build();
    if (!top.text.empty()) top.text += "\n\n";
    auto full = concat(std::move(top), telegram::markdown_to_formatted(markdown));
    auto parts = telegram::split_formatted(full, s_.transport.message_text_limit());
    if (parts.empty()) parts.push_back(std::move(full));
    auto self = shared_from_this();
    auto rest =
        std::make_shared<std::vector<telegram::FormattedText>>(parts.begin() + 1, parts.end());
    auto send_rest = [self, rest] {
      telegram::SendOptions opts;
      opts.reply_to = self->ctx_.message.id;
      for (auto& p : *rest)
        self->s_.transport.send_text(self->ctx_.message.chat, std::move(p), opts,
                                     [](Result<MessageId>) {});
    };
    if (!progress_) {
      ctx_.reply.ok(std::move(parts[0]));
      send_rest();
      return;
    }
    auto first = std::make_shared<telegram::FormattedText>(parts[0]);
    s_.transport.edit_text(ctx_.message.chat, *progress_, std::move(parts[0]),
                           [self, first, send_rest](const Status& st) {
                             if (st.is_ok()) {
                               self->ctx_.reply.done_silently();
                             } else {
                               self->ctx_.reply.ok(std::move(*first));
                             }
                             send_rest();
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

  // LlmCall has logged it.
  void fail_llm(const ai::LlmError& error, bool long_request) {
    if (failed_) return;
    failed_ = true;
    drop_progress();
    reply_llm_error(ctx_.reply, error, assistant::error_context(s_, ctx_.by_owner, long_request));
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
  int found_ = 0;  // messages read (without the command and the progress message)
  int used_ = 0;   // of them, lines given to the model
  std::string phase_status_;
  std::optional<Clock::TimePoint> last_waiting_;
  bool failed_ = false;
};

}  // namespace

void run_chat_digest(CommandContext ctx, DigestJob job) {
  std::make_shared<Digest>(std::move(ctx), std::move(job))->start();
}

}  // namespace sakai::features
