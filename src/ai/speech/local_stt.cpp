#include "ai/speech/local_stt.h"

#include <algorithm>
#include <filesystem>
#include <string>

#include <fmt/format.h>

#include "ai/speech/pocketsphinx_library.h"

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
      return make_error(ErrorCode::kUnavailable,
                        fmt::format("pocketsphinx model missing: {} (install the Debian package "
                                    "pocketsphinx-en-us)",
                                    p));
    }
  }
  auto loaded = pocketsphinx_api();  // the libraries are opened here on first use
  if (!loaded.is_ok()) return loaded.status().with_context("pocketsphinx");
  const PocketsphinxApi& ps = **loaded;
  cmd_ln_t* config =
      ps.cmd_ln_init(nullptr, ps.ps_args(), TRUE, "-hmm", hmm.c_str(), "-lm", lm.c_str(), "-dict",
                     dict.c_str(), "-samprate", "16000", nullptr);
  if (config == nullptr) {
    return make_error(ErrorCode::kInternal, "pocketsphinx: bad configuration");
  }
  ps_decoder_t* decoder = ps.ps_init(config);
  ps.cmd_ln_free_r(config);  // the decoder holds its own reference
  if (decoder == nullptr) {
    return make_error(ErrorCode::kUnavailable,
                      fmt::format("pocketsphinx: cannot load the model in {}", options.model_dir));
  }
  std::unique_ptr<LocalStt> stt(new LocalStt);
  stt->api_ = &ps;
  stt->decoder_ = decoder;
  stt->max_seconds_ = options.max_seconds;
  return stt;
}

LocalStt::~LocalStt() {
  if (decoder_ != nullptr) api_->ps_free(decoder_);
}

Result<std::string> LocalStt::transcribe(const Pcm& pcm) {
  auto r = recognise(pcm);
  if (!r.is_ok()) return r.status();
  return std::move(r->text);
}

Result<LocalSttResult> LocalStt::recognise(const Pcm& pcm) {
  if (pcm.seconds() > max_seconds_) {
    return make_error(ErrorCode::kFailedPrecondition,
                      fmt::format("audio too long for speech recognition: {:.0f} s, the limit is "
                                  "{:.0f} s",
                                  pcm.seconds(), max_seconds_));
  }
  if (pcm.samples.empty()) return LocalSttResult{};
  auto at16 = resample(pcm, kSttRate);
  if (!at16) return at16.status().with_context("stt");

  std::lock_guard lock(mu_);
  const PocketsphinxApi& ps = *api_;
  if (ps.ps_start_utt(decoder_) < 0) {
    return make_error(ErrorCode::kInternal, "pocketsphinx: start");
  }
  // The whole clip as one utterance: full_utt lets cepstral mean normalisation see all of it.
  if (ps.ps_process_raw(decoder_, at16->samples.data(), at16->samples.size(), FALSE, TRUE) < 0) {
    ps.ps_end_utt(decoder_);
    return make_error(ErrorCode::kInternal, "pocketsphinx: decoding failed");
  }
  if (ps.ps_end_utt(decoder_) < 0) return make_error(ErrorCode::kInternal, "pocketsphinx: end");
  int32 score = 0;
  const char* hyp = ps.ps_get_hyp(decoder_, &score);
  LocalSttResult out;
  out.text = hyp == nullptr ? "" : hyp;
  // Each word's posterior from the lattice (bestpath), weighted by its frames.
  logmath_t* lmath = ps.ps_get_logmath(decoder_);
  double weighted = 0, frames = 0;
  for (ps_seg_t* seg = ps.ps_seg_iter(decoder_); seg != nullptr; seg = ps.ps_seg_next(seg)) {
    const std::string_view word = ps.ps_seg_word(seg);
    // <s>, </s>, <sil> and fillers such as [NOISE] or ++BREATH++ are not words.
    if (word.empty() || word.front() == '<' || word.front() == '[' || word.front() == '+') continue;
    int start = 0, end = 0;
    ps.ps_seg_frames(seg, &start, &end);
    int32 ascr = 0, lscr = 0, lback = 0;
    const double posterior = ps.logmath_exp(lmath, ps.ps_seg_prob(seg, &ascr, &lscr, &lback));
    const double length = std::max(1, end - start + 1);
    weighted += posterior * length;
    frames += length;
    ++out.words;
  }
  if (frames > 0) out.confidence = weighted / frames;
  return out;
}

}  // namespace sakai::ai::speech
