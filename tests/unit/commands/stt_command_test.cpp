// /stt and voice mode through the whole engine: MemoryTransport voice notes (files made with
// flite and our Opus encoder), the local pocketsphinx engine (no key configured), a scripted LLM
// and a ManualClock for voice mode's idle timer.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "ai/speech/audio.h"
#include "ai/speech/local_tts.h"
#include "support/temp_dir.h"
#include "unit/commands/text_ai_fixture.h"

namespace sakai::testing {
namespace {

namespace fs = std::filesystem;

class SttCommandTest : public TextAiTest {
 protected:
  void SetUp() override {
    TextAiTest::SetUp();
    dir_ = tmp_.path();
    config_.set("data.dir", dir_.string(), "test");
  }

  std::string voice_file(const std::string& sentence, const std::string& name = "note.ogg") {
    auto pcm = ai::speech::local_tts(sentence, {.voice = "kal16"});
    EXPECT_TRUE(pcm) << pcm.status().to_string();
    const std::string path = (dir_ / name).string();
    auto note = ai::speech::encode_voice_note_file(*pcm, path);
    EXPECT_TRUE(note) << note.status().to_string();
    return path;
  }
  std::string raw_file(const std::string& bytes, const std::string& name) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }
  // Ali sends a voice note in his private chat; returns its id.
  MessageId ali_sends_voice(const std::string& path, MediaKind kind = MediaKind::kVoiceNote) {
    const auto id = transport_->receive_media(ChatId(ali_.value()), ali_, kind, path);
    loop_.run_until_idle();
    return id;
  }
  // The owner replies `text` to `id` in Ali's chat and everything it starts finishes.
  void owner_replies(MessageId id, const std::string& text) {
    transport_->receive(ChatId(ali_.value()), transport_->self_id(), text, id);
    loop_.run_until_idle();
  }
  // A restart: the registry (and with it voice mode's memory), the services, the router and the
  // in-memory Telegram are built anew over the same database, after `down` without SakaiBot.
  void restart(Clock::Duration down = Clock::Duration::zero()) {
    loop_.run_until_idle();
    router_.reset();
    services_.reset();
    registry_ = commands::Registry();
    clock_.advance(down);
    build();
    services_->llm = &llm_;
  }
  std::string all_sent() const {
    std::string out;
    for (const auto& t : sent_texts())
      out += t + "\n";
    return out;
  }

  TempDir tmp_{"sakaibot-stt"};
  fs::path dir_;
};

TEST_F(SttCommandTest, TranscribesARepliedVoiceNoteLocally) {
  const auto note = ali_sends_voice(voice_file("Please call me tomorrow morning."));
  owner_replies(note, "/stt");
  const std::string out = all_sent();
  EXPECT_NE(out.find("Transcript"), std::string::npos) << out;
  EXPECT_NE(out.find("tomorrow"), std::string::npos) << out;
  EXPECT_TRUE(llm_.requests.empty());  // short: no summary
  ASSERT_FALSE(actions_of("chat_action").empty());
}

TEST_F(SttCommandTest, ClearErrorsForMissingOrWrongInput) {
  owner_says(ChatId(ali_.value()), "/stt");
  EXPECT_NE(last_sent().find("Reply to a voice note"), std::string::npos) << last_sent();

  const auto text = transport_->receive(ChatId(ali_.value()), ali_, "just text");
  loop_.run_until_idle();
  owner_replies(text, "/stt");
  EXPECT_NE(last_sent().find("not a voice note"), std::string::npos) << last_sent();

  const auto junk = ali_sends_voice(raw_file(
      std::string("OggS\0\2", 6) + std::string(22, 'x') + "OpusHead" + std::string(99, 'y'),
      "broken.ogg"));
  owner_replies(junk, "/stt");
  EXPECT_NE(last_sent().find("damaged"), std::string::npos) << last_sent();

  // A voice note whose file is not audio: it is a voice note, but it cannot be read.
  const auto words = ali_sends_voice(raw_file("hello, this is not audio", "text.ogg"));
  owner_replies(words, "/stt");
  EXPECT_NE(last_sent().find("could not be read"), std::string::npos) << last_sent();
}

TEST_F(SttCommandTest, CapsFromTheConfiguration) {
  config_.set("voice.max_seconds", "1", "test");
  const auto note = ali_sends_voice(voice_file("The train leaves at seven in the evening."));
  owner_replies(note, "/stt");
  EXPECT_NE(last_sent().find("too long"), std::string::npos) << last_sent();
  EXPECT_NE(last_sent().find("1 s"), std::string::npos) << last_sent();

  config_.set("voice.max_bytes", "1024", "test");
  owner_replies(note, "/stt");
  EXPECT_NE(last_sent().find("too large"), std::string::npos) << last_sent();
}

TEST_F(SttCommandTest, LongTranscriptsAreSplitAtTheLimit) {
  transport_->set_message_text_limit(24);
  const auto note = ali_sends_voice(voice_file("We are going to the market."));
  const auto before = sends();
  owner_replies(note, "/stt");
  EXPECT_GE(sends() - before, 2u) << all_sent();
  for (const auto& t : sent_texts())
    EXPECT_LE(t.size(), 24u * 4u);  // every part went out (MemoryTransport refuses longer ones)
}

TEST_F(SttCommandTest, VoiceModeAnswersVoiceNotesWithVoiceNotes) {
  const ChatId chat(ali_.value());
  owner_says(chat, "/voicemode");
  loop_.run_until_idle();
  EXPECT_NE(last_sent().find("Voice mode is on"), std::string::npos) << last_sent();

  llm_.answer = [](const ai::ChatRequest&, std::size_t) { return std::string("Sure, I will."); };
  ali_sends_voice(voice_file("Please call me tomorrow morning."));
  ASSERT_EQ(llm_.requests.size(), 1u);
  EXPECT_NE(llm_.requests[0].messages.back().text.find("tomorrow"), std::string::npos);
  const auto voices = actions_of("voice");
  ASSERT_EQ(voices.size(), 1u);
  EXPECT_GE(voices[0].duration_seconds, 1);
  bool recording = false;
  for (const auto& a : actions_of("chat_action"))
    recording = recording || a.detail == "recording_voice";
  EXPECT_TRUE(recording);

  // The second note sees the first exchange as memory.
  ali_sends_voice(voice_file("We are going to the market.", "second.ogg"));
  ASSERT_EQ(llm_.requests.size(), 2u);
  EXPECT_GE(llm_.requests[1].messages.size(), 3u);

  owner_says(chat, "/endvoice");
  loop_.run_until_idle();
  EXPECT_NE(last_sent().find("Voice mode is off"), std::string::npos) << last_sent();
  ali_sends_voice(voice_file("Hello there.", "third.ogg"));
  EXPECT_EQ(llm_.requests.size(), 2u);
  EXPECT_EQ(actions_of("voice").size(), 2u);

  owner_says(chat, "/endvoice");
  loop_.run_until_idle();
  EXPECT_NE(last_sent().find("not on"), std::string::npos) << last_sent();
}

TEST_F(SttCommandTest, VoiceModeEndsAfterIdleTime) {
  const ChatId chat(ali_.value());
  owner_says(chat, "/voicemode");
  clock_.advance(std::chrono::minutes(9));
  loop_.run_ready();
  EXPECT_NE(last_sent().find("Voice mode is on"), std::string::npos);
  clock_.advance(std::chrono::minutes(2));
  loop_.run_ready();
  EXPECT_NE(last_sent().find("Voice mode ended"), std::string::npos) << last_sent();
  ali_sends_voice(voice_file("Hello there."));
  EXPECT_TRUE(llm_.requests.empty());
  EXPECT_TRUE(actions_of("voice").empty());
}

// The downloaded copy of a transcribed file is released through the transport once it has been
// read (TDLib: deleteFile; MemoryTransport records the action and keeps the sender's file).
TEST_F(SttCommandTest, TheDownloadedFileIsReleasedAfterTranscription) {
  const std::string path = voice_file("Please call me tomorrow morning.");
  const auto note = ali_sends_voice(path);
  owner_replies(note, "/stt");
  const auto released = actions_of("delete_file");
  ASSERT_EQ(released.size(), 1u);
  EXPECT_EQ(released[0].message, note);
  EXPECT_EQ(released[0].path, path);
  EXPECT_TRUE(fs::exists(path));  // not ours to delete

  // Also when the file is refused.
  const auto junk = ali_sends_voice(raw_file("hello, this is not audio", "text.ogg"));
  owner_replies(junk, "/stt");
  ASSERT_EQ(actions_of("delete_file").size(), 2u);
  EXPECT_EQ(actions_of("delete_file")[1].message, junk);
}

TEST_F(SttCommandTest, VoiceModeSurvivesARestart) {
  const ChatId chat(ali_.value());
  owner_says(chat, "/voicemode");
  loop_.run_until_idle();
  ASSERT_NE(last_sent().find("Voice mode is on"), std::string::npos) << last_sent();

  restart();
  llm_.answer = [](const ai::ChatRequest&, std::size_t) { return std::string("Sure, I will."); };
  const auto note = ali_sends_voice(voice_file("Please call me tomorrow morning."));
  ASSERT_EQ(llm_.requests.size(), 1u);
  EXPECT_NE(llm_.requests[0].messages.back().text.find("tomorrow"), std::string::npos);
  const auto voices = actions_of("voice");
  ASSERT_EQ(voices.size(), 1u);
  EXPECT_EQ(voices[0].reply_to, note);
  // The spoken answer was written under <data.dir>/voice and removed once sent; the downloaded
  // question was released.
  EXPECT_FALSE(fs::exists(voices[0].path)) << voices[0].path;
  ASSERT_EQ(actions_of("delete_file").size(), 1u);
  EXPECT_EQ(actions_of("delete_file")[0].message, note);

  // /endvoice is stored too: after another restart voice notes are left alone.
  owner_says(chat, "/endvoice");
  loop_.run_until_idle();
  restart();
  ali_sends_voice(voice_file("Hello there.", "second.ogg"));
  EXPECT_EQ(llm_.requests.size(), 1u);
  EXPECT_TRUE(actions_of("voice").empty());
}

TEST_F(SttCommandTest, VoiceModeIdleTimeoutStillEndsItAfterARestart) {
  const ChatId chat(ali_.value());
  owner_says(chat, "/voicemode");
  clock_.advance(std::chrono::minutes(6));
  restart();
  // Four of the ten idle minutes are left.
  clock_.advance(std::chrono::minutes(3));
  loop_.run_ready();
  EXPECT_EQ(last_sent().find("Voice mode ended"), std::string::npos) << last_sent();
  clock_.advance(std::chrono::minutes(2));
  loop_.run_ready();
  EXPECT_NE(last_sent().find("Voice mode ended"), std::string::npos) << last_sent();
  ali_sends_voice(voice_file("Hello there."));
  EXPECT_TRUE(llm_.requests.empty());

  // Time that ran out while SakaiBot was down ends it at the start.
  owner_says(chat, "/voicemode");
  loop_.run_until_idle();
  ASSERT_NE(last_sent().find("Voice mode is on"), std::string::npos) << last_sent();
  restart(std::chrono::minutes(30));
  loop_.run_ready();
  EXPECT_NE(last_sent().find("Voice mode ended"), std::string::npos) << last_sent();
  ali_sends_voice(voice_file("Hello again.", "again.ogg"));
  EXPECT_TRUE(llm_.requests.empty());
}

TEST_F(SttCommandTest, FriendsNeedAGrantForVoiceCommands) {
  user_says(ali_, "/voicemode");
  EXPECT_EQ(last_sent().find("Voice mode is on"), std::string::npos);
  grant(ali_, "voicemode", storage::GrantMode::kDirect);
  user_says(ali_, "/voicemode");
  EXPECT_NE(last_sent().find("Voice mode is on"), std::string::npos) << last_sent();
}

}  // namespace
}  // namespace sakai::testing
