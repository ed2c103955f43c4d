#include "features/voice/voice_common.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <variant>

#include "commands/services.h"
#include "features/voice/speech_errors.h"
#include "features/voice/tts_queue.h"

namespace sakai::features {

using commands::Services;

namespace {

using ai::speech::SttError;
using ai::speech::SttErrorKind;

}  // namespace

ai::speech::SttEngine& VoiceState::engine(Services& services) {
  if (!stt && make_stt) stt = make_stt(services);
  if (!stt) {
    stt = ai::speech::make_stt_engine(services.config, services.http, services.loop,
                                      workers(services));
  }
  return *stt;
}

VoiceState::VoiceState() = default;
VoiceState::~VoiceState() = default;

WorkerPool& VoiceState::workers(Services& services) {
  if (services.workers != nullptr) return *services.workers;
  if (!own_workers) own_workers = std::make_unique<WorkerPool>(1);
  return *own_workers;
}

bool is_audio_media(MediaKind media) {
  return media == MediaKind::kVoiceNote || media == MediaKind::kAudio ||
         media == MediaKind::kVideoNote;
}

namespace {

// What the worker found in the downloaded file: the clip, or why there is none.
using Prepared = std::variant<ai::speech::AudioClip, SttError>;

Prepared read_and_prepare(const std::string& path, const ai::speech::DecodeLimits& limits) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return SttError{SttErrorKind::kCorrupt, "cannot read " + path + ": " + ec.message(), {}};
  if (size > limits.max_bytes) {
    return SttError{SttErrorKind::kTooLarge, std::to_string(size) + " bytes", std::nullopt};
  }
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) return SttError{SttErrorKind::kCorrupt, "read failed", {}};
  return ai::speech::prepare_clip(std::move(bytes), limits);
}

}  // namespace

void transcribe_message(const std::shared_ptr<VoiceState>& state, Services& s, const Message& media,
                        TranscribeRequest request, std::function<void(VoiceResult)> done) {
  Services* sp = &s;
  // An engine that cannot understand the language asked for says so before anything is
  // downloaded (the local engine knows English only; it would turn Persian into English words).
  if (!state->engine(s).understands(request.hint)) {
    s.log.info("voice", "transcription refused: the engine does not know the language",
               {{"engine", state->engine(s).name()}, {"language", request.hint}});
    const std::string text = stt_error_text(
        s, request.lang, SttError{SttErrorKind::kLanguage, request.hint, std::nullopt},
        request.owner);
    s.loop.post([done = std::move(done), text] {
      done(VoiceResult{std::nullopt, text, SttErrorKind::kLanguage});
    });
    return;
  }
  s.transport.download_file(media, [state, sp, media, request = std::move(request),
                                    done = std::move(done)](Result<std::string> path) mutable {
    Services& svc = *sp;
    if (!path.is_ok()) {
      svc.log.warn("voice", "download failed", {{"error", path.status().to_string()}});
      done(VoiceResult{std::nullopt, svc.i18n.tr(request.lang, "stt.error.download"),
                       SttErrorKind::kCorrupt});
      return;
    }
    // From here on, whatever happens, the downloaded copy goes once the work is done.
    auto finish = std::make_shared<std::function<void(VoiceResult)>>([sp, media,
                                                                      done = std::move(done)](
                                                                         VoiceResult r) {
      sp->transport.delete_local_file(media, [sp](const Status& st) {
        if (!st.is_ok())
          sp->log.info("voice", "could not remove a downloaded file", {{"error", st.to_string()}});
      });
      done(std::move(r));
    });
    auto fail = [sp, request, finish](const SttError& err) {
      (*finish)(VoiceResult{std::nullopt, stt_error_text(*sp, request.lang, err, request.owner),
                            err.kind});
    };
    // What the loop does with the prepared clip. The job only moves it into its continuation, so
    // nothing of the loop's (the reply, the state) is ever released on a worker thread.
    auto then = std::make_shared<std::function<void(Prepared)>>([state, sp, request, finish,
                                                                 fail](Prepared prepared) {
      Services& sv = *sp;
      if (auto* err = std::get_if<SttError>(&prepared)) {
        sv.log.info("voice", "audio refused", {{"detail", err->detail}});
        fail(*err);
        return;
      }
      state->engine(sv).transcribe(std::get<ai::speech::AudioClip>(std::move(prepared)),
                                   request.hint, [sp, fail, finish](ai::speech::SttOutcome out) {
                                     if (out.ok()) {
                                       (*finish)(VoiceResult{std::move(out.transcript), {}, {}});
                                       return;
                                     }
                                     log_stt_failure(*sp, out.error);
                                     fail(out.error);
                                   });
    });
    // Reading and decoding (the first MP3 loads FFmpeg) run on the worker pool, not the loop.
    const auto limits = ai::speech::voice_limits(svc.config);
    const bool queued = state->workers(svc).run(
        svc.loop, [file = *path, limits, then]() mutable -> std::function<void()> {
          auto prepared = std::make_shared<Prepared>(read_and_prepare(file, limits));
          return [prepared, then = std::move(then)] { (*then)(std::move(*prepared)); };
        });
    if (!queued) {
      svc.log.warn("voice", "no worker free to read the audio");
      fail(SttError{SttErrorKind::kBusy, "worker pool queue full", std::nullopt});
    }
  });
}

namespace {

// Creates `dir` and its missing parents with mode 0700, and makes `dir` itself 0700 (a directory
// an earlier version made 0755 is tightened).
Status make_private_dir(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path built;
  for (const auto& part : dir) {
    built /= part;
    if (fs::is_directory(built, ec)) continue;
    if (::mkdir(built.c_str(), 0700) != 0 && errno != EEXIST) {
      return make_error(ErrorCode::kIo,
                        "cannot create " + built.string() + ": " + std::strerror(errno));
    }
  }
  if (::chmod(dir.c_str(), 0700) != 0) {
    return make_error(ErrorCode::kIo,
                      "cannot make " + dir.string() + " private: " + std::strerror(errno));
  }
  return Status::ok();
}

}  // namespace

Result<std::filesystem::path> voice_dir(const Services& services) {
  namespace fs = std::filesystem;
  std::string base = services.data_dir;
  if (base.empty()) base = services.config.get_string("data.dir");
  if (base.empty()) {
    return make_error(ErrorCode::kFailedPrecondition,
                      "no data directory for voice notes (set data.dir)");
  }
  fs::path dir = fs::path(base) / "voice";
  if (!services.account.empty() && services.account != "default") dir /= services.account;
  SAKAI_TRY(make_private_dir(dir));
  return dir;
}

std::string voice_file(const Services& services, std::string_view name) {
  auto dir = voice_dir(services);
  if (!dir.is_ok()) {
    services.log.warn("voice", "no directory for voice notes",
                      {{"error", dir.status().to_string()}});
    return {};
  }
  return (*dir / std::string(name)).string();
}

std::size_t sweep_voice_dir(const Services& services, std::chrono::seconds max_age) {
  namespace fs = std::filesystem;
  auto dir = voice_dir(services);
  if (!dir.is_ok()) return 0;
  std::error_code ec;
  const auto cutoff = fs::file_time_type::clock::now() - max_age;
  std::size_t removed = 0;
  for (fs::directory_iterator it(*dir, ec), end; !ec && it != end; it.increment(ec)) {
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
