#pragma once
// TdlibTransport over TdClient over a TdJsonHub over ScriptedTdJson, wired as
// TelegramSession::start wires them (update sink → decode_td_object → TdlibTransport::enqueue →
// the loop → TdlibTransport::handle), on a ManualClock.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/event_loop.h"
#include "core/log.h"
#include "support/scripted_tdjson.h"
#include "telegram/tdjson/td_client.h"
#include "telegram/tdjson/td_decode.h"
#include "telegram/tdjson/tdlib_transport.h"
#include "unit/telegram/td_json_builders.h"
#include "unit/telegram/tdjson_test_support.h"

namespace sakai::telegram::tdjson::transport_test {

using nlohmann::json;
namespace tj = td_json;

class RecordingHandler final : public UpdateHandler {
 public:
  void on_new_message(const Message& message) override { messages.push_back(message); }
  void on_message_edited(const Message& message) override { edited.push_back(message); }
  void on_messages_deleted(ChatId chat, const std::vector<MessageId>& ids) override {
    deleted.emplace_back(chat, ids);
  }
  std::vector<Message> messages;
  std::vector<Message> edited;
  std::vector<std::pair<ChatId, std::vector<MessageId>>> deleted;
};

// UTF-16 code units of UTF-8 text, counted independently of core/text.
inline std::size_t utf16_units(const std::string& s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    n += len == 4 ? 2 : 1;
    i += len;
  }
  return n;
}

// The text of an input message content (inputMessageText.text or a media caption).
inline std::string input_text_of(const json& request) {
  const json& content = request.at("input_message_content");
  if (content.at("@type") == "inputMessageText") return content.at("text").at("text");
  return content.at("caption").at("text");
}

class TdlibTransportTest : public ::testing::Test {
 protected:
  static constexpr std::int64_t kSelf = 5'000'001;
  struct Sent {
    std::int64_t chat = 0;
    std::int64_t temp_id = 0;
    json request;
  };

  // Time 0 of a ManualClock is Clock::TimePoint{}, which the transport also uses as "never":
  // start an hour in, as a SystemClock always is.
  TdlibTransportTest() { clock_.advance(std::chrono::hours(1)); }

  void start(TdlibTransportOptions options = {}) {
    TdJsonHubOptions hub_options;
    hub_options.receive_timeout_seconds = 0.02;
    hub_ = std::make_unique<TdJsonHub>(api_, logger_, hub_options);
    client_ = std::make_unique<TdClient>(*hub_, loop_, logger_, clock_);
    transport_ = std::make_unique<TdlibTransport>(*client_, loop_, logger_, options);
    transport_->set_update_handler(&handler_);
    auto* transport = transport_.get();
    client_->set_update_sink(
        [transport](std::string_view, TdEvent&& event) { transport->enqueue(std::move(event)); });
    client_->start();
  }

  // Runs the loop until nothing is queued in the double, in flight on the receive thread, or
  // ready on the loop.
  void settle() {
    for (int round = 0; round < 100'000; ++round) {
      ASSERT_TRUE(test_support::eventually([this] { return api_.idle(); }))
          << "the receive thread did not drain the double";
      if (loop_.run_ready() == 0 && api_.idle()) return;
    }
    FAIL() << "the loop never settled";
  }
  void push(json object) {
    td_.push_update(std::move(object));
    settle();
  }
  void advance(Clock::Duration d) {
    clock_.advance(d);
    settle();
  }

  // sendMessage and forwardMessages are answered like TDLib: a temporary message (or messages)
  // with sending_state messageSendingStatePending, then updateNewMessage for each.
  void answer_sends() {
    td_.on("sendMessage", [this](const json& request) -> std::vector<json> {
      const std::int64_t chat = request.at("chat_id");
      const std::int64_t temp = next_temp_++;
      json content = nullptr;
      const json& input = request.at("input_message_content");
      if (input.at("@type") == "inputMessageVoiceNote") {
        content = tj::message_voice_note(input.at("duration"), input.at("waveform"),
                                         tj::local_file(7, input["voice_note"]["path"], 4096),
                                         input["caption"]["text"]);
      } else if (input.at("@type") == "inputMessagePhoto") {
        content = tj::message_photo(tj::local_file(8, input["photo"]["photo"]["path"], 90'000),
                                    1280, 720, input["caption"]["text"]);
      }
      const json m = tj::message({.chat_id = chat,
                                  .id = temp,
                                  .sender_user_id = kSelf,
                                  .text = input_text_of(request),
                                  .is_outgoing = true,
                                  .sending_state = tj::pending_state(),
                                  .content = content,
                                  .topic_id = request.at("topic_id")});
      sent_.push_back({chat, temp, request});
      return {m, tj::update_new_message(m)};
    });
    td_.on("forwardMessages", [this](const json& request) -> std::vector<json> {
      const std::int64_t chat = request.at("chat_id");
      std::vector<json> list;
      for (std::size_t i = 0; i < request.at("message_ids").size(); ++i) {
        const std::int64_t temp = next_temp_++;
        list.push_back(tj::message({.chat_id = chat,
                                    .id = temp,
                                    .sender_user_id = kSelf,
                                    .text = "forwarded",
                                    .is_outgoing = true,
                                    .sending_state = tj::pending_state(),
                                    .topic_id = request.at("topic_id")}));
        sent_.push_back({chat, temp, request});
      }
      std::vector<json> out{tj::messages(list, static_cast<std::int32_t>(list.size()))};
      for (const auto& m : list)
        out.push_back(tj::update_new_message(m));
      return out;
    });
  }

  // TDLib's updateMessageSendSucceeded for sent_[index], with `real_id`.
  void succeed(std::size_t index, std::int64_t real_id) {
    const Sent& s = sent_.at(index);
    push(tj::update_send_succeeded(tj::message({.chat_id = s.chat,
                                                .id = real_id,
                                                .sender_user_id = kSelf,
                                                .text = "sent",
                                                .is_outgoing = true}),
                                   s.temp_id));
  }

  // send_text of `text` to `chat` without options; the callback stores its outcome in `got`
  // (the first message's id: these texts are short).
  void send_text_to(std::int64_t chat, std::string text, std::optional<Result<MessageId>>& got) {
    transport_->send_text(
        ChatId(chat), FormattedText(std::move(text)), {}, [&got](Result<SentParts> r) {
          got = r.is_ok() ? Result<MessageId>(r->first()) : Result<MessageId>(r.status());
        });
  }

  std::size_t count(std::string_view type) const { return td_.requests_of_type(type).size(); }

  ManualClock clock_;
  test_support::LockedLog log_;
  Logger logger_{LogLevel::kDebug, LogFormat::kJson, log_.stream(), clock_};
  EventLoop loop_{clock_};
  ScriptedTdJson td_;
  tj::SettlingTdJson api_{td_};
  RecordingHandler handler_;
  std::vector<Sent> sent_;
  std::int64_t next_temp_ = 900'000'001;
  std::unique_ptr<TdJsonHub> hub_;
  std::unique_ptr<TdlibTransport> transport_;
  // Last: destroyed (stopped) first, while the transport its sink posts to still exists.
  std::unique_ptr<TdClient> client_;
};

}  // namespace sakai::telegram::tdjson::transport_test
