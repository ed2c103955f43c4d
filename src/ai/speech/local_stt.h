#pragma once
// Offline English speech-to-text with pocketsphinx (Debian's 5prealpha API) and the
// pocketsphinx-en-us acoustic model, language model and dictionary. No key, no network. The
// library is not linked: the first LocalStt::create() opens it (dlopen; pocketsphinx_library.h)
// on the thread that calls it.
#include <memory>
#include <mutex>
#include <string>

#include "ai/speech/audio.h"
#include "core/result.h"

// pocketsphinx's decoder type, kept out of this header.
struct ps_decoder_s;

namespace sakai::ai::speech {

struct PocketsphinxApi;

struct LocalSttOptions {
  // Holds en-us/ (acoustic model), en-us.lm.bin and cmudict-en-us.dict, as pocketsphinx-en-us
  // installs them.
  std::string model_dir = "/usr/share/pocketsphinx/model/en-us";
  double max_seconds = 10.0 * 60.0;
};

// A recognition with how sure pocketsphinx is of it.
struct LocalSttResult {
  std::string text;  // lower-case words separated by single spaces; empty when nothing was heard
  // Mean posterior probability (0..1) of the recognised words, each weighted by its length in
  // frames (fillers and silences are left out); 1 when nothing was recognised.
  double confidence = 1.0;
  int words = 0;  // recognised words (fillers and silences left out)
};

// One loaded decoder (loading takes a moment; keep it). transcribe() is serialised internally, so
// one instance may be shared between threads.
class LocalStt {
 public:
  // kUnavailable with the missing path when the model is not installed, or naming the Debian
  // package when the library is missing ("pocketsphinx: libpocketsphinx.so.3 is not installed:
  // install the Debian package libpocketsphinx3 ...").
  static Result<std::unique_ptr<LocalStt>> create(const LocalSttOptions& options = {});
  ~LocalStt();
  LocalStt(const LocalStt&) = delete;
  LocalStt& operator=(const LocalStt&) = delete;

  // Lower-case words separated by single spaces; empty when nothing was recognised. Audio at any
  // rate is resampled to 16 kHz. kFailedPrecondition over max_seconds.
  Result<std::string> transcribe(const Pcm& pcm);
  // The same, with the confidence of the result.
  Result<LocalSttResult> recognise(const Pcm& pcm);

 private:
  LocalStt() = default;
  std::mutex mu_;
  const PocketsphinxApi* api_ = nullptr;  // loaded for the process
  ps_decoder_s* decoder_ = nullptr;
  double max_seconds_ = 0;
};

// Whether this process has loaded pocketsphinx (by a LocalStt::create() call).
bool pocketsphinx_loaded();

}  // namespace sakai::ai::speech
