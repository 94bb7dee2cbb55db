// Puts the packets of a recording's tracks into one time order for the muxer. Each track's
// encoder hands its packets over in its own order; a packet leaves once no other track can
// still produce an earlier one. A track whose source has gone quiet (a generator nobody
// writes to) must not hold the others back: once it has sent nothing for a while of wall
// time, or has fallen far behind in media time, the others' packets leave without it.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <vector>

#include "core/encoded_packet.h"

namespace mrec::detail {

class Interleaver {
 public:
  /// `timebases[i]`: units per second of track i's timestamps.
  explicit Interleaver(std::vector<uint32_t> timebases);

  using Clock = std::chrono::steady_clock;

  void push(EncodedPacket packet, Clock::time_point now = Clock::now());
  /// Track `track` will send nothing more; it no longer holds the others back.
  void endTrack(uint32_t track);
  /// Appends to `out`, in time order, every packet that can be written now.
  void pop(std::vector<EncodedPacket>& out, Clock::time_point now = Clock::now());
  /// Appends every packet held, in time order.
  void drain(std::vector<EncodedPacket>& out);

  /// A track that has sent nothing for this long no longer holds the others back. Offline
  /// recordings, where one kind can be queued seconds of media ahead of the other, never
  /// wait that long for the next packet of a track that is still producing.
  static constexpr std::chrono::milliseconds kQuietTrack{2000};
  /// Nor does a track this far behind in media time (memory stays bounded).
  static constexpr int64_t kMaxLeadUs = 60000000;

 private:
  struct Lane {
    uint32_t timebase = 1;
    std::deque<EncodedPacket> pending;
    int64_t lastUs = INT64_MIN;  ///< start of the newest packet pushed
    Clock::time_point lastPush;
    bool ended = false;
  };
  int64_t micros(const Lane& lane, const EncodedPacket& packet) const;
  /// The lane whose first pending packet is earliest, or -1 if none holds any.
  int earliestLane() const;
  void release(int lane, std::vector<EncodedPacket>& out);

  std::vector<Lane> lanes_;
};

}  // namespace mrec::detail
