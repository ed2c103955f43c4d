#include "app/debug_render.h"

#include <istream>
#include <iterator>
#include <ostream>
#include <string>

#include "telegram/format/markdown.h"
#include "telegram/format/td_entities_json.h"

namespace sakai::app {

int run_render_markdown(std::istream& in, std::ostream& out) {
  const std::string markdown{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) return 1;
  out << telegram::formatted_text_to_td_json(telegram::markdown_to_formatted(markdown)) << '\n';
  out.flush();
  return out ? 0 : 1;
}

}  // namespace sakai::app
