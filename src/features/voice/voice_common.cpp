#include "features/voice/voice_common.h"

#include <filesystem>
#include <fstream>
#include <iterator>

#include "ai/llm/error_messages.h"
#include "commands/services.h"
#include "features/voice/tts_queue.h"

namespace sakai::features {

using commands::Services;

namespace {

using ai::speech::SttError;
using ai::speech::SttErrorKind;

std::string megabytes(std::size_t bytes) {
  return std::to_string((bytes + 1024 * 1024 - 1) / (1024 * 1024));
}

}  // namespace

ai::speech::SttEngine& VoiceState::engine(Services& services) {
  if (!stt && make_stt) stt = make_stt(services);
  if (!stt) {
    WorkerPool* pool = services.workers;
    if (pool == nullptr) {
      if (!own_workers) own_workers = std::make_unique<WorkerPool>(1);
      pool = own_workers.get();
    }
    stt = ai::speech::make_stt_engine(services.config, services.http, services.loop, *pool);
  }
  return *stt;
}

VoiceState::VoiceState() = default;
VoiceState::~VoiceState() = default;

bool is_audio_media(MediaKind media) {
  return media == MediaKind::kVoiceNote || media == MediaKind::kAudio ||
         media == MediaKind::kVideoNote;
}

std::string stt_error_text(Services& s, const std::string& lang, const SttError& e) {
  const auto limits = ai::speech::voice_limits(s.config);
  switch (e.kind) {
    case SttErrorKind::kNotAudio:
      return s.i18n.tr(lang, "stt.error.not_audio");
    case SttErrorKind::kNoSound:
      return s.i18n.tr(lang, "stt.error.no_sound");
    case SttErrorKind::kTooLarge:
      return s.i18n.tr(lang, "stt.error.too_large", {{"max", megabytes(limits.max_bytes)}});
    case SttErrorKind::kTooLong:
      return s.i18n.tr(lang, "stt.error.too_long",
                       {{"max", std::to_string(static_cast<long long>(limits.max_seconds))}});
    case SttErrorKind::kCorrupt:
      return s.i18n.tr(lang, "stt.error.corrupt");
    case SttErrorKind::kUnsupported:
      return s.i18n.tr(lang, "stt.error.unsupported");
    case SttErrorKind::kUnavailable:
      return s.i18n.tr(lang, "stt.error.unavailable");
    case SttErrorKind::kProvider:
      break;
  }
  if (!e.provider) return s.i18n.tr(lang, "stt.error.unavailable");
  const auto msg = ai::llm_error_message(*e.provider);
  return s.i18n.tr(lang, msg.key, msg.tr_args());
}

void transcribe_message(const std::shared_ptr<VoiceState>& state, Services& s, const Message& media,
                        std::string language_hint, std::string lang,
                        std::function<void(VoiceResult)> done) {
  Services* sp = &s;
  s.transport.download_file(media, [state, sp, media, hint = std::move(language_hint),
                                    lang = std::move(lang),
                                    done = std::move(done)](Result<std::string> path) mutable {
    Services& svc = *sp;
    if (!path.is_ok()) {
      svc.log.warn("voice", "download failed", {{"error", path.status().to_string()}});
      done(VoiceResult{std::nullopt, svc.i18n.tr(lang, "stt.error.download")});
      return;
    }
    // From here on, whatever happens, the downloaded copy goes once the work is done.
    auto finish = [sp, media, done = std::move(done)](VoiceResult r) {
      sp->transport.delete_local_file(media, [sp](const Status& st) {
        if (!st.is_ok())
          sp->log.info("voice", "could not remove a downloaded file", {{"error", st.to_string()}});
      });
      done(std::move(r));
    };
    auto fail = [&](const std::string& text) { finish(VoiceResult{std::nullopt, text}); };
    const auto limits = ai::speech::voice_limits(svc.config);
    std::error_code ec;
    const auto size = std::filesystem::file_size(*path, ec);
    if (ec) {
      fail(svc.i18n.tr(lang, "stt.error.download"));
      return;
    }
    if (size > limits.max_bytes) {
      fail(stt_error_text(svc, lang, SttError{SttErrorKind::kTooLarge, "", std::nullopt}));
      return;
    }
    std::ifstream in(*path, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto clip = ai::speech::prepare_clip(std::move(bytes), limits);
    if (auto* err = std::get_if<SttError>(&clip)) {
      svc.log.info("voice", "audio refused", {{"detail", err->detail}});
      fail(stt_error_text(svc, lang, *err));
      return;
    }
    state->engine(svc).transcribe(
        std::get<ai::speech::AudioClip>(std::move(clip)), std::move(hint),
        [state, sp, lang, finish = std::move(finish)](ai::speech::SttOutcome out) mutable {
          if (out.ok()) {
            finish(VoiceResult{std::move(out.transcript), {}});
            return;
          }
          sp->log.warn("voice", "transcription failed", {{"error", out.error.detail}});
          finish(VoiceResult{std::nullopt, stt_error_text(*sp, lang, out.error)});
        });
  });
}

std::filesystem::path voice_dir(const Config& config) {
  namespace fs = std::filesystem;
  const std::string dir = config.get_string("data.dir");
  std::error_code ec;
  fs::path base = dir.empty() ? fs::temp_directory_path(ec) / "sakaibot" : fs::path(dir);
  base /= "voice";
  fs::create_directories(base, ec);
  return base;
}

std::size_t sweep_voice_dir(const Config& config, std::chrono::seconds max_age) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path dir = voice_dir(config);
  const auto cutoff = fs::file_time_type::clock::now() - max_age;
  std::size_t removed = 0;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code e;
    if (!it->is_regular_file(e) || e) continue;
    const auto written = it->last_write_time(e);
    if (e || written >= cutoff) continue;
    if (fs::remove(it->path(), e)) ++removed;
  }
  return removed;
}

bool keeps_voice_files(const Services& services) {
  return services.transport.keeps_sent_files();
}

void discard_voice_file(bool keep, const std::string& path) {
  if (keep || path.empty()) return;
  std::error_code ec;
  std::filesystem::remove(path, ec);
}

}  // namespace sakai::features
