#pragma once
// Which localised chat message explains an LlmError, with what placeholders. The texts live in
// locales/*.toml under [ai.error]; every key below exists in each catalog with the same
// placeholders. Pure; thread-safe.
//
// The owner is told what to change in the configuration; a friend (LlmErrorContext::for_owner
// false) gets the *_friend variant, which says what happened without configuration hints.
//
//   ai.error.no_provider          (none)                    / no_provider_friend (none)
//   ai.error.auth                 {provider} {key_setting}  / auth_friend {provider}
//   ai.error.quota                {provider} {key_setting}  / quota_friend {provider}
//   ai.error.rate_limited         {provider} {seconds}
//   ai.error.rate_limited_later   {provider}
//   ai.error.safety               {provider} {reason}
//   ai.error.recitation           {provider}
//   ai.error.model                {provider} {model_setting} / model_friend {provider}
//   ai.error.bad_request          {provider} {detail}
//   ai.error.unreachable          {provider} {host} {url_setting} / unreachable_friend {provider}
//   ai.error.unreachable_server   {host} {url_setting}  (the same, for a server named by its host)
//                                 (connection refused, unknown host, TLS failure)
//   ai.error.server_error         {provider} {status}       (HTTP 5xx other than 503)
//   ai.error.unavailable          {provider}                (503 / overloaded / paused)
//   ai.error.connection_lost      {provider}                (closed before any answer)
//   ai.error.timeout              {provider}                / timeout_long {provider}
//   ai.error.deadline             {provider} {seconds}      / deadline_long {provider} {seconds}
//   ai.error.interrupted          {provider}                (any failure after part of the
//                                                            answer was shown)
//   ai.error.malformed            {provider}                / malformed_friend {provider}
//   ai.error.cancelled            (none)
#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ai/llm/chat.h"
#include "core/i18n.h"

namespace sakai::ai {

// provider_code of the error an answer ends with when its overall deadline passed (the call was
// cancelled by SakaiBot, not by the user): see assistant/llm_call.h.
inline constexpr std::string_view kDeadlineCode = "sakaibot:deadline";

// Who reads the message, and facts the error itself does not carry.
struct LlmErrorContext {
  // False: a friend reads it; no configuration hints.
  bool for_owner = true;
  // How messages name a provider ("Gemini", "Ollama", "127.0.0.1:11434"); null:
  // provider_display_name().
  std::function<std::string(std::string_view provider)> label;
  // Where the provider is reached (host[:port]), for ai.error.unreachable; null or "": its label.
  std::function<std::string(std::string_view provider)> host;
  // The request was long: a timeout then suggests asking for something shorter.
  bool long_request = false;
  // The answer's overall deadline, named by ai.error.deadline.
  std::chrono::seconds deadline{0};
};

struct LlmErrorMessage {
  std::string key;
  std::vector<std::pair<std::string, std::string>> args;  // placeholder name, value

  // For I18n::tr. The names point into `args`: use while this object is alive.
  [[nodiscard]] std::vector<TrArg> tr_args() const;
};

LlmErrorMessage llm_error_message(const LlmError& error, const LlmErrorContext& context = {});

}  // namespace sakai::ai
