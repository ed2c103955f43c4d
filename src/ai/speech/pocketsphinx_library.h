#pragma once
// pocketsphinx (offline English speech-to-text), loaded at run time from Debian's
// libpocketsphinx3 and libsphinxbase3 when the first LocalStt is created. Only speech sources
// include this header.
// Thread-safety and ownership: as LazyLibrary (shared_library.h).
#include <pocketsphinx.h>
#include <sphinxbase/err.h>
#include <sphinxbase/logmath.h>

#include "core/result.h"
#include "core/shared_library.h"

namespace sakai::ai::speech {

struct PocketsphinxApi {
  // libsphinxbase
  decltype(&::cmd_ln_init) cmd_ln_init = nullptr;
  decltype(&::cmd_ln_free_r) cmd_ln_free_r = nullptr;
  decltype(&::logmath_exp) logmath_exp = nullptr;
  // libpocketsphinx
  decltype(&::ps_args) ps_args = nullptr;
  decltype(&::ps_init) ps_init = nullptr;
  decltype(&::ps_free) ps_free = nullptr;
  decltype(&::ps_start_utt) ps_start_utt = nullptr;
  decltype(&::ps_process_raw) ps_process_raw = nullptr;
  decltype(&::ps_end_utt) ps_end_utt = nullptr;
  decltype(&::ps_get_hyp) ps_get_hyp = nullptr;
  // The confidence of a result: the word segments' posteriors (-bestpath, on by default).
  decltype(&::ps_get_logmath) ps_get_logmath = nullptr;
  decltype(&::ps_seg_iter) ps_seg_iter = nullptr;
  decltype(&::ps_seg_next) ps_seg_next = nullptr;
  decltype(&::ps_seg_word) ps_seg_word = nullptr;
  decltype(&::ps_seg_frames) ps_seg_frames = nullptr;
  decltype(&::ps_seg_prob) ps_seg_prob = nullptr;
};

// The table, loading both libraries on the first call (pocketsphinx's log to stderr is turned
// off once loaded). kUnavailable naming the Debian package when one is missing.
Result<const PocketsphinxApi*> pocketsphinx_api();

}  // namespace sakai::ai::speech
