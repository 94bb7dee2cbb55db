// The source behind one or more tracks (a track and its clones share one source).
#pragma once

#include <memory>
#include <vector>

#include "core/mutex.h"
#include "mrec/media_stream.h"
#include "stream/media_sink.h"

namespace mrec::detail {

struct TrackState;

class TrackSource {
 public:
  virtual ~TrackSource();
  virtual MediaTrackSettings settings() const = 0;

  /// Registers a track of this source; the source delivers to it while it is live.
  void addTrack(const std::shared_ptr<TrackState>& track);
  /// Called when a sink is attached to one of its tracks (wakes offline producers).
  void notifyConsumersChanged();
  /// Called when one of its tracks has ended, on the thread that ended it: a device source
  /// releases the device once no live track is left.
  virtual void onTrackEnded() {}

  /// Hands `chunk` to every live track of this source (on the producing thread).
  void deliverAudio(const AudioChunk& chunk, Delivery delivery);
  /// Hands `frame` to every live track of this source (on the producing thread).
  void deliverVideo(const VideoChunk& frame, Delivery delivery);
  /// The source lost `frames` frames (passed on as silence): every sink is told.
  void reportOverflow(uint64_t frames);
  /// The source has no more media: every live track ends and fires 'ended'.
  void endAllTracks();

  /// True while some track of this source is live.
  bool hasLiveTracks();
  /// True while some live track of this source has a sink.
  bool hasConsumers();
  /// Offline producers: waits until a consumer is attached or no live track remains.
  /// Returns hasConsumers().
  bool waitForConsumers();

 private:
  std::vector<std::shared_ptr<TrackState>> liveTracks();

  Mutex mutex_;
  CondVar consumersChanged_;
  std::vector<std::weak_ptr<TrackState>> tracks_ MREC_GUARDED_BY(mutex_);
};

}  // namespace mrec::detail
