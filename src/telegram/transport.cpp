#include "telegram/transport.h"
#include "telegram/formatted_text.h"

#include "core/text.h"

namespace sakai::telegram {

TextBuilder& TextBuilder::add(std::string_view s) {
  out_.text += s;
  utf16_size_ += static_cast<std::int32_t>(text::utf16_length(s));
  return *this;
}

TextBuilder& TextBuilder::add(std::string_view s, EntityType type, std::string argument) {
  const auto len = static_cast<std::int32_t>(text::utf16_length(s));
  if (len > 0) out_.entities.push_back(TextEntity{utf16_size_, len, type, std::move(argument)});
  out_.text += s;
  utf16_size_ += len;
  return *this;
}

FormattedText TextBuilder::build() && {
  // Telegram rejects a message that ends in whitespace-only lines less gracefully than one that
  // is trimmed; entities never cover the trailing newline we strip.
  while (!out_.text.empty() && out_.text.back() == '\n')
    out_.text.pop_back();
  return std::move(out_);
}

std::string_view chat_action_name(ChatAction action) {
  switch (action) {
    case ChatAction::kTyping:
      return "typing";
    case ChatAction::kRecordingVoice:
      return "recording_voice";
    case ChatAction::kUploadingVoice:
      return "uploading_voice";
    case ChatAction::kUploadingPhoto:
      return "uploading_photo";
    case ChatAction::kCancel:
      return "cancel";
  }
  return "typing";
}

std::string_view connection_state_name(ConnectionState state) {
  switch (state) {
    case ConnectionState::kReady:
      return "ready";
    case ConnectionState::kStarting:
      return "starting";
    case ConnectionState::kConnecting:
      return "connecting";
    case ConnectionState::kConnectingToProxy:
      return "connecting_to_proxy";
    case ConnectionState::kUpdating:
      return "updating";
    case ConnectionState::kWaitingForNetwork:
      return "waiting_for_network";
    case ConnectionState::kLoggedOut:
      return "logged_out";
    case ConnectionState::kClosed:
      return "closed";
  }
  return "starting";
}

}  // namespace sakai::telegram
