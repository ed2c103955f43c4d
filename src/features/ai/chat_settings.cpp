// /model, /persona, /clearcontext, /summary — the per-chat side of the AI conversation.
#include "ai/llm/provider.h"
#include "assistant/conversation.h"
#include "assistant/llm_call.h"
#include "assistant/streaming_answer.h"
#include "assistant/usage_tracker.h"
#include "commands/services.h"
#include "core/prompt_templates.h"
#include "core/text.h"
#include "features/ai/ai_commands.h"

namespace sakai::features {

using assistant::StreamingAnswer;
using commands::Access;
using commands::CommandContext;
using commands::CommandSpec;
using commands::Registry;
using commands::Services;

namespace {

constexpr std::size_t kMaxPersonaChars = 2000;

bool is_reset(std::string_view s) {
  const std::string w = text::ascii_lower(text::trim(s));
  return w == "reset" || w == "default" || w == "clear";
}

// The argument however it was typed: "/model=x", "/model x".
std::string argument(const CommandContext& ctx) {
  return std::string(text::trim(ctx.line.raw));
}

bool store_setting(CommandContext& ctx, std::string_view name, std::optional<std::string> value) {
  auto& settings = ctx.services.store.settings();
  const std::string key = assistant::memory::chat_setting_key(ctx.message.chat, name);
  const Status st = value ? settings.set(key, *value) : settings.remove(key);
  if (!st.is_ok()) {
    ctx.services.log.error("ai", "could not save a chat setting",
                           {{"key", key}, {"error", st.to_string()}});
    ctx.reply.error("error.storage");
    return false;
  }
  return true;
}

std::string default_model(const Services& s) {
  const std::string configured = s.config.get_string("ai.model_prompt");
  if (!configured.empty() || s.llm == nullptr) return configured;
  return s.llm->default_model();
}

bool primary_is_gemini(const Services& s) {
  return s.llm != nullptr && s.llm->primary_name() == "gemini";
}

// A model name that works with the provider that answers: for Gemini another Gemini model, for
// the others their configured default (a name that server knows).
std::string example_model(const Services& s) {
  const std::string current = default_model(s);
  if (primary_is_gemini(s) || current.empty()) {
    return current == "gemini-2.5-pro" ? "gemini-2.5-flash" : "gemini-2.5-pro";
  }
  return current;
}

void model(CommandContext ctx) {
  Services& s = ctx.services;
  const std::string arg = argument(ctx);
  const bool configured = assistant::ai_configured(s);
  const std::string provider = assistant::primary_provider_label(s);
  if (arg.empty()) {
    const auto current = assistant::memory::chat_setting(s, ctx.message.chat, "model");
    std::string msg;
    if (current) {
      msg = ctx.tr("model.current", {{"model", *current}});
    } else if (configured && !default_model(s).empty()) {
      msg = ctx.tr("model.default", {{"provider", provider}, {"model", default_model(s)}});
    }
    if (!configured) {
      if (!msg.empty()) msg += "\n";
      msg += ctx.tr("model.no_provider");
    } else if (primary_is_gemini(s)) {
      msg += "\n" + ctx.tr("model.hint",
                           {{"example", "/model " + example_model(s)}, {"reset", "/model reset"}});
    } else {
      msg += "\n" + ctx.tr("model.hint_other", {{"provider", provider}, {"reset", "/model reset"}});
    }
    ctx.reply.ok(telegram::FormattedText(std::move(msg)));
    return;
  }
  if (is_reset(arg)) {
    if (!store_setting(ctx, "model", std::nullopt)) return;
    if (!configured || default_model(s).empty()) {
      ctx.reply.ok(telegram::FormattedText(ctx.tr("model.reset_none")));
      return;
    }
    ctx.reply.ok(telegram::FormattedText(ctx.tr("model.reset", {{"model", default_model(s)}})));
    return;
  }
  if (arg.find_first_of(" \t\n") != std::string::npos || arg.size() > 200) {
    ctx.reply.usage("model.invalid", {{"model", arg}, {"example", example_model(s)}});
    return;
  }
  if (!store_setting(ctx, "model", arg)) return;
  ctx.reply.ok(telegram::FormattedText(ctx.tr("model.set", {{"model", arg}})));
}

void persona(CommandContext ctx) {
  Services& s = ctx.services;
  const std::string arg = argument(ctx);
  if (arg.empty()) {
    const auto current = assistant::memory::chat_setting(s, ctx.message.chat, "persona");
    ctx.reply.ok(telegram::FormattedText(
        current ? ctx.tr("persona.current", {{"persona", *current}})
                : ctx.tr("persona.none", {{"example", "/persona a patient math teacher"}})));
    return;
  }
  if (is_reset(arg)) {
    if (!store_setting(ctx, "persona", std::nullopt)) return;
    ctx.reply.ok(telegram::FormattedText(ctx.tr("persona.reset")));
    return;
  }
  if (text::codepoint_count(arg) > kMaxPersonaChars) {
    ctx.reply.usage("persona.too_long", {{"max", std::to_string(kMaxPersonaChars)}});
    return;
  }
  if (!store_setting(ctx, "persona", arg)) return;
  ctx.reply.ok(telegram::FormattedText(ctx.tr("persona.set")));
}

void clearcontext(CommandContext ctx) {
  auto cleared = ctx.services.store.conversations().clear(ctx.message.chat);
  if (!cleared.is_ok()) {
    ctx.services.log.error("ai", "could not clear the conversation",
                           {{"error", cleared.status().to_string()}});
    ctx.reply.error("error.storage");
    return;
  }
  (void)ctx.services.store.settings().remove(
      assistant::memory::chat_setting_key(ctx.message.chat, "last_thread"));
  ctx.reply.ok(
      telegram::FormattedText(ctx.tr("memory.cleared", {{"count", std::to_string(*cleared)}})));
}

void summary(CommandContext ctx) {
  Services& s = ctx.services;
  if (!assistant::ai_configured(s)) {
    ctx.reply.error(ctx.by_owner ? "ai.error.no_provider" : "ai.error.no_provider_friend");
    return;
  }
  const ChatId chat = ctx.message.chat;
  std::optional<std::int64_t> thread;
  if (ctx.replied) {
    if (auto found = assistant::memory::find(s, chat, ctx.replied->id)) thread = found->thread;
  }
  if (!thread) {
    if (auto last = assistant::memory::chat_setting(s, chat, "last_thread"))
      thread = text::parse_int(*last);
  }
  std::vector<storage::HistoryEntry> entries;
  if (thread) {
    auto recent = s.store.conversations().recent(chat, *thread, 1000);
    if (recent.is_ok()) entries = std::move(recent).value();
  }
  if (entries.empty()) {
    ctx.reply.ok(telegram::FormattedText(ctx.tr("memory.nothing", {{"example", "/prompt=…"}})));
    return;
  }
  if (assistant::UsageTracker(s).refuse_if_over_budget(ctx)) return;
  const auto& prompts = PromptTemplates::embedded();
  const std::string user = prompts.render(ctx.lang, "summary.user_label");
  const std::string assistant = prompts.render(ctx.lang, "summary.assistant_label");
  std::string transcript;
  for (const auto& e : entries) {
    if (e.role != "user" && e.role != "assistant") continue;
    transcript += (e.role == "user" ? user : assistant) + ": " + e.text + "\n\n";
  }
  ai::ChatRequest req;
  req.system_instruction = prompts.render(ctx.lang, "summary.instruction");
  const std::string model = assistant::memory::chat_setting(s, chat, "model").value_or("");
  req.model = model.empty() ? s.config.get_string("ai.model_prompt") : model;
  req.messages.push_back({ai::ChatRole::kUser, prompts.render(ctx.lang, "summary.transcript",
                                                              {{"transcript", transcript}})});
  auto options = StreamingAnswer::options_from(s);
  options.for_owner = ctx.by_owner;
  options.command = "summary";
  const UserId asker = ctx.message.sender;
  Services* sp = &s;
  auto answer = StreamingAnswer::start(s, std::move(ctx.reply), options);
  answer->ask(std::move(req), asker, [sp, asker, chat](ai::ChatResult& r) {
    assistant::UsageTracker(*sp).record(asker, chat, "summary", r);
    return r.text;
  });
}

}  // namespace

Status register_chat_ai_settings(Registry& registry) {
  SAKAI_TRY(registry.add(CommandSpec{"model", {}, "ai", Access::kOwner, {}, model}));
  SAKAI_TRY(registry.add(CommandSpec{"persona", {}, "ai", Access::kOwner, {}, persona}));
  SAKAI_TRY(registry.add(
      CommandSpec{"clearcontext", {"clear_context"}, "ai", Access::kOwner, {}, clearcontext}));
  SAKAI_TRY(registry.add(CommandSpec{"summary", {}, "ai", Access::kFriends, {}, summary}));
  return Status::ok();
}

}  // namespace sakai::features
