// /voicemode and /endvoice — voice assistant mode in a chat. While it is on, every voice note
// (audio, video note) in the chat is transcribed, answered by the LLM with the chat's
// conversation memory (one thread per voice-mode session) and the answer is spoken back as a
// voice note, with the "recording voice" action while it works. It ends with /endvoice or after
// [voice] voicemode_idle without a voice note (a background timer). The chats in voice mode and
// their last activity are stored (settings key "voicemode.chats"), so a restart keeps them and
// re-arms their idle timers; the spoken answers are files in <data.dir>/voice, removed once sent.
#include <algorithm>
#include <charconv>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "ai/llm/error_messages.h"
#include "ai/llm/provider.h"
#include "ai/speech/local_tts.h"
#include "assistant/conversation.h"
#include "assistant/usage_tracker.h"
#include "commands/services.h"
#include "core/prompt_templates.h"
#include "core/text.h"
#include "core/worker_pool.h"
#include "features/voice/stt_commands.h"
#include "features/voice/tts_queue.h"
#include "features/voice/voice_common.h"
#include "telegram/format/markdown.h"

namespace sakai::features {

using assistant::UsageTracker;
using commands::Access;
using commands::CommandContext;
using commands::CommandSpec;
using commands::MediaHandler;
using commands::Registry;
using commands::Services;

namespace {

// Spoken answers are kept short: a voice note of a few minutes at most.
constexpr std::size_t kMaxSpokenChars = 1500;

// The settings row that holds every chat in voice mode, as one JSON object:
// {"<chat id>": {"lang": "en", "thread": 42, "last": <Unix ms>}, ...}
constexpr std::string_view kStoreKey = "voicemode.chats";

std::chrono::seconds idle_of(const Services& s) {
  return std::chrono::seconds(s.config.get_seconds("voice.voicemode_idle"));
}

std::int64_t now_ms(const Services& s) {
  return to_unix_ms(s.clock.wall_now());
}

// Writes the chats in voice mode to the store (the row goes when none is left).
void save(const VoiceState& state, Services& s) {
  Status st = Status::ok();
  if (state.voice_mode.empty()) {
    st = s.store.settings().remove(kStoreKey);
  } else {
    nlohmann::json chats = nlohmann::json::object();
    for (const auto& [chat, c] : state.voice_mode) {
      chats[std::to_string(chat)] = {
          {"lang", c.lang}, {"thread", c.thread}, {"last", c.last_activity_ms}};
    }
    st = s.store.settings().set(
        kStoreKey, chats.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
  if (!st.is_ok()) s.log.warn("voice", "could not store voice mode", {{"error", st.to_string()}});
}

// Ends voice mode in `chat` after `delay` (from now) unless something re-arms it first.
void arm_idle(const std::shared_ptr<VoiceState>& state, Services& s, ChatId chat,
              std::chrono::milliseconds delay) {
  auto it = state->voice_mode.find(chat.value());
  if (it == state->voice_mode.end()) return;
  if (it->second.idle_timer != 0) s.loop.cancel(it->second.idle_timer);
  std::weak_ptr<VoiceState> weak = state;
  Services* sp = &s;
  it->second.idle_timer = s.loop.post_after(
      delay,
      [weak, sp, chat] {
        auto st = weak.lock();
        if (!st) return;
        auto found = st->voice_mode.find(chat.value());
        if (found == st->voice_mode.end()) return;
        const std::string lang = found->second.lang;
        st->voice_mode.erase(found);
        save(*st, *sp);
        sp->log.info("voice", "voice mode ended (idle)", {{"chat", chat.str()}});
        sp->transport.send_text(chat, telegram::FormattedText(sp->i18n.tr(lang, "voicemode.idle")),
                                {}, [](Result<telegram::SentParts>) {});
      },
      /*keeps_alive=*/false);
}

// Something happened in voice mode in `chat`: the idle timer starts again, and the store knows.
void touch(const std::shared_ptr<VoiceState>& state, Services& s, ChatId chat) {
  auto it = state->voice_mode.find(chat.value());
  if (it == state->voice_mode.end()) return;
  it->second.last_activity_ms = now_ms(s);
  save(*state, s);
  arm_idle(state, s, chat, idle_of(s));
}

// On start: the chats stored as in voice mode are back, each with the idle time it had left (a
// chat whose time ran out while SakaiBot was down ends at once, and is told so).
void restore(const std::shared_ptr<VoiceState>& state, Services& s) {
  for (auto& [chat, c] : state->voice_mode) {
    if (c.idle_timer != 0) s.loop.cancel(c.idle_timer);
  }
  state->voice_mode.clear();
  auto stored = s.store.settings().get(kStoreKey);
  if (!stored.is_ok()) {
    s.log.warn("voice", "could not read voice mode", {{"error", stored.status().to_string()}});
    return;
  }
  if (!stored->has_value()) return;
  const nlohmann::json chats = nlohmann::json::parse(**stored, nullptr, false);
  if (!chats.is_object()) {
    s.log.warn("voice", "stored voice mode is not JSON; dropped", {});
    save(*state, s);
    return;
  }
  const std::int64_t now = now_ms(s);
  const std::int64_t idle_ms = static_cast<std::int64_t>(idle_of(s).count()) * 1000;
  for (const auto& [key, value] : chats.items()) {
    std::int64_t chat = 0;
    const auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), chat);
    if (ec != std::errc() || end != key.data() + key.size() || !value.is_object()) continue;
    VoiceModeChat c;
    c.lang = value.value("lang", s.config.get_string("bot.language"));
    c.thread = value.value("thread", std::int64_t{0});
    c.last_activity_ms = value.value("last", now);
    const std::int64_t left = std::max<std::int64_t>(0, c.last_activity_ms + idle_ms - now);
    state->voice_mode[chat] = std::move(c);
    arm_idle(state, s, ChatId(chat), std::chrono::milliseconds(left));
  }
  if (!state->voice_mode.empty()) {
    s.log.info("voice", "voice mode restored",
               {{"chats", std::to_string(state->voice_mode.size())}});
  }
}

// True when the LLM chain has a provider (a key, or a keyless local server): the chain made
// from a configuration without one is named "none" and fails every call.
bool has_ai(const Services& s) {
  return s.llm != nullptr && s.llm->name() != "none";
}

void voicemode(CommandContext ctx, const std::shared_ptr<VoiceState>& state) {
  Services& s = ctx.services;
  const ChatId chat = ctx.message.chat;
  auto [it, inserted] = state->voice_mode.try_emplace(chat.value());
  if (inserted) {
    it->second.lang = ctx.lang;
    it->second.thread = ctx.message.id.value();
  }
  touch(state, s, chat);
  // The catalog writes the idle time as a duration in the reader's language.
  const std::string idle = std::to_string(idle_of(s).count());
  std::string text = ctx.tr(inserted ? "voicemode.on" : "voicemode.already_on", {{"idle", idle}});
  // What will not work, said now rather than after the first voice note.
  if (!has_ai(s)) {
    text += "\n\n⚠️ " + ctx.tr(ctx.by_owner ? "voicemode.no_ai" : "voicemode.no_ai_friend");
  }
  if (!state->engine(s).understands(it->second.lang)) {
    text += "\n\n⚠️ " + ctx.tr("voicemode.english_only");
    if (ctx.by_owner) text += "\n" + ctx.tr("stt.hint.cloud");
  }
  ctx.reply.ok(telegram::FormattedText(text));
}

void endvoice(CommandContext ctx, const std::shared_ptr<VoiceState>& state) {
  auto it = state->voice_mode.find(ctx.message.chat.value());
  if (it == state->voice_mode.end()) {
    ctx.reply.error("voicemode.not_on");
    return;
  }
  if (it->second.idle_timer != 0) ctx.services.loop.cancel(it->second.idle_timer);
  state->voice_mode.erase(it);
  save(*state, ctx.services);
  ctx.reply.ok(telegram::FormattedText(ctx.tr("voicemode.off")));
}

void send_error(Services& s, const Message& m, const std::string& text) {
  s.transport.send_chat_action(m.chat, telegram::ChatAction::kCancel);
  s.transport.send_text(m.chat, telegram::FormattedText("⚠️ " + text),
                        telegram::SendOptions{m.id, 0, false}, [](Result<telegram::SentParts>) {});
}

// The local voice's language: Arabic-script text is Persian unless the chat speaks Arabic.
std::string speech_language(std::string_view answer, const std::string& lang) {
  for (std::size_t i = 0; i + 1 < answer.size(); ++i) {
    const auto c = static_cast<unsigned char>(answer[i]);
    if (c == 0xD8 || c == 0xD9 || c == 0xDA || c == 0xDB) return lang == "ar" ? "ar" : "fa";
  }
  return "en";
}

struct SpokenAnswer {
  Message to;  // the voice note being answered
  std::string text;
  std::string lang;  // the chat's language (texts, and the local voice for Arabic script)
  std::function<void(MessageId)> on_sent;
};

// `header` (in italics) above `body`.
telegram::FormattedText with_header(const std::string& header, telegram::FormattedText body) {
  telegram::FormattedText out;
  const std::string head = header + "\n\n";
  out.text = head + body.text;
  const auto shift = static_cast<std::int32_t>(text::utf16_length(head));
  out.entities.push_back(telegram::TextEntity{
      0, static_cast<std::int32_t>(text::utf16_length(header)), telegram::EntityType::kItalic, {}});
  for (auto e : body.entities) {
    e.offset += shift;
    out.entities.push_back(std::move(e));
  }
  return out;
}

// No voice could be made: the answer comes as text (its Markdown formatted), saying so.
void send_as_text(Services& s, const SpokenAnswer& a) {
  s.transport.send_chat_action(a.to.chat, telegram::ChatAction::kCancel);
  s.transport.send_text(a.to.chat,
                        with_header("🔇 " + s.i18n.tr(a.lang, "voicemode.speech_failed"),
                                    telegram::markdown_to_formatted(a.text)),
                        telegram::SendOptions{a.to.id, 0, false},
                        [on_sent = a.on_sent](Result<telegram::SentParts> sent) {
                          if (sent.is_ok()) on_sent(sent->first());
                        });
}

void speak_locally(Services& s, const std::shared_ptr<SpokenAnswer>& a);

// The voice note is made (or not): sent, or the next fallback. `local` says whether the local
// voices made it (after them only text is left).
void send_spoken(Services& s, const std::shared_ptr<SpokenAnswer>& a, const std::string& path,
                 bool local, Result<ai::speech::VoiceNoteFile> note) {
  if (!note.is_ok()) {
    discard_voice_file(s, path);  // whatever was written of it
    s.log.warn("voice", "speech synthesis failed",
               {{"engine", local ? "local" : "configured"}, {"error", note.status().to_string()}});
    if (local) {
      send_as_text(s, *a);
    } else {
      speak_locally(s, a);  // the local voices before text
    }
    return;
  }
  Services* sp = &s;
  s.transport.send_voice(a->to.chat,
                         telegram::VoiceNote{note->path, note->duration_seconds, note->waveform},
                         telegram::FormattedText(), telegram::SendOptions{a->to.id, 0, false},
                         [sp, a, path = note->path](Result<MessageId> sent) {
                           // Sent or not, the file has done its job.
                           discard_voice_file(*sp, path);
                           if (!sent.is_ok()) {
                             sp->log.warn("voice", "could not send the voice reply",
                                          {{"error", sent.status().to_string()}});
                             return;
                           }
                           a->on_sent(*sent);
                         });
}

// The voice note's file for this answer ("" when there is no directory for it: the encoding then
// fails and the next fallback runs).
std::string answer_path(const Services& s, const SpokenAnswer& a, bool local) {
  return voice_file(
      s, "voicemode-" + a.to.chat.str() + "-" + a.to.id.str() + (local ? "-local" : "") + ".ogg");
}

// On the worker pool: `make_pcm` (synthesis, when the local engine does it here), then the Opus
// encoding; the result comes back to the loop and is sent.
void encode_and_send(Services& s, const std::shared_ptr<SpokenAnswer>& a, bool local,
                     std::function<Result<ai::speech::Pcm>()> make_pcm) {
  Services* sp = &s;
  const std::string path = answer_path(s, *a, local);
  const bool queued =
      s.workers != nullptr &&
      s.workers->run(
          s.loop, [sp, a, path, local, make_pcm = std::move(make_pcm)]() -> std::function<void()> {
            auto pcm = make_pcm();
            auto note = std::make_shared<Result<ai::speech::VoiceNoteFile>>(
                pcm.is_ok() ? ai::speech::encode_voice_note_file(*pcm, path)
                            : Result<ai::speech::VoiceNoteFile>(pcm.status()));
            return
                [sp, a, path, local, note] { send_spoken(*sp, a, path, local, std::move(*note)); };
          });
  if (!queued) {
    send_spoken(
        s, a, path, /*local=*/true,
        make_error(ErrorCode::kUnavailable, "voice mode: no worker free for the voice note"));
  }
}

// The local voices (flite / espeak-ng), the one for the answer's script.
void speak_locally(Services& s, const std::shared_ptr<SpokenAnswer>& a) {
  const std::string voice =
      ai::speech::local_voice_for_language(speech_language(a->text, a->lang)).value_or("kal16");
  encode_and_send(s, a, /*local=*/true, [text = a->text, voice] {
    ai::speech::TtsOptions opts;
    opts.voice = voice;
    return ai::speech::local_tts(text, opts);
  });
}

// The configured TTS engine (the /tts queue's default engine) when the app has one, with the
// voice for the answer's script; when it fails, or there is none, the local voices; when they
// fail too, the answer as text.
void speak(const std::shared_ptr<VoiceState>& state, Services& services, const Message& m,
           std::string answer, const std::string& lang, std::function<void(MessageId)> on_sent) {
  auto a = std::make_shared<SpokenAnswer>(
      SpokenAnswer{m, text::truncate(answer, kMaxSpokenChars), lang, std::move(on_sent)});
  if (state->tts != nullptr && state->tts->default_engine().name() != "local") {
    auto& engine = state->tts->default_engine();
    Services* sp = &services;
    engine.synthesize(
        a->text, engine.default_voice(a->text), 1.0,
        [sp, a](Result<ai::speech::Pcm> pcm) {
          auto shared = std::make_shared<Result<ai::speech::Pcm>>(std::move(pcm));
          encode_and_send(*sp, a, /*local=*/false, [shared] { return std::move(*shared); });
        },
        nullptr);
    return;
  }
  speak_locally(services, a);
}

// The transcript of `m` with `note` under it: what voice mode sends when there is no answer to
// speak (no AI provider, or it failed), so the voice note is not lost.
void send_transcript(Services& s, const Message& m, const std::string& lang,
                     const std::string& transcript, const std::string& note) {
  s.transport.send_chat_action(m.chat, telegram::ChatAction::kCancel);
  telegram::TextBuilder b;
  b.add("🎙 " + s.i18n.tr(lang, "stt.transcript"), telegram::EntityType::kBold).line();
  b.add(transcript).line().line();
  b.add("⚠️ " + note, telegram::EntityType::kItalic);
  Services* sp = &s;
  s.transport.send_text(m.chat, std::move(b).build(), telegram::SendOptions{m.id, 0, false},
                        [sp](Result<telegram::SentParts> sent) {
                          if (!sent.is_ok()) {
                            sp->log.warn("voice", "could not send a transcript",
                                         {{"error", sent.status().to_string()}});
                          }
                        });
}

void answer_voice(const std::shared_ptr<VoiceState>& state, Services& services, const Message& m) {
  auto it = state->voice_mode.find(m.chat.value());
  if (it == state->voice_mode.end()) return;
  touch(state, services, m.chat);
  const std::string lang = it->second.lang;
  const std::int64_t thread = it->second.thread;
  const bool owner = m.sender == services.transport.self_id();
  services.transport.send_chat_action(m.chat, telegram::ChatAction::kRecordingVoice);
  Services* sp = &services;
  transcribe_message(
      state, services, m, TranscribeRequest{lang, lang, owner},
      [state, sp, m, lang, thread, owner](VoiceResult r) {
        Services& s = *sp;
        if (!r.transcript) {
          send_error(s, m, r.error);
          return;
        }
        if (r.transcript->text.empty()) {
          send_error(s, m, s.i18n.tr(lang, "stt.empty"));
          return;
        }
        // Without an AI provider there is no answer, but the transcript is worth having.
        if (!has_ai(s)) {
          send_transcript(
              s, m, lang, r.transcript->text,
              s.i18n.tr(lang, owner ? "voicemode.no_answer" : "voicemode.no_ai_friend"));
          return;
        }
        const UsageTracker usage(s);
        if (const auto budget = usage.check_budget(m.sender, owner); !budget.allowed) {
          send_transcript(s, m, lang, r.transcript->text,
                          s.i18n.tr(lang, "usage.budget_exceeded",
                                    {{"used", std::to_string(budget.used)},
                                     {"limit", std::to_string(budget.limit)}}));
          return;
        }
        s.transport.send_chat_action(m.chat, telegram::ChatAction::kRecordingVoice);
        ai::ChatRequest req;
        if (auto model = assistant::memory::chat_setting(s, m.chat, "model")) req.model = *model;
        req.system_instruction =
            PromptTemplates::embedded().render(lang, "prompt.system") +
            "\nYour answer will be read aloud: keep it short and conversational, with no Markdown, "
            "lists or links.";
        req.messages = assistant::memory::history(s, m.chat, thread);
        req.messages.push_back(ai::ChatMessage{ai::ChatRole::kUser, r.transcript->text});
        assistant::memory::Exchange x;
        x.chat = m.chat;
        x.thread = thread;
        x.question_message = m.id;
        x.question = r.transcript->text;
        s.llm->chat(
            std::move(req), nullptr,
            [state, sp, m, lang, owner, x = std::move(x)](ai::ChatOutcome o) mutable {
              Services& sv = *sp;
              if (!o.ok()) {
                // The transcript still arrives, with why there is no answer.
                sv.log.warn("voice", "voice mode answer failed", {{"error", o.error().describe()}});
                ai::LlmErrorContext context;
                context.for_owner = owner;  // a friend reads no configuration hints
                const auto msg = ai::llm_error_message(o.error(), context);
                std::string why = sv.i18n.tr(lang, msg.key, msg.tr_args());
                if (msg.key == "ai.error.no_provider" || msg.key == "ai.error.no_provider_friend")
                  why = sv.i18n.tr(lang, owner ? "voicemode.no_answer" : "voicemode.no_ai_friend");
                send_transcript(sv, m, lang, x.question, why);
                return;
              }
              UsageTracker(sv).record(m.sender, m.chat, "voicemode", o.result());
              x.answer = o.result().text;
              x.answer_tokens = o.result().usage.output_tokens;
              speak(state, sv, m, o.result().text, lang,
                    [sp, x = std::move(x)](MessageId sent) mutable {
                      x.answer_messages = {sent};
                      assistant::memory::remember(*sp, x);
                    });
            });
      });
}

}  // namespace

Status register_voice_mode(Registry& registry, const std::shared_ptr<VoiceState>& state) {
  SAKAI_TRY(registry.add(
      CommandSpec{"voicemode", {}, "voice", Access::kFriends, {}, [state](CommandContext ctx) {
                    voicemode(std::move(ctx), state);
                  }}));
  SAKAI_TRY(registry.add(
      CommandSpec{"endvoice", {}, "voice", Access::kFriends, {}, [state](CommandContext ctx) {
                    endvoice(std::move(ctx), state);
                  }}));
  registry.add_start_hook([state](Services& s) { restore(state, s); });
  std::weak_ptr<VoiceState> weak = state;
  registry.add_media_handler(MediaHandler{[weak](Services&, const Message& m) {
                                            auto st = weak.lock();
                                            return st && is_audio_media(m.media) &&
                                                   st->voice_mode.count(m.chat.value()) > 0;
                                          },
                                          [weak](Services& s, const Message& m) {
                                            if (auto st = weak.lock()) answer_voice(st, s, m);
                                          }});
  return Status::ok();
}

}  // namespace sakai::features
