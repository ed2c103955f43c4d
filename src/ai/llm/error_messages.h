#pragma once
// Which localised chat message explains an LlmError, with what placeholders. The texts live in
// locales/*.toml under [ai.error]; every key below exists in each catalog with the same
// placeholders. Pure; thread-safe.
//
//   ai.error.no_provider          (none)
//   ai.error.auth                 {provider} {key_setting}
//   ai.error.quota                {provider} {key_setting}
//   ai.error.rate_limited         {provider} {seconds}
//   ai.error.rate_limited_later   {provider}
//   ai.error.safety               {provider} {reason}
//   ai.error.recitation           {provider}
//   ai.error.model                {provider} {model_setting}
//   ai.error.bad_request          {provider} {detail}
//   ai.error.unavailable          {provider}
//   ai.error.timeout              {provider}
//   ai.error.interrupted          {provider}
//   ai.error.malformed            {provider}
//   ai.error.cancelled            (none)
#include <string>
#include <utility>
#include <vector>

#include "ai/llm/chat.h"
#include "core/i18n.h"

namespace sakai::ai {

struct LlmErrorMessage {
  std::string key;
  std::vector<std::pair<std::string, std::string>> args;  // placeholder name, value

  // For I18n::tr. The names point into `args`: use while this object is alive.
  [[nodiscard]] std::vector<TrArg> tr_args() const;
};

LlmErrorMessage llm_error_message(const LlmError& error);

}  // namespace sakai::ai
