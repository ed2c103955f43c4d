#include "features/ai/reply_helpers.h"

#include "ai/llm/error_messages.h"
#include "assistant/llm_call.h"
#include "commands/services.h"
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

void reply_llm_error(Reply& reply, const ai::LlmError& error, const ai::LlmErrorContext& context) {
  const ai::LlmErrorMessage m = ai::llm_error_message(error, context);
  dispatch(reply, false, m.key, m.args);
}

void WaitingNotice::update(Clock::Duration waited) {
  if (removed_ || sending_) return;
  const auto secs = std::chrono::duration_cast<std::chrono::seconds>(waited).count();
  telegram::FormattedText text(
      "⏳ " + services_.i18n.tr(lang_, "ai.stream.waiting",
                               {{"provider", assistant::primary_provider_label(services_)},
                                {"seconds", std::to_string(secs)}}));
  if (message_) {
    services_.transport.edit_text(chat_, *message_, std::move(text), [](Status) {});
    return;
  }
  sending_ = true;
  telegram::SendOptions opts;
  opts.reply_to = reply_to_;
  auto self = shared_from_this();
  services_.transport.send_text(chat_, std::move(text), opts, [self](Result<MessageId> sent) {
    self->sending_ = false;
    if (!sent.is_ok()) return;
    self->message_ = *sent;
    if (self->removed_) {
      self->removed_ = false;
      self->remove();
    }
  });
}

void WaitingNotice::remove() {
  if (sending_) {
    removed_ = true;  // deleted when the send completes
    return;
  }
  removed_ = true;
  if (message_) {
    services_.transport.delete_messages(chat_, {*std::exchange(message_, std::nullopt)},
                                        [](Status) {});
  }
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
