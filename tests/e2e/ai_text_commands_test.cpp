// End-to-end: /translate, /analyze, /tellme and /usage through the real binary
// (`sakaibot console --jsonl`) against a loopback OpenAI-compatible server speaking the
// documented wire format (AI-APIS.md §2.1–2.3: a chat.completion object, or `data: {chunk}`
// events ending with `data: [DONE]` when the request asks for a stream).
#include <gtest/gtest.h>

#include <atomic>
#include <functional>

#include "e2e/console_runner.h"
#include "support/loopback_server.h"

namespace sakai::e2e {
namespace {

constexpr const char* kCompletions = "/v1/chat/completions";

// Answers every chat completion with answer(request body, call index).
void serve(test::LoopbackServer& srv, std::function<std::string(const json&, int)> answer) {
  auto calls = std::make_shared<std::atomic<int>>(0);
  srv.on(
      "POST", kCompletions, [answer, calls](const httplib::Request& req, httplib::Response& res) {
        const json body = json::parse(req.body);
        const std::string text = answer(body, (*calls)++);
        const json usage = {{"prompt_tokens", 19}, {"completion_tokens", 10}, {"total_tokens", 29}};
        if (body.value("stream", false)) {
          const json delta = {{"id", "chatcmpl-1"},
                              {"object", "chat.completion.chunk"},
                              {"created", 1},
                              {"model", "gpt-4o-mini"},
                              {"choices",
                               {{{"index", 0},
                                 {"delta", {{"role", "assistant"}, {"content", text}}},
                                 {"finish_reason", nullptr}}}}};
          json last = delta;
          last["choices"][0]["delta"] = json::object();
          last["choices"][0]["finish_reason"] = "stop";
          json tail = {
              {"id", "chatcmpl-1"},     {"object", "chat.completion.chunk"}, {"created", 1},
              {"model", "gpt-4o-mini"}, {"choices", json::array()},          {"usage", usage}};
          res.set_content("data: " + delta.dump() + "\n\ndata: " + last.dump() +
                              "\n\ndata: " + tail.dump() + "\n\ndata: [DONE]\n\n",
                          "text/event-stream");
          return;
        }
        const json out = {
            {"id", "chatcmpl-1"},
            {"object", "chat.completion"},
            {"created", 1741569952},
            {"model", "gpt-4o-mini"},
            {"choices",
             {{{"index", 0},
               {"message", {{"role", "assistant"}, {"content", text}, {"refusal", nullptr}}},
               {"logprobs", nullptr},
               {"finish_reason", "stop"}}}},
            {"usage", usage}};
        res.set_content(out.dump(), "application/json");
      });
}

void use_server(Sandbox& box, const test::LoopbackServer& srv) {
  box.set_env("SAKAIBOT_LLM_PROVIDER", "openai");
  box.set_env("OPENAI_BASE_URL", srv.url("/v1"));
  box.set_env("OPENAI_API_KEY", "test");
}

std::string system_text(const json& body) {
  for (const auto& m : body["messages"]) {
    if (m["role"] == "system") return m["content"];
  }
  return {};
}
std::string user_text(const json& body) {
  return body["messages"].back()["content"];
}

TEST(ConsoleAiText, TranslateTwoTargetsWithPronunciation) {
  test::LoopbackServer srv;
  serve(srv, [](const json&, int) {
    return std::string(
        "```json\n{\"source_language\": \"fa\", \"translations\": ["
        "{\"language\": \"en\", \"text\": \"Hello\", \"pronunciation\": \"هِلو\"},"
        "{\"language\": \"de\", \"text\": \"Hallo\", \"pronunciation\": \"هالو\"}]}\n```");
  });
  Sandbox box;
  use_server(box, srv);
  const auto r = box.console(script({"/translate=en,de سلام"}));
  expect_clean(r);
  const std::string answer = r.answer_to(1);
  EXPECT_TRUE(contains(answer, "English\nHello\n🗣 Pronunciation: هِلو")) << answer;
  EXPECT_TRUE(contains(answer, "German\nHallo\n🗣 Pronunciation: هالو")) << answer;
  EXPECT_TRUE(contains(answer, "From Persian")) << answer;
  ASSERT_EQ(srv.requests().size(), 1u);
  const json body = json::parse(srv.requests()[0].body);
  EXPECT_TRUE(contains(system_text(body), "en (English), de (German)"));
  EXPECT_EQ(user_text(body), "سلام");
}

TEST(ConsoleAiText, TranslateUnknownLanguageIsALocalisedError) {
  test::LoopbackServer srv;
  serve(srv, [](const json&, int) { return std::string("x"); });
  Sandbox box;
  use_server(box, srv);
  const auto r = box.console(script({"/lang fa", "/tr=klingon hi"}));
  expect_clean(r);
  const std::string answer = r.answer_to(3);
  EXPECT_TRUE(contains(answer, "klingon")) << answer;
  EXPECT_TRUE(has_arabic_letter(answer)) << answer;
  EXPECT_EQ(srv.requests().size(), 0u);
}

TEST(ConsoleAiText, AnalyzeReadsTheConsoleChatAndEditsTheProgressMessage) {
  test::LoopbackServer srv;
  serve(srv, [](const json&, int) { return std::string("## Summary\nA **trip** to Paris."); });
  Sandbox box;
  use_server(box, srv);
  // #1..#3 plain messages, #4 the command, #5 the progress message.
  const auto r = box.console(
      script({"we go to Paris on Friday", "who brings the tickets?", "Sara does", "/analyze=10"}));
  expect_clean(r);
  ASSERT_EQ(r.receive_text(4), "/analyze=10");
  const auto progress = r.replies_to(4);
  ASSERT_EQ(progress.size(), 1u) << r.out;
  EXPECT_TRUE(contains(progress[0]["text"], "Reading messages")) << r.out;
  const auto edits = r.with_action("edit");
  ASSERT_FALSE(edits.empty()) << r.out;
  const std::string final_text = edits.back()["text"];
  // The chat had three messages: the title says so, and stands on its own line.
  EXPECT_TRUE(final_text.starts_with("Analysis of the last 3 messages\n\n")) << final_text;
  EXPECT_TRUE(contains(final_text, "A trip to Paris.")) << final_text;
  bool bold_trip = false;
  for (const auto& [type, slice] : entity_slices(edits.back()))
    bold_trip = bold_trip || (type == "bold" && slice == "trip");
  EXPECT_TRUE(bold_trip) << edits.back().dump();
  ASSERT_EQ(srv.requests().size(), 1u);
  const std::string transcript = user_text(json::parse(srv.requests()[0].body));
  EXPECT_TRUE(contains(transcript, "we go to Paris on Friday")) << transcript;
  EXPECT_TRUE(contains(transcript, "Sara does")) << transcript;
  EXPECT_FALSE(contains(transcript, "/analyze")) << transcript;
}

TEST(ConsoleAiText, AnalyzeLeavesOutSakaiBotsOwnAnswersAndSaysSo) {
  test::LoopbackServer srv;
  serve(srv, [](const json& body, int) {
    return contains(system_text(body), "Who said what") ? std::string("They plan a trip.")
                                                        : std::string("Paris is lovely.");
  });
  Sandbox box;
  use_server(box, srv);
  // #1 a message, #2 /prompt, #3 its answer, #4 /analyze, #5 the progress message.
  const auto r =
      box.console(script({"we go to Paris on Friday", "/prompt=is Paris nice?", "/analyze=10"}));
  expect_clean(r);
  ASSERT_EQ(srv.requests().size(), 2u) << r.out;
  const std::string transcript = user_text(json::parse(srv.requests()[1].body));
  EXPECT_TRUE(contains(transcript, "we go to Paris on Friday")) << transcript;
  EXPECT_FALSE(contains(transcript, "Paris is lovely")) << transcript;
  EXPECT_FALSE(contains(transcript, "Thinking")) << transcript;
  bool explained = false;
  for (const auto& e : r.with_action("edit")) {
    explained = explained || e["text"] ==
                                 "⏳ Analysing 1 message…\nThis chat has only 3 messages.\n2 were "
                                 "left out: commands, SakaiBot's own messages and media without "
                                 "text are not read.";
  }
  EXPECT_TRUE(explained) << r.out;
  EXPECT_EQ(r.with_action("edit").back()["text"],
            "Analysis of the last 3 messages\n1 message with text read; commands, SakaiBot's own "
            "messages and media without text are left out.\n\nThey plan a trip.");
}

TEST(ConsoleAiText, SmallBudgetMapReducesAndTellmeAnswers) {
  test::LoopbackServer srv;
  serve(srv, [](const json& body, int n) {
    const std::string sys = system_text(body);
    if (contains(sys, "You read part")) return "NOTE-" + std::to_string(n);
    return std::string("Sara brings the tickets.");
  });
  Sandbox box;
  use_server(box, srv);
  box.set_env("SAKAIBOT_AI_CONTEXT_BUDGET_TOKENS", "200");
  std::vector<std::string> lines;
  for (int i = 0; i < 40; ++i)
    lines.push_back("message " + std::to_string(i) + ": planning the trip, nothing decided yet");
  lines.push_back("/tellme=40=who brings the tickets?");
  std::string input;
  for (const auto& l : lines)
    input += l + "\n";
  const auto r = box.console(input);
  expect_clean(r);
  ASSERT_GE(srv.requests().size(), 3u) << r.out;
  const json final_body = json::parse(srv.requests().back().body);
  EXPECT_TRUE(contains(system_text(final_body), "who brings the tickets?"));
  EXPECT_TRUE(contains(user_text(final_body), "NOTE-")) << user_text(final_body);
  const auto edits = r.with_action("edit");
  ASSERT_FALSE(edits.empty());
  EXPECT_TRUE(contains(edits.back()["text"], "Sara brings the tickets.")) << r.out;
}

TEST(ConsoleAiText, UsageCountsTheCalls) {
  test::LoopbackServer srv;
  serve(srv, [](const json&, int) { return std::string("Hi"); });
  Sandbox box;
  use_server(box, srv);
  box.set_env("SAKAIBOT_PRICING_MODELS", "gpt-4o-mini=1000/1000");
  const auto r = box.console(script({"/tr=en سلام", "/tr=de سلام", "/usage"}));
  expect_clean(r);
  const std::string usage = r.answer_to(5);
  EXPECT_TRUE(contains(usage, "Tokens: 58 in 2 calls")) << usage;
  // 2 × 29 tokens at 1000 USD per 1M tokens.
  EXPECT_TRUE(contains(usage, "Estimated cost: $0.058")) << usage;
  EXPECT_TRUE(contains(usage, "gpt-4o-mini")) << usage;
}

}  // namespace
}  // namespace sakai::e2e
