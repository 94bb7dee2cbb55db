#include "recorder/bitrate_policy.h"

#include <algorithm>

namespace mrec::detail {

namespace {
// Weights and floors as Firefox uses them: a video track is worth 20 audio tracks, and
// neither kind is ever given less than a codec can make something of.
constexpr uint64_t kVideoWeight = 20;
constexpr uint64_t kAudioWeight = 1;
constexpr uint32_t kMinAudioBitsPerSecond = 500;
constexpr uint32_t kMinVideoBitsPerSecond = 10000;
}  // namespace

BitrateSplit splitBitrate(uint32_t bitsPerSecond, uint32_t audioTracks, uint32_t videoTracks) {
  const uint64_t audioWeight = kAudioWeight * audioTracks;
  const uint64_t videoWeight = kVideoWeight * videoTracks;
  const uint64_t total = audioWeight + videoWeight;
  BitrateSplit split;
  if (total == 0) return split;
  if (audioTracks > 0)
    split.audio = std::max(kMinAudioBitsPerSecond,
                           static_cast<uint32_t>(bitsPerSecond * audioWeight / total));
  if (videoTracks > 0)
    split.video = std::max(kMinVideoBitsPerSecond,
                           static_cast<uint32_t>(bitsPerSecond * videoWeight / total));
  return split;
}

}  // namespace mrec::detail
