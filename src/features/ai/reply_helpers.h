#pragma once
// Answering with a catalog key whose placeholders are only known at run time (Reply takes an
// initializer_list): argument errors of the text commands and LLM errors; and the "still
// waiting" notice of an answer that has no status message of its own.
// Thread-safety: event loop thread only.
#include <memory>
#include <optional>
#include <string>

#include "ai/llm/chat.h"
#include "ai/llm/error_messages.h"
#include "commands/reply.h"
#include "core/clock.h"
#include "features/ai/text_args.h"
#include "telegram/formatted_text.h"

namespace sakai::features {

// usage(key, args) when error.usage, else error(key, args). At most three placeholders.
void reply_arg_error(commands::Reply& reply, const ArgError& error);
// The localised explanation of an LLM failure (ai.error.*), for the owner or a friend
// (assistant::error_context()).
void reply_llm_error(commands::Reply& reply, const ai::LlmError& error,
                     const ai::LlmErrorContext& context);
// "⏳ Still waiting for Gemini… 15 seconds" as a reply to `reply_to`, sent at the first update()
// and edited at the next ones; remove() deletes it (also when its send is still on the way).
// Shared ownership: hold it in the LLM callbacks.
class WaitingNotice : public std::enable_shared_from_this<WaitingNotice> {
 public:
  WaitingNotice(commands::Services& services, ChatId chat, MessageId reply_to, std::string lang)
      : services_(services), chat_(chat), reply_to_(reply_to), lang_(std::move(lang)) {}
  void update(Clock::Duration waited);
  void remove();

 private:
  commands::Services& services_;
  ChatId chat_;
  MessageId reply_to_;
  std::string lang_;
  bool sending_ = false;
  bool removed_ = false;
  std::optional<MessageId> message_;
};

// `a` followed by `b`, with b's entities shifted.
telegram::FormattedText concat(telegram::FormattedText a, const telegram::FormattedText& b);

}  // namespace sakai::features
