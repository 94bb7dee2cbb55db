// The ring between a device's realtime callback and the thread that passes its media on.
#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

namespace mrec::detail {

/// Single producer, single consumer, interleaved float frames. The producer's side never
/// blocks and never allocates: what does not fit is counted, not stored, so a stalled
/// consumer costs the callback nothing and the loss is still known.
class CaptureFifo {
 public:
  CaptureFifo(uint32_t channels, uint32_t capacityFrames);

  /// Producer: stores `frames` frames of `samples`, or silence when `samples` is null (a hole
  /// in the device's stream keeps its time). Returns how many frames were stored.
  uint32_t write(const float* samples, uint32_t frames);
  /// Consumer: frames ready to read.
  uint32_t available() const;
  /// Consumer: moves up to `maxFrames` frames to `out`; returns how many.
  uint32_t read(float* out, uint32_t maxFrames);
  /// Consumer: frames refused for want of room since the last call.
  uint64_t takeRefusedFrames();

  uint32_t channels() const { return channels_; }

 private:
  void copyIn(uint64_t position, const float* samples, uint32_t frames);

  const uint32_t channels_;
  const uint32_t capacity_;
  std::vector<float> ring_;
  std::atomic<uint64_t> written_{0};  ///< frames ever stored; only the producer writes it
  std::atomic<uint64_t> read_{0};     ///< frames ever read; only the consumer writes it
  std::atomic<uint64_t> refused_{0};
};

}  // namespace mrec::detail
