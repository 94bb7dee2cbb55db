#include "stream/track_source.h"

#include <algorithm>

#include "stream/track_state.h"

namespace mrec::detail {

TrackSource::~TrackSource() = default;

void TrackSource::addTrack(const std::shared_ptr<TrackState>& track) {
  {
    MutexLock lock(mutex_);
    std::erase_if(tracks_, [](const std::weak_ptr<TrackState>& t) { return t.expired(); });
    tracks_.push_back(track);
  }
  consumersChanged_.notifyAll();
}

void TrackSource::notifyConsumersChanged() {
  { MutexLock lock(mutex_); }  // orders the change before a waiter's predicate check
  consumersChanged_.notifyAll();
}

std::vector<std::shared_ptr<TrackState>> TrackSource::liveTracks() {
  std::vector<std::shared_ptr<TrackState>> live;
  MutexLock lock(mutex_);
  for (const auto& weak : tracks_)
    if (auto track = weak.lock(); track && track->live()) live.push_back(std::move(track));
  return live;
}

void TrackSource::deliverAudio(const AudioChunk& chunk, Delivery delivery) {
  for (const auto& track : liveTracks()) track->deliverAudio(chunk, delivery);
}

void TrackSource::deliverVideo(const VideoChunk& frame, Delivery delivery) {
  for (const auto& track : liveTracks()) track->deliverVideo(frame, delivery);
}

void TrackSource::reportOverflow(uint64_t frames) {
  for (const auto& track : liveTracks()) track->reportOverflow(frames);
}

void TrackSource::endAllTracks() {
  for (const auto& track : liveTracks()) track->end(/*fireEndedEvent=*/true);
  consumersChanged_.notifyAll();
}

bool TrackSource::hasLiveTracks() {
  return !liveTracks().empty();
}

bool TrackSource::hasConsumers() {
  const auto live = liveTracks();
  return std::any_of(live.begin(), live.end(), [](const auto& t) { return t->hasSinks(); });
}

bool TrackSource::waitForConsumers() {
  while (true) {
    if (hasConsumers()) return true;
    if (!hasLiveTracks()) return false;
    MutexLock lock(mutex_);
    // Woken by sink and track changes; the timeout covers a track whose last owner let go.
    consumersChanged_.waitFor(lock, std::chrono::milliseconds(50));
  }
}

}  // namespace mrec::detail
