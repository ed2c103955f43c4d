#include "ai/speech/flite_library.h"

#include <string>

#include <fmt/format.h>

#include "ai/speech/local_tts.h"

namespace sakai::ai::speech {
namespace {

constexpr std::string_view kPackage = "libflite1";

LibraryName flite_library_name(std::string_view soname) {
  return LibraryName{std::string(soname), std::string(kPackage)};
}

Result<FliteApi> load_flite() {
  auto lib = SharedLibrary::open(flite_library_name("libflite.so.1"));
  if (!lib.is_ok()) return lib.status();
  decltype(&::flite_init) init = nullptr;
  SAKAI_TRY(lib->bind(init, "flite_init"));
  FliteApi api;
  SAKAI_TRY(lib->bind(api.flite_text_to_wave, "flite_text_to_wave"));
  SAKAI_TRY(lib->bind(api.feat_set_float, "feat_set_float"));
  SAKAI_TRY(lib->bind(api.delete_wave, "delete_wave"));
  init();
  return api;
}

// Process-wide like the library itself (dlopen() is per process): one table, one load,
// never destroyed (a job on another thread may still use it while statics are destroyed).
LazyLibrary<FliteApi>& flite_library() {
  static auto* lib = new LazyLibrary<FliteApi>(&load_flite);
  return *lib;
}

// One registered voice.
struct FliteVoice {
  cst_voice* voice = nullptr;
};

// libflite_cmu_us_<name>.so.1 exports register_cmu_us_<name>(voxdir); its dependencies
// (libflite_usenglish, libflite_cmulex, libflite) come with it.
Result<FliteVoice> load_voice(std::string_view name) {
  auto base = flite_api();  // flite_init() before any voice registers
  if (!base.is_ok()) return base.status();
  auto lib = SharedLibrary::open(flite_library_name(fmt::format("libflite_cmu_us_{}.so.1", name)));
  if (!lib.is_ok()) return lib.status();
  using Register = cst_voice* (*)(const char*);
  Register reg = nullptr;
  const std::string symbol = fmt::format("register_cmu_us_{}", name);
  SAKAI_TRY(lib->bind(reg, symbol.c_str()));
  cst_voice* voice = reg(nullptr);
  if (voice == nullptr) {
    return make_error(ErrorCode::kUnavailable, fmt::format("voice {} did not load", name));
  }
  return FliteVoice{voice};
}

Result<FliteVoice> load_kal16() {
  return load_voice("kal16");
}
Result<FliteVoice> load_rms() {
  return load_voice("rms");
}
Result<FliteVoice> load_slt() {
  return load_voice("slt");
}

LazyLibrary<FliteVoice>* voice_library(std::string_view id) {
  // Never destroyed, like the voices flite registered.
  static auto* kal16 = new LazyLibrary<FliteVoice>(&load_kal16);
  static auto* rms = new LazyLibrary<FliteVoice>(&load_rms);
  static auto* slt = new LazyLibrary<FliteVoice>(&load_slt);
  if (id == "kal16") return kal16;
  if (id == "rms") return rms;
  if (id == "slt") return slt;
  return nullptr;
}

}  // namespace

Result<const FliteApi*> flite_api() {
  return flite_library().get();
}

Result<cst_voice*> flite_voice(std::string_view id) {
  LazyLibrary<FliteVoice>* lib = voice_library(id);
  if (lib == nullptr) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("no voice {}", id));
  }
  auto voice = lib->get();
  if (!voice.is_ok()) return voice.status();
  return (*voice)->voice;
}

bool flite_loaded() {
  return flite_library().loaded();
}

bool flite_voice_loaded(std::string_view id) {
  const LazyLibrary<FliteVoice>* lib = voice_library(id);
  return lib != nullptr && lib->loaded();
}

}  // namespace sakai::ai::speech
