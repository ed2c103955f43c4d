#include "commands/access_policy.h"

#include "core/text.h"

namespace sakai::commands {

Result<Verdict> AccessPolicy::decide(const Message& message, const CommandSpec& spec) {
  if (message.outgoing) return Verdict::kRun;
  if (message.chat_kind != ChatKind::kPrivate) return Verdict::kIgnore;
  auto grants = grants_.for_user(message.sender);
  if (!grants.is_ok()) return grants.status();
  const std::int64_t now = to_unix_ms(clock_.wall_now());
  const storage::Grant* specific = nullptr;
  const storage::Grant* wildcard = nullptr;
  bool any_valid = false;
  for (const auto& g : *grants) {
    if (g.expires_ms && *g.expires_ms <= now) continue;
    any_valid = true;
    if (g.command == spec.name) specific = &g;
    if (g.command == "*") wildcard = &g;
  }
  if (!any_valid) return Verdict::kIgnore;
  if (spec.access == Access::kOwner) return Verdict::kNotGranted;
  const storage::Grant* g = specific ? specific : wildcard;
  if (g == nullptr) return Verdict::kNotGranted;
  return g->mode == storage::GrantMode::kDirect ? Verdict::kRun : Verdict::kAwaitConfirm;
}

InputProblem check_input(std::string_view s, std::size_t max_chars) {
  if (!text::is_valid_utf8(s)) return InputProblem::kInvalidUtf8;
  if (text::find_control_char(s)) return InputProblem::kControlChar;
  if (text::codepoint_count(s) > max_chars) return InputProblem::kTooLong;
  return InputProblem::kNone;
}

}  // namespace sakai::commands
