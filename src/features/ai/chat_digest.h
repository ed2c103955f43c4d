#pragma once
// ChatDigest: the machinery /analyze and /tellme share. It reads the last N messages of the chat
// (with a progress message edited as pages arrive, throttled), formats them compactly, and asks
// the LLM — in one call when the text fits the budget ([ai] context_budget_tokens, estimated as
// characters / 4), otherwise map-reduce: the text is cut into chunks on line boundaries, each
// chunk is condensed (at most two calls in flight), and the final call works from the notes
// (repeated when even the notes are too long). The answer, rendered from Markdown, replaces
// the progress message (split across messages when longer than Telegram allows).
// Thread-safety: event loop thread only.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "commands/command_spec.h"
#include "core/message.h"
#include "core/prompt_templates.h"

namespace sakai::features {

// --- Pure parts (benchmarked; no I/O) -----------------------------------------------------------

struct TranscriptOptions {
  std::string prefixes = "/";              // command prefixes: lines starting with one are skipped
  std::vector<MessageId> exclude;          // e.g. the command itself and its progress message
  int utc_offset_minutes = 0;              // for the [HH:MM] stamps
  std::size_t max_line_codepoints = 2000;  // a longer message is cut with "…"
};

// Compact lines, oldest first: "[HH:MM] Name: text" (newlines inside a message become " ⏎ ").
// `newest_first` is what Transport::get_history returns. Skips media without a caption, commands,
// and SakaiBot's own status lines (⏳ progress, ⚠️ errors).
std::vector<std::string> format_transcript(const std::vector<Message>& newest_first,
                                           const TranscriptOptions& options = {});

// Estimated tokens of `text`: code points / 4, rounded up.
std::size_t estimate_tokens(std::string_view text);

// Groups lines, in order, into chunks of at most `max_tokens` estimated tokens each (a single
// line that is longer is cut). Lines inside a chunk are joined with '\n'.
std::vector<std::string> chunk_lines(const std::vector<std::string>& lines, std::size_t max_tokens);

// Tokens of transcript one call may carry for a configured budget: the rest is kept for the
// instructions and the answer.
std::size_t transcript_budget_tokens(long long context_budget_tokens);

// --- The component ------------------------------------------------------------------------------

struct DigestJob {
  std::string command;         // "analyze", "tellme": for usage records and logs
  int count = 0;               // messages to read
  std::string final_key;       // prompts/<lang>.toml key of the final call ("analyze.fun", ...)
  std::string map_key;         // prompts/<lang>.toml key of the per-chunk call ("digest.map", ...)
  PromptTemplates::Args vars;  // extra placeholders ({question}); {language} is added
  // Catalog key of the bold first line of the answer, with {count} = the messages read (fewer
  // than asked when the chat has fewer); empty for none.
  std::string header_key;
};

// Runs `job` for the command in `ctx` and answers ctx.reply exactly once. Checks that a provider
// is configured and the budget before reading anything. SakaiBot's own messages (its answers to
// commands, its status lines) are not given to the model; the status says how many messages were
// found and left out, and the answer says how many were read when some were left out. Every LLM
// call (map steps included) is held to [ai] answer_deadline and recorded in usage.
// Owns itself until it finishes.
void run_chat_digest(commands::CommandContext ctx, DigestJob job);

}  // namespace sakai::features
