#include "ai/speech/espeak_library.h"

#include "ai/speech/local_tts.h"

namespace sakai::ai::speech {
namespace {

Result<EspeakApi> load_espeak() {
  auto lib = SharedLibrary::open(LibraryName{"libespeak-ng.so.1", "libespeak-ng1"});
  if (!lib.is_ok()) return lib.status();
  decltype(&::espeak_Initialize) initialize = nullptr;
  SAKAI_TRY(lib->bind(initialize, "espeak_Initialize"));
  EspeakApi api;
  SAKAI_TRY(lib->bind(api.espeak_SetSynthCallback, "espeak_SetSynthCallback"));
  SAKAI_TRY(lib->bind(api.espeak_SetVoiceByName, "espeak_SetVoiceByName"));
  SAKAI_TRY(lib->bind(api.espeak_SetParameter, "espeak_SetParameter"));
  SAKAI_TRY(lib->bind(api.espeak_Synth, "espeak_Synth"));
  api.sample_rate = initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nullptr, espeakINITIALIZE_DONT_EXIT);
  if (api.sample_rate <= 0) {
    return make_error(ErrorCode::kUnavailable, "cannot start (is espeak-ng-data installed?)");
  }
  return api;
}

// Process-wide like the library itself (dlopen() is per process): one table, one load,
// never destroyed (a job on another thread may still use it while statics are destroyed).
LazyLibrary<EspeakApi>& library() {
  static auto* lib = new LazyLibrary<EspeakApi>(&load_espeak);
  return *lib;
}

}  // namespace

Result<const EspeakApi*> espeak_api() {
  return library().get();
}

bool espeak_loaded() {
  return library().loaded();
}

}  // namespace sakai::ai::speech
