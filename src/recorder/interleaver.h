// Puts the packets of a recording's tracks into one time order for the muxer. Each track's
// encoder hands its packets over in its own order; a packet leaves once no other track can
// still produce an earlier one, or once some track has run far ahead of it (a track whose
// source has gone quiet must not hold the others back without bound).
#pragma once

#include <cstdint>
#include <deque>
#include <vector>

#include "codecs/encoded_packet.h"

namespace mrec::detail {

class Interleaver {
 public:
  /// `timebases[i]`: units per second of track i's timestamps.
  explicit Interleaver(std::vector<uint32_t> timebases);

  void push(EncodedPacket packet);
  /// Track `track` will send nothing more; it no longer holds the others back.
  void endTrack(uint32_t track);
  /// Appends to `out`, in time order, every packet that can be written now.
  void pop(std::vector<EncodedPacket>& out);
  /// Appends every packet held, in time order.
  void drain(std::vector<EncodedPacket>& out);

  /// How far one track may run ahead of another that sends nothing before its packets leave.
  static constexpr int64_t kMaxLeadUs = 3000000;

 private:
  struct Lane {
    uint32_t timebase = 1;
    std::deque<EncodedPacket> pending;
    int64_t lastUs = INT64_MIN;  ///< start of the newest packet pushed
    bool ended = false;
  };
  int64_t micros(const Lane& lane, const EncodedPacket& packet) const;
  /// The lane whose first pending packet is earliest, or -1 if none holds any.
  int earliestLane() const;
  void release(int lane, std::vector<EncodedPacket>& out);

  std::vector<Lane> lanes_;
};

}  // namespace mrec::detail
