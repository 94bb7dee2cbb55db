#include "recorder/media_timeline.h"

#include <algorithm>

namespace mrec::detail {

namespace {
// Matroska stores milliseconds: frames closer than this would share a timestamp.
constexpr int64_t kMinFrameStepUs = 1000;
}  // namespace

int64_t MediaTimeline::startOffset(int64_t timestamp, bool wallClock) {
  if (!origin_) {
    origin_ = timestamp;
    originWallClock_ = wallClock;
    return 0;
  }
  // Timestamps of different clocks say nothing about each other: both start at 0.
  if (wallClock != originWallClock_) return 0;
  return std::max<int64_t>(0, timestamp - *origin_);
}

int64_t MediaTimeline::audioStart(const AudioChunk& chunk) {
  return startOffset(chunk.timestamp, chunk.wallClock);
}

void MediaTimeline::noteAudioEnd(int64_t endUs) {
  audioEndUs_ = std::max(audioEndUs_, endUs);
}

void MediaTimeline::resume() {
  const int64_t videoEnd = lastFrameTimestamp_ ? lastFrameUs_ + lastFrameDurationUs_ : 0;
  resumeAtUs_ = std::max(audioEndUs_, videoEnd);
}

MediaTimeline::FrameTime MediaTimeline::videoFrame(const VideoChunk& frame) {
  int64_t timeUs;
  if (!lastFrameTimestamp_) {
    timeUs = resumeAtUs_ ? *resumeAtUs_ : startOffset(frame.timestamp, frame.wallClock);
  } else if (resumeAtUs_) {
    timeUs = std::max(*resumeAtUs_, lastFrameUs_ + kMinFrameStepUs);
  } else {
    timeUs = lastFrameUs_ + (frame.timestamp - *lastFrameTimestamp_);
    // Timestamps that stand still or go back (a program's own) still give a playable order.
    timeUs = std::max(timeUs, lastFrameUs_ + kMinFrameStepUs);
  }
  if (lastFrameTimestamp_ && !resumeAtUs_ && frame.duration <= 0)
    lastFrameDurationUs_ = std::max(timeUs - lastFrameUs_, kMinFrameStepUs);
  resumeAtUs_.reset();
  const int64_t durationUs = frame.duration > 0 ? frame.duration : lastFrameDurationUs_;
  if (frame.duration > 0) lastFrameDurationUs_ = frame.duration;
  lastFrameTimestamp_ = frame.timestamp;
  lastFrameUs_ = timeUs;
  return {timeUs, durationUs};
}

}  // namespace mrec::detail
