#include "features/ai/reply_helpers.h"

#include "ai/llm/error_messages.h"
#include "core/text.h"

namespace sakai::features {

using commands::Reply;

namespace {

using Args = std::vector<std::pair<std::string, std::string>>;

void dispatch(Reply& reply, bool usage, const std::string& key, const Args& a) {
  auto send = [&](std::initializer_list<TrArg> args) {
    if (usage) {
      reply.usage(key, args);
    } else {
      reply.error(key, args);
    }
  };
  switch (a.size()) {
    case 0:
      send({});
      break;
    case 1:
      send({{a[0].first, a[0].second}});
      break;
    case 2:
      send({{a[0].first, a[0].second}, {a[1].first, a[1].second}});
      break;
    default:
      send({{a[0].first, a[0].second}, {a[1].first, a[1].second}, {a[2].first, a[2].second}});
      break;
  }
}

}  // namespace

void reply_arg_error(Reply& reply, const ArgError& error) {
  if (error.usage && error.key.empty()) {
    reply.usage();
    return;
  }
  dispatch(reply, error.usage, error.key, error.args);
}

void reply_llm_error(Reply& reply, const ai::LlmError& error) {
  const ai::LlmErrorMessage m = ai::llm_error_message(error);
  dispatch(reply, false, m.key, m.args);
}

telegram::FormattedText concat(telegram::FormattedText a, const telegram::FormattedText& b) {
  const auto shift = static_cast<std::int32_t>(text::utf16_length(a.text));
  a.text += b.text;
  for (auto e : b.entities) {
    e.offset += shift;
    a.entities.push_back(e);
  }
  return a;
}

}  // namespace sakai::features
