#pragma once
// The friends' commands waiting for the owner's `confirm` (grants in confirm mode): the router
// adds one when it tells a friend their request waits, finds it again when the owner replies
// `confirm` to the friend's command or to that waiting notice, and forgets it once it ran or
// expired; /auth pending lists them.
//
// Kept in memory, bounded (the oldest goes first past kMaxPending): after a restart the list is
// empty, yet a `confirm` still works by following the replies in Telegram (the router's fallback).
// Thread-safety: event loop thread only. Owned by the CommandRouter, which lends it to the
// commands through Services::pending for its lifetime.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/ids.h"
#include "core/message.h"

namespace sakai::commands {

struct PendingRequest {
  Message request;      // the friend's message with the command
  std::string command;  // the command's canonical name
  std::string lang;     // the language the friend is answered in
  std::int64_t asked_ms = 0;
  std::optional<MessageId> notice;  // the "waits for confirmation" message, once it is sent
};

class PendingConfirmations {
 public:
  static constexpr std::size_t kMaxPending = 1000;

  // Adds `request` unless the same message waits already. False when it was already there.
  bool add(PendingRequest request);
  // Records the waiting notice sent for the request `request` in `chat`.
  void set_notice(ChatId chat, MessageId request, MessageId notice);
  // The request whose message, or whose waiting notice, is `id` in `chat`; nullptr if none.
  [[nodiscard]] const PendingRequest* find(ChatId chat, MessageId id) const;
  // Removes and returns the request find(chat, id) names.
  std::optional<PendingRequest> take(ChatId chat, MessageId id);
  // Forgets the requests asked at or before `oldest_ms` (too old to confirm).
  void forget_older_than(std::int64_t oldest_ms);
  // The waiting requests, oldest first.
  [[nodiscard]] const std::vector<PendingRequest>& all() const { return requests_; }

 private:
  [[nodiscard]] std::size_t index_of(ChatId chat, MessageId id) const;
  std::vector<PendingRequest> requests_;  // oldest first
};

}  // namespace sakai::commands
