#include "recorder/interleaver.h"

#include <algorithm>

#include "core/media_time.h"

namespace mrec::detail {

Interleaver::Interleaver(std::vector<uint32_t> timebases) {
  for (uint32_t timebase : timebases)
    lanes_.push_back({std::max(timebase, 1u), {}, INT64_MIN, Clock::now()});
}

int64_t Interleaver::micros(const Lane& lane, const EncodedPacket& packet) const {
  return unitsToMicros(packet.timestamp, lane.timebase);
}

void Interleaver::push(EncodedPacket packet, Clock::time_point now) {
  Lane& lane = lanes_.at(packet.track);
  lane.lastUs = std::max(lane.lastUs, micros(lane, packet));
  lane.lastPush = now;
  lane.pending.push_back(std::move(packet));
}

void Interleaver::endTrack(uint32_t track) {
  lanes_.at(track).ended = true;
}

int Interleaver::earliestLane() const {
  int best = -1;
  int64_t bestUs = 0;
  for (size_t i = 0; i < lanes_.size(); ++i) {
    if (lanes_[i].pending.empty()) continue;
    const int64_t us = micros(lanes_[i], lanes_[i].pending.front());
    if (best < 0 || us < bestUs) {
      best = static_cast<int>(i);
      bestUs = us;
    }
  }
  return best;
}

void Interleaver::release(int lane, std::vector<EncodedPacket>& out) {
  out.push_back(std::move(lanes_[lane].pending.front()));
  lanes_[lane].pending.pop_front();
}

void Interleaver::pop(std::vector<EncodedPacket>& out, Clock::time_point now) {
  while (true) {
    const int lane = earliestLane();
    if (lane < 0) return;
    const int64_t headUs = micros(lanes_[lane], lanes_[lane].pending.front());
    int64_t newestUs = INT64_MIN;
    bool waitForOthers = false;
    for (size_t i = 0; i < lanes_.size(); ++i) {
      newestUs = std::max(newestUs, lanes_[i].lastUs);
      if (static_cast<int>(i) == lane || lanes_[i].ended) continue;
      // This track may still send a packet earlier than the head, unless it has gone quiet.
      if (lanes_[i].lastUs < headUs && now - lanes_[i].lastPush < kQuietTrack) waitForOthers = true;
    }
    if (waitForOthers && newestUs - headUs <= kMaxLeadUs) return;
    release(lane, out);
  }
}

void Interleaver::drain(std::vector<EncodedPacket>& out) {
  for (int lane = earliestLane(); lane >= 0; lane = earliestLane()) release(lane, out);
}

}  // namespace mrec::detail
