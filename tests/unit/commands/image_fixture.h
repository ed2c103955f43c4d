#pragma once
// The engine with the image feature over scripted providers: each provider holds its calls until
// the test answers them, with REAL images made by ImageMagick (support/image_fixtures.h) and
// passed through the real checks (ai/image/image_check.h), as a provider's answer is. Two
// members make the chain: "pollinations" (the primary) and "huggingface".
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "ai/image/image_chain.h"
#include "ai/image/image_check.h"
#include "features/image/image_feature.h"
#include "support/image_fixtures.h"
#include "unit/commands/text_ai_fixture.h"

namespace sakai::testing {

namespace img = ai::image;

class ScriptedImages final : public img::ImageProvider {
 public:
  struct Call {
    img::ImageRequest request;
    img::ImageProgressCallback progress;
    img::ImageDone done;
    std::shared_ptr<bool> cancelled = std::make_shared<bool>(false);
  };

  ScriptedImages(std::string name, EventLoop& loop) : name_(std::move(name)), loop_(loop) {}
  std::string name() const override { return name_; }
  std::string default_model() const override { return "flux"; }
  std::vector<std::string> models() const override { return {"flux", "turbo", "sdxl"}; }
  img::ImageCaps caps() const override { return {true, true, 1}; }
  img::ImageCall generate(img::ImageRequest request, img::ImageProgressCallback progress,
                          img::ImageDone done) override {
    calls.push_back(Call{std::move(request), std::move(progress), std::move(done)});
    const std::size_t i = calls.size() - 1;
    auto cancelled = calls.back().cancelled;
    return img::ImageCall([this, i, cancelled] {
      if (*cancelled) return;
      *cancelled = true;
      // As the contract says: the call then ends with kCancelled, later, through done.
      // A provider dropped meanwhile (the engine stopped) answers nothing.
      loop_.post([this, i, alive = std::weak_ptr<int>(alive_)] {
        if (alive.expired() || !calls[i].done) return;
        ai::ApiError e;
        e.kind = ai::ApiErrorKind::kCancelled;
        e.cause = ai::ApiCause::kCancelled;
        e.provider = name_;
        std::exchange(calls[i].done, nullptr)(e);
      });
    });
  }

  // Answers call `i` with its count of images of the asked size (or w × h), made by ImageMagick
  // and checked as a real provider's are.
  void complete(std::size_t i, const std::string& format = "png", int w = 0, int h = 0) {
    ASSERT_LT(i, calls.size());
    ASSERT_TRUE(calls[i].done) << "call " << i << " already answered";
    const auto& req = calls[i].request;
    img::ImageResult result;
    result.provider = name_;
    result.model = req.model.empty() ? default_model() : req.model;
    for (int k = 0; k < req.count; ++k) {
      const std::string bytes =
          make_image({.width = w > 0 ? w : req.width,
                      .height = h > 0 ? h : req.height,
                      .format = format,
                      .source = k % 2 == 0 ? "gradient:orange-navy" : "gradient:teal-white",
                      .alpha = false,
                      .extra = ""});
      auto checked = img::check_image(bytes, "image/" + format);
      ASSERT_TRUE(checked.ok()) << checked.error().describe();
      img::GeneratedImage image = std::move(checked.value());
      if (req.seed) image.seed = *req.seed + k;
      result.images.push_back(std::move(image));
    }
    std::exchange(calls[i].done, nullptr)(std::move(result));
  }
  void fail(std::size_t i, ai::ApiError error) {
    ASSERT_LT(i, calls.size());
    error.provider = name_;
    std::exchange(calls[i].done, nullptr)(std::move(error));
  }

  std::vector<Call> calls;

 private:
  std::string name_;
  EventLoop& loop_;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
};

class ImageTest : public TextAiTest {
 protected:
  void SetUp() override {
    config_.set("data.dir", tmp_.path().string(), "test");
    TextAiTest::SetUp();
    bob_ = transport_->add_user("Bob", "bob");
  }

  void install(commands::Registry& registry) override {
    TextAiTest::install(registry);
    features::ImageOptions options;
    options.providers = [this](commands::Services& s) {
      std::vector<std::unique_ptr<img::ImageProvider>> members;
      auto primary = std::make_unique<ScriptedImages>("pollinations", s.loop);
      auto second = std::make_unique<ScriptedImages>("huggingface", s.loop);
      primary_ = primary.get();
      second_ = second.get();
      members.push_back(std::move(primary));
      members.push_back(std::move(second));
      img::ImageChainOptions chain_options;
      chain_options.backoff.max_attempts = 1;
      return std::make_unique<img::ImageChain>(std::move(members), s.loop, chain_options);
    };
    ASSERT_TRUE(features::install_image_feature_with(registry, std::move(options)).is_ok());
  }

  // Runs what is ready, the worker pool's jobs included.
  void settle() {
    for (int i = 0; i < 20; ++i) {
      loop_.run_until_idle();
      loop_.run_ready();
    }
  }
  void advance(Clock::Duration d) {
    clock_.advance(d);
    settle();
  }
  MessageId friend_says(UserId user, const std::string& text,
                        std::optional<MessageId> reply_to = {}) {
    grant(user, "*", storage::GrantMode::kDirect);
    const auto id = transport_->receive(ChatId(user.value()), user, text, reply_to);
    settle();
    return id;
  }
  MessageId owner_draws(const std::string& text, std::optional<MessageId> reply_to = {}) {
    const auto id = owner_says(owner_chat_, text, reply_to);
    settle();
    return id;
  }
  std::vector<telegram::TransportAction> actions(const std::string& kind) const {
    return actions_of(kind);
  }
  // The status message that answers `request`, and the texts it showed, in order.
  std::optional<MessageId> status_of(MessageId request) const {
    for (const auto& a : transport_->actions()) {
      if (a.kind == "send" && a.reply_to == request) return a.message;
    }
    return std::nullopt;
  }
  std::vector<std::string> status_texts(MessageId request) const {
    std::vector<std::string> out;
    const auto status = status_of(request);
    if (!status) return out;
    for (const auto& a : transport_->actions()) {
      if ((a.kind == "send" || a.kind == "edit") && a.message == *status)
        out.push_back(a.text.text);
    }
    return out;
  }
  bool deleted(MessageId id) const {
    for (const auto& a : actions("delete")) {
      if (std::find(a.messages.begin(), a.messages.end(), id) != a.messages.end()) return true;
    }
    return false;
  }

  TempDir tmp_{"sakaibot-image-test"};
  ScriptedImages* primary_ = nullptr;
  ScriptedImages* second_ = nullptr;
  UserId bob_;
};

}  // namespace sakai::testing
