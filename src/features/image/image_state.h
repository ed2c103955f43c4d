#pragma once
// The image feature's state for one account: the queue (with the provider chain) while the
// engine runs. Thread-safety: event loop thread only; held by shared_ptr in the handlers.
#include <memory>

#include "commands/registry.h"
#include "features/image/image_queue.h"

namespace sakai::features {

struct ImageState {
  std::unique_ptr<ImageQueue> queue;  // null while the engine is stopped or nothing can draw
};

// /imagine, /img, /image over `state`'s queue.
Status register_image_commands(commands::Registry& registry,
                               const std::shared_ptr<ImageState>& state);

}  // namespace sakai::features
