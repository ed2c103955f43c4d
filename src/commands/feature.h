#pragma once
// A feature plugs into the engine through its install function: AI text, voice, and later
// images, scheduling, plugins. A feature is one folder under src/features/ (its own library)
// with one door header that declares `Status install_<name>_feature(commands::Registry&)`; the
// app's table (features/all_features.cpp) lists the features it builds.
//
// install() runs once per account bot, on that account's Registry, before its engine starts. It
// adds the feature's commands (Registry::add, help texts under cmd.<name>.*) and hooks:
// reply continuations, media handlers, start, stop, deletion and cancel hooks. Per-account state
// (e.g. the voice feature's TTS queue) is made in a start hook and released in a stop hook:
// Services carries nothing of any one feature. A feature includes nothing of another feature; what
// two features share lives below them (src/assistant/). Thread-safety: install() runs on the thread
// that builds the bot, before any message.
#include <span>
#include <string_view>

#include "commands/registry.h"
#include "core/result.h"

namespace sakai::commands {

struct FeatureEntry {
  std::string_view name;  // for errors and logs: "ai", "voice", ...
  Status (*install)(Registry& registry);
};

// Installs every entry, in order, on `registry`. The first failure stops it and names the
// feature ("feature voice: command name 'tts' is already registered").
Status install_features(Registry& registry, std::span<const FeatureEntry> features);

}  // namespace sakai::commands
