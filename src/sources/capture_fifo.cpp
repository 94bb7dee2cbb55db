#include "sources/capture_fifo.h"

#include <algorithm>
#include <cstring>

namespace mrec::detail {

CaptureFifo::CaptureFifo(uint32_t channels, uint32_t capacityFrames)
    : channels_(channels), capacity_(capacityFrames), ring_(size_t{capacityFrames} * channels) {}

void CaptureFifo::copyIn(uint64_t position, const float* samples, uint32_t frames) {
  const auto start = static_cast<uint32_t>(position % capacity_);
  const uint32_t first = std::min(frames, capacity_ - start);
  float* at = ring_.data() + size_t{start} * channels_;
  const size_t firstValues = size_t{first} * channels_;
  const size_t restValues = size_t{frames - first} * channels_;
  if (samples) {
    std::memcpy(at, samples, firstValues * sizeof(float));
    std::memcpy(ring_.data(), samples + firstValues, restValues * sizeof(float));
  } else {
    std::fill_n(at, firstValues, 0.0f);
    std::fill_n(ring_.data(), restValues, 0.0f);
  }
}

uint32_t CaptureFifo::write(const float* samples, uint32_t frames) {
  const uint64_t written = written_.load(std::memory_order_relaxed);
  const uint64_t free = capacity_ - (written - read_.load(std::memory_order_acquire));
  const auto stored = static_cast<uint32_t>(std::min<uint64_t>(frames, free));
  copyIn(written, samples, stored);
  written_.store(written + stored, std::memory_order_release);
  if (stored < frames) refused_.fetch_add(frames - stored, std::memory_order_relaxed);
  return stored;
}

uint32_t CaptureFifo::available() const {
  return static_cast<uint32_t>(written_.load(std::memory_order_acquire) -
                               read_.load(std::memory_order_relaxed));
}

uint32_t CaptureFifo::read(float* out, uint32_t maxFrames) {
  const uint64_t position = read_.load(std::memory_order_relaxed);
  const uint32_t frames = std::min(maxFrames, available());
  const auto start = static_cast<uint32_t>(position % capacity_);
  const uint32_t first = std::min(frames, capacity_ - start);
  const size_t firstValues = size_t{first} * channels_;
  std::memcpy(out, ring_.data() + size_t{start} * channels_, firstValues * sizeof(float));
  std::memcpy(out + firstValues, ring_.data(), size_t{frames - first} * channels_ * sizeof(float));
  read_.store(position + frames, std::memory_order_release);
  return frames;
}

uint64_t CaptureFifo::takeRefusedFrames() {
  return refused_.exchange(0, std::memory_order_relaxed);
}

}  // namespace mrec::detail
