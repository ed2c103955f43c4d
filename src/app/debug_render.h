#pragma once
// `sakaibot debug render-markdown`: Markdown on stdin -> TDLib formattedText JSON on stdout,
// exactly what the bot would send for an LLM answer (one JSON object and a newline).
#include <iosfwd>

namespace sakai::app {

// Reads all of `in` as Markdown and writes the formattedText JSON to `out`. Returns the exit
// code: 0, or 1 when `in` fails to read or `out` fails to write.
int run_render_markdown(std::istream& in, std::ostream& out);

}  // namespace sakai::app
