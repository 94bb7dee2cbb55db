// Raw video as it travels from a source to the recorders of its tracks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/pixel_format.h"

namespace mrec::detail {

/// One frame in I420, the layout every encoder takes. Immutable once made, so one frame is
/// handed to every recorder of a source without copying.
struct VideoChunk {
  uint32_t width = 0;
  uint32_t height = 0;
  /// When the frame was captured, in microseconds: on wallClockMicros() for media captured
  /// in real time (`wallClock`), else on the source's own media timeline.
  int64_t timestamp = 0;
  int64_t duration = 0;  ///< microseconds; 0 if unknown
  bool wallClock = false;
  std::shared_ptr<const std::vector<uint8_t>> i420;  ///< i420Size(width, height) bytes
};

/// A black frame with the size and times of `like` (what a disabled track records).
VideoChunk makeBlackFrame(const VideoChunk& like);

}  // namespace mrec::detail
