#include <chrono>
#include <cstring>
#include <deque>

#include "core/media_time.h"
#include "core/mutex.h"
#include "mrec/errors.h"
#include "mrec/media_stream_track_processor.h"
#include "stream/track_state.h"

namespace mrec {

using detail::AudioChunk;
using detail::Delivery;
using detail::TrackChange;

struct MediaStreamTrackProcessor::State final : detail::MediaSink {
  explicit State(size_t capacity) : maxBufferSize(capacity) {}

  // Never waits, whatever the delivery: a processor must not hold up the recorders.
  void onAudio(const AudioChunk& chunk, Delivery) override {
    AudioData data;
    data.format = AudioSampleFormat::F32;
    data.sampleRate = chunk.sampleRate;
    data.numberOfFrames = chunk.frames;
    data.numberOfChannels = chunk.channels;
    data.data.resize(size_t{chunk.frames} * chunk.channels * sizeof(float));
    std::memcpy(data.data.data(), chunk.samples->data(), data.data.size());
    {
      detail::MutexLock lock(mutex);
      if (done) return;
      data.timestamp = detail::unitsToMicros(static_cast<int64_t>(framesSeen), chunk.sampleRate);
      framesSeen += chunk.frames;
      if (queue.size() >= maxBufferSize) {
        queue.pop_front();
        ++dropped;
      }
      queue.push_back(std::move(data));
    }
    changed.notifyAll();
  }

  void finish(bool discard) {
    {
      detail::MutexLock lock(mutex);
      done = true;
      if (discard) queue.clear();
    }
    changed.notifyAll();
  }

  const size_t maxBufferSize;
  mutable detail::Mutex mutex;
  detail::CondVar changed;
  std::deque<AudioData> queue MREC_GUARDED_BY(mutex);
  uint64_t framesSeen MREC_GUARDED_BY(mutex) = 0;
  uint64_t dropped MREC_GUARDED_BY(mutex) = 0;
  bool done MREC_GUARDED_BY(mutex) = false;

  std::shared_ptr<detail::TrackState> track;
  detail::TrackState::ObserverId observer = 0;
};

MediaStreamTrackProcessor::MediaStreamTrackProcessor(const MediaStreamTrackProcessorInit& init) {
  if (!init.track) throw TypeError("MediaStreamTrackProcessor: no track");
  if (init.track->kind() != "audio")
    throw TypeError("MediaStreamTrackProcessor: only audio tracks are supported so far");
  if (init.maxBufferSize == 0) throw TypeError("MediaStreamTrackProcessor: maxBufferSize is 0");
  if (init.track->isolated())
    throw DOMException("SecurityError", "the track is isolated: its media cannot be read");
  state_ = std::make_shared<State>(init.maxBufferSize);
  state_->track = detail::Access::state(*init.track);
  // Observe first, then attach: an end in between is seen by the observer.
  state_->observer =
      state_->track->addObserver([weak = std::weak_ptr<State>(state_)](TrackChange change) {
        const auto state = weak.lock();
        if (!state) return;
        if (change == TrackChange::Ended) state->finish(/*discard=*/false);
        // Protected content may not be read from here on.
        if (change == TrackChange::IsolationChanged && state->track->isolated)
          state->finish(/*discard=*/true);
      });
  if (!state_->track->addSink(state_)) state_->finish(/*discard=*/false);
}

MediaStreamTrackProcessor::~MediaStreamTrackProcessor() {
  state_->track->removeObserver(state_->observer);
  state_->track->removeSink(state_.get());
}

ReadableStreamReadResult MediaStreamTrackProcessor::read() {
  detail::MutexLock lock(state_->mutex);
  while (state_->queue.empty() && !state_->done) state_->changed.wait(lock);
  if (state_->queue.empty()) return {{}, true};
  ReadableStreamReadResult result{std::move(state_->queue.front()), false};
  state_->queue.pop_front();
  return result;
}

std::optional<ReadableStreamReadResult> MediaStreamTrackProcessor::read(
    std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  detail::MutexLock lock(state_->mutex);
  while (state_->queue.empty() && !state_->done)
    if (!state_->changed.waitUntil(lock, deadline) && state_->queue.empty() && !state_->done)
      return std::nullopt;
  if (state_->queue.empty()) return ReadableStreamReadResult{{}, true};
  ReadableStreamReadResult result{std::move(state_->queue.front()), false};
  state_->queue.pop_front();
  return result;
}

void MediaStreamTrackProcessor::cancel() {
  state_->track->removeSink(state_.get());
  state_->finish(/*discard=*/true);
}

uint64_t MediaStreamTrackProcessor::droppedCount() const {
  detail::MutexLock lock(state_->mutex);
  return state_->dropped;
}

}  // namespace mrec
