// Holds a video track's newest encoded packet until the next one exists, so that each packet
// lasts until the next frame starts: a gap in the frames' timestamps (live frames dropped
// when the worker is behind, a source that skipped some) is covered by the frame before it,
// and the muxer writes that duration (docs/conformance.md decision 21). Costs one frame of
// latency. A pure unit run by the recording's worker.
#pragma once

#include <chrono>
#include <optional>
#include <vector>

#include "core/encoded_packet.h"

namespace mrec::detail {

class DurationHold {
 public:
  using Clock = std::chrono::steady_clock;

  /// Appends the packet held before, its duration now reaching `packet`'s start, to `out`,
  /// and holds `packet`.
  void push(EncodedPacket packet, std::vector<EncodedPacket>& out,
            Clock::time_point now = Clock::now());
  /// Appends the held packet, if any, with the duration its encoder gave it.
  void release(std::vector<EncodedPacket>& out);
  /// Whether a packet has been held for longer than `wait`. Asked for every audio chunk, so
  /// the clock is read only while a packet is held.
  bool heldLongerThan(Clock::duration wait) const {
    return held_ && Clock::now() - heldSince_ > wait;
  }
  bool heldLongerThan(Clock::duration wait, Clock::time_point now) const {
    return held_ && now - heldSince_ > wait;
  }

 private:
  std::optional<EncodedPacket> held_;
  Clock::time_point heldSince_;
};

}  // namespace mrec::detail
