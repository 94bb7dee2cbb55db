// What a MediaStreamTrack is, behind its public face.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/mutex.h"
#include "mrec/media_stream.h"
#include "stream/media_sink.h"
#include "stream/track_source.h"

namespace mrec::detail {

/// What an internal observer of a track is told, synchronously on the thread that caused it.
enum class TrackChange { Ended, IsolationChanged };

struct TrackState {
  TrackState(std::string kind, std::string label, std::shared_ptr<TrackSource> source);
  ~TrackState();

  const std::string id;
  const std::string kind;
  const std::string label;
  const std::shared_ptr<TrackSource> source;
  std::weak_ptr<MediaStreamTrack> publicTrack;  ///< set by the factory, for 'ended'

  std::atomic<bool> enabled{true};
  std::atomic<bool> isolated{false};
  std::atomic<MediaStreamTrackState> readyState{MediaStreamTrackState::Live};

  bool live() const { return readyState.load() == MediaStreamTrackState::Live; }

  /// Attaches a sink; returns false (and does nothing) if the track has ended.
  bool addSink(std::shared_ptr<MediaSink> sink);
  void removeSink(const MediaSink* sink);
  bool hasSinks();
  /// Called by the source: a disabled track passes silence on.
  void deliverAudio(const AudioChunk& chunk, Delivery delivery);
  /// Called by the source: a disabled track passes black frames on.
  void deliverVideo(const VideoChunk& frame, Delivery delivery);
  /// Called by the source: media was lost before it reached the sinks.
  void reportOverflow(uint64_t frames);

  using ObserverId = uint64_t;
  ObserverId addObserver(std::function<void(TrackChange)> observer);
  void removeObserver(ObserverId id);

  /// Ends the track once; `fireEndedEvent` is true when the source ended it, false for stop().
  void end(bool fireEndedEvent);
  void setIsolated(bool value);

 private:
  void notify(TrackChange change);

  Mutex mutex_;
  std::vector<std::shared_ptr<MediaSink>> sinks_ MREC_GUARDED_BY(mutex_);
  std::vector<std::pair<ObserverId, std::shared_ptr<std::function<void(TrackChange)>>>> observers_
      MREC_GUARDED_BY(mutex_);
  ObserverId nextObserverId_ MREC_GUARDED_BY(mutex_) = 1;
};

/// What a MediaStream is, behind its public face.
enum class StreamChange { TrackSetChanged };

struct StreamState {
  StreamState();
  const std::string id;

  Mutex mutex;
  std::vector<std::shared_ptr<MediaStreamTrack>> tracks MREC_GUARDED_BY(mutex);

  using ObserverId = uint64_t;
  ObserverId addObserver(std::function<void(StreamChange)> observer);
  void removeObserver(ObserverId id);
  void notify(StreamChange change);

 private:
  Mutex observersMutex_;
  std::vector<std::pair<ObserverId, std::shared_ptr<std::function<void(StreamChange)>>>> observers_
      MREC_GUARDED_BY(observersMutex_);
  ObserverId nextObserverId_ MREC_GUARDED_BY(observersMutex_) = 1;
};

/// The library's way in to the private parts of the public classes.
struct Access {
  static const std::shared_ptr<TrackState>& state(const MediaStreamTrack& track) {
    return track.state_;
  }
  static const std::shared_ptr<StreamState>& state(const MediaStream& stream) {
    return stream.state_;
  }
  /// Wraps a new track state in its public object.
  static std::shared_ptr<MediaStreamTrack> makeTrack(std::shared_ptr<TrackState> state);
};

}  // namespace mrec::detail
