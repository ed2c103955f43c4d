#pragma once
// A multipart/form-data body (RFC 7578), as OpenAI-compatible /audio/transcriptions and image
// edit endpoints take it: text fields and files, each part with its Content-Disposition.
//
//   MultipartForm form;
//   form.add_field("model", "whisper-1");
//   form.add_file("file", "audio.ogg", "audio/ogg", bytes);
//   request.headers.emplace_back("Content-Type", form.content_type());
//   request.body = std::move(form).finish();
//
// The boundary is random (24 hex digits after "----sakaibot"); names and file names have '"'
// escaped as %22 and CR/LF dropped, as browsers do. Not thread-safe; a value type.
#include <string>
#include <string_view>

namespace sakai::ai {

class MultipartForm {
 public:
  MultipartForm();
  explicit MultipartForm(std::string boundary);

  void add_field(std::string_view name, std::string_view value);
  void add_file(std::string_view name, std::string_view filename, std::string_view content_type,
                std::string_view bytes);

  [[nodiscard]] const std::string& boundary() const { return boundary_; }
  // "multipart/form-data; boundary=<boundary>"
  [[nodiscard]] std::string content_type() const;
  // The body, closed by the final boundary.
  [[nodiscard]] std::string finish() &&;

 private:
  void open_part(std::string_view name);
  std::string boundary_;
  std::string body_;
};

}  // namespace sakai::ai
