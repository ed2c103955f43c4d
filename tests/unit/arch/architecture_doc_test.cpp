// docs/ARCHITECTURE.md is the map a new engineer reads first: every folder of src/ that holds
// source files is named in it, by its full path ("src/features/voice/", "src/ai/llm"). A folder
// added without a line in the map fails here, naming the folder.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace sakai::testing {
namespace {

namespace fs = std::filesystem;

bool is_source(const fs::path& file) {
  const std::string ext = file.extension().string();
  return ext == ".h" || ext == ".hpp" || ext == ".cpp" || ext == ".cc" || ext == ".c";
}

// Every directory under `src_dir` (itself included) with a source file directly in it, as
// "src/<path>" with '/' separators ("src/ai/llm"), sorted.
std::vector<std::string> source_folders(const fs::path& src_dir) {
  std::set<std::string> folders;
  for (const auto& entry : fs::recursive_directory_iterator(src_dir)) {
    if (!entry.is_regular_file() || !is_source(entry.path())) continue;
    const fs::path rel = fs::relative(entry.path().parent_path(), src_dir);
    const std::string r = rel.generic_string();
    folders.insert(r == "." ? std::string("src") : "src/" + r);
  }
  return {folders.begin(), folders.end()};
}

bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-' || c == '.';
}

// Whether `doc` names `folder` ("src/ai") itself: the path followed by the end of a name, or by
// '/' and the end of a name ("src/ai/ " or "src/ai`" do; "src/ai/llm" and "src/ai_x" do not).
bool names_folder(std::string_view doc, std::string_view folder) {
  for (std::size_t at = doc.find(folder); at != std::string_view::npos;
       at = doc.find(folder, at + 1)) {
    if (at > 0 && (is_name_char(doc[at - 1]) || doc[at - 1] == '/')) continue;
    std::size_t end = at + folder.size();
    if (end < doc.size() && doc[end] == '/') ++end;
    if (end >= doc.size() || !is_name_char(doc[end])) return true;
  }
  return false;
}

std::vector<std::string> folders_missing(std::string_view doc,
                                         const std::vector<std::string>& folders) {
  std::vector<std::string> missing;
  for (const auto& f : folders) {
    if (!names_folder(doc, f)) missing.push_back(f);
  }
  return missing;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string describe(const std::vector<std::string>& missing) {
  std::string out;
  for (const auto& f : missing)
    out += "docs/ARCHITECTURE.md does not name the folder " + f +
           "/ (add it to the map: what it owns and its door header)\n";
  return out;
}

TEST(ArchitectureDoc, AFolderIsNamedOnlyByItsOwnPath) {
  EXPECT_TRUE(names_folder("- `src/ai/llm/` the providers", "src/ai/llm"));
  EXPECT_TRUE(names_folder("see src/ai/llm, then", "src/ai/llm"));
  EXPECT_TRUE(names_folder("ends with src/core", "src/core"));
  // A subfolder, a longer name or a deeper path does not name the folder.
  EXPECT_FALSE(names_folder("src/ai/llm/ and src/ai/http/", "src/ai"));
  EXPECT_FALSE(names_folder("src/features/voice_mode/", "src/features/voice"));
  EXPECT_FALSE(names_folder("tests/src/core/", "src/core"));
  EXPECT_FALSE(names_folder("src/ai/llm/provider.h", "src/ai/llm"));
}

TEST(ArchitectureDoc, AMissingFolderIsReportedByName) {
  const std::string doc = "src/ai/ the providers\nsrc/ai/llm/ the chain\n";
  const auto missing = folders_missing(doc, {"src/ai", "src/ai/llm", "src/features/image"});
  ASSERT_EQ(missing, (std::vector<std::string>{"src/features/image"}));
  EXPECT_NE(describe(missing).find("src/features/image/"), std::string::npos);
}

TEST(ArchitectureDoc, NamesEveryFolderOfTheSourceTree) {
  const fs::path root(SAKAIBOT_SOURCE_DIR);
  const auto folders = source_folders(root / "src");
  // The scan saw the tree: layers, nested folders and a feature.
  ASSERT_GT(folders.size(), 15u);
  for (const char* f : {"src/core", "src/ai/llm", "src/telegram/tdjson", "src/features/voice"}) {
    EXPECT_NE(std::find(folders.begin(), folders.end(), f), folders.end()) << f;
  }
  const std::string doc = read_file(root / "docs" / "ARCHITECTURE.md");
  ASSERT_FALSE(doc.empty()) << "docs/ARCHITECTURE.md could not be read";
  const auto missing = folders_missing(doc, folders);
  EXPECT_TRUE(missing.empty()) << describe(missing);
}

}  // namespace
}  // namespace sakai::testing
