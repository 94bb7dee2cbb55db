#include "sources/capture_pump.h"

#include <algorithm>
#include <atomic>
#include <semaphore>

#include "core/clock.h"
#include "core/media_time.h"
#include "sources/capture_fifo.h"

namespace mrec::detail {

struct CapturePump::Shared {
  Shared(uint32_t rate, uint32_t channels, uint32_t capacityFrames, Deliver deliverTo,
         Overflow overflowTo)
      : sampleRate(rate),
        fifo(channels, capacityFrames),
        deliver(std::move(deliverTo)),
        overflow(std::move(overflowTo)) {}

  const uint32_t sampleRate;
  CaptureFifo fifo;
  const Deliver deliver;
  const Overflow overflow;
  std::counting_semaphore<> wake{0};
  std::atomic<bool> stopping{false};
};

CapturePump::CapturePump(uint32_t sampleRate, uint32_t channels, std::chrono::milliseconds capacity,
                         Deliver deliver, Overflow overflow)
    : shared_(std::make_shared<Shared>(sampleRate, channels,
                                       static_cast<uint32_t>(sampleRate * capacity.count() / 1000),
                                       std::move(deliver), std::move(overflow))),
      thread_([shared = shared_] { run(shared); }) {}

CapturePump::~CapturePump() {
  shared_->stopping = true;
  shared_->wake.release();
  // From its own thread (a delivery let go of the last owner) the thread is let go: it holds
  // its own share of the state and returns next.
  thread_.join();
}

void CapturePump::push(const float* samples, uint32_t frames) {
  shared_->fifo.write(samples, frames);
  shared_->wake.release();
}

void CapturePump::run(const std::shared_ptr<Shared>& shared) {
  CaptureFifo& fifo = shared->fifo;
  const uint32_t channels = fifo.channels();
  while (!shared->stopping.load()) {
    (void)shared->wake.try_acquire_for(std::chrono::milliseconds(100));
    while (!shared->stopping.load()) {
      const uint32_t frames = fifo.available();
      if (frames == 0) break;
      auto samples = std::make_shared<std::vector<float>>(size_t{frames} * channels);
      fifo.read(samples->data(), frames);
      // Its first frame was captured about its own length ago (the ring adds no delay).
      const int64_t capturedAt = wallClockMicros() - unitsToMicros(frames, shared->sampleRate);
      shared->deliver({shared->sampleRate, channels, frames, std::move(samples), capturedAt, true});
    }
    if (const uint64_t lost = fifo.takeRefusedFrames(); lost > 0 && !shared->stopping.load()) {
      for (uint64_t left = lost; left > 0;) {
        const auto frames = static_cast<uint32_t>(std::min<uint64_t>(left, shared->sampleRate));
        shared->deliver(
            makeSilence({shared->sampleRate, channels, frames, nullptr, wallClockMicros(), true}));
        left -= frames;
      }
      shared->overflow(lost);
    }
  }
}

}  // namespace mrec::detail
