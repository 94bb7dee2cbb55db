// The one media clock of a recording, shared by its audio and video (docs/architecture.md
// §3). Time starts at the recording's first media; a track that begins later starts later
// in the file, by the difference of their capture times when both were captured on the
// same clock. Audio time is counted in samples by its encoder; video time follows the
// frames' timestamps. Paused spans are cut out: after resume, media goes on where the
// recording's media had got to.
#pragma once

#include <cstdint>
#include <optional>

#include "stream/audio_chunk.h"
#include "stream/video_chunk.h"

namespace mrec::detail {

class MediaTimeline {
 public:
  /// Where an audio track whose first chunk is `chunk` starts, in microseconds.
  int64_t audioStart(const AudioChunk& chunk);
  /// Audio has been recorded up to `endUs`.
  void noteAudioEnd(int64_t endUs);

  struct FrameTime {
    int64_t timeUs;
    int64_t durationUs;
  };
  /// The time of a video frame in the recording, strictly after the previous frame's.
  FrameTime videoFrame(const VideoChunk& frame);

  /// After a pause: the next frame starts where the recording's media had got to.
  void resume();

  /// A frame duration to assume when a source gives none: 30 frames per second.
  static constexpr int64_t kDefaultFrameUs = 33333;

 private:
  int64_t startOffset(int64_t timestamp, bool wallClock);

  std::optional<int64_t> origin_;
  bool originWallClock_ = false;
  int64_t audioEndUs_ = 0;

  std::optional<int64_t> lastFrameTimestamp_;  ///< on the source's clock
  int64_t lastFrameUs_ = 0;                    ///< in the recording
  int64_t lastFrameDurationUs_ = kDefaultFrameUs;
  std::optional<int64_t> resumeAtUs_;  ///< where the first frame after a resume goes
};

}  // namespace mrec::detail
