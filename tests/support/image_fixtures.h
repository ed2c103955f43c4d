#pragma once
// Real PNG, JPEG and WebP files for tests, made at test time by ImageMagick's `convert` (Debian's
// imagemagick package, scripts/install-deps.sh): an encoder independent of the code under test,
// so a test that decodes them checks against files written by someone else. `identify` reads
// back what the code under test produced, again independently.
//
//   auto png = sakai::testing::make_image({.width = 320, .height = 200, .format = "png"});
//   auto info = sakai::testing::identify(png);   // {format "PNG", 320, 200}
//
// Images are made in a temporary directory and cached per process by their spec, so a test
// suite pays for each distinct image once. Missing tools fail loudly (std::runtime_error).
// Thread-safety: any thread (loopback servers make images on their handler threads).
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>

#include "support/temp_dir.h"

namespace sakai::testing {

struct ImageSpec {
  int width = 64;
  int height = 48;
  std::string format = "png";  // png, jpg, webp: the file extension convert writes
  // convert's source: a gradient compresses well, "noise" makes incompressible pixels, or any
  // convert image source ("xc:red", "plasma:"). Noise is seeded: the same spec gives the same
  // bytes.
  std::string source = "gradient:orange-navy";
  bool alpha = false;  // a half-transparent alpha channel
  std::string extra;   // more convert options, e.g. "-colorspace CMYK", "-interlace PNG"
};

// The ImageMagick tool `name` ("convert", "identify"): Debian's in /usr/bin first.
inline std::string imagemagick_tool(const std::string& name) {
  const std::string debian = "/usr/bin/" + name;
  if (std::filesystem::exists(debian)) return debian;
  return name;
}

// Runs a shell command; its stdout, or throws with `what` when it fails.
inline std::string run_tool(const std::string& command, const std::string& what) {
  std::FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error(what + ": popen failed");
  std::string out;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof(buf), pipe)) > 0;)
    out.append(buf, n);
  const int status = ::pclose(pipe);
  if (status != 0) {
    throw std::runtime_error(
        what + " failed (install imagemagick: scripts/install-deps.sh): " + command + "\n" + out);
  }
  return out;
}

inline std::string read_binary(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline void write_binary(const std::string& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

inline TempDir& image_dir() {
  static TempDir dir("sakaibot-images");
  return dir;
}

inline std::mutex& image_tool_mutex() {
  static std::mutex mu;
  return mu;
}

inline std::string make_image(const ImageSpec& spec) {
  std::lock_guard lock(image_tool_mutex());
  static std::map<std::string, std::string> cache;
  std::ostringstream key;
  key << spec.width << 'x' << spec.height << '.' << spec.format << '|' << spec.source << '|'
      << spec.alpha << '|' << spec.extra;
  if (const auto it = cache.find(key.str()); it != cache.end()) return it->second;

  const std::string path =
      image_dir().file("img" + std::to_string(cache.size()) + "." + spec.format);
  std::ostringstream cmd;
  cmd << imagemagick_tool("convert") << " -size " << spec.width << 'x' << spec.height << ' ';
  if (spec.source == "noise") {
    cmd << "-seed 7 xc:gray +noise Random";
  } else {
    cmd << "'" << spec.source << "'";
  }
  cmd << " -depth 8";
  if (spec.alpha) cmd << " -alpha set -channel A -evaluate set 50% +channel";
  if (!spec.extra.empty()) cmd << ' ' << spec.extra;
  cmd << " '" << path << "'";
  run_tool(cmd.str(), "convert");
  std::string bytes = read_binary(path);
  if (bytes.empty()) throw std::runtime_error("convert wrote nothing: " + cmd.str());
  cache.emplace(key.str(), bytes);
  return bytes;
}

struct IdentifiedImage {
  std::string format;  // ImageMagick's name: "PNG", "JPEG", "WEBP"
  int width = 0;
  int height = 0;
};

// What ImageMagick makes of `bytes` (decoding them itself).
inline IdentifiedImage identify(std::string_view bytes) {
  std::lock_guard lock(image_tool_mutex());
  static int n = 0;
  const std::string path = image_dir().file("identify" + std::to_string(n++) + ".bin");
  write_binary(path, bytes);
  const std::string out =
      run_tool(imagemagick_tool("identify") + " -format '%m %w %h\\n' '" + path + "'", "identify");
  IdentifiedImage info;
  std::istringstream in(out);
  in >> info.format >> info.width >> info.height;
  std::filesystem::remove(path);
  return info;
}

// The colour ImageMagick reads at pixel (x, y), as "srgb(r,g,b)" or "srgba(r,g,b,a)".
inline std::string pixel_at(std::string_view bytes, int x, int y) {
  std::lock_guard lock(image_tool_mutex());
  static int n = 0;
  const std::string path = image_dir().file("pixel" + std::to_string(n++) + ".bin");
  write_binary(path, bytes);
  std::string out = run_tool(imagemagick_tool("convert") + " '" + path + "' -format '%[pixel:p{" +
                                 std::to_string(x) + "," + std::to_string(y) + "}]' info:",
                             "convert");
  std::filesystem::remove(path);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r'))
    out.pop_back();
  return out;
}

}  // namespace sakai::testing
