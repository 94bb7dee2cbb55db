#include "recorder/session_queue.h"

#include <algorithm>

#include "core/media_time.h"

namespace mrec::detail {

namespace {
/// Live video waits for the worker at most this much: audio queued behind slow frames must
/// not wait past its own room (about a second of device chunks).
constexpr size_t kRealtimeFrameBacklog = 4;
constexpr int64_t kRealtimeAudioBacklogMicros = 250000;

int64_t microsOf(const AudioChunk& chunk) {
  return unitsToMicros(chunk.frames, chunk.sampleRate);
}
}  // namespace

bool SessionQueue::pushChunk(const AudioChunk& chunk, Delivery delivery) {
  return push(kAudio, {SessionCommand::None, chunk, {}}, delivery, microsOf(chunk));
}

bool SessionQueue::pushFrame(const VideoChunk& frame, Delivery delivery) {
  if (delivery == Delivery::Realtime) {
    MutexLock lock(mutex_);
    if (!closed_ && (queued_[kVideo] >= kRealtimeFrameBacklog ||
                     queuedAudioMicros_ >= kRealtimeAudioBacklogMicros)) {
      ++droppedFrames_;
      return false;
    }
  }
  return push(kVideo, {SessionCommand::None, {}, frame}, delivery, 0);
}

bool SessionQueue::wakeIsDue() const {
  // A frame is worth encoding at once: it always wakes the worker.
  return queued_[kVideo] > 0 || queuedAudioMicros_ >= wakeAudioMicros_;
}

void SessionQueue::wakeForAudio(std::optional<int64_t> micros) {
  {
    MutexLock lock(mutex_);
    wakeAudioMicros_ = std::clamp<int64_t>(micros.value_or(kCodecFrameMicros), 1, kMaxWakeMicros);
    if (closed_ || items_.empty() || !wakeIsDue()) return;
  }
  if (wake_) wake_();
}

bool SessionQueue::push(Kind kind, SessionItem item, Delivery delivery, int64_t audioMicros) {
  {
    MutexLock lock(mutex_);
    // A paced producer that finds the queue full waits until it is half empty, then fills it
    // again: one wake-up per half queue, not one per chunk (the offline hot path).
    if (delivery == Delivery::Paced && queued_[kind] >= capacity_[kind])
      while (!closed_ && queued_[kind] > capacity_[kind] / 2) changed_.wait(lock);
    if (closed_) return false;
    if (queued_[kind] >= capacity_[kind]) {
      ++overflows_;
      lock.unlock();
      if (wake_) wake_();  // the consumer reports the overflow
      return false;
    }
    items_.push_back(std::move(item));
    ++queued_[kind];
    queuedAudioMicros_ += audioMicros;
    if (delivery == Delivery::Realtime && !wakeIsDue()) return true;
  }
  if (wake_) wake_();
  return true;
}

void SessionQueue::pushCommand(SessionCommand command) {
  {
    MutexLock lock(mutex_);
    if (closed_) return;
    items_.push_back({command, {}, {}});
  }
  if (wake_) wake_();
}

std::optional<SessionItem> SessionQueue::tryPop() {
  MutexLock lock(mutex_);
  if (items_.empty()) return std::nullopt;
  SessionItem item = std::move(items_.front());
  items_.pop_front();
  bool atProducersMark = false;
  if (item.command == SessionCommand::None) {
    const Kind kind = item.frame.i420 ? kVideo : kAudio;
    --queued_[kind];
    if (kind == kAudio) queuedAudioMicros_ -= microsOf(item.chunk);
    atProducersMark = queued_[kind] == capacity_[kind] / 2;
  }
  lock.unlock();
  if (atProducersMark) changed_.notifyAll();
  return item;
}

void SessionQueue::close() {
  {
    MutexLock lock(mutex_);
    closed_ = true;
    items_.clear();
    queued_[kAudio] = queued_[kVideo] = 0;
    queuedAudioMicros_ = 0;
  }
  changed_.notifyAll();
}

void SessionQueue::countOverflow() {
  {
    MutexLock lock(mutex_);
    if (closed_) return;
    ++overflows_;
  }
  if (wake_) wake_();
}

uint64_t SessionQueue::overflows() const {
  MutexLock lock(mutex_);
  return overflows_;
}

uint64_t SessionQueue::droppedFrames() const {
  MutexLock lock(mutex_);
  return droppedFrames_;
}

}  // namespace mrec::detail
