// End-to-end: /tts through the real binary (`sakaibot console --jsonl`), with the local engine
// (no key) and with a loopback Gemini TTS server (AI-APIS.md §1.8).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "e2e/console_runner.h"
#include "support/loopback_server.h"

namespace sakai::e2e {
namespace {

constexpr const char* kGeminiTtsPath = R"(/v1beta/models/[^/]+:generateContent)";

// Runs a shell command; its exit code and output.
std::pair<int, std::string> shell(const std::string& cmd) {
  std::string out;
  FILE* p = ::popen((cmd + " 2>&1").c_str(), "r");
  if (p == nullptr) return {-1, ""};
  char buf[512];
  while (std::fgets(buf, sizeof buf, p) != nullptr)
    out += buf;
  const int rc = ::pclose(p);
  return {WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, out};
}

std::string base64_encode(const std::string& in) {
  static const char* const kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) |
                       (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
    for (int k = 18; k >= 0; k -= 6)
      out += kAlphabet[(v >> k) & 63];
  }
  if (i < in.size()) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) v |= static_cast<unsigned char>(in[i + 1]) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < in.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

bool have_opusinfo() {
  return shell("command -v opusinfo").first == 0;
}

void expect_valid_voice(const json& voice) {
  const std::string path = voice.value("path", "");
  ASSERT_FALSE(path.empty()) << voice.dump();
  ASSERT_TRUE(std::filesystem::exists(path)) << path;
  EXPECT_GE(voice.value("duration", 0), 1);
  if (!have_opusinfo()) {
    GTEST_SKIP() << "opus-tools not installed";
  }
  const auto [rc, out] = shell("opusinfo '" + path + "'");
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("Channels: 1"), std::string::npos) << out;
}

std::string gemini_audio_body() {
  std::string pcm;
  for (int i = 0; i < 24000; ++i) {
    const auto s = static_cast<int16_t>(7000 * std::sin(i * 2 * M_PI * 330 / 24000));
    pcm.push_back(static_cast<char>(s & 0xff));
    pcm.push_back(static_cast<char>((s >> 8) & 0xff));
  }
  const json j = {
      {"candidates",
       {{{"content",
          {{"parts",
            {{{"inlineData",
               {{"mimeType", "audio/L16;codec=pcm;rate=24000"}, {"data", base64_encode(pcm)}}}}}},
           {"role", "model"}}},
         {"finishReason", "STOP"},
         {"index", 0}}}},
      {"modelVersion", "gemini-2.5-flash-preview-tts"}};
  return j.dump();
}

TEST(ConsoleTts, LocalVoiceNoteIsValidOpusAndTheMessagesAreCleanedUp) {
  Sandbox box;
  const auto r = box.console(script({"/tts hello world"}));
  expect_clean(r);
  const auto voices = r.with_action("voice");
  ASSERT_EQ(voices.size(), 1u) << r.out;
  EXPECT_EQ(voices[0]["reply_to"], 1);
  // The status (#2) answered the command (#1); both are deleted once the voice note is out.
  const auto status = r.replies_to(1);
  ASSERT_GE(status.size(), 1u) << r.out;
  const auto deletes = r.with_action("delete");
  ASSERT_EQ(deletes.size(), 1u) << r.out;
  EXPECT_EQ(deletes[0]["message_ids"], json::array({1, status[0]["message_id"]})) << r.out;
  expect_valid_voice(voices[0]);
}

TEST(ConsoleTts, PersianTextAndVoicesList) {
  Sandbox box;
  const auto r = box.console(script({"/tts سلام دنیا", "/voices"}));
  expect_clean(r);
  ASSERT_EQ(r.with_action("voice").size(), 1u) << r.out;
  bool listed = false;
  for (const auto& s : r.sends()) {
    const std::string t = s.value("text", "");
    if (t.find("kal16") != std::string::npos && t.find("fa") != std::string::npos) listed = true;
  }
  EXPECT_TRUE(listed) << r.out;
}

TEST(ConsoleTts, GeminiVoiceNote) {
  test::LoopbackServer srv;
  srv.reply("POST", kGeminiTtsPath, 200, gemini_audio_body());
  Sandbox box;
  box.set_env("GEMINI_API_KEY", "test-key");
  box.set_env("GEMINI_BASE_URL", srv.url(""));
  const auto r = box.console(script({"/tts hello from gemini"}));
  expect_clean(r);
  ASSERT_EQ(srv.requests().size(), 1u);
  const auto body = json::parse(srv.requests()[0].body);
  EXPECT_EQ(
      body["generationConfig"]["speechConfig"]["voiceConfig"]["prebuiltVoiceConfig"]["voiceName"],
      "Orus");
  const auto voices = r.with_action("voice");
  ASSERT_EQ(voices.size(), 1u) << r.out;
  EXPECT_EQ(voices[0]["duration"], 1);
  expect_valid_voice(voices[0]);
}

TEST(ConsoleTts, GeminiRateLimitBecomesALocalisedMessage) {
  test::LoopbackServer srv;
  srv.reply(
      "POST", kGeminiTtsPath, 429,
      R"({"error": {"code": 429, "message": "Resource has been exhausted (e.g. check quota).", "status": "RESOURCE_EXHAUSTED"}})");
  Sandbox box;
  box.set_env("GEMINI_API_KEY", "test-key");
  box.set_env("GEMINI_BASE_URL", srv.url(""));
  const auto r = box.console(script({"/tts hello"}));
  expect_clean(r);
  EXPECT_TRUE(r.with_action("voice").empty());
  const auto edits = r.with_action("edit");
  ASSERT_FALSE(edits.empty()) << r.out;
  EXPECT_EQ(edits.back()["text"],
            "The text-to-speech service is busy (rate limit). Try again in a minute.");
  EXPECT_TRUE(r.with_action("delete").empty());
}

}  // namespace
}  // namespace sakai::e2e
