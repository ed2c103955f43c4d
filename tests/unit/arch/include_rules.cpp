#include "unit/arch/include_rules.h"

#include <fstream>
#include <iterator>
#include <regex>
#include <sstream>

namespace sakai::testing {
namespace {

// Layers above the rest, lowest first; every other top folder of src/ is below all of them.
int rank_of(const std::string& top) {
  if (top == "commands") return 1;
  if (top == "assistant") return 2;
  if (top == "features") return 3;
  if (top == "app") return 4;
  return 0;
}

std::vector<std::string> parts_of(const std::string& path) {
  std::vector<std::string> out;
  for (const auto& p : std::filesystem::path(path).lexically_normal())
    out.push_back(p.string());
  return out;
}

// "features/ai/prompt.cpp" → "ai"; "features/all_features.h" → "" (the table, in no feature).
std::string feature_of(const std::vector<std::string>& parts) {
  if (parts.size() >= 3 && parts[0] == "features") return parts[1];
  return {};
}

}  // namespace

std::vector<LayerViolation> check_layers(const std::vector<SourceFile>& files) {
  std::vector<LayerViolation> out;
  for (const auto& file : files) {
    const auto from = parts_of(file.path);
    if (from.empty()) continue;
    const int from_rank = rank_of(from[0]);
    const std::string from_feature = feature_of(from);
    for (const auto& include : file.includes) {
      const auto to = parts_of(include);
      if (to.size() < 2) continue;  // a system or same-folder header
      const int to_rank = rank_of(to[0]);
      if (to_rank > from_rank) {
        out.push_back({file.path, include, to[0] + "/ is a layer above " + from[0] + "/"});
        continue;
      }
      if (to[0] != "features" || from[0] != "features") {
        // Outside the features, a feature is reached through its door only.
        if (to[0] == "features" && to.size() >= 3 && to[2] != to[1] + "_feature.h") {
          out.push_back(
              {file.path, include,
               "only features/" + to[1] + "/" + to[1] + "_feature.h is " + to[1] + "'s door"});
        }
        continue;
      }
      const std::string to_feature = feature_of(to);
      if (from_feature.empty()) {  // the table: any feature's door
        if (!to_feature.empty() && to[2] != to_feature + "_feature.h") {
          out.push_back({file.path, include,
                         "only features/" + to_feature + "/" + to_feature + "_feature.h is " +
                             to_feature + "'s door"});
        }
        continue;
      }
      if (to_feature != from_feature) {
        out.push_back({file.path, include,
                       to_feature.empty()
                           ? "a feature does not include the feature table"
                           : "feature " + from_feature + " includes feature " + to_feature});
      }
    }
  }
  return out;
}

std::vector<std::string> includes_of(const std::string& source) {
  static const std::regex kInclude(R"(^\s*#\s*include\s*[<"]([^>"]+)[>"])");
  std::vector<std::string> out;
  std::istringstream in(source);
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (std::regex_search(line, m, kInclude)) out.push_back(m[1].str());
  }
  return out;
}

std::vector<SourceFile> scan_sources(const std::filesystem::path& src_dir) {
  namespace fs = std::filesystem;
  std::vector<SourceFile> out;
  for (const auto& entry : fs::recursive_directory_iterator(src_dir)) {
    if (!entry.is_regular_file()) continue;
    const auto ext = entry.path().extension();
    if (ext != ".h" && ext != ".cpp") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    SourceFile file;
    file.path = entry.path().lexically_relative(src_dir).generic_string();
    for (const auto& include : includes_of(text)) {
      const fs::path beside = entry.path().parent_path() / include;
      std::error_code ec;
      if (fs::is_regular_file(beside, ec)) {
        file.includes.push_back(
            beside.lexically_normal().lexically_relative(src_dir).generic_string());
      } else {
        file.includes.push_back(fs::path(include).lexically_normal().generic_string());
      }
    }
    out.push_back(std::move(file));
  }
  return out;
}

}  // namespace sakai::testing
