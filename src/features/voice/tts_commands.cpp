// /tts [voice=<v>] [rate=<r>] <text> (alias /speak; as a reply the replied text is spoken),
// /voices.
#include "features/voice/tts_commands.h"

#include <charconv>

#include "ai/speech/local_tts.h"
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

std::optional<double> parse_rate(std::string_view s) {
  s = text::trim(s);
  double value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  if (value < 0.5 || value > 2.0) return std::nullopt;
  return value;
}

void tts(CommandContext ctx, TtsQueue* queue) {
  Services& s = ctx.services;
  if (queue == nullptr) {
    ctx.reply.error("tts.error.unavailable", {{"detail", "no TTS queue"}});
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

void voices(CommandContext ctx, const TtsQueue* queue) {
  if (queue == nullptr) {
    ctx.reply.error("tts.error.unavailable", {{"detail", "no TTS queue"}});
    return;
  }
  telegram::TextBuilder b;
  b.add(ctx.tr("tts.voices_title"), telegram::EntityType::kBold).line().line();
  bool first = true;
  for (const auto& engine : queue->engines()) {
    const std::string title =
        first ? ctx.tr("tts.voices_engine", {{"engine", engine->name()}}) : engine->name();
    b.add(title, telegram::EntityType::kBold).line();
    const auto list = engine->voices();
    if (engine->name() == "local") {
      for (const auto& v : list) {
        b.add(v.id, telegram::EntityType::kCode).add(" — " + v.language + ", " + v.description);
        b.line();
      }
    } else {
      std::string joined;
      for (const auto& v : list)
        joined += (joined.empty() ? "" : ", ") + v.id;
      b.line(joined);
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
