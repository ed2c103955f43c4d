// What a user reads from the voice feature when things do not go to plan, in English and Persian:
// the English-only local speech engine refusing Persian instead of guessing (real speech: flite
// for English, espeak-ng for Persian, heard by pocketsphinx), engine errors as catalog messages,
// voice mode's fallbacks (local voice, then formatted text; the transcript when there is no AI),
// and where the voice notes are written (the resolved data directory, private).
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "ai/llm/provider_chain.h"
#include "ai/speech/audio.h"
#include "ai/speech/local_tts.h"
#include "ai/speech/stt.h"
#include "core/shared_library.h"
#include "features/voice/speech_errors.h"
#include "support/temp_dir.h"
#include "unit/commands/text_ai_fixture.h"

namespace sakai::testing {
namespace {

namespace fs = std::filesystem;

// A cloud engine that fails every synthesis with `error` (as Gemini TTS does when its answer has
// no audio), answering on the loop.
class FailingTts final : public ai::speech::TtsEngine {
 public:
  FailingTts(EventLoop& loop, Status error) : loop_(loop), error_(std::move(error)) {}
  std::string name() const override { return "gemini"; }
  std::vector<ai::speech::TtsVoice> voices() const override { return {{"Orus", "", "Gemini"}}; }
  std::string default_voice(std::string_view) const override { return "Orus"; }
  void synthesize(std::string, std::string, double, ai::speech::TtsDone done,
                  ai::speech::CancelToken) override {
    ++*calls;
    loop_.post([done = std::move(done), e = error_] { done(e); });
  }
  std::shared_ptr<int> calls = std::make_shared<int>(0);

 private:
  EventLoop& loop_;
  Status error_;
};

const Status kNoAudio =
    make_error(ErrorCode::kCorrupt, "Gemini TTS: no audio in the answer (finishReason STOP)");

mode_t mode_of(const fs::path& p) {
  struct stat st {};
  EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
  return st.st_mode & 0777;
}

class VoiceQualityTest : public TextAiTest {
 protected:
  void SetUp() override {
    TextAiTest::SetUp();
    // The directory the app resolved ($XDG_DATA_HOME/sakaibot and the like); data.dir unset.
    data_ = tmp_.path() / "data";
    services_->data_dir = data_.string();
  }

  std::string spoken(const std::string& sentence, const std::string& voice,
                     const std::string& name) {
    auto pcm = ai::speech::local_tts(sentence, {.voice = voice});
    EXPECT_TRUE(pcm) << pcm.status().to_string();
    const std::string path = (tmp_.path() / name).string();
    auto note = ai::speech::encode_voice_note_file(*pcm, path);
    EXPECT_TRUE(note) << note.status().to_string();
    return path;
  }
  MessageId ali_sends_voice(const std::string& path) {
    const auto id =
        transport_->receive_media(ChatId(ali_.value()), ali_, MediaKind::kVoiceNote, path);
    loop_.run_until_idle();
    return id;
  }
  void owner_replies(MessageId id, const std::string& text) {
    transport_->receive(ChatId(ali_.value()), transport_->self_id(), text, id);
    loop_.run_until_idle();
  }
  // The voice feature's TTS queue gets `engine` first (its default, when given), then the local
  // voices.
  void use_tts(std::function<std::unique_ptr<ai::speech::TtsEngine>()> engine) {
    voice_options_ = features::VoiceOptions{};
    voice_options_.tts_engines = [this, engine](commands::Services& s) {
      features::VoiceOptions::TtsEngines engines;
      if (engine) engines.push_back(engine());
      engines.push_back(ai::speech::make_local_tts_engine(s.loop, workers_));
      return engines;
    };
    registry_ = commands::Registry();
    build();
    services_->llm = &llm_;
    services_->data_dir = data_.string();
  }
  const telegram::TransportAction* last_of(const std::string& kind) const {
    const telegram::TransportAction* found = nullptr;
    for (const auto& a : transport_->actions()) {
      if (a.kind == kind) found = &a;
    }
    return found;
  }
  // What the user reads last: the newest message or edit (a /tts outcome is the status message's
  // last edit, or its own message when the status was not out yet).
  std::string last_read() const {
    std::string text;
    for (const auto& a : transport_->actions()) {
      if (a.kind == "send" || a.kind == "edit") text = a.text.text;
    }
    return text;
  }

  TempDir tmp_{"sakaibot-voicequality"};
  fs::path data_;
};

// --- Speech-to-text: English only, said instead of guessed.

TEST_F(VoiceQualityTest, APersianSpeakerIsToldTheLocalEngineKnowsEnglishOnly) {
  owner_says(owner_chat_, "/lang fa");
  const auto note = ali_sends_voice(spoken("Please call me tomorrow morning.", "kal16", "en.ogg"));
  owner_replies(note, "/stt");
  const std::string out = last_sent();
  // Persian: English only, how to ask for English (/stt lang=en), how to add a cloud engine.
  EXPECT_NE(out.find("فقط انگلیسی می‌فهمد"), std::string::npos) << out;
  EXPECT_NE(out.find("\u2068/stt lang=en\u2069"), std::string::npos) << out;
  EXPECT_NE(out.find("\u2068gemini.api_keys\u2069"), std::string::npos) << out;
  EXPECT_EQ(out.find("tomorrow"), std::string::npos) << out;
  // Nothing was downloaded for a refusal that does not need the file.
  EXPECT_TRUE(actions_of("delete_file").empty());

  // With lang=en the same Persian speaker's English recording is transcribed.
  owner_replies(note, "/stt lang=en");
  EXPECT_NE(last_sent().find("tomorrow"), std::string::npos) << last_sent();
}

TEST_F(VoiceQualityTest, LangFaIsRefusedInEnglishAndFriendsGetNoSetUpHints) {
  const auto note = ali_sends_voice(spoken("We are going to the market.", "kal16", "en.ogg"));
  owner_replies(note, "/stt lang=fa");
  const std::string owner_reads = last_sent();
  EXPECT_NE(owner_reads.find("understands English only"), std::string::npos) << owner_reads;
  EXPECT_NE(owner_reads.find("add a Gemini key"), std::string::npos) << owner_reads;
  // lang= was given: no "send /stt lang=en" tip.
  EXPECT_EQ(owner_reads.find("/stt lang=en"), std::string::npos) << owner_reads;

  grant(ali_, "stt", storage::GrantMode::kDirect);
  transport_->receive(ChatId(ali_.value()), ali_, "/stt lang=fa", note);
  loop_.run_until_idle();
  const std::string friend_reads = last_sent();
  EXPECT_NE(friend_reads.find("understands English only"), std::string::npos) << friend_reads;
  EXPECT_EQ(friend_reads.find("gemini.api_keys"), std::string::npos) << friend_reads;
}

TEST_F(VoiceQualityTest, PersianSpeechIsRefusedRatherThanTurnedIntoEnglishWords) {
  // espeak-ng speaking Persian; asked as English, pocketsphinx's confidence is low.
  const auto note = ali_sends_voice(spoken("فردا صبح به من زنگ بزن.", "fa", "fa.ogg"));
  owner_replies(note, "/stt lang=en");
  const std::string out = last_sent();
  EXPECT_NE(out.find("could not make out English speech"), std::string::npos) << out;
  EXPECT_EQ(out.find("Transcript"), std::string::npos) << out;
  EXPECT_NE(log_sink_.str().find("pocketsphinx confidence"), std::string::npos);

  owner_says(owner_chat_, "/lang fa");
  owner_replies(note, "/stt lang=en");
  EXPECT_NE(last_sent().find("گفتار انگلیسی تشخیص نداد"), std::string::npos) << last_sent();
}

TEST_F(VoiceQualityTest, JunkInAVoiceNoteCannotBeReadAndSaysSo) {
  std::ofstream(tmp_.path() / "junk.ogg", std::ios::binary) << "hello, this is not audio";
  const auto junk = ali_sends_voice((tmp_.path() / "junk.ogg").string());
  owner_replies(junk, "/stt");
  EXPECT_NE(last_sent().find("could not be read"), std::string::npos) << last_sent();
  EXPECT_EQ(last_sent().find("not a voice note"), std::string::npos) << last_sent();
  owner_says(owner_chat_, "/lang fa");
  owner_replies(junk, "/stt lang=en");
  EXPECT_NE(last_sent().find("این صدا خوانده نشد"), std::string::npos) << last_sent();
}

// The message for a missing package names the package the library loader named, not always
// pocketsphinx-en-us (here: the loader's own message for a library that is not there).
TEST_F(VoiceQualityTest, AMissingPackageIsNamed) {
  auto missing = SharedLibrary::open(LibraryName{"libsakai-absent.so.7", "libsakai-absent7"});
  ASSERT_FALSE(missing.is_ok());
  const ai::speech::SttError error{ai::speech::SttErrorKind::kUnavailable,
                                   missing.status().to_string(), std::nullopt};
  const std::string owner = features::stt_error_text(*services_, "en", error, true);
  EXPECT_NE(owner.find("the Debian package libsakai-absent7 is not installed"), std::string::npos)
      << owner;
  EXPECT_EQ(owner.find("pocketsphinx-en-us"), std::string::npos) << owner;
  const std::string fa = features::stt_error_text(*services_, "fa", error, true);
  EXPECT_NE(fa.find("\u2068libsakai-absent7\u2069"), std::string::npos) << fa;
  EXPECT_EQ(features::stt_error_text(*services_, "en", error, false),
            "Speech recognition is not available on this bot right now.");
}

// --- Text-to-speech errors.

TEST_F(VoiceQualityTest, AnEngineErrorIsACatalogMessageAndTheRawTextGoesToTheLog) {
  use_tts([this] { return std::make_unique<FailingTts>(loop_, kNoAudio); });
  owner_says(owner_chat_, "/tts hello there");
  loop_.run_until_idle();
  EXPECT_EQ(last_read(),
            "Gemini sent back no audio for this text. Try again, or pick another voice (see "
            "/voices).");
  // The engine's words are logged at warn level.
  const std::string log = log_sink_.str();
  const auto at = log.find("finishReason STOP");
  ASSERT_NE(at, std::string::npos) << log;
  const auto newline = log.rfind('\n', at);
  const auto line_start = newline == std::string::npos ? 0 : newline + 1;
  EXPECT_NE(log.substr(line_start, at - line_start).find(" warn "), std::string::npos) << log;

  owner_says(owner_chat_, "/lang fa");
  owner_says(owner_chat_, "/tts سلام");
  loop_.run_until_idle();
  const std::string fa = last_read();
  EXPECT_EQ(fa.find("finishReason"), std::string::npos) << fa;
  EXPECT_NE(fa.find("\u2068Gemini\u2069 برای این متن صدایی برنگرداند"), std::string::npos) << fa;
}

TEST_F(VoiceQualityTest, AnEnglishVoiceAskedToReadPersianNamesOneThatFits) {
  use_tts(nullptr);  // the local voices only
  owner_says(owner_chat_, "/tts voice=kal16 سلام دنیا");
  EXPECT_EQ(last_sent(),
            "⚠️ The voice kal16 speaks English and cannot read this text. Try the voice fa, or "
            "leave voice= out and the voice is chosen by the text.");
  owner_says(owner_chat_, "/lang fa");
  owner_says(owner_chat_, "/tts voice=kal16 سلام دنیا");
  EXPECT_NE(last_sent().find("صدای \u2068kal16\u2069 به انگلیسی حرف می‌زند"),
            std::string::npos)
      << last_sent();
  EXPECT_NE(last_sent().find("صدای \u2068fa\u2069 را امتحان کنید"), std::string::npos)
      << last_sent();
  // No voice asked: the voice is picked by the text's script, and the voice note is made.
  owner_says(owner_chat_, "/tts سلام دنیا");
  loop_.run_until_idle();
  EXPECT_EQ(actions_of("voice").size(), 1u);
}

// --- Voice mode.

TEST_F(VoiceQualityTest, VoiceModeSpeaksWithTheLocalVoiceWhenTheCloudEngineFails) {
  transport_->set_keeps_sent_files(true);
  auto engine_calls = std::make_shared<std::shared_ptr<int>>();
  use_tts([this, engine_calls] {
    auto e = std::make_unique<FailingTts>(loop_, kNoAudio);
    *engine_calls = e->calls;
    return e;
  });
  transport_->set_keeps_sent_files(true);
  const ChatId chat(ali_.value());
  owner_says(chat, "/voicemode");
  llm_.answer = [](const ai::ChatRequest&, std::size_t) { return std::string("Sure, I will."); };
  ali_sends_voice(spoken("Please call me tomorrow morning.", "kal16", "q.ogg"));
  ASSERT_EQ(**engine_calls, 1);  // the cloud engine was tried first
  const auto voices = actions_of("voice");
  ASSERT_EQ(voices.size(), 1u) << last_sent();
  // Spoken by the local voice, written privately in the data directory.
  const fs::path file = voices[0].path;
  EXPECT_EQ(file.parent_path(), data_ / "voice");
  EXPECT_EQ(mode_of(data_ / "voice"), 0700u);
  EXPECT_EQ(mode_of(file), 0600u);
  for (const auto& t : sent_texts())
    EXPECT_EQ(t.find("finishReason"), std::string::npos) << t;
}

TEST_F(VoiceQualityTest, WithNoVoiceAtAllTheAnswerComesFormattedAndSaysSpeechFailed) {
  // No data directory anywhere: no voice file can be written (and none goes to a shared /tmp).
  services_->data_dir.clear();
  const fs::path shared = fs::temp_directory_path() / "sakaibot" / "voice";
  std::error_code ec;
  const bool shared_existed = fs::exists(shared, ec);
  const ChatId chat(ali_.value());
  owner_says(chat, "/voicemode");
  llm_.answer = [](const ai::ChatRequest&, std::size_t) {
    return std::string("**Sure**, I will call you at `9:00`.");
  };
  const auto note = ali_sends_voice(spoken("Please call me tomorrow morning.", "kal16", "q.ogg"));
  EXPECT_TRUE(actions_of("voice").empty());
  const auto* sent = last_of("send");
  ASSERT_NE(sent, nullptr);
  EXPECT_EQ(sent->reply_to, note);
  EXPECT_EQ(sent->text.text,
            "🔇 The voice note could not be made, so here is the answer as text.\n\nSure, I will "
            "call you at 9:00.");
  std::vector<std::string> kinds;
  for (const auto& e : sent->text.entities)
    kinds.emplace_back(entity_type_name(e.type));
  EXPECT_EQ(kinds, (std::vector<std::string>{"italic", "bold", "code"}));
  EXPECT_EQ(fs::exists(shared, ec), shared_existed);
}

TEST_F(VoiceQualityTest, VoiceModeWithoutAnAiProviderWarnsAndSendsTheTranscript) {
  // The chain a configuration without a key makes: named "none", every call fails.
  ai::ProviderChain none({}, loop_);
  services_->llm = &none;
  const ChatId chat(ali_.value());
  owner_says(chat, "/voicemode");
  const std::string on = last_sent();
  EXPECT_NE(on.find("Voice mode is on"), std::string::npos) << on;
  EXPECT_NE(on.find("after 10 minutes without a voice note"), std::string::npos) << on;
  EXPECT_NE(on.find("No AI provider is set up"), std::string::npos) << on;
  EXPECT_NE(on.find("gemini.api_keys"), std::string::npos) << on;

  const auto note = ali_sends_voice(spoken("Please call me tomorrow morning.", "kal16", "q.ogg"));
  const auto* sent = last_of("send");
  ASSERT_NE(sent, nullptr);
  EXPECT_EQ(sent->reply_to, note);
  EXPECT_NE(sent->text.text.find("Transcript"), std::string::npos) << sent->text.text;
  EXPECT_NE(sent->text.text.find("tomorrow"), std::string::npos) << sent->text.text;
  // Ali (a friend) reads why there is no answer, without the owner's set-up hint.
  EXPECT_NE(sent->text.text.find("only"), std::string::npos) << sent->text.text;
  EXPECT_EQ(sent->text.text.find("gemini.api_keys"), std::string::npos) << sent->text.text;
}

TEST_F(VoiceQualityTest, VoiceModeInPersianSaysTheLocalEngineKnowsEnglishOnly) {
  owner_says(owner_chat_, "/lang fa");
  owner_says(ChatId(ali_.value()), "/voicemode");
  const std::string on = last_sent();
  // The idle time in Persian words and digits (not "10m 0s"), and the warning.
  EXPECT_NE(on.find("۱۰ دقیقه"), std::string::npos) << on;
  EXPECT_EQ(on.find("10m"), std::string::npos) << on;
  EXPECT_NE(on.find("فقط انگلیسی می‌فهمد"), std::string::npos) << on;
}

// --- Usage: every LLM call voice makes is counted.

TEST_F(VoiceQualityTest, SttSummariesAndVoiceModeAnswersAreCountedInUsage) {
  std::string words;
  for (int i = 0; i < 5; ++i)
    words += "We are going to the market and then we will come back home again. ";
  const auto long_note = ali_sends_voice(spoken(words, "kal16", "long.ogg"));
  owner_replies(long_note, "/stt");
  ASSERT_EQ(llm_.requests.size(), 1u) << last_sent();  // the summary
  owner_says(ChatId(ali_.value()), "/voicemode");
  llm_.answer = [](const ai::ChatRequest&, std::size_t) { return std::string("Sure."); };
  ali_sends_voice(spoken("Please call me tomorrow morning.", "kal16", "q.ogg"));
  ASSERT_EQ(llm_.requests.size(), 2u);
  // /usage (the owner's, everyone's calls) counts both: 1,200 tokens each.
  owner_says(owner_chat_, "/usage");
  EXPECT_NE(last_sent().find("Tokens: 2,400 in 2 calls"), std::string::npos) << last_sent();
}

}  // namespace
}  // namespace sakai::testing
