#pragma once
// What /imagine, /img and /image ask for, read from the command line (pure functions; any
// thread):
//
//   /imagine=<prompt>          /imagine <prompt>          /img=<prompt>
//   /image=<model>=<prompt>    (SakaiBot's own form: flux, sdxl, ... as the provider names them)
//   options anywhere as key=value: model= size= seed= n= provider= neg= (a value with spaces in
//   double quotes: neg="blurry, low quality"); `raw` at the head skips the prompt's enhancement.
//
// Sizes: WIDTHxHEIGHT (256–2048 each; 1024×768 and Persian digits too), a ratio (16:9, 3:4 ...,
// long side at most 4 × the short one) or a name: square, portrait, landscape, wide, tall
// (Persian and Arabic names too). Ratios and names become about a megapixel, sides multiples of
// 64, as image models are trained: 16:9 → 1344×768.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "commands/command_line.h"

namespace sakai::features {

struct ImageSize {
  int width = 1024;
  int height = 1024;
  friend bool operator==(const ImageSize&, const ImageSize&) = default;
};

inline constexpr int kMinImageSide = 256;
inline constexpr int kMaxImageSide = 2048;

// nullopt when `text` is none of the forms above (or out of range).
std::optional<ImageSize> parse_image_size(std::string_view text);
// The forms parse_image_size() takes, for an error message.
std::string image_size_choices();

struct ImageArgs {
  std::string prompt;  // the user's words, options taken out (may be empty)
  std::optional<std::string> model;
  std::optional<std::string> size;
  std::optional<std::string> seed;
  std::optional<std::string> count;  // n=
  std::optional<std::string> provider;
  std::optional<std::string> negative;  // neg= (or negative=)
  bool raw = false;
};

// `line` as parsed by the engine (its name, form and raw text). `models`: the model names the
// provider offers, so "/imagine=flux=a cat" also reads as the model form; /image always does.
ImageArgs parse_image_args(const commands::CommandLine& line,
                           const std::vector<std::string>& models);

}  // namespace sakai::features
