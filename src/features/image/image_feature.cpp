#include "features/image/image_feature.h"

#include "ai/image/image_factory.h"
#include "commands/services.h"
#include "features/image/image_state.h"

namespace sakai::features {

Status install_image_feature(commands::Registry& registry) {
  return install_image_feature_with(registry, ImageOptions{});
}

Status install_image_feature_with(commands::Registry& registry, ImageOptions options) {
  auto state = std::make_shared<ImageState>();
  // The queue and its providers live while the engine runs.
  registry.add_start_hook([state, make = std::move(options.providers)](commands::Services& s) {
    state->queue.reset();
    std::unique_ptr<ai::image::ImageChain> chain;
    if (make) {
      chain = make(s);
    } else if (s.http != nullptr && s.workers != nullptr) {
      chain = ai::image::make_image_provider(s.config, *s.http, s.clock, *s.workers, s.loop);
    } else {
      s.log.warn("image", "no HTTP client or worker pool: images are off");
    }
    if (!chain) return;
    state->queue = std::make_unique<ImageQueue>(s, std::move(chain));
    state->queue->resume();
  });
  registry.add_stop_hook([state] { state->queue.reset(); });
  // Deleting a request cancels it; so does /cancel in reply to it or its status.
  registry.add_deletion_hook(
      [state](commands::Services&, ChatId chat, const std::vector<MessageId>& deleted) {
        if (state->queue) state->queue->on_messages_deleted(chat, deleted);
      });
  registry.add_cancel_hook(
      [state](commands::Services&, ChatId chat, MessageId message, std::optional<UserId> only) {
        return state->queue != nullptr && state->queue->cancel(chat, message, only);
      });
  return register_image_commands(registry, state);
}

}  // namespace sakai::features
