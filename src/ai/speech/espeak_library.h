#pragma once
// espeak-ng (Persian and Arabic speech), loaded at run time from Debian's libespeak-ng1 on the
// first Persian or Arabic synthesis and initialised then (synchronous output: espeak_Synth
// returns after the callback has seen all the audio). Only speech sources include this header.
// Thread-safety and ownership: as LazyLibrary (shared_library.h); espeak-ng keeps global state,
// so the caller serialises every call into it.
#include <espeak-ng/speak_lib.h>

#include "core/result.h"
#include "core/shared_library.h"

namespace sakai::ai::speech {

struct EspeakApi {
  decltype(&::espeak_SetSynthCallback) espeak_SetSynthCallback = nullptr;
  decltype(&::espeak_SetVoiceByName) espeak_SetVoiceByName = nullptr;
  decltype(&::espeak_SetParameter) espeak_SetParameter = nullptr;
  decltype(&::espeak_Synth) espeak_Synth = nullptr;
  int sample_rate = 0;  // what espeak_Initialize() answered
};

// The table, loading libespeak-ng.so.1 and initialising it on the first call. kUnavailable
// naming the Debian package when the library is missing, or "cannot start (is espeak-ng-data
// installed?)" when it does not initialise (tried again on the next call).
Result<const EspeakApi*> espeak_api();

}  // namespace sakai::ai::speech
