#include "app/terminal.h"

#include <qrencode.h>
#include <termios.h>
#include <unistd.h>

#include <iostream>

namespace sakai::app {

Terminal::Terminal(std::istream& in, std::ostream& out, bool interactive)
    : in_(in), out_(out), interactive_(interactive) {}

std::optional<std::string> Terminal::ask(const std::string& question) {
  out_ << question << std::flush;
  std::string line;
  if (!std::getline(in_, line)) return std::nullopt;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

std::optional<std::string> Terminal::ask_secret(const std::string& question) {
  if (!interactive_ || ::isatty(STDIN_FILENO) == 0) return ask(question);
  termios old{};
  ::tcgetattr(STDIN_FILENO, &old);
  termios quiet = old;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  auto line = ask(question);
  ::tcsetattr(STDIN_FILENO, TCSANOW, &old);
  out_ << "\n";
  return line;
}

void Terminal::say(const std::string& line) {
  out_ << line << "\n" << std::flush;
}

std::string render_qr(const std::string& data) {
  QRcode* qr = QRcode_encodeString(data.c_str(), 0, QR_ECLEVEL_L, QR_MODE_8, 1);
  if (qr == nullptr) return {};
  const int n = qr->width;
  const int quiet = 2;
  const auto dark = [&](int x, int y) {
    if (x < 0 || y < 0 || x >= n || y >= n) return false;
    return (qr->data[y * n + x] & 1) != 0;
  };
  std::string out;
  // Light background, dark modules: each character holds two rows (upper and lower half).
  for (int y = -quiet; y < n + quiet; y += 2) {
    for (int x = -quiet; x < n + quiet; ++x) {
      const bool top = dark(x, y);
      const bool bottom = dark(x, y + 1);
      if (top && bottom) {
        out += " ";
      } else if (top) {
        out += "▄";
      } else if (bottom) {
        out += "▀";
      } else {
        out += "█";
      }
    }
    out += "\n";
  }
  QRcode_free(qr);
  return out;
}

void Terminal::show_qr(const std::string& data) {
  out_ << render_qr(data) << std::flush;
}

}  // namespace sakai::app
