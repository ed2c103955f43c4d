#pragma once
// Answering with a catalog key whose placeholders are only known at run time (Reply takes an
// initializer_list): argument errors of the text commands and LLM errors.
// Thread-safety: event loop thread only.
#include "ai/llm/chat.h"
#include "commands/reply.h"
#include "features/ai/text_args.h"
#include "telegram/formatted_text.h"

namespace sakai::features {

// usage(key, args) when error.usage, else error(key, args). At most three placeholders.
void reply_arg_error(commands::Reply& reply, const ArgError& error);
// The localised explanation of an LLM failure (ai.error.*).
void reply_llm_error(commands::Reply& reply, const ai::LlmError& error);
// `a` followed by `b`, with b's entities shifted.
telegram::FormattedText concat(telegram::FormattedText a, const telegram::FormattedText& b);

}  // namespace sakai::features
