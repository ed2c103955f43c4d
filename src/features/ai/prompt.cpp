// /prompt=<text> (alias /ask) — ask the LLM, streamed, with per-chat memory, model and persona.
#include "ai/llm/provider.h"
#include "assistant/conversation.h"
#include "assistant/live_answers.h"
#include "assistant/llm_call.h"
#include "assistant/streaming_answer.h"
#include "assistant/usage_tracker.h"
#include "commands/services.h"
#include "core/prompt_templates.h"
#include "core/text.h"
#include "features/ai/ai_commands.h"

namespace sakai::features {

using assistant::LiveAnswers;
using assistant::StreamingAnswer;
using assistant::UsageTracker;
using commands::Access;
using commands::CommandContext;
using commands::CommandForm;
using commands::CommandLine;
using commands::CommandSpec;
using commands::Outcome;
using commands::Registry;
using commands::ReplyContinuation;
using commands::Services;

namespace {

bool is_flag(std::string_view s, std::string_view flag) {
  return text::ascii_lower(text::trim(s)) == flag;
}

std::string sources_block(const std::string& heading, const std::vector<ai::Source>& sources) {
  if (sources.empty()) return {};
  std::string out = "\n\n**" + heading + "**\n";
  int n = 0;
  for (const auto& s : sources) {
    std::string title = s.title.empty() ? s.url : s.title;
    for (char& c : title) {
      if (c == '[' || c == ']') c = ' ';
    }
    out += std::to_string(++n) + ". [" + title + "](" + s.url + ")\n";
  }
  return out;
}

std::string system_instruction(Services& s, ChatId chat, const std::string& lang) {
  const auto& prompts = PromptTemplates::embedded();
  if (auto persona = assistant::memory::chat_setting(s, chat, "persona")) {
    return prompts.render(lang, "prompt.persona", {{"persona", *persona}});
  }
  return prompts.render(lang, "prompt.system");
}

std::string model_for(Services& s, ChatId chat) {
  if (auto m = assistant::memory::chat_setting(s, chat, "model")) return *m;
  return s.config.get_string("ai.model_prompt");
}

void prompt(CommandContext ctx) {
  Services& s = ctx.services;
  if (!assistant::ai_configured(s)) {
    ctx.reply.error(ctx.by_owner ? "ai.error.no_provider" : "ai.error.no_provider_friend");
    return;
  }
  const UsageTracker usage(s);
  if (usage.refuse_if_over_budget(ctx)) return;
  PromptInput in = parse_prompt(ctx.line);
  const ChatId chat = ctx.message.chat;
  std::optional<std::int64_t> thread;
  std::string context;
  if (ctx.replied) {
    if (auto found = assistant::memory::find(s, chat, ctx.replied->id)) {
      thread = found->thread;
    } else {
      context = std::string(text::trim(text_with_links(ctx.replied->text, ctx.replied->entities)));
    }
  }
  if (in.text.empty()) {
    if (context.empty()) {
      ctx.reply.usage();
      return;
    }
    in.text = std::move(context);  // "/prompt" in reply to a question: answer it
    context.clear();
  }
  ai::ChatRequest req;
  req.model = model_for(s, chat);
  req.system_instruction = system_instruction(s, chat, ctx.lang);
  req.think = in.think;
  req.web = in.web;
  if (thread) req.messages = assistant::memory::history(s, chat, *thread);
  const std::string question = context.empty() ? in.text
                                               : PromptTemplates::embedded().render(
                                                     ctx.lang, "prompt.with_context",
                                                     {{"context", context}, {"question", in.text}});
  req.messages.push_back(ai::ChatMessage{ai::ChatRole::kUser, question});

  assistant::memory::Exchange x;
  x.chat = chat;
  x.thread = thread.value_or(ctx.message.id.value());
  x.question_message = ctx.message.id;
  x.question = question;
  auto exchange = std::make_shared<assistant::memory::Exchange>(std::move(x));
  Services* sp = &s;
  auto options = StreamingAnswer::options_from(s);
  options.for_owner = ctx.by_owner;
  options.command = "prompt";
  const UserId user = ctx.message.sender;
  // =web with a provider that cannot search: answered anyway, with a line that says so.
  std::string no_web;
  if (in.web && !s.llm->caps().web_search) {
    no_web = "\n\n_" +
             ctx.tr("ai.stream.no_web", {{"provider", assistant::primary_provider_label(s)}}) + "_";
  }
  const std::string heading = ctx.tr("ai.stream.sources");
  auto answer = StreamingAnswer::start(s, std::move(ctx.reply), options,
                                       [sp, exchange](const std::vector<MessageId>& ids, bool ok) {
                                         if (!ok || ids.empty()) return;
                                         exchange->answer_messages = ids;
                                         assistant::memory::remember(*sp, *exchange);
                                       });
  answer->ask(std::move(req), user, [sp, user, chat, exchange, no_web, heading](ai::ChatResult& r) {
    UsageTracker(*sp).record(user, chat, "prompt", r);
    exchange->answer = r.text;
    exchange->answer_tokens = r.usage.output_tokens;
    return r.text + sources_block(heading, r.sources) +
           (r.sources.empty() ? no_web : std::string());
  });
}

// /stop: as a reply to an answer being written (or to the command that asked for it), or alone
// for the newest answer the sender asked for in this chat. Friends stop only their own.
void stop(CommandContext ctx) {
  Services& s = ctx.services;
  std::optional<LiveAnswers::Found> found;
  if (s.answers != nullptr) {
    const auto target = ctx.replied ? std::optional(ctx.replied->id) : std::nullopt;
    found = s.answers->find(ctx.message.chat, target, ctx.message.sender);
  }
  const bool allowed = found && (ctx.by_owner || found->asker == ctx.message.sender);
  if (!allowed || !found->answer->stop()) {
    ctx.reply.error("stop.none");
    return;
  }
  // The answer itself now says "Stopped."; the /stop message has done its job.
  if (ctx.by_owner) s.transport.delete_messages(ctx.message.chat, {ctx.message.id}, [](Status) {});
  ctx.reply.delivered(Outcome::kOk);
}

bool continues_answer(Services& s, const Message& m) {
  if (!m.reply_to || s.config.get_int("ai.memory_messages") <= 0) return false;
  auto found = assistant::memory::find(s, m.chat, *m.reply_to);
  return found && found->role == "assistant";
}

}  // namespace

PromptInput parse_prompt(const CommandLine& line) {
  PromptInput in;
  if (line.form != CommandForm::kEquals) {
    in.text = std::string(text::trim(line.text));
    return in;
  }
  std::string kept;
  bool first = true;
  for (const auto& seg : text::split(line.raw, '=')) {
    if (is_flag(seg, "think")) {
      in.think = true;
      continue;
    }
    if (is_flag(seg, "web")) {
      in.web = true;
      continue;
    }
    if (!first) kept += '=';
    kept += seg;
    first = false;
  }
  in.text = std::string(text::trim(kept));
  return in;
}

Status register_prompt_commands(Registry& registry) {
  SAKAI_TRY(registry.add(CommandSpec{"prompt", {"ask"}, "ai", Access::kFriends, {}, prompt}));
  SAKAI_TRY(registry.add(CommandSpec{"stop", {}, "ai", Access::kFriends, {}, stop}));
  registry.add_reply_continuation(ReplyContinuation{"prompt", continues_answer});
  return register_chat_ai_settings(registry);
}

}  // namespace sakai::features
