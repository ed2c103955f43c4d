#pragma once
// Talking to the person at the terminal during login and setup. Blocking; call from the thread
// that owns the terminal (the event loop thread during `sakaibot login`, which is idle while it
// waits for the person anyway).
#include <iosfwd>
#include <optional>
#include <string>

namespace sakai::app {

class Terminal {
 public:
  Terminal(std::istream& in, std::ostream& out, bool interactive);
  [[nodiscard]] bool interactive() const { return interactive_; }
  // Prints `question` and reads one line; nullopt at end of input.
  std::optional<std::string> ask(const std::string& question);
  // As ask(), without echo when the input is a terminal (passwords, API keys).
  std::optional<std::string> ask_secret(const std::string& question);
  void say(const std::string& line);
  // Draws `data` as a QR code with Unicode half blocks (two modules per character row).
  void show_qr(const std::string& data);

 private:
  std::istream& in_;
  std::ostream& out_;
  bool interactive_;
};

// The QR code as text, for tests and for Terminal::show_qr; "" if it cannot be encoded.
std::string render_qr(const std::string& data);

}  // namespace sakai::app
