#include "ai/speech/local_stt.h"

#include <pocketsphinx.h>
#include <sphinxbase/err.h>

#include <filesystem>
#include <string>

#include <fmt/format.h>

namespace sakai::ai::speech {
namespace {

constexpr int kSttRate = 16000;

}  // namespace

Result<std::unique_ptr<LocalStt>> LocalStt::create(const LocalSttOptions& options) {
  namespace fs = std::filesystem;
  const fs::path dir(options.model_dir);
  const std::string hmm = (dir / "en-us").string();
  const std::string lm = (dir / "en-us.lm.bin").string();
  const std::string dict = (dir / "cmudict-en-us.dict").string();
  for (const auto& p : {hmm, lm, dict}) {
    std::error_code ec;
    if (!fs::exists(p, ec)) {
      return make_error(
          ErrorCode::kUnavailable,
          fmt::format("pocketsphinx model missing: {} (install pocketsphinx-en-us)", p));
    }
  }
  err_set_logfp(nullptr);  // pocketsphinx logs a page per decoder to stderr otherwise
  cmd_ln_t* config = cmd_ln_init(nullptr, ps_args(), TRUE, "-hmm", hmm.c_str(), "-lm", lm.c_str(),
                                 "-dict", dict.c_str(), "-samprate", "16000", nullptr);
  if (config == nullptr) {
    return make_error(ErrorCode::kInternal, "pocketsphinx: bad configuration");
  }
  ps_decoder_t* decoder = ps_init(config);
  cmd_ln_free_r(config);  // the decoder holds its own reference
  if (decoder == nullptr) {
    return make_error(ErrorCode::kUnavailable,
                      fmt::format("pocketsphinx: cannot load the model in {}", options.model_dir));
  }
  std::unique_ptr<LocalStt> stt(new LocalStt);
  stt->decoder_ = decoder;
  stt->max_seconds_ = options.max_seconds;
  return stt;
}

LocalStt::~LocalStt() {
  if (decoder_ != nullptr) ps_free(decoder_);
}

Result<std::string> LocalStt::transcribe(const Pcm& pcm) {
  if (pcm.seconds() > max_seconds_) {
    return make_error(ErrorCode::kFailedPrecondition,
                      fmt::format("audio too long for speech recognition: {:.0f} s, the limit is "
                                  "{:.0f} s",
                                  pcm.seconds(), max_seconds_));
  }
  if (pcm.samples.empty()) return std::string();
  auto at16 = resample(pcm, kSttRate);
  if (!at16) return at16.status().with_context("stt");

  std::lock_guard lock(mu_);
  if (ps_start_utt(decoder_) < 0) return make_error(ErrorCode::kInternal, "pocketsphinx: start");
  // The whole clip as one utterance: full_utt lets cepstral mean normalisation see all of it.
  if (ps_process_raw(decoder_, at16->samples.data(), at16->samples.size(), FALSE, TRUE) < 0) {
    ps_end_utt(decoder_);
    return make_error(ErrorCode::kInternal, "pocketsphinx: decoding failed");
  }
  if (ps_end_utt(decoder_) < 0) return make_error(ErrorCode::kInternal, "pocketsphinx: end");
  int32 score = 0;
  const char* hyp = ps_get_hyp(decoder_, &score);
  return std::string(hyp == nullptr ? "" : hyp);
}

}  // namespace sakai::ai::speech
