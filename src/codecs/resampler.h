// Sample-rate conversion with speexdsp, aligned so that output sample i corresponds to input
// sample i * outRate / inRate (the filter delay is skipped), and drained so that the output
// has exactly round(inputFrames * outRate / inRate) frames.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

struct SpeexResamplerState_;

namespace mrec::detail {

class Resampler {
 public:
  /// Throws std::runtime_error if speexdsp refuses the rates (the caller checks them first).
  Resampler(uint32_t channels, uint32_t inRate, uint32_t outRate);
  ~Resampler();
  Resampler(const Resampler&) = delete;
  Resampler& operator=(const Resampler&) = delete;

  uint32_t inRate() const { return inRate_; }
  uint32_t outRate() const { return outRate_; }

  /// Appends the converted frames of `in` to `out`.
  void process(const float* in, uint32_t frames, std::vector<float>& out);
  /// Appends the frames still inside the filter; afterwards the total output is exact.
  void drain(std::vector<float>& out);

 private:
  void run(const float* in, uint32_t frames, std::vector<float>& out);

  SpeexResamplerState_* state_ = nullptr;
  const uint32_t channels_, inRate_, outRate_;
  uint64_t inputFrames_ = 0;
  uint64_t outputFrames_ = 0;
};

}  // namespace mrec::detail
