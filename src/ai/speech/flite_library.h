#pragma once
// flite and its English voices, loaded at run time from Debian's libflite1 on the first English
// synthesis: libflite.so.1 itself, and each voice library (libflite_cmu_us_kal16.so.1, _rms,
// _slt) only when that voice first speaks (rms and slt carry megabytes of voice data each). Only
// speech sources include this header.
// Thread-safety and ownership: as LazyLibrary (shared_library.h). The voices are flite's own
// objects, alive for the process; synthesis with them must be serialised by the caller (flite
// keeps global state).
#include <flite/flite.h>

#include <string_view>

#include "core/result.h"
#include "core/shared_library.h"

namespace sakai::ai::speech {

struct FliteApi {
  decltype(&::flite_text_to_wave) flite_text_to_wave = nullptr;
  decltype(&::feat_set_float) feat_set_float = nullptr;
  decltype(&::delete_wave) delete_wave = nullptr;
};

// The table, loading libflite.so.1 and running flite_init() on the first call.
Result<const FliteApi*> flite_api();

// The voice `id` ("kal16", "rms", "slt"), loading libflite.so.1 and that voice's library and
// registering the voice on its first use. kInvalidArgument for another id; kUnavailable naming
// the Debian package when a library is missing.
Result<cst_voice*> flite_voice(std::string_view id);

}  // namespace sakai::ai::speech
