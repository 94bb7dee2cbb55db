#include "recorder/session_queue.h"

namespace mrec::detail {

namespace {
/// One Opus frame: less than this wakes no worker that could only wait for more.
constexpr int64_t kWakeMicros = 20000;
/// Live video waits for the worker at most this much: audio queued behind slow frames must
/// not wait past its own room (about a second of device chunks).
constexpr size_t kRealtimeFrameBacklog = 4;
constexpr int64_t kRealtimeAudioBacklogMicros = 250000;

int64_t microsOf(const AudioChunk& chunk) {
  return chunk.sampleRate ? int64_t{chunk.frames} * 1000000 / chunk.sampleRate : 0;
}
}  // namespace

bool SessionQueue::pushChunk(const AudioChunk& chunk, Delivery delivery) {
  return push(kAudio, {SessionCommand::None, chunk, {}}, delivery, microsOf(chunk));
}

bool SessionQueue::pushFrame(const VideoChunk& frame, Delivery delivery) {
  if (delivery == Delivery::Realtime) {
    std::lock_guard lock(mutex_);
    if (!closed_ && (queued_[kVideo] >= kRealtimeFrameBacklog ||
                     queuedAudioMicros_ >= kRealtimeAudioBacklogMicros)) {
      ++droppedFrames_;
      return false;
    }
  }
  return push(kVideo, {SessionCommand::None, {}, frame}, delivery, 0);
}

int64_t SessionQueue::queuedWakeMicros() const {
  // A frame is worth encoding at once: it always wakes the worker.
  return queuedAudioMicros_ + kWakeMicros * static_cast<int64_t>(queued_[kVideo]);
}

bool SessionQueue::push(Kind kind, SessionItem item, Delivery delivery, int64_t audioMicros) {
  {
    std::unique_lock lock(mutex_);
    // A paced producer that finds the queue full waits until it is half empty, then fills it
    // again: one wake-up per half queue, not one per chunk (the offline hot path).
    if (delivery == Delivery::Paced && queued_[kind] >= capacity_[kind])
      changed_.wait(lock, [&] { return closed_ || queued_[kind] <= capacity_[kind] / 2; });
    if (closed_) return false;
    if (queued_[kind] >= capacity_[kind]) {
      ++overflows_;
      lock.unlock();
      changed_.notify_all();  // the worker reports the overflow
      return false;
    }
    items_.push_back(std::move(item));
    ++queued_[kind];
    queuedAudioMicros_ += audioMicros;
    if (delivery == Delivery::Realtime && queuedWakeMicros() < kWakeMicros) return true;
  }
  changed_.notify_all();
  return true;
}

void SessionQueue::pushCommand(SessionCommand command) {
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    items_.push_back({command, {}, {}});
  }
  changed_.notify_all();
}

SessionItem SessionQueue::pop() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return !items_.empty() || overflows_ > 0 || closed_; });
  if (items_.empty()) return {};  // woken for an overflow or close
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
  if (atProducersMark) changed_.notify_all();
  return item;
}

void SessionQueue::close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
    items_.clear();
    queued_[kAudio] = queued_[kVideo] = 0;
    queuedAudioMicros_ = 0;
  }
  changed_.notify_all();
}

void SessionQueue::countOverflow() {
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    ++overflows_;
  }
  changed_.notify_all();
}

uint64_t SessionQueue::overflows() const {
  std::lock_guard lock(mutex_);
  return overflows_;
}

uint64_t SessionQueue::droppedFrames() const {
  std::lock_guard lock(mutex_);
  return droppedFrames_;
}

}  // namespace mrec::detail
