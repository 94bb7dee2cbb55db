// How the recorder turns its bitrate options into per-kind targets (docs/conformance.md
// decision 3).
#pragma once

#include <cstdint>

namespace mrec::detail {

constexpr uint32_t kDefaultAudioBitsPerSecond = 128000;
constexpr uint32_t kDefaultVideoBitsPerSecond = 2500000;

struct BitrateSplit {
  uint32_t audio = 0;
  uint32_t video = 0;
};

/// Splits `bitsPerSecond` by weights video 20 : audio 1, each times its track count; a kind
/// with no track gets 0, a kind with tracks at least a floor a codec can still use.
BitrateSplit splitBitrate(uint32_t bitsPerSecond, uint32_t audioTracks, uint32_t videoTracks);

}  // namespace mrec::detail
