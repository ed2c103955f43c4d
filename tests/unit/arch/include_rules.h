#pragma once
// The layer rules of src/ as a function over (file, includes) pairs, so the rules can be tested
// on made-up input as well as run over the real tree.
//
//   - a file in features/X/ includes nothing of features/Y/ (nor the feature table in features/);
//   - arrows point down: app > features > assistant > commands > everything else (core, net,
//     storage, ai, telegram): nothing includes a layer above its own (nothing below app includes
//     app/; nothing in commands, assistant or below includes features/);
//   - a feature's one door is its header features/X/X_feature.h: files outside features/X/
//     include nothing else of it.
#include <filesystem>
#include <string>
#include <vector>

namespace sakai::testing {

struct SourceFile {
  std::string path;                   // relative to src/: "features/ai/prompt.cpp"
  std::vector<std::string> includes;  // relative to src/, as resolved: "commands/services.h"
};

struct LayerViolation {
  std::string file;
  std::string include;
  std::string rule;  // what it breaks, for the failure message
};

std::vector<LayerViolation> check_layers(const std::vector<SourceFile>& files);

// The targets of `#include "..."` and `#include <...>` lines in `source`, as written.
std::vector<std::string> includes_of(const std::string& source);

// Every .h/.cpp under `src_dir`, its includes resolved as the compiler does for quoted ones:
// next to the file first, else relative to src/.
std::vector<SourceFile> scan_sources(const std::filesystem::path& src_dir);

}  // namespace sakai::testing
