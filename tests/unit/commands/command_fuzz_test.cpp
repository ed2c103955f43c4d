// Bad input never takes the engine down: 1,500 generated command lines — every registered
// command and alias, in both syntaxes, with random arguments, key=value parameters, Persian and
// Arabic-Indic digits, huge numbers, stray '=' signs, emoji, control characters, invalid UTF-8
// and over-long text — sent by the owner and by a friend, as replies and not, between voice notes.
// The whole engine runs: the app's features, the voice feature with scripted speech engines (so
// /tts, /stt, /voices and /voicemode lines get real answers), a scripted LLM that fails now and
// then. Line by line: a line that names a known command gets exactly one outcome in the command
// log (the Reply guarantee), under that command's name; a line naming an unknown command gets
// none; nothing throws out of the loop; no answer the bot sends is empty.
#include <gtest/gtest.h>

#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "ai/speech/audio.h"
#include "commands/command_line.h"
#include "commands/registry.h"
#include "core/text.h"
#include "support/temp_dir.h"
#include "unit/commands/text_ai_fixture.h"

namespace sakai::testing {
namespace {

ai::speech::Pcm tone() {
  ai::speech::Pcm pcm;
  pcm.sample_rate = 16000;
  for (int i = 0; i < 16000; ++i)
    pcm.samples.push_back(static_cast<int16_t>(6000 * std::sin(i * 0.2)));
  return pcm;
}

// Speaks every text at once (on the loop) with a short tone.
class InstantTts final : public ai::speech::TtsEngine {
 public:
  explicit InstantTts(EventLoop& loop) : loop_(loop) {}
  std::string name() const override { return "scripted"; }
  std::vector<ai::speech::TtsVoice> voices() const override {
    return {{"alpha", "en", "test"}, {"beta", "fa", "test"}};
  }
  std::string default_voice(std::string_view) const override { return "alpha"; }
  void synthesize(std::string, std::string, double, ai::speech::TtsDone done,
                  ai::speech::CancelToken cancel) override {
    loop_.post([done = std::move(done), cancel] {
      if (cancel && cancel->cancelled()) {
        done(make_error(ErrorCode::kCancelled, "cancelled"));
      } else {
        done(tone());
      }
    });
  }

 private:
  EventLoop& loop_;
};

// Hears the same words in every clip, at once (on the loop).
class InstantStt final : public ai::speech::SttEngine {
 public:
  explicit InstantStt(EventLoop& loop) : loop_(loop) {}
  std::string name() const override { return "scripted"; }
  void transcribe(ai::speech::AudioClip, std::string, ai::speech::SttDone done) override {
    loop_.post([done = std::move(done)] {
      done(ai::speech::SttOutcome::success({"the scripted words", "scripted"}));
    });
  }

 private:
  EventLoop& loop_;
};

class CommandFuzzTest : public TextAiTest {
 protected:
  void SetUp() override {
    config_.set("data.dir", tmp_.path().string(), "test");
    voice_options_.tts_engines = [this](commands::Services&) {
      features::VoiceOptions::TtsEngines engines;
      engines.push_back(std::make_unique<InstantTts>(loop_));
      return engines;
    };
    voice_options_.stt_engine = [this](commands::Services&) {
      return std::unique_ptr<ai::speech::SttEngine>(std::make_unique<InstantStt>(loop_));
    };
    TextAiTest::SetUp();
    auto note = ai::speech::encode_voice_note_file(tone(), (tmp_.path() / "note.ogg").string());
    ASSERT_TRUE(note.is_ok()) << note.status().to_string();
    voice_note_ = note->path;
  }

  // Runs everything a message started: the loop, its clock moved on in 500 ms steps (throttled
  // edits, retries a few seconds out), and the worker pool's jobs (Opus encoding, in real time),
  // until nothing is left to run.
  void finish_everything() {
    const auto limit = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < limit) {
      std::size_t ran = 0;
      for (int i = 0; i < 40; ++i) {
        ran += loop_.run_ready();
        clock_.advance(std::chrono::milliseconds(500));
      }
      // A job's continuation is posted before the pool counts the job as done.
      const bool working = workers_.queued() + workers_.running() > 0;
      if (ran == 0 && !working) return;
      if (working) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ADD_FAILURE() << "the engine was still busy after 20 s";
  }
  std::size_t logged() {
    auto log = store_->command_log().recent(1000000);
    EXPECT_TRUE(log.is_ok());
    return log.is_ok() ? log->size() : 0;
  }
  // The outcomes logged after the first `before` (recent() lists the newest first).
  std::vector<storage::CommandLogEntry> logged_since(std::size_t before) {
    auto log = store_->command_log().recent(1000000);
    EXPECT_TRUE(log.is_ok());
    if (!log.is_ok() || log->size() <= before) return {};
    return std::vector<storage::CommandLogEntry>(log->begin(),
                                                 log->begin() + (log->size() - before));
  }

  TempDir tmp_{"sakaibot-fuzz"};
  std::string voice_note_;
};

// A line as the failure message shows it: control characters and invalid UTF-8 escaped, long
// runs cut.
std::string shown(const std::string& line) {
  std::string out;
  for (const unsigned char c : line) {
    if (c < 0x20 || c >= 0x80) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02X", c);
      out += hex;
    } else {
      out += static_cast<char>(c);
    }
    if (out.size() > 200) return out + "… (" + std::to_string(line.size()) + " bytes)";
  }
  return out;
}

const std::vector<std::string> kPieces = {
    "10",        "0",        "-5",         "99999999999999999999",
    "۱۲۳",       "٤٥",       "=",          "==",
    "fun",       "general",  "romance",    "en",
    "fa",        "ar,en",    "src=fa",     "voice=kal16",
    "rate=9",    "rate=abc", "for=7d",     "for=-1",
    "direct",    "confirm",  "@ali",       "@nobody",
    "*",         "all",      "reset",      "list",
    "add",       "remove",   "refresh",    "groups",
    "سلام دنیا", "مرحبا",    "😍🔥",         "think",
    "web",       "lang=xx",  "prompt,tts", "\t",
    "  ",        "/nested"};

std::string random_line(std::mt19937& rng, const std::vector<std::string>& names) {
  auto pick = [&](const auto& v) -> const auto& {
    return v[std::uniform_int_distribution<std::size_t>(0, v.size() - 1)(rng)];
  };
  std::string line = "/" + pick(names);
  const int form = std::uniform_int_distribution<int>(0, 9)(rng);
  const int n = std::uniform_int_distribution<int>(0, 5)(rng);
  for (int i = 0; i < n; ++i)
    line += (form < 5 ? "=" : " ") + pick(kPieces);
  switch (std::uniform_int_distribution<int>(0, 19)(rng)) {
    case 0:
      line += std::string("\x01\x02", 2);  // control characters
      break;
    case 1:
      line += std::string("\xC3\x28\xFF", 3);  // invalid UTF-8
      break;
    case 2:
      line += " " + std::string(5000, 'x');  // over the length cap
      break;
    case 3:
      line += "\n" + pick(kPieces) + "\n" + pick(kPieces);
      break;
    default:
      break;
  }
  return line;
}

TEST_F(CommandFuzzTest, EveryKnownCommandIsAnsweredExactlyOnceAndNothingThrows) {
  std::vector<std::string> names;
  for (const auto* spec : registry_.all()) {
    names.push_back(spec->name);
    for (const auto& a : spec->aliases)
      names.push_back(a);
    std::string upper = spec->name;  // names are case-insensitive
    upper[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(upper[0])));
    names.push_back(upper);
  }
  names.push_back("NOSUCHCOMMAND");
  llm_.answer = [](const ai::ChatRequest&, std::size_t i) {
    return i % 7 == 0 ? std::string("{\"broken json") : std::string("**ok** answer");
  };

  std::mt19937 rng(20261125);
  const ChatId ali_chat(ali_.value());
  std::vector<std::pair<ChatId, MessageId>> earlier;
  std::size_t known = 0, voice_notes = 0;
  std::map<std::string, std::map<std::string, int>> outcomes;  // command → outcome → count
  constexpr int kLines = 1500;
  for (int i = 0; i < kLines; ++i) {
    const std::string line = random_line(rng, names);
    // The owner writes in Saved Messages and in Ali's chat; Ali (a friend) in his own chat.
    const bool by_owner = i % 3 != 0;
    const ChatId chat = !by_owner || i % 2 == 0 ? ali_chat : owner_chat_;
    const UserId sender = by_owner ? transport_->self_id() : ali_;
    if (i % 50 == 0) llm_.error = ai::LlmError{};  // now and then the provider fails
    if (i % 50 == 5) llm_.error.reset();
    // Now and then a voice note comes first (for /stt replies and voice mode).
    if (i % 10 == 0) {
      const auto note = transport_->receive_media(chat, sender, MediaKind::kVoiceNote, voice_note_);
      earlier.emplace_back(chat, note);
      ++voice_notes;
      ASSERT_NO_THROW(finish_everything()) << "a voice note before line " << i;
    }
    std::optional<MessageId> reply_to;
    std::vector<MessageId> here;
    for (const auto& [c, id] : earlier) {
      if (c == chat) here.push_back(id);
    }
    if (!here.empty() && i % 4 == 0) reply_to = here[rng() % here.size()];
    // Whatever the owner's /auth lines did to Ali's access, he has every command again.
    if (!by_owner) grant(ali_, "*", storage::GrantMode::kDirect);

    const std::size_t before = logged();
    const auto id = transport_->receive(chat, sender, line, reply_to);
    earlier.emplace_back(chat, id);
    ASSERT_NO_THROW(finish_everything()) << "line " << i << ": " << shown(line);
    const auto got = logged_since(before);

    const auto name = commands::command_name(line, "/");
    const commands::CommandSpec* spec = name ? registry_.find(*name) : nullptr;
    if (spec != nullptr) {
      ++known;
      ASSERT_EQ(got.size(), 1u) << "line " << i << (by_owner ? " (owner)" : " (friend)") << ": "
                                << shown(line);
      EXPECT_EQ(got[0].command, spec->name) << "line " << i << ": " << shown(line);
      ++outcomes[spec->name][got[0].outcome];
    } else if (name) {
      // An unknown name ("/start" for another bot) is left alone.
      EXPECT_TRUE(got.empty()) << "line " << i << " answered as " << got[0].command << ": "
                               << shown(line);
    } else {
      // Not a command (the name runs into a control character or invalid UTF-8): at most a
      // reply continuation of what it answers runs.
      EXPECT_LE(got.size(), 1u) << "line " << i << ": " << shown(line);
      if (!got.empty()) {
        EXPECT_TRUE(reply_to.has_value()) << "line " << i << ": " << shown(line);
      }
    }
  }
  for (const auto& t : sent_texts())
    EXPECT_FALSE(t.empty());
  std::printf("%d lines (%zu naming a known command) and %zu voice notes; %zu messages sent\n",
              kLines, known, voice_notes, sends());
  EXPECT_GT(known, static_cast<std::size_t>(kLines) / 2);

  // The voice commands were really served: voice notes spoken, a transcript, the voice list,
  // voice mode switched on.
  for (const char* command : {"tts", "stt", "voices", "voicemode"}) {
    EXPECT_GT(outcomes[command]["ok"], 0) << "no /" << command << " line succeeded";
  }
  bool spoken = false, transcribed = false, listed = false;
  for (const auto& a : transport_->actions()) {
    spoken = spoken || a.kind == "voice";
    transcribed = transcribed || a.text.text.find("the scripted words") != std::string::npos;
    listed = listed || (a.text.text.find("alpha") != std::string::npos &&
                        a.text.text.find("beta") != std::string::npos);
  }
  EXPECT_TRUE(spoken);
  EXPECT_TRUE(transcribed);
  EXPECT_TRUE(listed);

  // Still answering afterwards.
  const auto before = sends();
  owner_says(owner_chat_, "/ping");
  finish_everything();
  const auto texts = sent_texts();
  bool pong = false;
  for (std::size_t i = before; i < texts.size(); ++i)
    pong = pong || texts[i].find("Pong") != std::string::npos;
  EXPECT_TRUE(pong) << last_sent();
}

}  // namespace
}  // namespace sakai::testing
