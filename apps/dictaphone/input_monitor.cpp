#include "input_monitor.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace dictaphone {

InputMonitor::InputMonitor(std::shared_ptr<mrec::MediaStreamTrack> track)
    : processor_({std::move(track), 50}) {
  ring_.fill(128);
  thread_ = std::thread([this] { run(); });
}

InputMonitor::~InputMonitor() {
  stopping_ = true;
  processor_.cancel();
  thread_.join();
}

void InputMonitor::run() {
  while (!stopping_) {
    auto result = processor_.read();
    if (result.done) break;
    const auto& data = std::get<mrec::AudioData>(result.value);
    const size_t channels = std::max<uint32_t>(1, data.numberOfChannels);
    std::vector<float> samples(data.data.size() / sizeof(float));
    std::memcpy(samples.data(), data.data.data(), samples.size() * sizeof(float));
    std::lock_guard lock(mutex_);
    for (size_t frame = 0; frame + channels <= samples.size(); frame += channels) {
      const float first = samples[frame];  // the first channel, as an analyser of it shows
      for (size_t c = 0; c < channels; ++c) {
        const float magnitude = std::fabs(samples[frame + c]);
        peak_ = std::max(peak_, magnitude);
        clipped_ = clipped_ || magnitude >= 0.999f;
      }
      ring_[next_] = static_cast<uint8_t>(std::clamp(std::lround(128 + first * 128), 0L, 255L));
      next_ = (next_ + 1) % ring_.size();
    }
  }
  live_ = false;
}

MonitorSnapshot InputMonitor::take() {
  MonitorSnapshot snapshot;
  std::lock_guard lock(mutex_);
  // Oldest first.
  std::copy(ring_.begin() + long(next_), ring_.end(), snapshot.waveform.begin());
  std::copy(ring_.begin(), ring_.begin() + long(next_),
            snapshot.waveform.begin() + long(ring_.size() - next_));
  snapshot.peak = peak_;
  snapshot.clipped = clipped_;
  snapshot.live = live_;
  peak_ = 0;
  clipped_ = false;
  return snapshot;
}

}  // namespace dictaphone
