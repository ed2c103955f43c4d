// /translate (/tr): several targets in one LLM call, structured JSON answer, a Persian phonetic
// line for every target that is not Persian.
#include <memory>

#include "ai/llm/provider.h"
#include "assistant/llm_call.h"
#include "assistant/usage_tracker.h"
#include "commands/services.h"
#include "core/prompt_templates.h"
#include "core/text.h"
#include "features/ai/reply_helpers.h"
#include "features/ai/text_args.h"
#include "features/ai/text_commands.h"
#include "telegram/format/markdown.h"

namespace sakai::features {

using assistant::UsageTracker;
using commands::Access;
using commands::CommandContext;
using commands::CommandSpec;
using commands::Registry;
using commands::Services;

namespace {

std::string name_for(std::string_view code_or_name, std::string_view ui_lang) {
  const LanguageInfo* l = find_language(code_or_name);
  return l ? language_display_name(*l, ui_lang) : std::string(code_or_name);
}

telegram::FormattedText render(const TranslateArgs& args, const TranslationAnswer& answer,
                               const CommandContext& ctx) {
  telegram::TextBuilder b;
  const std::string source = args.source ? std::string(args.source->code) : answer.source_language;
  if (!source.empty()) {
    b.add(ctx.tr("translate.from", {{"language", name_for(source, ctx.lang)}}),
          telegram::EntityType::kItalic)
        .add("\n\n");
  }
  bool first = true;
  for (std::size_t i = 0; i < answer.translations.size(); ++i) {
    const Translation& t = answer.translations[i];
    // Trust our own order when the model's language field is missing or odd.
    const LanguageInfo* lang = find_language(t.language);
    if (lang == nullptr && i < args.targets.size()) lang = args.targets[i];
    if (!first) b.add("\n\n");
    first = false;
    b.add(lang ? language_display_name(*lang, ctx.lang) : t.language, telegram::EntityType::kBold)
        .add("\n")
        .add(text::trim(t.text));
    const bool persian = lang != nullptr && lang->code == "fa";
    if (!persian && !text::trim(t.pronunciation).empty()) {
      b.add("\n").add("🗣 " + ctx.tr("translate.pronunciation") + " ");
      b.add(text::trim(t.pronunciation), telegram::EntityType::kItalic);
    }
  }
  return std::move(b).build();
}

void translate(CommandContext ctx) {
  auto parsed = parse_translate(ctx.line.raw);
  if (!parsed.ok()) {
    reply_arg_error(ctx.reply, parsed.error);
    return;
  }
  auto args = std::make_shared<TranslateArgs>(std::move(*parsed.value));
  if (args->text.empty()) {
    if (!ctx.replied) {
      ctx.reply.usage("translate.no_text");
      return;
    }
    if (text::trim(ctx.replied->text).empty()) {
      ctx.reply.error("translate.replied_no_text");
      return;
    }
    args->text = ctx.replied->text;
  }
  Services& s = ctx.services;
  if (!assistant::ai_configured(s)) {
    ctx.reply.error(ctx.by_owner ? "ai.error.no_provider" : "ai.error.no_provider_friend");
    return;
  }
  auto usage = std::make_shared<UsageTracker>(s);
  if (usage->refuse_if_over_budget(ctx)) return;

  std::string targets;
  for (const auto* t : args->targets) {
    if (!targets.empty()) targets += ", ";
    targets += std::string(t->code) + " (" + std::string(t->english) + ")";
  }
  const std::string source =
      args->source ? " (written in " + std::string(args->source->english) + ")" : "";
  ai::ChatRequest req;
  req.system_instruction = PromptTemplates::embedded().render(
      ctx.lang, "translate.system", {{"targets", targets}, {"source", source}});
  req.messages.push_back(ai::ChatMessage{ai::ChatRole::kUser, args->text});
  req.model = s.config.get_string("ai.model_translate");  // empty: the provider's default
  req.temperature = 0.2;
  s.transport.send_chat_action(ctx.message.chat, telegram::ChatAction::kTyping);
  const auto context = assistant::error_context(s, ctx.by_owner, assistant::is_long_request(req));
  auto waiting = std::make_shared<WaitingNotice>(s, ctx.message.chat, ctx.message.id, ctx.lang);
  auto shared_ctx = std::make_shared<CommandContext>(std::move(ctx));
  assistant::WaitOptions wait;
  wait.command = "translate";
  wait.on_waiting = [waiting](Clock::Duration waited) { waiting->update(waited); };
  assistant::LlmCall::start(
      s, std::move(req), nullptr,
      [shared_ctx, args, usage, context, waiting](ai::ChatOutcome outcome) {
        CommandContext& c = *shared_ctx;
        waiting->remove();
        if (!outcome.ok()) {
          reply_llm_error(c.reply, outcome.error(), context);
          return;
        }
        usage->record(c, "translate", outcome.result());
        const std::string& answer = outcome.result().text;
        if (auto structured = parse_translation_answer(answer)) {
          c.reply.ok(render(*args, *structured, c));
        } else {
          c.reply.ok(telegram::markdown_to_formatted(answer));  // plain-text fallback
        }
      },
      std::move(wait));
}

}  // namespace

Status register_translate(Registry& registry) {
  return registry.add(CommandSpec{"translate", {"tr"}, "ai", Access::kFriends, {}, translate});
}

}  // namespace sakai::features
