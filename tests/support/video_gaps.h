// The frames left out of a pushed 30 fps, 6 s video to make the gaps a live source that
// drops frames leaves: 300 ms from 1.767 to 2.067 s (where a one-second Blob and its cluster
// begin with a key frame) and from 3.4 to 3.7 s (inside a cluster), and single frames at
// 1.2 s and 4.5 s. Shared by VideoGaps.* and the browser tests' record_pushed_video, so
// both check the same layout.
#pragma once

#include <cstdint>

namespace mrec::test::video_gaps {

constexpr int kFrames = 180;
constexpr int64_t kFrameUs = 33333;

constexpr bool isMissing(int frame) {
  return (frame > 53 && frame < 62) || (frame > 102 && frame < 111) || frame == 36 || frame == 135;
}

}  // namespace mrec::test::video_gaps
