// The voice commands as a new user meets them, through the real binary (`sakaibot console
// --jsonl`), in English, Persian and Arabic: where voice notes are written, what a failing
// text-to-speech service or a voice of the wrong language says, /voices in the reader's language,
// Persian digits in rate=, voice mode without a key, and the English-only local speech engine.
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "e2e/console_runner.h"
#include "support/bidi_check.h"
#include "support/loopback_server.h"

namespace sakai::e2e {
namespace {

constexpr const char* kGeminiPath = R"(/v1beta/models/[^/]+:generateContent)";

std::string rtl_problems(const std::string& text) {
  std::string out;
  for (const auto& line : split_lines(text)) {
    for (const auto& p : sakai::testing::rtl_problems(line, {}))
      out += p + " in: " + line + "\n";
  }
  return out;
}

unsigned mode_of(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 0777;
}

// The text of the last edit of any message (the /tts status ends with the outcome).
std::string last_edit(const RunResult& r) {
  const auto edits = r.with_action("edit");
  return edits.empty() ? std::string() : edits.back()["text"].get<std::string>();
}

// A voice note of flite saying `sentence`, made by the bot itself (/tts; the console keeps the
// files it sends) in a sandbox of its own (a console session continues the message numbering of
// the one before it in the same sandbox), copied to `dest`.
std::string english_voice_note(const std::string& sentence, const std::string& dest) {
  Sandbox maker;
  const auto r = maker.console(script({"/tts " + sentence}));
  const auto voices = r.with_action("voice");
  EXPECT_EQ(voices.size(), 1u) << r.out << r.err;
  if (voices.empty()) return {};
  write_file(dest, read_file(voices[0]["path"].get<std::string>()));
  return dest;
}

TEST(ConsoleVoiceQuality, VoiceNotesAreWrittenPrivatelyInTheXdgDataDirectory) {
  Sandbox box;
  box.unset_env("SAKAIBOT_DATA_DIR");  // no data.dir: the resolved default
  box.set_env("XDG_DATA_HOME", box.file("xdg"));
  const auto r = box.console(script({"/tts hello world"}));
  expect_clean(r);
  const auto voices = r.with_action("voice");
  ASSERT_EQ(voices.size(), 1u) << r.out << r.err;
  const std::string path = voices[0]["path"];
  const std::string dir = box.file("xdg/sakaibot/voice");
  EXPECT_EQ(path.rfind(dir + "/", 0), 0u) << path;
  EXPECT_EQ(mode_of(dir), 0700u);
  EXPECT_EQ(mode_of(path), 0600u);
}

TEST(ConsoleVoiceQuality, AGeminiAnswerWithoutAudioReadsAsACatalogMessage) {
  test::LoopbackServer srv;
  srv.reply("POST", kGeminiPath, 200,
            R"({"candidates":[{"content":{"role":"model","parts":[{"text":"I cannot."}]},)"
            R"("finishReason":"STOP"}],"responseId":"resp-42"})");
  Sandbox box;
  box.set_env("GEMINI_API_KEY", kGeminiKey);
  box.set_env("GEMINI_BASE_URL", srv.url(""));
  const auto en = box.console(script({"/tts hello"}));
  expect_clean(en);
  EXPECT_EQ(last_edit(en),
            "Gemini sent back no audio for this text. Try again, or pick another voice (see "
            "/voices).");
  // The service's own words are in the log, not in the chat.
  EXPECT_TRUE(contains(en.err, "finishReason STOP")) << en.err;

  const auto fa = box.console(script({"/lang fa", "/tts سلام"}));
  expect_clean(fa);
  const std::string text = last_edit(fa);
  EXPECT_EQ(text,
            "\u2068Gemini\u2069 برای این متن صدایی برنگرداند. دوباره امتحان کنید یا صدای دیگری "
            "انتخاب کنید (\u2068/voices\u2069).");
  EXPECT_EQ(rtl_problems(text), "");
}

TEST(ConsoleVoiceQuality, AnOverloadedServiceSaysItIsNotAnswering) {
  test::LoopbackServer srv;
  srv.reply(
      "POST", kGeminiPath, 500,
      R"({"error":{"code":500,"message":"Internal error encountered.","status":"INTERNAL"}})");
  Sandbox box;
  box.set_env("GEMINI_API_KEY", kGeminiKey);
  box.set_env("GEMINI_BASE_URL", srv.url(""));
  const auto r = box.console(script({"/tts hello", "/lang ar", "/tts مرحبا"}));
  expect_clean(r);
  const auto edits = r.with_action("edit");
  std::vector<std::string> outcomes;
  for (const auto& e : edits) {
    const std::string t = e["text"];
    if (!contains(t, "🕒") && !contains(t, "🎙")) outcomes.push_back(t);
  }
  ASSERT_EQ(outcomes.size(), 2u) << r.out;
  EXPECT_EQ(outcomes[0], "Gemini is not answering right now. Try again in a while.");
  EXPECT_EQ(outcomes[1], "\u2068Gemini\u2069 لا يستجيب الآن. حاول مرة أخرى بعد قليل.");
  for (const auto& t : outcomes)
    EXPECT_FALSE(contains(t, "500") || contains(t, "Internal error")) << t;
  EXPECT_TRUE(contains(r.err, "HTTP 500")) << r.err;
}

TEST(ConsoleVoiceQuality, VoicesAreDescribedInTheReadersLanguage) {
  Sandbox box;
  const auto r = box.console(script({"/lang fa", "/voices", "/lang ar", "/voices"}));
  expect_clean(r);
  const std::string fa = r.answer_to(3);
  EXPECT_TRUE(contains(fa, "صداهای آفلاین (پیش‌فرض)")) << fa;
  EXPECT_TRUE(contains(fa, "\u2068kal16\u2069 — انگلیسی، مرد (آمریکایی)")) << fa;
  EXPECT_TRUE(contains(fa, "\u2068fa\u2069 — فارسی")) << fa;
  EXPECT_FALSE(contains(fa, "English")) << fa;
  EXPECT_FALSE(contains(fa, "flite")) << fa;
  EXPECT_EQ(rtl_problems(fa), "");
  // The ids stay code spans (copyable), without the isolates.
  std::vector<std::string> codes;
  for (const auto& [type, slice] : entity_slices(r.replies_to(3).at(0))) {
    if (type == "code") codes.push_back(slice);
  }
  EXPECT_EQ(codes, (std::vector<std::string>{"kal16", "rms", "slt", "fa", "ar"}));
  const std::string ar = r.answer_to(7);
  EXPECT_TRUE(contains(ar, "\u2068slt\u2069 — الإنجليزية، امرأة (أمريكية)")) << ar;
  EXPECT_EQ(rtl_problems(ar), "");
}

TEST(ConsoleVoiceQuality, AVoiceOfTheWrongLanguageNamesOneThatFits) {
  Sandbox box;
  const auto r = box.console(script({"/tts voice=kal16 سلام دنیا", "/lang fa",
                                     "/tts voice=kal16 سلام دنیا", "/tts rate=۱٫۵ سلام دنیا"}));
  expect_clean(r);
  EXPECT_EQ(r.answer_to(1),
            "⚠️ The voice kal16 speaks English and cannot read this text. Try the voice fa, or "
            "leave voice= out and the voice is chosen by the text.");
  const std::string fa = r.answer_to(5);
  // Clause by clause (clang-format is not stable on long Persian literals).
  const std::string expected =
      std::string("⚠️ صدای \u2068kal16\u2069 به انگلیسی حرف می‌زند") +
      " و نمی‌تواند این متن را بخواند." +
      " صدای \u2068fa\u2069 را امتحان کنید،" + " یا \u2068voice=\u2069 را ننویسید" +
      " تا صدا از روی متن انتخاب شود.";
  EXPECT_EQ(fa, expected);
  EXPECT_EQ(rtl_problems(fa), "");
  // rate= in Persian digits with the Persian decimal separator is a rate: a voice note comes.
  EXPECT_EQ(r.with_action("voice").size(), 1u) << r.out;
}

TEST(ConsoleVoiceQuality, VoiceModeWithoutAKeyWarnsAndStillSendsTheTranscript) {
  Sandbox box;
  const std::string note =
      english_voice_note("Please call me tomorrow morning.", box.file("question.ogg"));
  ASSERT_FALSE(note.empty());
  const auto r = box.console(script({":chat ali", "/voicemode", "@ali: !voice " + note}));
  expect_clean(r);
  const std::string on = r.answer_to(1);
  EXPECT_TRUE(contains(on, "after 10 minutes without a voice note")) << on;
  EXPECT_FALSE(contains(on, "10m")) << on;
  EXPECT_TRUE(contains(on, "⚠️ No AI provider is set up")) << on;
  EXPECT_TRUE(contains(on, "gemini.api_keys")) << on;
  const std::string transcript = r.answer_to(3);
  EXPECT_TRUE(contains(transcript, "🎙 Transcript\n")) << transcript;
  EXPECT_TRUE(contains(transcript, "tomorrow")) << transcript;
  // Ali sent it: he reads why there is no answer, without the owner's set-up hint.
  EXPECT_TRUE(contains(transcript, "⚠️ The AI is not set up on this bot")) << transcript;
  EXPECT_FALSE(contains(transcript, "gemini.api_keys")) << transcript;

  // A new sandbox: the console numbers its users in order, so bob would get the chat in which
  // voice mode is already on (stored by the run above).
  Sandbox fa_box;
  const auto fa = fa_box.console(script({"/lang fa", ":chat bob", "/voicemode"}));
  expect_clean(fa);
  const std::string fa_on = fa.answer_to(3);
  EXPECT_TRUE(contains(fa_on, "۱۰ دقیقه")) << fa_on;
  EXPECT_TRUE(
      contains(fa_on, "هیچ سرویس هوش مصنوعی‌ای تنظیم نشده است"))
      << fa_on;
  EXPECT_TRUE(contains(fa_on, "فقط انگلیسی می‌فهمد")) << fa_on;
  EXPECT_EQ(rtl_problems(fa_on), "");
}

TEST(ConsoleVoiceQuality, TheLocalEngineTellsAPersianSpeakerItKnowsEnglishOnly) {
  Sandbox box;
  const std::string note =
      english_voice_note("We are going to the market.", box.file("market.ogg"));
  ASSERT_FALSE(note.empty());
  const auto r =
      box.console(script({"/lang fa", "@ali: !voice " + note, ">3 /stt", ">3 /stt lang=en"}));
  expect_clean(r);
  const std::string refused = r.answer_to(4);
  EXPECT_TRUE(contains(
      refused,
      "موتور گفتار آفلاین این ربات فقط انگلیسی می‌فهمد"))
      << refused;
  EXPECT_TRUE(contains(refused, "\u2068/stt lang=en\u2069")) << refused;
  EXPECT_FALSE(contains(refused, "market")) << refused;
  EXPECT_EQ(rtl_problems(refused), "");
  EXPECT_TRUE(contains(r.answer_to(6), "market")) << r.out;
}

TEST(ConsoleVoiceQuality, JunkInAVoiceNoteAndAZeroGrantSayWhatIsWrong) {
  Sandbox box;
  const std::string junk = box.file("junk.ogg");
  write_file(junk, "this is text, not a recording");
  const auto r =
      box.console(script({"@ali: !voice " + junk, ">1 /stt", ":chat ali", ":chat me",
                          "/auth add @ali for=0s", "/lang fa", "/auth add @ali for=0s"}));
  expect_clean(r);
  EXPECT_TRUE(contains(r.answer_to(2), "That recording could not be read")) << r.out;
  std::string zero_en, zero_fa;
  for (const auto& s : r.sends()) {
    const std::string t = s["text"];
    if (contains(t, "would end at once")) zero_en = t;
    if (contains(t, "بلافاصله تمام می‌شود")) zero_fa = t;
  }
  EXPECT_TRUE(contains(zero_en, "A grant for “0s” would end at once")) << r.out;
  EXPECT_FALSE(contains(zero_en, "not a duration")) << zero_en;
  ASSERT_FALSE(zero_fa.empty()) << r.out;
  EXPECT_EQ(rtl_problems(split_lines(zero_fa).at(0)), "") << zero_fa;
}

}  // namespace
}  // namespace sakai::e2e
