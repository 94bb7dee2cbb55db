// Hands a device's captured frames on to its tracks from a thread of its own, so that the
// device's realtime callback does nothing but copy.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

#include "core/owned_thread.h"
#include "stream/audio_chunk.h"

namespace mrec::detail {

class CapturePump {
 public:
  /// Called on the pump's thread with the frames captured since the last call.
  using Deliver = std::function<void(const AudioChunk&)>;
  /// Called on the pump's thread when the ring was full and `frames` frames were lost; they
  /// have been delivered as silence, so the recording keeps the wall clock's time.
  using Overflow = std::function<void(uint64_t frames)>;

  CapturePump(uint32_t sampleRate, uint32_t channels, std::chrono::milliseconds capacity,
              Deliver deliver, Overflow overflow);
  /// Stops the thread. Safe from inside Deliver or Overflow (the last owner may let go there):
  /// the thread then holds its own share of the state and returns by itself.
  ~CapturePump();
  CapturePump(const CapturePump&) = delete;
  CapturePump& operator=(const CapturePump&) = delete;

  /// From the device's realtime callback: copies the frames (null: a hole, kept as silence)
  /// and wakes the pump. Never blocks, never allocates.
  void push(const float* samples, uint32_t frames);

 private:
  struct Shared;
  static void run(const std::shared_ptr<Shared>& shared);

  std::shared_ptr<Shared> shared_;
  OwnedThread thread_;
};

}  // namespace mrec::detail
