// End-to-end: the console's voice syntax (`@ali: !voice PATH`) and /stt through the real binary,
// with a loopback Gemini server standing in for speech-to-text (AI-APIS.md §1.7).
#include <gtest/gtest.h>

#include <cstdlib>

#include "e2e/console_runner.h"
#include "support/loopback_server.h"
#include "support/wav.h"

namespace sakai::e2e {
namespace {

constexpr const char* kGeminiPath = R"(/v1beta/models/[^/]+:generateContent)";

// Half a second of 16 kHz mono silence as a RIFF/WAVE file.
std::string silent_wav() {
  return sakai::testing::wav_file(std::string(16000, '\0'), 16000, 1, 16);
}

TEST(ConsoleVoice, VoiceNoteFromAFileIsTranscribedWithStt) {
  test::LoopbackServer srv;
  srv.reply("POST", kGeminiPath, 200,
            R"({"candidates":[{"content":{"role":"model","parts":[{"text":"Hello from the )"
            R"(loopback."}]},"finishReason":"STOP"}]})");
  Sandbox box;
  box.set_env("GEMINI_API_KEY", "test-key");
  box.set_env("GEMINI_BASE_URL", srv.url(""));
  const std::string path = box.file("hello.wav");
  write_file(path, silent_wav());
  const auto r = box.console(script({"@ali: !voice " + path, ">1 /stt lang=en"}));
  expect_clean(r);
  EXPECT_EQ(r.receive_text(1), "[voice " + path + "]");
  const std::string answer = r.answer_to(2);
  EXPECT_TRUE(contains(answer, "Transcript")) << r.out;
  EXPECT_TRUE(contains(answer, "Hello from the loopback.")) << r.out;
  const auto requests = srv.requests();
  ASSERT_EQ(requests.size(), 1u);
  const auto body = json::parse(requests[0].body);
  EXPECT_EQ(body["contents"][0]["parts"][1]["inline_data"]["mime_type"], "audio/wav");
}

TEST(ConsoleVoice, LongTranscriptsGetAShortSummary) {
  test::LoopbackServer srv;
  std::string words;
  for (int i = 0; i < 12; ++i)
    words += "we talked about the plan for the trip. ";
  // The same generateContent route serves the transcription (with inline audio) and the summary.
  srv.on("POST", kGeminiPath, [words](const httplib::Request& req, httplib::Response& res) {
    const bool audio = req.body.find("inline_data") != std::string::npos;
    const json answer = {
        {"candidates",
         {{{"content",
            {{"role", "model"}, {"parts", {{{"text", audio ? words : "A trip plan."}}}}}},
           {"finishReason", "STOP"}}}}};
    res.set_content(answer.dump(), "application/json");
  });
  Sandbox box;
  box.set_env("GEMINI_API_KEY", "test-key");
  box.set_env("GEMINI_BASE_URL", srv.url(""));
  const std::string path = box.file("long.wav");
  write_file(path, silent_wav());
  const auto r = box.console(script({"@ali: !voice " + path, ">1 /stt"}));
  expect_clean(r);
  const std::string answer = r.answer_to(2);
  EXPECT_TRUE(contains(answer, "we talked about the plan")) << r.out;
  EXPECT_TRUE(contains(answer, "Summary")) << r.out;
  EXPECT_TRUE(contains(answer, "A trip plan.")) << r.out;
  EXPECT_EQ(srv.requests().size(), 2u);
}

TEST(ConsoleVoice, BadFilesGiveClearErrors) {
  Sandbox box;
  const std::string text = box.file("notes.ogg");
  write_file(text, "this is text, not a recording");
  const auto r = box.console(
      script({"@ali: !voice " + box.file("missing.ogg"), "@ali: !voice " + text, ">1 /stt"}));
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(contains(r.err, "no such file")) << r.err;
  // It is a voice note; its file cannot be read.
  EXPECT_TRUE(contains(r.answer_to(2), "could not be read")) << r.out;
}

bool have_ffmpeg() {
  return std::system("command -v ffmpeg >/dev/null 2>&1") == 0;
}

// ffmpeg (an independent encoder) writes `path` from lavfi sources; true on success.
bool ffmpeg_make(const std::string& inputs_and_codecs, const std::string& path) {
  const std::string cmd =
      "ffmpeg -nostdin -loglevel error -y " + inputs_and_codecs + " '" + path + "' 2>/dev/null";
  return std::system(cmd.c_str()) == 0;
}

TEST(ConsoleVoice, AnMp3GoesToTheCloudEngineAsItIs) {
  if (!have_ffmpeg()) GTEST_SKIP() << "ffmpeg not installed (scripts/install-deps.sh)";
  test::LoopbackServer srv;
  srv.reply("POST", kGeminiPath, 200,
            R"({"candidates":[{"content":{"role":"model","parts":[{"text":"A song about )"
            R"(the sea."}]},"finishReason":"STOP"}]})");
  Sandbox box;
  box.set_env("GEMINI_API_KEY", "test-key");
  box.set_env("GEMINI_BASE_URL", srv.url(""));
  const std::string path = box.file("song.mp3");
  ASSERT_TRUE(ffmpeg_make("-f lavfi -i sine=frequency=330:duration=2 -c:a libmp3lame", path));
  const auto r = box.console(script({"@ali: !audio " + path, ">1 /stt"}));
  expect_clean(r);
  EXPECT_TRUE(contains(r.answer_to(2), "A song about the sea.")) << r.out;
  const auto requests = srv.requests();
  ASSERT_EQ(requests.size(), 1u);
  const auto body = json::parse(requests[0].body);
  EXPECT_EQ(body["contents"][0]["parts"][1]["inline_data"]["mime_type"], "audio/mpeg");
}

TEST(ConsoleVoice, AVideoNoteWithoutSoundIsNamedAsSuch) {
  if (!have_ffmpeg()) GTEST_SKIP() << "ffmpeg not installed (scripts/install-deps.sh)";
  Sandbox box;  // no key: the local engine
  const std::string path = box.file("round.mp4");
  ASSERT_TRUE(ffmpeg_make("-f lavfi -i color=c=blue:s=240x240:d=1 -c:v mpeg4", path));
  const auto r = box.console(script({"@ali: !videonote " + path, ">1 /stt"}));
  expect_clean(r);
  EXPECT_TRUE(contains(r.answer_to(2), "no sound")) << r.out;
}

}  // namespace
}  // namespace sakai::e2e
