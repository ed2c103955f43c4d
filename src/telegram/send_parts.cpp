#include "telegram/send_parts.h"

#include <memory>
#include <utility>

#include "core/text.h"
#include "telegram/format/splitter.h"

namespace sakai::telegram {
namespace {

struct Sending {
  std::vector<FormattedText> parts;
  SendOptions options;
  SendOne send_one;
  SendTextCallback done;
  SentParts sent;
};

void send_next(const std::shared_ptr<Sending>& s) {
  const std::size_t index = s->sent.ids.size();
  if (index == s->parts.size()) {
    s->done(std::move(s->sent));
    return;
  }
  SendOptions options = s->options;
  if (index > 0) options.reply_to.reset();  // later parts follow the first, they do not reply
  s->send_one(std::move(s->parts[index]), options, [s](Result<MessageId> id) {
    if (!id.is_ok()) {
      // A later part that fails leaves the answer incomplete: say so, do not hide it.
      s->done(
          id.status().with_context(s->sent.ids.empty() ? "send" : "the rest of a long message"));
      return;
    }
    s->sent.ids.push_back(*id);
    send_next(s);
  });
}

}  // namespace

std::vector<FormattedText> send_text_parts(const FormattedText& text, int limit) {
  if (static_cast<int>(text::utf16_length(text.text)) <= limit) return {text};
  return split_formatted(text, limit);
}

void send_in_parts(std::vector<FormattedText> parts, SendOptions options, SendOne send_one,
                   SendTextCallback done) {
  if (parts.empty()) {
    done(make_error(ErrorCode::kInvalidArgument, "nothing to send"));
    return;
  }
  auto s = std::make_shared<Sending>(
      Sending{std::move(parts), std::move(options), std::move(send_one), std::move(done), {}});
  s->sent.ids.reserve(s->parts.size());
  send_next(s);
}

}  // namespace sakai::telegram
