#pragma once
// Loopback stand-ins for the image services of IMAGE-APIS.md, on LoopbackServer: each answers
// in its service's wire format with REAL images of the asked size, made by ImageMagick
// (image_fixtures.h), and can play every error form the reference lists.
//
//   test::LoopbackServer srv;
//   serve_images(srv, "GET", "/image/(.+)", ImageWire::kRawBytes,
//                {ImageReply::error(401, kPollinations401), ImageReply::image("jpg")});
//
// Replies are played in order, one per request; the last one repeats. The size of a served
// image follows the request (query width/height, JSON parameters, OpenAI "size", Gemini
// aspectRatio), unless the reply fixes one. Answers that carry URLs point at GET /files/<k>/<n>
// on the same server, which serves the image once (or the reply's url_status: an expired link).
// Thread-safety: handlers run on the server's threads; everything shared is locked.
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/base64.h"
#include "support/image_fixtures.h"
#include "support/loopback_server.h"

namespace sakai::testing {

enum class ImageWire {
  kRawBytes,         // Pollinations, Hugging Face, SDXL (Cloudflare and workers), Flux worker
  kOpenAi,           // {"created", "data":[{"b64_json"|"url", "revised_prompt"}]}, n images
  kHuggingFaceData,  // {"data":[{"b64_json"}]}
  kHuggingFaceUrl,   // {"output":["<url>"]}
  kCloudflareFlux,   // {"result":{"image":"<base64>"},"success":true,"errors":[],"messages":[]}
  kGemini,           // candidates[0].content.parts: text + inlineData
};

struct ImageReply {
  enum class Kind { kImage, kRaw, kHang };
  Kind kind = Kind::kImage;
  // kImage:
  std::string format = "png";
  int width = 0;  // 0: as the request asks
  int height = 0;
  bool truncated = false;    // the image bytes cut in half
  bool as_url = false;       // kOpenAi: a url instead of b64_json
  int url_status = 200;      // what GET /files/<n> answers (404, 403: an expired link)
  bool snake_case = false;   // kGemini: inline_data / mime_type
  std::string content_type;  // kRawBytes: overrides image/<format>
  // kRaw: a whole response.
  int status = 200;
  std::string body;
  std::string raw_type = "application/json";
  httplib::Headers headers;
  // Any kind: wait this long first (a slow server); kHang waits until the server goes.
  std::chrono::milliseconds delay{0};

  static ImageReply image(std::string format = "png") {
    ImageReply r;
    r.format = std::move(format);
    return r;
  }
  static ImageReply raw(int status, std::string body, std::string type = "application/json",
                        httplib::Headers headers = {}) {
    ImageReply r;
    r.kind = Kind::kRaw;
    r.status = status;
    r.body = std::move(body);
    r.raw_type = std::move(type);
    r.headers = std::move(headers);
    return r;
  }
  static ImageReply hang() {
    ImageReply r;
    r.kind = Kind::kHang;
    return r;
  }
};

namespace image_services_detail {

using nlohmann::json;

inline std::pair<int, int> asked_size(ImageWire wire, const httplib::Request& req) {
  int w = 256;
  int h = 256;
  const auto param = [&](const char* name, int fallback) {
    return req.has_param(name) ? std::stoi(req.get_param_value(name)) : fallback;
  };
  const json body = json::parse(req.body, nullptr, false);
  switch (wire) {
    case ImageWire::kRawBytes:
    case ImageWire::kHuggingFaceData:
    case ImageWire::kHuggingFaceUrl:
      if (body.is_object() && body.contains("parameters")) {
        w = body["parameters"].value("width", w);
        h = body["parameters"].value("height", h);
      } else if (body.is_object() && body.contains("width")) {
        w = body.value("width", w);
        h = body.value("height", h);
      } else {
        w = param("width", w);
        h = param("height", h);
      }
      break;
    case ImageWire::kOpenAi:
      if (body.is_object() && body.contains("size")) {
        const std::string size = body["size"].get<std::string>();
        const auto x = size.find('x');
        if (x != std::string::npos) {
          w = std::stoi(size.substr(0, x));
          h = std::stoi(size.substr(x + 1));
        }
      }
      break;
    case ImageWire::kGemini: {
      // The long side 512, the ratio asked.
      std::string ratio = "1:1";
      if (body.is_object()) {
        ratio = body["generationConfig"]["imageConfig"].value("aspectRatio", ratio);
      }
      const auto colon = ratio.find(':');
      const int a = std::stoi(ratio.substr(0, colon));
      const int b = std::stoi(ratio.substr(colon + 1));
      w = a >= b ? 512 : 512 * a / b;
      h = a >= b ? 512 * b / a : 512;
      break;
    }
    case ImageWire::kCloudflareFlux:
      break;  // flux-1-schnell takes no size (1024×1024 in the real service; 256 here)
  }
  return {w, h};
}

inline std::string mime_of(const std::string& format) {
  return format == "jpg" ? "image/jpeg" : "image/" + format;
}

}  // namespace image_services_detail

// Serves `script` on `method` `path` in `wire`'s format (see above).
inline void serve_images(test::LoopbackServer& srv, const std::string& method,
                         const std::string& path, ImageWire wire, std::vector<ImageReply> script) {
  using image_services_detail::json;
  struct Files {
    std::mutex mu;
    std::map<std::string, std::pair<int, std::string>> by_name;  // status, image bytes
    int next = 0;
  };
  auto files = std::make_shared<Files>();
  // Each call has its own file space on the server.
  static std::atomic<int> calls{0};
  const std::string files_path = "/files/" + std::to_string(calls.fetch_add(1)) + "/";
  auto served = std::make_shared<std::atomic<std::size_t>>(0);
  auto replies = std::make_shared<const std::vector<ImageReply>>(std::move(script));
  // Some answers carry links to the image: served here, on this server.
  srv.on("GET", files_path + "(.+)", [files](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(files->mu);
    const auto it = files->by_name.find(req.matches[1]);
    if (it == files->by_name.end() || it->second.first != 200) {
      res.status = it == files->by_name.end() ? 404 : it->second.first;
      res.set_content(R"(<?xml version="1.0"?><Error><Code>AuthenticationFailed</Code></Error>)",
                      "application/xml");
      return;
    }
    res.set_content(it->second.second, "image/png");
  });
  srv.on(
      method, path,
      [&srv, wire, files, served, replies, files_path](const httplib::Request& req,
                                                       httplib::Response& res) {
        const std::size_t i = std::min(served->fetch_add(1), replies->size() - 1);
        const ImageReply& r = (*replies)[i];
        if (r.kind == ImageReply::Kind::kHang) {
          if (r.delay.count() > 0) {
            srv.sleep_for(r.delay);
          } else {
            srv.wait_until_stopped();
          }
          res.status = 503;
          return;
        }
        if (r.delay.count() > 0 && !srv.sleep_for(r.delay)) return;
        if (r.kind == ImageReply::Kind::kRaw) {
          res.status = r.status;
          for (const auto& [name, value] : r.headers)
            res.set_header(name, value);
          res.set_content(r.body, r.raw_type);
          return;
        }
        auto [w, h] = image_services_detail::asked_size(wire, req);
        if (r.width > 0) w = r.width;
        if (r.height > 0) h = r.height;
        std::string bytes = make_image({.width = w,
                                        .height = h,
                                        .format = r.format,
                                        .source = "gradient:orange-navy",
                                        .alpha = false,
                                        .extra = ""});
        if (r.truncated) bytes.resize(bytes.size() / 2);
        const std::string mime = image_services_detail::mime_of(r.format);
        const auto link = [&](const std::string& image) {
          std::lock_guard lock(files->mu);
          const std::string name = std::to_string(files->next++) + "." + r.format;
          files->by_name[name] = {r.url_status, image};
          return srv.url(files_path + name);
        };
        json answer;
        switch (wire) {
          case ImageWire::kRawBytes:
            res.set_content(bytes, r.content_type.empty() ? mime : r.content_type);
            return;
          case ImageWire::kOpenAi: {
            const json body = json::parse(req.body, nullptr, false);
            const int n = body.is_object() ? body.value("n", 1) : 1;
            answer = {{"created", 1700000000}, {"data", json::array()}};
            for (int k = 0; k < n; ++k) {
              json item = {{"revised_prompt", "a revised prompt " + std::to_string(k)}};
              if (r.as_url) {
                item["url"] = link(bytes);
              } else {
                item["b64_json"] = base64_encode(bytes);
              }
              answer["data"].push_back(item);
            }
            break;
          }
          case ImageWire::kHuggingFaceData:
            answer = {{"data", json::array({{{"b64_json", base64_encode(bytes)}}})}};
            break;
          case ImageWire::kHuggingFaceUrl:
            answer = {{"output", json::array({link(bytes)})}};
            break;
          case ImageWire::kCloudflareFlux:
            answer = {{"result", {{"image", base64_encode(bytes)}}},
                      {"success", true},
                      {"errors", json::array()},
                      {"messages", json::array()}};
            break;
          case ImageWire::kGemini: {
            const char* inline_key = r.snake_case ? "inline_data" : "inlineData";
            const char* mime_key = r.snake_case ? "mime_type" : "mimeType";
            answer = {
                {"candidates",
                 json::array({{{"content",
                                {{"role", "model"},
                                 {"parts", json::array({{{"text", "Here is your picture."}},
                                                        {{inline_key,
                                                          {{mime_key, mime},
                                                           {"data", base64_encode(bytes)}}}}})}}},
                               {"finishReason", "STOP"}}})},
                {"usageMetadata", {{"promptTokenCount", 7}, {"totalTokenCount", 1297}}}};
            break;
          }
        }
        res.set_content(answer.dump(), "application/json");
      });
}

// Error bodies as the services write them (IMAGE-APIS.md, AI-APIS.md).
inline const char* const kPollinations401 =
    R"({"success":false,"error":{"message":"Authentication required. Please provide an API key via Authorization header (Bearer token) or ?key= query parameter.","code":"UNAUTHORIZED","timestamp":"2026-04-02T20:34:27.884Z"},"status":401})";
inline const char* const kHtmlBadGateway =
    "<!DOCTYPE html>\n<html>\n<head><title>502 Bad Gateway</title></head>\n<body>\n<center><h1>"
    "502 Bad Gateway</h1></center>\n<hr><center>cloudflare</center>\n</body>\n</html>\n";

}  // namespace sakai::testing
