// The live view of the selected input: the last 2048 samples (as the seed's AnalyserNode
// gives them, bytes around 128) and the peak since the last look, read from the input's
// track with a MediaStreamTrackProcessor on a thread of its own.
#pragma once

#include <mrec/mrec.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>

namespace dictaphone {

struct MonitorSnapshot {
  std::array<uint8_t, 2048> waveform{};  ///< 128 is silence, like getByteTimeDomainData
  float peak = 0;                        ///< largest magnitude since the last snapshot
  bool clipped = false;                  ///< a sample reached full scale since then
  bool live = false;                     ///< the track still delivers
};

class InputMonitor {
 public:
  explicit InputMonitor(std::shared_ptr<mrec::MediaStreamTrack> track);
  ~InputMonitor();
  InputMonitor(const InputMonitor&) = delete;
  InputMonitor& operator=(const InputMonitor&) = delete;

  /// The waveform now, and the peak and clipping since the previous call.
  MonitorSnapshot take();

 private:
  void run();

  mrec::MediaStreamTrackProcessor processor_;
  std::mutex mutex_;
  std::array<uint8_t, 2048> ring_{};
  size_t next_ = 0;
  float peak_ = 0;
  bool clipped_ = false;
  std::atomic<bool> live_{true};
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace dictaphone
