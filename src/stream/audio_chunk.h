// Raw audio as it travels from a source to the recorders of its tracks.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

namespace mrec::detail {

/// Interleaved float samples in [-1, 1]. Immutable once made, so one chunk can be handed
/// to every recorder of a source without copying.
struct AudioChunk {
  uint32_t sampleRate = 0;
  uint32_t channels = 0;
  uint32_t frames = 0;
  std::shared_ptr<const std::vector<float>> samples;  ///< frames * channels values
  /// When the first frame was made, in microseconds: on wallClockMicros() for media captured
  /// in real time (`wallClock`), else on the source's own media timeline. A recording of
  /// audio and video lines their starts up by it; within a track, audio time is counted in
  /// samples.
  int64_t timestamp = 0;
  bool wallClock = false;
};

/// A chunk of `frames` zero samples in the layout of `like`.
AudioChunk makeSilence(const AudioChunk& like);

}  // namespace mrec::detail
