// /stt [lang=xx] — in reply to a voice note, an audio file or a video note: its transcript, and a
// short AI summary under long ones ([stt] summary, model [ai] model_voice_summary).
#include <sstream>

#include "ai/llm/provider.h"
#include "assistant/usage_tracker.h"
#include "commands/services.h"
#include "core/text.h"
#include "features/voice/stt_commands.h"
#include "features/voice/voice_common.h"

namespace sakai::features {

using assistant::UsageTracker;
using commands::Access;
using commands::CommandContext;
using commands::CommandSpec;
using commands::Outcome;
using commands::Registry;
using commands::Reply;
using commands::Services;

namespace {

// Transcripts shorter than this many words need no summary.
constexpr int kSummaryMinWords = 40;

int word_count(const std::string& s) {
  std::istringstream in(s);
  int n = 0;
  for (std::string w; in >> w;)
    ++n;
  return n;
}

// The language hint: lang=, else the asker's language.
std::string language_param(const CommandContext& ctx) {
  auto it = ctx.line.params.find("lang");
  if (it != ctx.line.params.end()) return text::ascii_lower(text::trim(it->second));
  return ctx.lang;
}

struct SttJob {
  Services* services;
  Reply reply;
  ChatId chat;
  MessageId command_message;
  UserId user;
  std::string lang;
  bool owner = false;
};

void deliver(const std::shared_ptr<SttJob>& job, const ai::speech::Transcript& t,
             const std::string& summary) {
  Services& s = *job->services;
  telegram::TextBuilder b;
  b.add("🎙 " + s.i18n.tr(job->lang, "stt.transcript"), telegram::EntityType::kBold).line();
  b.add(t.text);
  if (!summary.empty()) {
    b.line().line();
    b.add(s.i18n.tr(job->lang, "stt.summary"), telegram::EntityType::kBold).line();
    b.add(summary);
  }
  // The transport splits a long transcript (Transport::send_text).
  s.transport.send_text(job->chat, std::move(b).build(),
                        telegram::SendOptions{job->command_message, 0, false},
                        [job](Result<telegram::SentParts> sent) {
                          job->reply.delivered(sent.is_ok() ? Outcome::kOk : Outcome::kError);
                        });
}

void summarize_then_deliver(const std::shared_ptr<SttJob>& job, ai::speech::Transcript t) {
  Services& s = *job->services;
  if (!s.config.get_bool("stt.summary") || s.llm == nullptr ||
      word_count(t.text) < kSummaryMinWords) {
    deliver(job, t, {});
    return;
  }
  // A friend over today's AI budget gets the transcript without the summary.
  if (!UsageTracker(s).check_budget(job->user, job->owner).allowed) {
    deliver(job, t, {});
    return;
  }
  ai::ChatRequest req;
  req.model = s.config.get_string("ai.model_voice_summary");
  req.system_instruction =
      "You summarise transcripts of voice messages in one to three short sentences. Answer in "
      "the language with code '" +
      job->lang + "'. Plain text, no preamble.";
  req.messages.push_back(ai::ChatMessage{ai::ChatRole::kUser, t.text});
  s.llm->chat(std::move(req), nullptr, [job, t](ai::ChatOutcome o) {
    std::string summary;
    if (o.ok()) {
      UsageTracker(*job->services).record(job->user, job->chat, "stt", o.result());
      summary = std::string(text::trim(o.result().text));
    } else {
      // The transcript is what was asked for: it still goes out.
      job->services->log.warn("voice", "summary failed", {{"error", o.error().describe()}});
    }
    deliver(job, t, summary);
  });
}

void stt(CommandContext ctx, const std::shared_ptr<VoiceState>& state) {
  if (!ctx.replied) {
    ctx.reply.error("stt.error.no_reply");
    return;
  }
  if (!is_audio_media(ctx.replied->media)) {
    ctx.reply.error("stt.error.not_audio");
    return;
  }
  Services& s = ctx.services;
  s.transport.send_chat_action(ctx.message.chat, telegram::ChatAction::kTyping);
  // Without lang=, the asker's language is the hint; a Persian speaker's English recording then
  // needs lang=en for the English-only local engine (the refusal says so).
  const bool hinted = ctx.line.params.count("lang") > 0;
  auto job =
      std::make_shared<SttJob>(SttJob{&s, std::move(ctx.reply), ctx.message.chat, ctx.message.id,
                                      ctx.message.sender, ctx.lang, ctx.by_owner});
  transcribe_message(
      state, s, *ctx.replied, TranscribeRequest{language_param(ctx), ctx.lang, ctx.by_owner},
      [job, hinted](VoiceResult r) {
        const I18n& i18n = job->services->i18n;
        if (!r.transcript) {
          std::string text = "⚠️ " + r.error;
          if (r.kind == ai::speech::SttErrorKind::kLanguage && !hinted)
            text += "\n" + i18n.tr(job->lang, "stt.hint.lang_en");
          job->services->transport.send_text(
              job->chat, telegram::FormattedText(text),
              telegram::SendOptions{job->command_message, 0, false},
              [job](Result<telegram::SentParts>) { job->reply.delivered(Outcome::kError); });
          return;
        }
        if (r.transcript->text.empty()) {
          job->reply.ok(telegram::FormattedText(i18n.tr(job->lang, "stt.empty")));
          return;
        }
        summarize_then_deliver(job, std::move(*r.transcript));
      });
}

}  // namespace

Status register_stt_commands(Registry& registry, const std::shared_ptr<VoiceState>& state) {
  return registry.add(CommandSpec{
      "stt", {"transcribe"}, "voice", Access::kFriends, {"lang"}, [state](CommandContext ctx) {
        stt(std::move(ctx), state);
      }});
}

}  // namespace sakai::features
