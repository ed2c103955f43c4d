#include "ai/speech/pocketsphinx_library.h"

#include "ai/speech/local_stt.h"

namespace sakai::ai::speech {
namespace {

Result<PocketsphinxApi> load_pocketsphinx() {
  auto base = SharedLibrary::open(LibraryName{"libsphinxbase.so.3", "libsphinxbase3"});
  if (!base.is_ok()) return base.status();
  auto ps = SharedLibrary::open(LibraryName{"libpocketsphinx.so.3", "libpocketsphinx3"});
  if (!ps.is_ok()) return ps.status();
  decltype(&::err_set_logfp) set_log = nullptr;
  SAKAI_TRY(base->bind(set_log, "err_set_logfp"));
  PocketsphinxApi api;
  SAKAI_TRY(base->bind(api.cmd_ln_init, "cmd_ln_init"));
  SAKAI_TRY(base->bind(api.cmd_ln_free_r, "cmd_ln_free_r"));
  SAKAI_TRY(base->bind(api.logmath_exp, "logmath_exp"));
  SAKAI_TRY(ps->bind(api.ps_args, "ps_args"));
  SAKAI_TRY(ps->bind(api.ps_init, "ps_init"));
  SAKAI_TRY(ps->bind(api.ps_free, "ps_free"));
  SAKAI_TRY(ps->bind(api.ps_start_utt, "ps_start_utt"));
  SAKAI_TRY(ps->bind(api.ps_process_raw, "ps_process_raw"));
  SAKAI_TRY(ps->bind(api.ps_end_utt, "ps_end_utt"));
  SAKAI_TRY(ps->bind(api.ps_get_hyp, "ps_get_hyp"));
  SAKAI_TRY(ps->bind(api.ps_get_logmath, "ps_get_logmath"));
  SAKAI_TRY(ps->bind(api.ps_seg_iter, "ps_seg_iter"));
  SAKAI_TRY(ps->bind(api.ps_seg_next, "ps_seg_next"));
  SAKAI_TRY(ps->bind(api.ps_seg_word, "ps_seg_word"));
  SAKAI_TRY(ps->bind(api.ps_seg_frames, "ps_seg_frames"));
  SAKAI_TRY(ps->bind(api.ps_seg_prob, "ps_seg_prob"));
  set_log(nullptr);  // pocketsphinx logs a page per decoder to stderr otherwise
  return api;
}

// Process-wide like the libraries themselves (dlopen() is per process): one table, one load,
// never destroyed (a job on another thread may still use it while statics are destroyed).
LazyLibrary<PocketsphinxApi>& library() {
  static auto* lib = new LazyLibrary<PocketsphinxApi>(&load_pocketsphinx);
  return *lib;
}

}  // namespace

Result<const PocketsphinxApi*> pocketsphinx_api() {
  return library().get();
}

bool pocketsphinx_loaded() {
  return library().loaded();
}

}  // namespace sakai::ai::speech
