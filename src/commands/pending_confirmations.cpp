#include "commands/pending_confirmations.h"

#include <algorithm>

namespace sakai::commands {

std::size_t PendingConfirmations::index_of(ChatId chat, MessageId id) const {
  for (std::size_t i = 0; i < requests_.size(); ++i) {
    const PendingRequest& r = requests_[i];
    if (r.request.chat != chat) continue;
    if (r.request.id == id || (r.notice && *r.notice == id)) return i;
  }
  return requests_.size();
}

bool PendingConfirmations::add(PendingRequest request) {
  if (index_of(request.request.chat, request.request.id) != requests_.size()) return false;
  if (requests_.size() >= kMaxPending) requests_.erase(requests_.begin());
  requests_.push_back(std::move(request));
  return true;
}

void PendingConfirmations::set_notice(ChatId chat, MessageId request, MessageId notice) {
  for (PendingRequest& r : requests_) {
    if (r.request.chat == chat && r.request.id == request) r.notice = notice;
  }
}

const PendingRequest* PendingConfirmations::find(ChatId chat, MessageId id) const {
  const std::size_t i = index_of(chat, id);
  return i == requests_.size() ? nullptr : &requests_[i];
}

std::optional<PendingRequest> PendingConfirmations::take(ChatId chat, MessageId id) {
  const std::size_t i = index_of(chat, id);
  if (i == requests_.size()) return std::nullopt;
  PendingRequest out = std::move(requests_[i]);
  requests_.erase(requests_.begin() + static_cast<std::ptrdiff_t>(i));
  return out;
}

void PendingConfirmations::forget_older_than(std::int64_t oldest_ms) {
  std::erase_if(requests_,
                [oldest_ms](const PendingRequest& r) { return r.asked_ms <= oldest_ms; });
}

}  // namespace sakai::commands
