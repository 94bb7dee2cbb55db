// The receiving end of a track: what a recorder attaches to get its media.
#pragma once

#include "stream/audio_chunk.h"
#include "stream/video_chunk.h"

namespace mrec::detail {

/// How a source hands media over.
enum class Delivery {
  Realtime,  ///< a device or wall-clock source: never wait; a full queue is an overflow
  Paced,     ///< offline or program-written media: wait for room, never drop
};

class MediaSink {
 public:
  virtual ~MediaSink() = default;
  /// Called on the source's thread, never concurrently for one track.
  virtual void onAudio(const AudioChunk& chunk, Delivery delivery) = 0;
  /// Called on the source's thread, never concurrently for one track.
  virtual void onVideo(const VideoChunk& frame, Delivery delivery) {
    (void)frame;
    (void)delivery;
  }
  /// The source lost `frames` frames before they reached any sink (a device's ring was
  /// full); they were passed on as silence. Loss is never silent: a recorder fails with it.
  virtual void onOverflow(uint64_t frames) { (void)frames; }
};

}  // namespace mrec::detail
