#include "recorder/duration_hold.h"

#include <limits>

namespace mrec::detail {

void DurationHold::push(EncodedPacket packet, std::vector<EncodedPacket>& out,
                        Clock::time_point now) {
  if (held_) {
    const int64_t untilNext = packet.timestamp - held_->timestamp;
    // Timestamps that stand still keep the encoder's duration; the timeline never lets
    // them (docs/architecture.md §3), but an encoder's own output might.
    if (untilNext > 0 && untilNext <= std::numeric_limits<uint32_t>::max())
      held_->duration = static_cast<uint32_t>(untilNext);
    out.push_back(std::move(*held_));
  }
  held_ = std::move(packet);
  heldSince_ = now;
}

void DurationHold::release(std::vector<EncodedPacket>& out) {
  if (!held_) return;
  out.push_back(std::move(*held_));
  held_.reset();
}

}  // namespace mrec::detail
