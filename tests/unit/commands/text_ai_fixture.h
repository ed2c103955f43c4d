#pragma once
// The engine with a scripted LLM for /translate, /analyze, /tellme and /usage tests: each call
// is answered on the event loop by `answer` (default: a fixed text), with usage numbers, and
// the provider tracks how many calls are in flight at once.
#include <functional>
#include <string>
#include <vector>

#include "ai/llm/provider.h"
#include "unit/commands/engine_fixture.h"

namespace sakai::testing {

class TextScriptedLlm final : public ai::LlmProvider {
 public:
  explicit TextScriptedLlm(EventLoop& loop) : loop_(loop) {}
  std::string name() const override { return "scripted"; }
  std::string default_model() const override { return "gemini-2.5-flash"; }
  ai::ProviderCaps caps() const override { return {}; }
  ai::ChatHandle chat(ai::ChatRequest request, ai::ChatDeltaCallback,
                      ai::ChatDoneCallback on_done) override {
    requests.push_back(request);
    ++in_flight;
    max_in_flight = std::max(max_in_flight, in_flight);
    const std::size_t index = requests.size() - 1;
    loop_.post([this, request, index, on_done] {
      --in_flight;
      if (error) {
        on_done(ai::ChatOutcome(*error));
        return;
      }
      ai::ChatResult r;
      r.text = answer ? answer(request, index) : std::string("**Answer** text");
      r.provider = "scripted";
      r.model = model;
      r.usage.input_tokens = 1000;
      r.usage.output_tokens = 200;
      r.usage.thinking_tokens = 0;
      on_done(ai::ChatOutcome(std::move(r)));
    });
    return {};
  }

  std::function<std::string(const ai::ChatRequest&, std::size_t index)> answer;
  std::optional<ai::LlmError> error;
  std::string model = "gemini-2.5-flash";
  std::vector<ai::ChatRequest> requests;
  std::size_t in_flight = 0;
  std::size_t max_in_flight = 0;

 private:
  EventLoop& loop_;
};

class TextAiTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    services_->llm = &llm_;
  }
  // Runs the loop until nothing is ready (LLM answers are posted).
  void settle() {
    for (int i = 0; i < 100; ++i)
      loop_.run_ready();
  }
  std::vector<telegram::TransportAction> actions_of(const std::string& kind) const {
    std::vector<telegram::TransportAction> out;
    for (const auto& a : transport_->actions()) {
      if (a.kind == kind) out.push_back(a);
    }
    return out;
  }
  // The final text of message `id` in `chat`.
  std::string text_of(ChatId chat, MessageId id) const {
    auto m = transport_->message(chat, id);
    return m ? m->text : std::string();
  }

  TextScriptedLlm llm_{loop_};
};

}  // namespace sakai::testing
