// The queue between a recording's sources and its work on the encode pool: media and
// commands in one order.
// Media counts against the capacity; commands never wait and are never refused, so that
// stop() and requestData() reach a worker whose queue is full of media.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>

#include "core/mutex.h"
#include "stream/audio_chunk.h"
#include "stream/media_sink.h"
#include "stream/video_chunk.h"

namespace mrec::detail {

enum class SessionCommand {
  None,  ///< the item is media
  Pause,
  Resume,
  RequestData,
  RequestEmptyData,  ///< requestData() before `start` fired: nothing has been gathered
  TrackEnded,
  End,  ///< the recording ends; its reason is on the session
};

struct SessionItem {
  SessionCommand command = SessionCommand::None;
  AudioChunk chunk;  ///< audio, if chunk.frames > 0
  VideoChunk frame;  ///< video, if frame.i420 is set
};

class SessionQueue {
 public:
  /// Audio and video count against capacities of their own, so that a fast producer of one
  /// kind cannot starve the other of room.
  explicit SessionQueue(size_t chunkCapacity, size_t frameCapacity = 30)
      : capacity_{chunkCapacity, frameCapacity} {}

  /// Realtime: refused and counted as an overflow when full. Paced: waits for room.
  /// Returns false if the chunk was not queued.
  bool pushChunk(const AudioChunk& chunk, Delivery delivery);
  /// Paced: waits for room. Realtime: dropped (and counted, not an overflow) when the worker
  /// is behind, as a browser drops frames: when a few frames wait already, or audio has
  /// waited long. The file keeps its timeline (frames carry their times) and audio loses
  /// nothing, where an overflow would end the recording. Returns false if not queued.
  bool pushFrame(const VideoChunk& frame, Delivery delivery);
  void pushCommand(SessionCommand command);
  /// The next item, if there is one; never waits.
  std::optional<SessionItem> tryPop();
  /// Called (outside the queue's lock) when work becomes due for the consumer: a command,
  /// an overflow, paced media, a video frame, a codec frame's worth of realtime audio. Set
  /// once, before any producer has the queue.
  void setWake(std::function<void()> wake) { wake_ = std::move(wake); }
  /// The consumer's encoder makes its next packet once `micros` more audio has arrived
  /// (nullopt: it cannot say): realtime audio wakes the consumer when that much is queued,
  /// rather than a whole codec frame after a part frame the encoder holds, which would add
  /// up to a frame's latency whenever a late turn left one there. Wakes it now if that much
  /// is queued already.
  void wakeForAudio(std::optional<int64_t> micros);
  /// Refuses everything from now on and releases waiting producers.
  void close();
  uint64_t overflows() const;
  /// Realtime video frames dropped because the worker was behind.
  uint64_t droppedFrames() const;
  /// Media was lost before it reached this queue: counted like a refused chunk.
  void countOverflow();

 private:
  static constexpr int64_t kCodecFrameMicros = 20000;
  /// Longer than any codec's frame: what the consumer may ask to wait for at most.
  static constexpr int64_t kMaxWakeMicros = 100000;
  enum Kind { kAudio, kVideo };
  bool push(Kind kind, SessionItem item, Delivery delivery, int64_t audioMicros);
  /// Whether queued realtime media is worth waking the consumer for: a video frame, or the
  /// audio that completes its encoder's next packet, not every small piece a device hands
  /// over.
  bool wakeIsDue() const MREC_REQUIRES(mutex_);

  const size_t capacity_[2];
  std::function<void()> wake_;
  mutable Mutex mutex_;
  CondVar changed_;
  std::deque<SessionItem> items_ MREC_GUARDED_BY(mutex_);
  size_t queued_[2] MREC_GUARDED_BY(mutex_) = {0, 0};      ///< media items of each kind
  int64_t queuedAudioMicros_ MREC_GUARDED_BY(mutex_) = 0;  ///< audio queued, in microseconds
  /// Realtime audio that wakes the consumer; a codec frame (Opus': 20 ms) until it says.
  int64_t wakeAudioMicros_ MREC_GUARDED_BY(mutex_) = kCodecFrameMicros;
  uint64_t overflows_ MREC_GUARDED_BY(mutex_) = 0;
  uint64_t droppedFrames_ MREC_GUARDED_BY(mutex_) = 0;
  bool closed_ MREC_GUARDED_BY(mutex_) = false;
};

}  // namespace mrec::detail
