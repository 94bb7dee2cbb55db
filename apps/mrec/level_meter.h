// The peak level meter of the status line: the loudest sample since the last look, on a
// dBFS scale, with a clipping mark that stays lit long enough to be seen.
#pragma once

#include <chrono>
#include <string>

#include <mrec/sources.h>

namespace mrec::cli {

class LevelMeter {
 public:
  /// Takes the samples of `data` (F32 interleaved, as a MediaStreamTrackProcessor gives).
  void add(const AudioData& data);
  /// "[##########----------]  -6.0 dB" plus " CLIP" for a while after a clipped sample;
  /// starts a new measuring period.
  std::string render(std::chrono::steady_clock::time_point now);

 private:
  float peak_ = 0;
  bool clippedNow_ = false;
  std::chrono::steady_clock::time_point clipShownUntil_{};
};

}  // namespace mrec::cli
