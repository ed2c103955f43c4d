// /tts [voice=<v>] [rate=<r>] <text> (alias /speak; as a reply the replied text is spoken),
// /voices.
#include "features/voice/tts_commands.h"

#include <charconv>

#include "ai/speech/local_tts.h"
#include "ai/speech/tts.h"
#include "commands/services.h"
#include "core/text.h"
#include "features/voice/tts_queue.h"
#include "features/voice/voice_common.h"

namespace sakai::features {

using commands::Access;
using commands::CommandContext;
using commands::CommandSpec;
using commands::Registry;
using commands::Services;

namespace {

// "1.5", "۱٫۵", "١٫٥", "1,5" (Persian and Arabic digits, the Arabic decimal separator U+066B,
// a decimal comma).
std::optional<double> parse_rate(std::string_view raw) {
  constexpr std::string_view kArabicDecimal = "\u066B";
  const std::string digits = text::normalize_digits(text::trim(raw));
  std::string ascii;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (std::string_view(digits).substr(i, kArabicDecimal.size()) == kArabicDecimal) {
      ascii += '.';
      i += kArabicDecimal.size() - 1;
    } else {
      ascii += digits[i] == ',' ? '.' : digits[i];
    }
  }
  const std::string_view s = ascii;
  double value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  if (value < 0.5 || value > 2.0) return std::nullopt;
  return value;
}

// The language `voice` of `engine` speaks ("" for a multilingual voice).
std::string voice_language(const ai::speech::TtsEngine& engine, const std::string& voice) {
  for (const auto& v : engine.voices()) {
    if (v.id == voice) return v.language;
  }
  return {};
}

// The voice the queue would pick for `text` by its script: the default engine's, or else the
// first voice of any engine that can read it.
std::string fitting_voice(const TtsQueue& queue, std::string_view text) {
  const auto& engine = queue.default_engine();
  const std::string chosen = engine.default_voice(text);
  if (ai::speech::voice_can_read(voice_language(engine, chosen), text)) return chosen;
  for (const auto& e : queue.engines()) {
    for (const auto& v : e->voices()) {
      if (ai::speech::voice_can_read(v.language, text)) return v.id;
    }
  }
  return chosen;
}

void tts(CommandContext ctx, TtsQueue* queue) {
  Services& s = ctx.services;
  if (queue == nullptr) {
    ctx.reply.error("tts.error.off");
    return;
  }
  std::string said = std::string(text::trim(ctx.line.text));
  if (said.empty() && ctx.replied) said = std::string(text::trim(ctx.replied->text));
  if (said.empty()) {
    ctx.reply.usage("tts.error.empty");
    return;
  }
  const std::size_t chars = text::codepoint_count(said);
  if (chars > ai::speech::kMaxTtsChars) {
    ctx.reply.error("tts.error.too_long", {{"chars", std::to_string(chars)},
                                           {"limit", std::to_string(ai::speech::kMaxTtsChars)}});
    return;
  }
  double rate = 1.0;
  if (auto it = ctx.line.params.find("rate"); it != ctx.line.params.end()) {
    auto r = parse_rate(it->second);
    if (!r) {
      ctx.reply.error("tts.error.bad_rate", {{"rate", it->second}});
      return;
    }
    rate = *r;
  }
  TtsRequest req;
  if (auto it = ctx.line.params.find("voice"); it != ctx.line.params.end()) {
    auto found = queue->find_voice(it->second);
    if (!found) {
      ctx.reply.error("tts.error.unknown_voice", {{"voice", it->second}});
      return;
    }
    // An English voice finds nothing to say in Persian (and the other way round): name a voice
    // that fits instead of failing after the queue.
    const std::string speaks = voice_language(*found->first, found->second);
    if (!ai::speech::voice_can_read(speaks, said)) {
      ctx.reply.error(
          "tts.error.voice_language",
          {{"voice", found->second}, {"speaks", speaks}, {"fits", fitting_voice(*queue, said)}});
      return;
    }
    req.engine = found->first->name();
    req.voice = found->second;
  } else {
    req.engine = queue->default_engine().name();
    req.voice = queue->default_engine().default_voice(said);
  }
  req.chat = ctx.message.chat;
  req.user = ctx.message.sender;
  req.request = ctx.message.id;
  req.answer_to = ctx.replied && ctx.line.text.empty() ? ctx.replied->id : ctx.message.id;
  req.own_request = ctx.message.sender == s.transport.self_id();
  req.text = std::move(said);
  req.rate = rate;
  req.lang = ctx.lang;
  queue->submit(std::move(req), std::move(ctx.reply));
}

// The catalog's name of an engine ("Offline voices", "Gemini", ...).
std::string engine_title(const CommandContext& ctx, const std::string& engine) {
  const std::string key = "tts.engine." + engine;
  return ctx.services.i18n.has_key(ctx.lang, key) ? ctx.tr(key) : engine;
}

// A voice id (or a list of them) as the reader sees it: in a right-to-left language, isolated
// so it keeps its order in the line, with `type` (code) on the id itself.
void add_ltr(telegram::TextBuilder& b, const CommandContext& ctx, const std::string& value,
             std::optional<telegram::EntityType> type = std::nullopt) {
  const bool rtl = ctx.services.i18n.is_rtl(ctx.lang);
  if (rtl) b.add(kFirstStrongIsolate);
  if (type) {
    b.add(value, *type);
  } else {
    b.add(value);
  }
  if (rtl) b.add(kPopDirectionalIsolate);
}

void voices(CommandContext ctx, const TtsQueue* queue) {
  if (queue == nullptr) {
    ctx.reply.error("tts.error.off");
    return;
  }
  telegram::TextBuilder b;
  b.add(ctx.tr("tts.voices_title"), telegram::EntityType::kBold).line().line();
  bool first = true;
  for (const auto& engine : queue->engines()) {
    const std::string name = engine_title(ctx, engine->name());
    const std::string title = first ? ctx.tr("tts.voices_engine", {{"engine", name}}) : name;
    b.add(title, telegram::EntityType::kBold).line();
    const auto list = engine->voices();
    if (engine->name() == "local") {
      // "kal16 — English, male (US), 16 kHz diphone", from the catalog (tts.voice.<id>).
      for (const auto& v : list) {
        add_ltr(b, ctx, v.id, telegram::EntityType::kCode);
        const std::string key = "tts.voice." + v.id;
        b.add(" — " + (ctx.services.i18n.has_key(ctx.lang, key) ? ctx.tr(key) : v.description));
        b.line();
      }
    } else {
      // The cloud voices speak every language: their names, one line.
      std::string joined;
      for (const auto& v : list)
        joined += (joined.empty() ? "" : ", ") + v.id;
      add_ltr(b, ctx, joined);
      b.line();
    }
    b.line();
    first = false;
  }
  b.line(ctx.tr("tts.voices_hint"));
  ctx.reply.ok(std::move(b).build());
}

}  // namespace

Status register_tts_commands(Registry& registry, const std::shared_ptr<VoiceState>& state) {
  // The handlers use the queue of the engine that runs now (made by the feature's start hook).
  SAKAI_TRY(registry.add(CommandSpec{
      "tts", {"speak"}, "voice", Access::kFriends, {"voice", "rate"}, [state](CommandContext ctx) {
        tts(std::move(ctx), state->tts.get());
      }}));
  return registry.add(
      CommandSpec{"voices", {}, "voice", Access::kFriends, {}, [state](CommandContext ctx) {
                    voices(std::move(ctx), state->tts.get());
                  }});
}

}  // namespace sakai::features
