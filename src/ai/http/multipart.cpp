#include "ai/http/multipart.h"

#include <random>
#include <utility>

namespace sakai::ai {
namespace {

std::string random_boundary() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string b = "----sakaibot";
  for (int i = 0; i < 24; ++i)
    b += kHex[rng() % 16];
  return b;
}

// A name inside a quoted header parameter.
std::string quoted_param(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (const char c : value) {
    if (c == '"') {
      out += "%22";
    } else if (c != '\r' && c != '\n') {
      out += c;
    }
  }
  return out;
}

}  // namespace

MultipartForm::MultipartForm() : boundary_(random_boundary()) {}

MultipartForm::MultipartForm(std::string boundary) : boundary_(std::move(boundary)) {}

void MultipartForm::open_part(std::string_view name) {
  body_ += "--";
  body_ += boundary_;
  body_ += "\r\nContent-Disposition: form-data; name=\"";
  body_ += quoted_param(name);
  body_ += '"';
}

void MultipartForm::add_field(std::string_view name, std::string_view value) {
  open_part(name);
  body_ += "\r\n\r\n";
  body_ += value;
  body_ += "\r\n";
}

void MultipartForm::add_file(std::string_view name, std::string_view filename,
                             std::string_view content_type, std::string_view bytes) {
  open_part(name);
  body_ += "; filename=\"";
  body_ += quoted_param(filename);
  body_ += "\"\r\nContent-Type: ";
  body_ += quoted_param(content_type);
  body_ += "\r\n\r\n";
  body_ += bytes;
  body_ += "\r\n";
}

std::string MultipartForm::content_type() const {
  return "multipart/form-data; boundary=" + boundary_;
}

std::string MultipartForm::finish() && {
  body_ += "--";
  body_ += boundary_;
  body_ += "--\r\n";
  return std::move(body_);
}

}  // namespace sakai::ai
