#include "stream/track_state.h"

#include <algorithm>

#include "core/ids.h"
#include "mrec/executor.h"

namespace mrec::detail {

TrackState::TrackState(std::string kind, std::string label, std::shared_ptr<TrackSource> source)
    : id(makeUuid()), kind(std::move(kind)), label(std::move(label)), source(std::move(source)) {}

TrackState::~TrackState() = default;

bool TrackState::addSink(std::shared_ptr<MediaSink> sink) {
  {
    MutexLock lock(mutex_);
    if (!live()) return false;
    sinks_.push_back(std::move(sink));
  }
  if (source) source->notifyConsumersChanged();
  return true;
}

void TrackState::removeSink(const MediaSink* sink) {
  MutexLock lock(mutex_);
  std::erase_if(sinks_, [sink](const auto& s) { return s.get() == sink; });
}

bool TrackState::hasSinks() {
  MutexLock lock(mutex_);
  return !sinks_.empty();
}

void TrackState::deliverAudio(const AudioChunk& chunk, Delivery delivery) {
  // Sinks are called without the lock: a paced push may wait for a recorder, and that
  // recorder may be detaching itself meanwhile. The vector is reused by this producing
  // thread, so steady-state delivery does not allocate.
  thread_local std::vector<std::shared_ptr<MediaSink>> sinks;
  {
    MutexLock lock(mutex_);
    sinks.assign(sinks_.begin(), sinks_.end());
  }
  if (sinks.empty()) return;
  if (enabled.load()) {
    for (const auto& sink : sinks) sink->onAudio(chunk, delivery);
  } else {
    const AudioChunk silence = makeSilence(chunk);
    for (const auto& sink : sinks) sink->onAudio(silence, delivery);
  }
  sinks.clear();
}

void TrackState::deliverVideo(const VideoChunk& frame, Delivery delivery) {
  thread_local std::vector<std::shared_ptr<MediaSink>> sinks;
  {
    MutexLock lock(mutex_);
    sinks.assign(sinks_.begin(), sinks_.end());
  }
  if (sinks.empty()) return;
  if (enabled.load()) {
    for (const auto& sink : sinks) sink->onVideo(frame, delivery);
  } else {
    const VideoChunk black = makeBlackFrame(frame);
    for (const auto& sink : sinks) sink->onVideo(black, delivery);
  }
  sinks.clear();
}

void TrackState::reportOverflow(uint64_t frames) {
  std::vector<std::shared_ptr<MediaSink>> sinks;
  {
    MutexLock lock(mutex_);
    sinks = sinks_;
  }
  for (const auto& sink : sinks) sink->onOverflow(frames);
}

TrackState::ObserverId TrackState::addObserver(std::function<void(TrackChange)> observer) {
  MutexLock lock(mutex_);
  const ObserverId id = nextObserverId_++;
  observers_.emplace_back(id,
                          std::make_shared<std::function<void(TrackChange)>>(std::move(observer)));
  return id;
}

void TrackState::removeObserver(ObserverId id) {
  MutexLock lock(mutex_);
  std::erase_if(observers_, [id](const auto& entry) { return entry.first == id; });
}

void TrackState::notify(TrackChange change) {
  std::vector<std::shared_ptr<std::function<void(TrackChange)>>> observers;
  {
    MutexLock lock(mutex_);
    for (const auto& entry : observers_) observers.push_back(entry.second);
  }
  for (const auto& observer : observers) (*observer)(change);
}

void TrackState::end(bool fireEndedEvent) {
  {
    MutexLock lock(mutex_);
    if (!live()) return;
    readyState = MediaStreamTrackState::Ended;
    sinks_.clear();
  }
  if (source) {
    source->notifyConsumersChanged();
    source->onTrackEnded();
  }
  notify(TrackChange::Ended);
  if (!fireEndedEvent) return;
  defaultExecutor()->post([weak = publicTrack] {
    const auto track = weak.lock();
    if (!track) return;
    const Event event("ended");
    if (track->onended) track->onended(event);
    track->dispatchEvent(event);
  });
}

void TrackState::setIsolated(bool value) {
  if (isolated.exchange(value) == value) return;
  notify(TrackChange::IsolationChanged);
}

StreamState::StreamState() : id(makeUuid()) {}

StreamState::ObserverId StreamState::addObserver(std::function<void(StreamChange)> observer) {
  MutexLock lock(observersMutex_);
  const ObserverId id = nextObserverId_++;
  observers_.emplace_back(id,
                          std::make_shared<std::function<void(StreamChange)>>(std::move(observer)));
  return id;
}

void StreamState::removeObserver(ObserverId id) {
  MutexLock lock(observersMutex_);
  std::erase_if(observers_, [id](const auto& entry) { return entry.first == id; });
}

void StreamState::notify(StreamChange change) {
  std::vector<std::shared_ptr<std::function<void(StreamChange)>>> observers;
  {
    MutexLock lock(observersMutex_);
    for (const auto& entry : observers_) observers.push_back(entry.second);
  }
  for (const auto& observer : observers) (*observer)(change);
}

}  // namespace mrec::detail
